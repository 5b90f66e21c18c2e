"""The examples of docs/import-export.md run as written (the same runner as the user guides)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT, SAMPLE
from tests.test_docs_examples import run_guide, steps


def test_import_export_examples_run_as_written(tmp_path: Path) -> None:
    guide = ROOT / "docs" / "import-export.md"
    assert len(steps(guide)) >= 10
    workspace = tmp_path / "committee-cli"
    workspace.mkdir()
    shutil.copytree(SAMPLE, workspace / "registry")
    run_guide(guide, workspace)
