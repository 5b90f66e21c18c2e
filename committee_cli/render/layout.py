"""The layout of a Nghị định 30/2020/NĐ-CP document, in one place for every writer.

Sizes are points, lengths millimetres (docs/rendering.md lists each with the decree's range).
The HTML, Word and PDF writers read these; none of them keeps its own figures.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A4 portrait with the decree template's margins (top 25, bottom 20, left 35, right 20)."""

    width: float = 210.0
    height: float = 297.0
    top: float = 25.0
    bottom: float = 20.0
    left: float = 35.0
    right: float = 20.0
    header_distance: float = 12.0  # from the page edge to the page number

    @property
    def text_width(self) -> float:
        """The width between the margins."""
        return self.width - self.left - self.right


PAGE = Page()
FONT = "Times New Roman"
# Liberation Serif has the metrics of Times New Roman (Debian fonts-liberation2); Tinos the same.
FALLBACK_FONTS = ("Liberation Serif", "Tinos", "Nimbus Roman", "Times")
BODY_SIZE = 14.0
LINE_SPACING = 1.15  # between single and 1.5 lines
PARAGRAPH_GAP = 6.0  # at least 6 pt between paragraphs
FIRST_LINE_INDENT = 12.7  # mm: 1.27 cm

# The header table: 170 mm, columns 69 and 101 mm, pulled 6 mm into the left margin, so the
# Quốc hiệu (about 96 mm at 13 pt bold) stays on one line.
HEADER_COLUMNS = (69.0, 101.0)
HEADER_SHIFT = 6.0
# The foot: recipients (left) and the signing block (right), level with each other.
CLOSING_COLUMNS = (78.0, 83.0)
CLOSING_SHIFT = 6.0
CLOSING_GAP = 12.0  # pt above the foot
SIGNATURE_GAP = 60.0  # pt of space for the signature and seal above the signer's name
DRAFT_BOX_WIDTH = 40.0
# Table columns in Word: a word of n characters at 12 pt needs about n * CHAR_WIDTH mm.
CHAR_WIDTH = 2.4
CELL_PADDING = 5.0
RULE_WEIGHT = 0.75  # pt
ISSUER_RULE = 0.4  # of the issuing body's text width (decree: 1/3 to 1/2)
SUBJECT_RULE = 0.33  # of the subject's width, a short rule
MOTTO_RULE = 1.0  # exactly as long as the motto


@dataclass(frozen=True)
class Style:
    """How one component of the document looks."""

    size: float = BODY_SIZE
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # left, center, justify
    indent: float = 0.0  # first-line indent, mm
    before: float = 0.0  # pt
    after: float = PARAGRAPH_GAP  # pt
    keep_with_next: bool = False


_BODY = Style(indent=FIRST_LINE_INDENT)
_CENTER_BOLD = Style(bold=True, align="center", after=0.0, keep_with_next=True)

STYLES: dict[str, Style] = {
    "draft": Style(14, bold=True, align="center", after=0.0),
    "parent_body": Style(13, align="center", after=0.0),
    "issuer": Style(13, bold=True, align="center", after=0.0),
    "number": Style(13, align="center", before=4.0, after=0.0),
    "national": Style(13, bold=True, align="center", after=0.0),
    "motto": Style(14, bold=True, align="center", after=0.0),
    "place_date": Style(14, italic=True, align="center", before=4.0, after=0.0),
    "doc_type": Style(14, bold=True, align="center", before=18.0, after=0.0, keep_with_next=True),
    "subject": _CENTER_BOLD,
    "issued_with": Style(14, italic=True, align="center", after=0.0, keep_with_next=True),
    "authority": Style(14, bold=True, align="center", before=12.0, after=12.0,
                       keep_with_next=True),
    "basis": Style(italic=True, indent=FIRST_LINE_INDENT),
    "proposal": Style(italic=True, indent=FIRST_LINE_INDENT),
    "decides": Style(14, bold=True, align="center", before=6.0, after=12.0, keep_with_next=True),
    "chapter": Style(bold=True, align="center", before=12.0, after=0.0, keep_with_next=True),
    "chapter_title": Style(bold=True, align="center", after=PARAGRAPH_GAP, keep_with_next=True),
    "heading": Style(bold=True, indent=FIRST_LINE_INDENT, keep_with_next=True),
    "article": _BODY,
    "clause": _BODY,
    "point": _BODY,
    "para": _BODY,
    "table_head": Style(12, bold=True, align="center", after=0.0),
    "table_cell": Style(12, align="left", after=0.0),
    "recipients_heading": Style(12, bold=True, italic=True, align="left", after=0.0),
    "recipient": Style(11, align="left", after=0.0),
    "sign": Style(14, bold=True, align="center", after=0.0),
    "signer": Style(14, bold=True, align="center", before=SIGNATURE_GAP, after=0.0),
    "page_number": Style(13, align="center", after=0.0),
}
# Parts whose label (Điều 1.) is bold while the text is regular.
BOLD_LABEL = frozenset({"article"})


# --- text width, for rules drawn under a text (Word has no shrink-to-fit rule) -------------

# Advance widths of Times New Roman Bold (= Liberation Serif Bold) in 1/1000 em.
_BOLD_WIDTHS = dict(zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    (722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722,
     556, 667, 722, 722, 1000, 722, 722, 667), strict=True))
_BOLD_WIDTHS.update(zip(
    "abcdefghijklmnopqrstuvwxyz",
    (500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444,
     389, 333, 556, 500, 722, 500, 500, 444), strict=True))
_BOLD_WIDTHS.update({" ": 250, "-": 333, ",": 250, ".": 250, ":": 333, ";": 333, "/": 278,
                     "(": 333, ")": 333, "\u00a0": 250, "Đ": 722, "đ": 556})
_BOLD_WIDTHS.update(dict.fromkeys("0123456789", 500))


def bold_text_width(text: str, size: float) -> float:
    """The width in mm of ``text`` set in Times New Roman Bold at ``size`` pt."""
    units = 0
    for ch in text:
        base = ch if ch in _BOLD_WIDTHS else unicodedata.normalize("NFD", ch)[:1]
        units += _BOLD_WIDTHS.get(base, 556)
    return units / 1000 * size * 25.4 / 72
