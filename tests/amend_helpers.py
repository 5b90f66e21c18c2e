"""Helpers for the amendment tests: a bare registry to amend, temp git repositories, snapshots.

The bare registry is a fictitious ministry (Bộ Thử nghiệm) with fictitious people, and a
committee ``bcd-thu`` that has no seats yet: the tests consolidate it through the CLI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from committee_cli.services.unit_of_work import to_node
from committee_cli.store.canonical import canonical_text
from committee_cli.store.yamlio import dump_round_trip
from tests.conftest import SAMPLE, Run
from tests.history_registry import _ORGANISATIONS as _HISTORY_ORGANISATIONS

ORGANISATIONS: dict[str, dict[str, Any]] = {
    oid: data for oid, data in _HISTORY_ORGANISATIONS.items() if oid != "btn-vkhtc"}

PEOPLE: dict[str, dict[str, Any]] = {
    "nguyen-van-an": {"name": "Nguyễn Văn An", "honorific": "Ông", "positions": [
        {"title": "Bộ trưởng", "organisation": "btn", "since": date(2020, 4, 1)}]},
    "tran-thi-binh": {"name": "Trần Thị Bình", "honorific": "Bà", "positions": [
        {"title": "Thứ trưởng", "organisation": "btn", "since": date(2019, 1, 1)}]},
}

COMMITTEE = "bcd-thu"


def _write(root: Path, rel: str, data: dict[str, Any], comment: str = "") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comment + canonical_text(rel, dump_round_trip(to_node(data))),
                    encoding="utf-8")


def write_base_registry(root: Path) -> Path:
    """A valid registry with organisations, two people, a legal basis and a seatless committee."""
    root.mkdir(parents=True, exist_ok=True)
    _write(root, "registry.yaml", {"schema_version": 1, "name": "Sổ đăng ký thử nghiệm"},
           "# A registry for the amendment tests.\n")
    for folder in ("organisations", "people", "legal-bases", "decisions", "committees", "seats",
                   "regulations", "tasks"):
        (root / folder).mkdir(exist_ok=True)
    for oid, data in ORGANISATIONS.items():
        _write(root, f"organisations/{oid}.yaml", data)
    for pid, data in PEOPLE.items():
        _write(root, f"people/{pid}.yaml", data)
    _write(root, "legal-bases/nd-99-2020.yaml", {
        "kind": "Nghị định", "number": "99/2020/NĐ-CP", "date": date(2020, 3, 2),
        "issuer": "Chính phủ", "title": "quy định chức năng, nhiệm vụ của Bộ Thử nghiệm"})
    _write(root, f"committees/{COMMITTEE}.yaml", {
        "name": "Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm", "short_name": "Ban Chỉ đạo",
        "organisation": "btn", "seal": "btn", "standing_body": {"unit": "btn-tttt"},
        "regulation_issuer": "truong-ban"},
        "# Consolidated by the tests through `committee decision new` and `amend seat add`.\n")
    return root


def copy_sample(target: Path) -> Path:
    """A private copy of the sample registry (Decision 913)."""
    shutil.copytree(SAMPLE, target)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the registry folder, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output (failing the test on error)."""
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def git_repo(repo: Path, registry: Path | None = None) -> Path:
    """A git repository at ``repo`` holding a copy of the sample (or ``registry``) in registry/,
    committed; returns the registry folder."""
    repo.mkdir(parents=True, exist_ok=True)
    target = repo / "registry"
    shutil.copytree(registry or SAMPLE, target)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Văn thư")
    git(repo, "config", "user.email", "van-thu@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "registry")
    return target


def members_as_of(cli: Run, root: Path, when: str, committee: str = COMMITTEE
                  ) -> list[tuple[str, str, str]]:
    """(seat, role, person or post) of every seat held on ``when``, via `committee members`."""
    result = cli("members", committee, "--as-of", when, "--format", "json", registry=root)
    assert result.exit_code == 0, result.output
    return [(s["seat"], s["role"], s["person"] or s["post"])
            for s in json.loads(result.stdout)["seats"]]


def assert_valid_and_canonical(cli: Run, root: Path) -> None:
    """``validate`` finds no error and ``fmt --check`` finds nothing to reformat."""
    checked = cli("validate", registry=root)
    assert checked.exit_code == 0, checked.output
    formatted = cli("fmt", "--check", registry=root)
    assert formatted.exit_code == 0, formatted.output
