"""HTML with A4 print CSS: what a browser prints, and what WeasyPrint turns into the PDF."""

from __future__ import annotations

from html import escape

from committee_cli.render.document import Block, Closing, Document, Header, Section
from committee_cli.render.layout import (
    BOLD_LABEL,
    BROKEN,
    CELL_PADDING,
    CLOSING_COLUMNS,
    CLOSING_GAP,
    CLOSING_SHIFT,
    DRAFT_BOX_WIDTH,
    FALLBACK_FONTS,
    FONT,
    HEADER_COLUMNS,
    HEADER_SHIFT,
    ISSUER_RULE,
    LINE_SPACING,
    MOTTO_RULE,
    PAGE,
    RULE_WEIGHT,
    STYLES,
    SUBJECT_RULE,
    Style,
    column_widths,
    flat,
    lines,
)


def _css_class(component: str) -> str:
    return component.replace("_", "-")


def _rule(fraction: float) -> str:
    return (f"display: block; content: ''; width: {fraction * 100:.0f}%; margin: 2pt auto 0; "
            f"border-top: {RULE_WEIGHT}pt solid #000;")


def _style_css(style: Style) -> str:
    return (f"font-size: {style.size:g}pt; font-weight: {'bold' if style.bold else 'normal'}; "
            f"font-style: {'italic' if style.italic else 'normal'}; text-align: {style.align}; "
            f"text-indent: {style.indent:g}mm; margin: {style.before:g}pt 0 {style.after:g}pt 0;"
            + (" page-break-after: avoid;" if style.keep_with_next else ""))


def stylesheet() -> str:
    """The print CSS, written from the layout table (docs/rendering.md)."""
    fonts = ", ".join(f'"{f}"' for f in (FONT, *FALLBACK_FONTS)) + ", serif"
    number = STYLES["page_number"]
    rules = [
        f"@page {{ size: A4 portrait; margin: {PAGE.top:g}mm {PAGE.right:g}mm {PAGE.bottom:g}mm "
        f"{PAGE.left:g}mm;",
        f"  @top-center {{ content: counter(page); font-family: {fonts}; "
        f"font-size: {number.size:g}pt; vertical-align: middle; }} }}",
        "@page :first { @top-center { content: none; } }",
        # an attached document: no number on its first page, then 2, 3 … (as the .docx does)
        "section.attachment { page: attachment; }",
        "@page :nth(1 of attachment) { counter-reset: page 1; @top-center { content: none; } }",
        f"html {{ font-family: {fonts}; font-size: {STYLES['para'].size:g}pt; color: #000; "
        f"line-height: {LINE_SPACING}; }}",
        "body { margin: 0; }",
        f"@media screen {{ body {{ background: #eee; }} .doc {{ background: #fff; width: "
        f"{PAGE.text_width:g}mm; margin: 10mm auto; padding: {PAGE.top:g}mm {PAGE.right:g}mm "
        f"{PAGE.bottom:g}mm {PAGE.left:g}mm; box-shadow: 0 0 4px #999; }} }}",
        ".doc + .doc { page-break-before: always; }",
        "p { hyphens: manual; orphans: 2; widows: 2; }",
        "table.header, table.closing { border-collapse: collapse; table-layout: fixed; }",
        f"table.header {{ width: {sum(HEADER_COLUMNS):g}mm; margin-left: -{HEADER_SHIFT:g}mm; }}",
        f"table.closing {{ width: {sum(CLOSING_COLUMNS):g}mm; margin: {CLOSING_GAP:g}pt 0 0 "
        f"{-CLOSING_SHIFT:g}mm; page-break-inside: avoid; break-inside: avoid; }}",
        "table.header td, table.closing td { padding: 0; vertical-align: top; }",
        ".national, .motto { white-space: nowrap; }",
        # the layout's lines of a title, one per text line (layout.BROKEN)
        ", ".join(f".{_css_class(c)}" for c in BROKEN) + " { white-space: pre-line; }",
        ".issuer span, .motto span, .subject span { display: inline-block; }",
        f".issuer span::after {{ {_rule(ISSUER_RULE)} }}",
        f".motto span::after {{ {_rule(MOTTO_RULE)} }}",
        f".subject span::after {{ {_rule(SUBJECT_RULE)} margin-top: 3pt; }}",
        ".number, .place-date { white-space: pre-wrap; }",
        "table.grid { width: 100%; border-collapse: collapse; margin: 6pt 0; "
        "table-layout: fixed; }",
        f"table.grid th, table.grid td {{ border: 0.5pt solid #000; padding: 2pt "
        f"{CELL_PADDING:g}mm; vertical-align: top; }}",
        "table.grid thead { display: table-header-group; }",
        "table.grid tr { page-break-inside: avoid; }",
        ".label { font-weight: bold; }",
    ]
    for component, style in STYLES.items():
        rules.append(f".{_css_class(component)} {{ {_style_css(style)} }}")
    # after the component rules, which set every margin: these must win
    rules += [
        f".draft {{ width: {DRAFT_BOX_WIDTH:g}mm; border: 1pt solid #000; padding: 2pt 0; "
        f"margin: 0 0 6pt -{HEADER_SHIFT:g}mm; }}",
        # the last block before the foot stays on the foot's page (at least two lines of it)
        ".keep { page-break-after: avoid; break-after: avoid; }",
        "table.grid.keep tr:last-child { page-break-after: avoid; break-after: avoid; }",
    ]
    return "\n".join(rules) + "\n"


