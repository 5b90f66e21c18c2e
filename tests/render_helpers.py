"""Shared by the render tests: the fixture registry, and rendering through the CLI into files."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from committee_cli.cli.app import app
from tests.conftest import Run

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "render" / "registry"
GOLDEN = Path(__file__).resolve().parent / "golden" / "render"
MM_PER_EMU = 1 / 36000


def render_file(cli: Run, registry: Path, out: Path, *args: str) -> Path:
    """Run ``committee render ARGS --out OUT`` and return OUT, failing on a non-zero exit."""
    result = cli("render", *args, "--out", str(out), registry=registry)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    return out


def render_once(registry: Path, out: Path, *args: str) -> Path:
    """Render through the CLI without the per-test fixture, for module-scoped fixtures."""
    result = CliRunner().invoke(app, ["--registry", str(registry), "render", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
