"""docs/setting-up-a-body.md runs as written: a new body from `committee init`, by commands."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.test_docs_examples import run_guide, steps

GUIDE = ROOT / "docs" / "setting-up-a-body.md"


def test_the_setup_guide_runs_as_written(tmp_path: Path) -> None:
    assert steps(GUIDE), "the guide has no ```console examples"
    workspace = tmp_path / "work"
    workspace.mkdir()
    run_guide(GUIDE, workspace)


def test_the_setup_guide_writes_no_yaml_by_hand() -> None:
    commands = [s.command for s in steps(GUIDE)]
    assert commands[0].startswith("committee init")
    for command in commands:
        assert ".yaml" not in command and ">" not in command and "cat " not in command
