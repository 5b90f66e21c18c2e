"""Write docs/images/*.png: every page of decision 913 and of one decision of each other kind,
as the PDF engine renders them (WeasyPrint when installed, else LibreOffice), for
docs/rendering.md. Not run by the tests; run it after a layout change and review the pictures:

    python -m tools.page_images          # or: make page-images

Needs the pdf extra or LibreOffice, and pdftoppm (poppler-utils; make system-deps).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from committee_cli.render.documents import decision_document
from committee_cli.render.pdf import to_pdf
from committee_cli.render.service import open_workspace

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "images"
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"
# (registry, decision, what it shows)
DECISIONS = (
    (ROOT / "registry", "qd-913-2021", "consolidate"),
    (FIXTURE, "qd-05-2020", "establish"),
    (FIXTURE, "qd-120-2021", "change-members"),
    (FIXTURE, "qd-121-2021", "issue-regulation"),
    (FIXTURE, "qd-300-2021", "issue-plan"),
    (FIXTURE, "qd-du-thao-2022", "assign-tasks, draft"),
)
RESOLUTION = "50"  # dpi: a page is 413 x 585 pixels


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils (make system-deps)", file=sys.stderr)
        return 2
    TARGET.mkdir(parents=True, exist_ok=True)
    for old in TARGET.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for registry, decision, _ in DECISIONS:
            workspace = open_workspace(registry)
            pdf = Path(tmp) / f"{decision}.pdf"
            pdf.write_bytes(to_pdf(decision_document(workspace.registry, decision,
                                                     workspace.templates)))
            subprocess.run(["pdftoppm", "-png", "-r", RESOLUTION, str(pdf),
                            str(TARGET / decision)], check=True)
    for png in sorted(TARGET.glob("*.png")):
        print(f"wrote {png.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
