"""Text in a PDF with its position (pypdf), to find where a rendered decision's parts are."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError


class PdfUnreadable(ValueError):
    """The bytes are not a PDF that can be read."""


@dataclass(frozen=True)
class TextRun:
    """A run of text on a page: its baseline start in PDF points (origin bottom left), size."""

    page: int
    x: float
    y: float
    size: float
    text: str


def _reader(data: bytes) -> PdfReader:
    if not data.startswith(b"%PDF"):
        raise PdfUnreadable("the file does not start with %PDF")
    try:
        return PdfReader(io.BytesIO(data))
    except (PdfReadError, ValueError, KeyError) as exc:
        raise PdfUnreadable(str(exc)) from None


def page_count(data: bytes) -> int:
    """The number of pages."""
    return len(_reader(data).pages)


def page_size(data: bytes, page: int = 0) -> tuple[float, float]:
    """Width and height of a page in points."""
    box = _reader(data).pages[page].mediabox
    return float(box.width), float(box.height)


def text_runs(data: bytes) -> list[TextRun]:
    """Every non-blank run of text with where it starts, page by page."""
    runs: list[TextRun] = []
    for number, page in enumerate(_reader(data).pages):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, number: int = number) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
            runs.append(TextRun(number, x, y, size * scale, unicodedata.normalize("NFC",
                                                                                   text.strip())))

        page.extract_text(visitor_text=visit)
    return runs


def plain_text(data: bytes) -> str:
    """The text of every page, NFC, whitespace collapsed (for comparing two renderings)."""
    reader = _reader(data)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def find(runs: list[TextRun], wanted: str, page: int | None = None) -> TextRun | None:
    """The last run whose text is ``wanted`` (case and spacing as written), on ``page`` if given."""
    target = unicodedata.normalize("NFC", wanted).strip()
    found = [r for r in runs if r.text == target and (page is None or r.page == page)]
    return found[-1] if found else None
