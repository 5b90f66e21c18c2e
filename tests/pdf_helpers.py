"""Reading rendered PDFs back with poppler's ``pdftotext -bbox``, and converting .docx files with
LibreOffice in one call; the tests that need them skip, naming what is missing."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

MM_PER_PT = 25.4 / 72
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    """One word on a page, its box in mm from the page's top left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    """A page: its size in mm and its words in reading order."""

    width: float
    height: float
    words: list[Word]

    def lines(self) -> list[list[Word]]:
        """Words grouped into lines by their baseline (within 1 mm), top to bottom."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (round(w.y1, 0), w.x0)):
            if rows and abs(rows[-1][0].y1 - word.y1) < 1.0:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [sorted(row, key=lambda w: w.x0) for row in rows]

    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in line) for line in self.lines())


def need(*programs: str) -> None:
    """Skip the test naming the programs (and their Debian packages) that are not on PATH."""
    packages = {"soffice": "libreoffice-writer", "pdftotext": "poppler-utils",
                "pdftoppm": "poppler-utils"}
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        names = ", ".join(f"{p} (Debian {packages.get(p, p)}; make system-deps)" for p in missing)
        pytest.skip(f"not installed: {names}")


def need_signing_font() -> None:
    """Skip naming the font a signature's appearance is drawn in, when it is not installed."""
    from committee_cli.exchange.pdfsign import FontMissing, font_file

    try:
        font_file()
    except FontMissing as missing:
        pytest.skip(f"not installed: {missing} (make system-deps)")


def need_weasyprint() -> None:
    """Skip naming WeasyPrint when the pdf extra (or Pango) is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        pytest.skip(f"WeasyPrint not usable (pip install 'committee-cli[pdf]'): {error}")


def pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its words, read by ``pdftotext -bbox``."""
    need("pdftotext")
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True)
    root = etree.fromstring(done.stdout, etree.XMLParser(recover=True))
    result: list[Page] = []
    for page in root.iter(f"{XHTML}page", "page"):
        words = [Word(w.text or "", *(float(w.get(k) or 0) * MM_PER_PT
                                      for k in ("xMin", "yMin", "xMax", "yMax")))
                 for w in page.iter(f"{XHTML}word", "word")]
        result.append(Page(float(page.get("width") or 0) * MM_PER_PT,
                           float(page.get("height") or 0) * MM_PER_PT, words))
    return result


def soffice_pdfs(docx_files: list[Path], outdir: Path) -> list[Path]:
    """Convert the .docx files to PDF in one LibreOffice run (its start-up is the slow part)."""
    need("soffice")
    soffice = shutil.which("soffice")
    assert soffice is not None
    profile = (outdir / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_files)],
                   capture_output=True, timeout=600, check=True)
    pdfs = [outdir / (f.stem + ".pdf") for f in docx_files]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return pdfs
