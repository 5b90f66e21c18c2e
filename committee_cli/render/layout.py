"""The layout of a Nghị định 30/2020/NĐ-CP document, in one place for every writer.

Sizes are points, lengths millimetres (docs/rendering.md lists each with the decree's range).
The HTML, Word and PDF writers read these; none of them keeps its own figures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from committee_cli.render.metrics import WIDTHS


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

# The header table: pulled 6 mm into the left margin as the decree's template is, and ending at
# the right margin, so the Quốc hiệu (about 96 mm at 13 pt bold) stays on one line and ends
# 22 mm from the right edge (the rule: at least 15 mm). 61 + 100 = 161 mm = 155 + 6.
HEADER_COLUMNS = (61.0, 100.0)
HEADER_SHIFT = 6.0
# The foot: recipients (left) and the signing block (right), level with each other, between the
# margins ("Nơi nhận" starts at the left margin).
CLOSING_COLUMNS = (70.0, 85.0)
CLOSING_SHIFT = 0.0
CLOSING_GAP = 12.0  # pt above the foot
SIGNATURE_GAP = 60.0  # pt of space for the signature and seal above the signer's name
DRAFT_BOX_WIDTH = 40.0
CELL_PADDING = 2.0  # mm left and right inside a table cell (the HTML's padding, Word's tcMar)
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


# --- measuring text ------------------------------------------------------------------------

_WIDTH_STYLE = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
                (True, True): "bold-italic"}


def text_width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width in mm of ``text`` set in Times New Roman at ``size`` pt (no kerning)."""
    table = WIDTHS[_WIDTH_STYLE[bold, italic]]
    units = 0
    for ch in text:
        width = table.get(ch)
        if width is None:
            width = table.get(unicodedata.normalize("NFD", ch)[:1], 556)
        units += width
    return units / 1000 * size * 25.4 / 72


def bold_text_width(text: str, size: float) -> float:
    """The width in mm of ``text`` set in Times New Roman Bold at ``size`` pt."""
    return text_width(text, size, bold=True)


def style_width(component: str, text: str) -> float:
    """The width in mm of ``text`` in the component's size, weight and slant."""
    style = STYLES[component]
    return text_width(text, style.size, bold=style.bold, italic=style.italic)


# --- line breaks (docs/rendering.md, "Line breaks") ----------------------------------------

LINE_BREAK = "\u2028"  # LINE SEPARATOR: where a template prefers a title line to break
NBSP = "\u00a0"  # binds a name, a title or a fixed phrase: never broken
# Centred title lines the layout breaks itself, by meaning, and the width each may fill (mm).
# Every writer then sets exactly these lines, so Word, LibreOffice and WeasyPrint agree.
BROKEN: dict[str, float] = {
    "doc_type": PAGE.text_width,
    "subject": PAGE.text_width,
    "issued_with": PAGE.text_width,
    "authority": PAGE.text_width,
    "chapter_title": PAGE.text_width,
    "parent_body": HEADER_COLUMNS[0],
    "issuer": HEADER_COLUMNS[0],
}
BREAK_SAFETY = 4.0  # mm left free on a broken line: the engines' kerning and rounding differ
# Words a Vietnamese phrase starts with: a line may well end before one (linguistic data, not
# document wording: the words of the documents are in templates/).
PHRASE_STARTS = frozenset({"của", "về", "và", "cho", "trong", "theo", "tại", "với", "đến", "từ",
                           "gồm", "thuộc", "giai", "định", "nhằm", "để", "kèm", "ban", "giao"})
_LINE_COST = 30.0  # each line more than needed
_RAGGED_COST = 6.0  # a line left empty, relative to a full one
_SPACES = re.compile(r"[ \t]*\u2028[ \t]*")


def flat(text: str) -> str:
    """``text`` on one line: a preferred break becomes a space (bodies, Markdown, searches)."""
    return _SPACES.sub(" ", text)


def _break_cost(before: str, after: str, preferred: bool) -> float:
    """How bad a line break between the words ``before`` and ``after`` is (lower is better)."""
    if preferred:
        return -5.0
    if before.endswith((",", ";", ":", ")")):
        return 0.0
    if after.casefold() in PHRASE_STARTS or after.startswith(("(", "“", '"')):
        return 1.0
    if after[:1].isdigit() or before[:1].isdigit():
        return 40.0  # inside a number, a date or a symbol ("số / 120", "tháng / 01")
    if before[:1].isupper():
        return 40.0  # inside a name or a title ("Bộ / trưởng", "Bộ Thử / nghiệm")
    if after[:1].isupper():
        return 2.0  # a name starts
    return 10.0  # inside a word group ("chuyển đổi / số")


