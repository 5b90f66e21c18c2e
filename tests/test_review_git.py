"""The git textconv recipe, the pre-commit hooks and the documented CI commands, for real."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT, Run
from tests.git_helpers import commit_all, git, make_repo, write_person, write_seat

BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("COMMITTEE_REGISTRY", None)
    return env


def test_textconv_driver_shows_facts_in_words(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    repo = registry.parent
    (repo / ".gitattributes").write_text("registry/**/*.yaml diff=committee\n", encoding="utf-8")
    git(repo, "config", "diff.committee.textconv", "committee --registry registry textconv")
    commit_all(registry, "textconv")
    path = registry / "seats" / "bcd-cpdt-02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 2", "order: 3"),
                    encoding="utf-8")
    out = subprocess.run(["git", "-C", str(repo), "diff"], capture_output=True, text=True,
                         env=_env(), check=True).stdout
    assert "-order: 2" in out and "+order: 3" in out
    assert " person: truong-hai-long (Ông Trương Hải Long)" in out
    assert " start.decision: qd-913-2021 (QĐ 913/QĐ-BNV)" in out
    raw = subprocess.run(["git", "-C", str(repo), "diff", "--no-textconv"], capture_output=True,
                         text=True, env=_env(), check=True).stdout
    assert "(Ông Trương Hải Long)" not in raw


def test_textconv_on_a_temp_copy_guesses_the_kind(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    copy = tmp_path / "Xy12_bcd-cpdt-01.yaml"  # how git names the old blob
    copy.write_bytes((registry / "seats" / "bcd-cpdt-01.yaml").read_bytes())
    result = cli("textconv", str(copy), registry=registry)
    assert result.exit_code == 0
    assert result.stdout.startswith("# seat bcd-cpdt-01\n")
    assert "person: pham-thi-thanh-tra (Bà Phạm Thị Thanh Trà)" in result.stdout


def test_pre_commit_hooks_run_on_a_registry(tmp_path: Path) -> None:
    """Equivalent of `pre-commit try-repo`: each hook's entry, as pre-commit runs it."""
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"committee-validate", "committee-fmt"}
    registry = make_repo(tmp_path)
    for hook in hooks:
        assert hook["pass_filenames"] is False and re.search(hook["files"], "seats/x.yaml")
        ok = subprocess.run(hook["entry"].split(), cwd=registry.parent, env=_env(),
                            capture_output=True, text=True, check=False)
        assert ok.returncode == 0, (hook["id"], ok.stdout, ok.stderr)
    path = registry / "seats" / "bcd-cpdt-02.yaml"
    path.write_text("role: pho-truong-ban\n" + path.read_text(encoding="utf-8")
                    .replace("role: pho-truong-ban\n", ""), encoding="utf-8")
    write_seat(registry, "bcd-cpdt-18", "uy-vien", 18, "nobody", "qd-913-2021")
    for hook in hooks:
        bad = subprocess.run(hook["entry"].split(), cwd=registry.parent, env=_env(),
                             capture_output=True, text=True, check=False)
        assert bad.returncode == 1, (hook["id"], bad.stdout, bad.stderr)


def _documented_steps() -> list[dict[str, str]]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = text.split("```yaml\nname: registry\n", 1)[1].split("```", 1)[0]
    section = block.split("# commands\n", 1)[1].split("# end commands", 1)[0]
    steps = YAML(typ="safe").load(section)
    assert steps and all("run" in s for s in steps)
    return steps  # type: ignore[no-any-return]


@pytest.mark.parametrize("event", ["push", "pull_request"])
def test_documented_workflow_commands_work(tmp_path: Path, event: str) -> None:
    registry = make_repo(tmp_path)
    repo = registry.parent
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "pr")
    write_person(registry, "nguyen-thi-b", "Nguyễn Thị B", "Bà", "Vụ trưởng", "bnv-vpc",
                 "2022-01-01")
    commit_all(registry, "person")
    summary = tmp_path / "summary.md"
    env = _env() | {"GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)}
    ran = 0
    for step in _documented_steps():
        if "if" in step and event not in step["if"]:
            continue
        out = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=repo, env=env,
                             capture_output=True, text=True, check=False)
        assert out.returncode == 0, (step["name"], out.stdout, out.stderr)
        ran += 1
    assert ran == (5 if event == "pull_request" else 4)
    assert (repo / "documents" / "qd-913-2021.md").is_file()
    assert (repo / "public" / "index.html").is_file() == (event == "push")
    if event == "pull_request":
        assert "Người mới: Bà Nguyễn Thị B" in summary.read_text(encoding="utf-8")
