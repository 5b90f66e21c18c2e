"""The worked examples of the user guides run as written, and print what the guides show.

Each ```console block of docs/secretariat.md, docs/reviewer.md and docs/ci-maintainer.md is a
list of ``$ command`` lines, each followed by the output a reader will see (or its key lines:
every line shown must appear, in order; ``...`` inside a line stands for any text, and the
width of the gaps between columns does not matter). A line
``[exit N]`` says the command exits with N (otherwise 0). The commands run for real, with the
installed ``committee``, in a temporary folder that holds a copy of the sample registry in
``registry/``, as a fresh clone of this project does; ``cd`` changes the folder for the commands
after it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

GUIDES = ("secretariat.md", "reviewer.md", "ci-maintainer.md")
EXIT = re.compile(r"^\[exit (\d+)\]$")


@dataclass
class Step:
    """One ``$ command`` of a guide and what it should print."""

    command: str
    expected: list[str] = field(default_factory=list)
    exit_code: int = 0
    line: int = 0


def steps(guide: Path) -> list[Step]:
    """The commands of every ```console block of ``guide``, in order."""
    found: list[Step] = []
    in_block = False
    for number, line in enumerate(guide.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            in_block = line.strip() == "```console" and not in_block
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            found.append(Step(line[2:], line=number))
        elif found:
            code = EXIT.match(line.strip())
            if code:
                found[-1].exit_code = int(code.group(1))
            elif line.strip():
                found[-1].expected.append(line.rstrip())
    return found


def _pattern(expected: str) -> re.Pattern[str]:
    """``...`` is any text; a run of spaces is any run of spaces (table columns vary in width)."""
    parts = (r"\s+".join(re.escape(word) for word in part.split()) for part in expected.split("..."))
    return re.compile(".*".join(parts))


def check_output(step: Step, output: str) -> None:
    """Every expected line appears in ``output``, in order (``...`` matches any text)."""
    lines = output.splitlines()
    at = 0
    for expected in step.expected:
        pattern = _pattern(expected.strip())
        while at < len(lines) and not pattern.search(lines[at]):
            at += 1
        assert at < len(lines), (f"line {step.line}: `{step.command}` did not print {expected!r} "
                                 f"(in this order); it printed:\n{output}")
        at += 1


def run_guide(guide: Path, workspace: Path) -> None:
    """Run every step of ``guide`` in ``workspace`` and check what each prints."""
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMITTEE_")}
    env.update({"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "PYTHONUNBUFFERED": "1",
                "COMMITTEE_CACHE_DIR": str(workspace.parent / "cache"), "LANG": "C.UTF-8",
                "COLUMNS": "100", "GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.gov.vn",
                "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.gov.vn",
                "GIT_CONFIG_GLOBAL": str(workspace.parent / "gitconfig"), "GIT_PAGER": "cat",
                "HOME": str(workspace.parent)})
    (workspace.parent / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n"
                                                "[commit]\n\tgpgsign = false\n", encoding="utf-8")
    cwd = workspace
    for step in steps(guide):
        if step.command.startswith("cd "):
            cwd = (cwd / step.command[3:].strip()).resolve()
            continue
        done = subprocess.run(["bash", "-c", step.command], cwd=cwd, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
                              check=False)
        assert done.returncode == step.exit_code, (
            f"{guide.name} line {step.line}: `{step.command}` exited {done.returncode}, "
            f"expected {step.exit_code}:\n{done.stdout}")
        check_output(step, done.stdout)


@pytest.mark.parametrize("name", GUIDES)
def test_guide_examples_run_as_written(name: str, tmp_path: Path) -> None:
    guide = ROOT / "docs" / name
    assert steps(guide), f"{name} has no ```console examples"
    workspace = tmp_path / "committee-cli"
    workspace.mkdir()
    shutil.copytree(SAMPLE, workspace / "registry")  # what a fresh clone holds in registry/
    run_guide(guide, workspace)


def test_the_secretariat_guide_records_a_replacement_by_decision() -> None:
    commands = [s.command for s in steps(ROOT / "docs" / "secretariat.md")]

    def index(prefix: str) -> int:
        return next(i for i, c in enumerate(commands) if c.startswith(prefix))

    order = [index("committee decision new"), index("committee amend person add"),
             index("committee amend seat replace"), index("committee decision sign"),
             index("committee render decision")]
    assert order == sorted(order)


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("```console\n$ committee --version\ncommittee-cli 9.9\n```\n", encoding="utf-8")
    workspace = tmp_path / "w"
    workspace.mkdir()
    with pytest.raises(AssertionError, match="did not print"):
        run_guide(guide, workspace)
    guide.write_text("```console\n$ committee validate --nonsense\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="exited 2, expected 0"):
        run_guide(guide, workspace)
