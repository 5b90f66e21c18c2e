"""``committee diff`` reports every field change of every record, also the fields no specific
wording covers (a note, a product, a coordinator)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run
from tests.git_helpers import commit_all, make_repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_diff_reports_a_note_a_product_and_a_coordinator(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    _edit(registry / "people" / "truong-hai-long.yaml", "honorific: Ông\n",
          "honorific: Ông\nnote: Kiêm nhiệm\n")
    task = registry / "tasks" / "kien-toan-to-cong-tac.yaml"
    _edit(task, "product: Quyết định kiện toàn", "product: Tờ trình kiện toàn")
    _edit(task, "  - bnv-vtccb\n", "  - bnv-vtccb\n  - bnv-vpc\n")
    commit_all(registry, "sửa")
    result = cli("diff", "HEAD~1", "HEAD", "--format", "json", registry=registry)
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    texts = [c["text"] for c in changes]
    person = [t for t in texts if "Trương Hải Long" in t]
    assert person and "note — → “Kiêm nhiệm”" in person[0], texts
    assert any("product" in t for t in texts), texts
    assert any("coordinators" in t for t in texts), texts
    text = cli("diff", "HEAD~1", "HEAD", registry=registry).stdout
    assert "no changes" not in text.lower() and "Kiêm nhiệm" in text


def test_diff_of_an_unchanged_registry_still_says_so(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    result = cli("diff", "HEAD", "HEAD", "--format", "json", registry=registry)
    assert result.exit_code == 0 and json.loads(result.stdout)["changes"] == []