def _p(component: str, text: str | None, inner_span: bool = False) -> str:
    if not text:
        return ""
    body = "\n".join(escape(line) for line in lines(component, text))  # white-space: pre-line
    if inner_span:
        body = f"<span>{body}</span>"
    return f'<p class="{_css_class(component)}">{body}</p>'


def _header(header: Header) -> str:
    left_top = _p("parent_body", header.parent_body) + _p("issuer", header.issuer, True)
    right_top = _p("national", header.national) + _p("motto", header.motto, True)
    cols = "".join(f'<col style="width: {w:g}mm">' for w in HEADER_COLUMNS)
    return (f'<table class="header"><colgroup>{cols}</colgroup>'
            f"<tr><td>{left_top}</td><td>{right_top}</td></tr>"
            f'<tr><td>{_p("number", header.number)}</td>'
            f'<td>{_p("place_date", header.place_date)}</td></tr></table>')


def _table(block: Block, keep: str) -> str:
    head, *rows = block.rows
    cols = "".join(f'<col style="width: {w:.1f}mm">' for w in column_widths(block.rows))
    th = "".join(f'<th class="table-head">{escape(flat(c))}</th>' for c in head)
    body = "".join("<tr>" + "".join(f'<td class="table-cell">{escape(flat(c))}</td>'
                                    for c in row) + "</tr>" for row in rows)
    return (f'<table class="grid{keep}"><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _block(block: Block, keep: bool = False) -> str:
    """One body block; ``keep``: the last before the foot, kept on the foot's page."""
    extra = " keep" if keep else ""
    if block.kind == "table":
        return _table(block, extra)
    if block.kind == "chapter":
        return _p("chapter", block.label) + _p("chapter_title", block.text)
    text = escape(flat(block.text))
    if block.label:
        label = escape(block.label)
        if block.kind in BOLD_LABEL:
            label = f'<span class="label">{label}</span>'
        text = f"{label} {text}"
    return f'<p class="{_css_class(block.kind)}{extra}">{text}</p>'


def _closing(closing: Closing) -> str:
    left = _p("recipients_heading", closing.recipients_heading)
    left += "".join(_p("recipient", f"- {r}") for r in closing.recipients)
    right = "".join(_p("sign", line) for line in closing.sign) + _p("signer", closing.signer)
    cols = "".join(f'<col style="width: {w:g}mm">' for w in CLOSING_COLUMNS)
    return (f'<table class="closing"><colgroup>{cols}</colgroup><tr>'
            f'<td class="recipients">{left}</td><td class="signing">{right}</td></tr></table>')


def _section(section: Section, attached: bool) -> str:
    parts = [f'<section class="doc{" attachment" if attached else ""}">']
    if section.draft:
        parts.append(_p("draft", section.draft))
    if section.header is not None:
        parts.append(_header(section.header))
    parts += [_p("doc_type", section.doc_type), _p("subject", section.subject, True),
              _p("issued_with", section.issued_with), _p("authority", section.authority)]
    parts += [_p("basis", b) for b in section.bases]
    parts += [_p("proposal", section.proposal), _p("decides", section.decides)]
    last = len(section.body) - 1 if section.closing is not None else -1
    parts += [_block(b, i == last) for i, b in enumerate(section.body)]
    if section.closing is not None:
        parts.append(_closing(section.closing))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def to_html(document: Document) -> str:
    """A complete HTML page (UTF-8, lang vi) with the print stylesheet inline."""
    main = document.main
    title = flat(" ".join(t for t in ((main.header.number if main.header else None),
                                      main.doc_type, main.subject) if t))
    sections = "\n".join(_section(s, i > 0) for i, s in enumerate(document.sections))
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
            f"<body>\n{sections}\n</body>\n</html>\n")
