"""docs/exchange.md: its worked example runs as written, with the installed ``committee``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE
from tests.exchange_helpers import coded_registry, make_pki
from tests.pdf_helpers import need_signing_font
from tests.test_docs_examples import run_guide, steps

pytest.importorskip("pyhanko", reason="the sign extra (pyHanko) is not installed")
pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")

GUIDE = ROOT / "docs" / "exchange.md"


def test_the_exchange_guide_runs_as_written(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    need_signing_font()  # (the guide signs a decision: its appearance is drawn in that font)
    assert len(steps(GUIDE)) >= 7
    workspace = tmp_path / "committee-cli"
    workspace.mkdir()
    shutil.copytree(SAMPLE, workspace / "registry")
    coded_registry(workspace / "registry")
    make_pki(workspace / "keys")
    signature = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line([(10, 100), (150, 20), (290, 90)], fill=(0, 0, 200, 255),
                                   width=6)
    signature.save(workspace / "chu-ky.png")
    seal = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse([5, 5, 295, 295], outline=(220, 0, 0, 255), width=12)
    seal.save(workspace / "dau.png")
    run_guide(GUIDE, workspace)