def break_lines(text: str, size: float, width: float, *, bold: bool = False,
                italic: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` mm, at the best places.

    A line break never falls on a non-breaking space; it prefers the template's LINE_BREAK, then
    punctuation, then the start of a phrase, and keeps the lines about equally long. Only a word
    wider than the line stands on a line of its own, too wide.
    """
    words: list[str] = []
    preferred: list[bool] = []  # preferred[i]: a LINE_BREAK stands before words[i]
    for n, part in enumerate(_SPACES.sub(LINE_BREAK, text.strip(" ")).split(LINE_BREAK)):
        for m, word in enumerate(w for w in part.split(" ") if w):  # not split(): U+00A0 binds
            words.append(word)
            preferred.append(n > 0 and m == 0)
    if not words:
        return [text]
    limit = max(width - BREAK_SAFETY, 1.0)
    space = text_width(" ", size, bold=bold, italic=italic)
    sizes = [text_width(w, size, bold=bold, italic=italic) for w in words]
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * len(words)
    for end in range(1, len(words) + 1):
        line = -space
        for start in range(end - 1, -1, -1):
            line += sizes[start] + space
            if line > limit and start < end - 1:
                break
            cost = best[start][0] + _LINE_COST + _RAGGED_COST * ((limit - line) / limit) ** 2
            if line > limit:
                cost += 1000.0
            if start:
                cost += _break_cost(words[start - 1], words[start], preferred[start])
            if cost < best[end][0]:
                best[end] = (cost, start)
    lines: list[str] = []
    end = len(words)
    while end:
        start = best[end][1]
        lines.append(" ".join(words[start:end]))
        end = start
    return lines[::-1]


def lines(component: str, text: str) -> list[str]:
    """The lines a component's text is set in: broken by the layout for a title, else one."""
    if component not in BROKEN:
        return [flat(text)]
    style = STYLES[component]
    return break_lines(text, style.size, BROKEN[component], bold=style.bold, italic=style.italic)


# --- table columns -------------------------------------------------------------------------

NO_WRAP_SHARE = 0.3  # a column kept on one line takes at most this share of the table
NO_WRAP_FACTOR = 1.5  # and at most this many times its share of the text

def column_widths(rows: list[list[str]], total: float = PAGE.text_width) -> list[float]:
    """Column widths (mm, summing to ``total``) measured from the cells' text.

    Each column is at least as wide as its widest unbreakable piece (a word, or words bound by
    non-breaking spaces; the heading row too), so a date or a number never wraps. Then, shortest
    first, a column gets room to set each body cell on one line (a name) when that is within its
    share (NO_WRAP_SHARE of the table, NO_WRAP_FACTOR times its share of the text); what is left
    goes to the columns that still wrap, by how much text they hold.
    """
    head_style, cell_style = STYLES["table_head"], STYLES["table_cell"]
    count = len(rows[0])
    body = rows[1:] or rows
    pad = 2 * CELL_PADDING + 0.5

    def measure(text: str, heading: bool) -> float:
        style = head_style if heading else cell_style
        return text_width(flat(text), style.size, bold=style.bold)

    least = [max(measure(word, r == 0) for r, row in enumerate(rows)
                 for word in (flat(row[c]).split(" ") or [""])) + pad for c in range(count)]
    whole = [max(least[c], max(measure(row[c], False) for row in body) + pad)
             for c in range(count)]
    if sum(least) >= total:
        return [w * total / sum(least) for w in least]
    amount = [sum(measure(row[c], False) for row in body) or 1.0 for c in range(count)]
    widths = list(least)
    for c in sorted(range(count), key=lambda c: whole[c]):
        fair = min(NO_WRAP_SHARE, NO_WRAP_FACTOR * amount[c] / sum(amount)) * total
        if whole[c] <= fair and sum(widths) - widths[c] + whole[c] <= total:
            widths[c] = whole[c]
    spare = total - sum(widths)
    wrapping = [c for c in range(count) if widths[c] < whole[c]] or list(range(count))
    for c in wrapping:
        widths[c] += spare * amount[c] / sum(amount[d] for d in wrapping)
    return widths
