"""Word (.docx) with python-docx: A4, the decree's margins, Times New Roman, the header table."""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Sequence
from datetime import date, datetime

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.styles import StylesPart
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from committee_cli.render.document import Block, Closing, Document, Header, Section
from committee_cli.render.layout import (
    BOLD_LABEL,
    CELL_PADDING,
    CLOSING_COLUMNS,
    CLOSING_GAP,
    CLOSING_SHIFT,
    DRAFT_BOX_WIDTH,
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
    bold_text_width,
    column_widths,
    flat,
    lines,
    style_width,
)
from committee_cli.render.ooxml import normalise

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
Container = DocxDocument | _Cell


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _set_fonts(rpr_owner: object) -> None:
    """Name Times New Roman for every script slot, so Word never substitutes a theme font."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def _format(paragraph: Paragraph, style: Style) -> None:
    """The component's paragraph properties: built once per style with python-docx, then copied
    into each paragraph (building them anew each time costs most of a document's writing)."""
    if paragraph._p.pPr is not None:
        _apply_format(paragraph, style)
        return
    paragraph._p.insert(0, copy.deepcopy(_built_properties(("pPr", style, None))))


def _apply_format(paragraph: Paragraph, style: Style) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[style.align]
    fmt.first_line_indent = Mm(style.indent) if style.indent else None
    fmt.space_before = Pt(style.before)
    fmt.space_after = Pt(style.after)
    fmt.line_spacing = LINE_SPACING
    fmt.keep_with_next = style.keep_with_next or None
    fmt.widow_control = True


def _run(paragraph: Paragraph, text: str, style: Style, *, bold: bool | None = None) -> None:
    run = paragraph.add_run(text)
    run._r.insert(0, copy.deepcopy(_built_properties(("rPr", style, bold))))


def _apply_font(run: Run, style: Style, bold: bool | None) -> None:
    run.font.name = FONT
    _set_fonts(run._r)
    run.font.size = Pt(style.size)
    run.font.bold = style.bold if bold is None else bold
    run.font.italic = style.italic


@functools.cache
def _built_properties(key: tuple[str, Style, bool | None]) -> BaseOxmlElement:
    """A paragraph's (``pPr``) or a run's (``rPr``) properties for one style, built once through
    python-docx on a scratch paragraph that no document holds (callers insert copies)."""
    kind, style, bold = key
    scratch = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    element: BaseOxmlElement | None
    if kind == "pPr":
        _apply_format(scratch, style)
        element = scratch._p.pPr
    else:
        run = scratch.add_run()
        _apply_font(run, style, bold)
        element = run._r.rPr
    assert element is not None
    return element


def _para(where: Container, component: str, text: str | None) -> Paragraph | None:
    if not text:
        return None
    style = STYLES[component]
    paragraph = where.add_paragraph()
    _format(paragraph, style)
    _run(paragraph, "\n".join(lines(component, text)), style)  # "\n": a w:br
    return paragraph


def _first_para(cell: _Cell, component: str, text: str | None) -> None:
    """Write into a new cell's own empty paragraph first, then add paragraphs after it."""
    if not text:
        return
    paragraph = cell.paragraphs[0]
    if paragraph.runs:
        _para(cell, component, text)
        return
    style = STYLES[component]
    _format(paragraph, style)
    _run(paragraph, "\n".join(lines(component, text)), style)


def _widest(component: str, text: str) -> float:
    """The width of the longest line the component's text is set in (for the rule below it)."""
    return max(style_width(component, line) for line in lines(component, text))


def _rule(where: Container, width: float, column: float) -> None:
    """A centred horizontal rule ``width`` mm long: an empty paragraph with a top border."""
    paragraph = where.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((column - width) / 2, 0.0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_before = Pt(1)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")  # ooxml.normalise puts it before w:spacing
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", str(round(RULE_WEIGHT * 8))),
                       ("w:space", "0"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)


def _table_props(table: Table, widths: Sequence[float], shift: float, *, borders: bool) -> None:
    """Fixed layout, the column widths, pulled ``shift`` mm left, zero cell padding."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl_pr = table._tbl.tblPr  # autofit = False wrote w:tblLayout fixed
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), _twips(sum(widths)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    if shift:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), "-" + _twips(shift))
        indent.set(qn("w:type"), "dxa")
        tbl_pr.append(indent)
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        edge = OxmlElement(side)
        edge.set(qn("w:w"), _twips(CELL_PADDING) if borders else "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.append(margins)
    for column, mm in zip(table.columns, widths, strict=True):
        column.width = Mm(mm)
        for cell in column.cells:
            cell.width = Mm(mm)


def _box(table: Table) -> None:
    edges = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"),
                           ("w:color", "000000")):
            edge.set(qn(key), value)
        edges.append(edge)
    table._tbl.tblPr.append(edges)


def _draft(doc: DocxDocument, text: str) -> None:
    table = doc.add_table(rows=1, cols=1)
    _table_props(table, (DRAFT_BOX_WIDTH,), HEADER_SHIFT, borders=True)
    _box(table)
    _first_para(table.cell(0, 0), "draft", text)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _header(doc: DocxDocument, header: Header) -> None:
    left_w, right_w = HEADER_COLUMNS
    table = doc.add_table(rows=2, cols=2)
    _table_props(table, HEADER_COLUMNS, HEADER_SHIFT, borders=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first_para(left, "parent_body", header.parent_body)
    _first_para(left, "issuer", header.issuer)
    if header.issuer:
        _rule(left, min(_widest("issuer", header.issuer), left_w) * ISSUER_RULE, left_w)
    _first_para(right, "national", header.national)
    _first_para(right, "motto", header.motto)
    if header.motto:
        motto_width = bold_text_width(header.motto, STYLES["motto"].size)
        _rule(right, min(motto_width, right_w) * MOTTO_RULE, right_w)
    _first_para(table.cell(1, 0), "number", header.number)
    _first_para(table.cell(1, 1), "place_date", header.place_date)


def _subject(doc: DocxDocument, text: str) -> None:
    _para(doc, "subject", text)
    width = min(_widest("subject", text), PAGE.text_width)
    _rule(doc, width * SUBJECT_RULE, PAGE.text_width)


def _grid(doc: DocxDocument, block: Block, *, keep: bool) -> None:
    table = doc.add_table(rows=len(block.rows), cols=len(block.rows[0]))
    table.style = doc.styles["Table Grid"]
    _table_props(table, column_widths(block.rows), 0.0, borders=True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on each page
    for r, row in enumerate(block.rows):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for c, text in enumerate(row):
            _first_para(table.cell(r, c), "table_head" if r == 0 else "table_cell", text)
    if keep:  # the last row stays with what follows (the foot)
        for cell in table.rows[-1].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _block(doc: DocxDocument, block: Block, *, keep: bool = False) -> None:
    """One body block; ``keep``: the last before the foot, kept on the foot's page."""
    if block.kind == "table":
        _grid(doc, block, keep=keep)
        return
    if block.kind == "chapter":
        _para(doc, "chapter", block.label)
        _para(doc, "chapter_title", block.text)
        return
    style = STYLES[block.kind]
    paragraph = doc.add_paragraph()
    _format(paragraph, style)
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    if block.label:
        bold_label = block.kind in BOLD_LABEL or style.bold
        _run(paragraph, block.label + " ", style, bold=bold_label)
    _run(paragraph, flat(block.text), style)


def _closing(doc: DocxDocument, closing: Closing) -> None:
    table = doc.add_table(rows=1, cols=2)
    _table_props(table, CLOSING_COLUMNS, CLOSING_SHIFT, borders=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first_para(left, "recipients_heading", closing.recipients_heading)
    for recipient in closing.recipients:
        _first_para(left, "recipient", f"- {recipient}")
    for line in closing.sign:
        _first_para(right, "sign", line)
    _first_para(right, "signer", closing.signer)
    for cell in (left, right):
        cell.paragraphs[0].paragraph_format.space_before = Pt(CLOSING_GAP)
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # never split


def _section(doc: DocxDocument, section: Section) -> None:
    if section.draft:
        _draft(doc, section.draft)
    if section.header is not None:
        _header(doc, section.header)
    _para(doc, "doc_type", section.doc_type)
    if section.subject:
        _subject(doc, section.subject)
    _para(doc, "issued_with", section.issued_with)
    _para(doc, "authority", section.authority)
    for basis in section.bases:
        _para(doc, "basis", basis)
    _para(doc, "proposal", section.proposal)
    _para(doc, "decides", section.decides)
    last = len(section.body) - 1 if section.closing is not None else -1
    for index, block in enumerate(section.body):
        _block(doc, block, keep=index == last)
    if section.closing is not None:
        _closing(doc, section.closing)


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE.width), Mm(PAGE.height)
    section.top_margin, section.bottom_margin = Mm(PAGE.top), Mm(PAGE.bottom)
    section.left_margin, section.right_margin = Mm(PAGE.left), Mm(PAGE.right)
    section.header_distance = Mm(PAGE.header_distance)
    section.different_first_page_header_footer = True  # no number on page 1
    number = section.header.paragraphs[0]
    _format(number, STYLES["page_number"])
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(STYLES["page_number"].size * 2)))
    rpr.extend((fonts, size))
    text = OxmlElement("w:t")
    text.text = "2"
    run.extend((rpr, text))
    field.append(run)
    number._p.append(field)


def _base_style(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(STYLES["para"].size)
    _set_fonts(normal.element)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)


def _restart_numbering(section: DocxSection) -> None:
    """An attached document: no number on its first page, then 2, 3 … as the decision's pages."""
    section.different_first_page_header_footer = True
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def _quiet_break(doc: DocxDocument) -> None:
    """Shrink the paragraph that carries the section break (python-docx adds it after the foot)
    to a 1 pt line, so a foot that ends at the bottom of a page never pushes it to a blank page."""
    paragraph = Paragraph(doc.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1], doc._body)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    mark = OxmlElement("w:rPr")  # the paragraph mark's size (ooxml.normalise places it)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    paragraph._p.get_or_add_pPr().append(mark)


def _properties(doc: DocxDocument, document: Document) -> None:
    """Core properties: the subject as title, the issuer as author, the decision's date; the
    library's own (author "python-docx", a 2013 date, a description) cleared; no thumbnail."""
    props = doc.core_properties
    main = document.main
    props.title = flat(main.subject or main.doc_type or document.name)
    props.subject = flat(main.doc_type or "")
    props.author = props.last_modified_by = document.author or ""
    props.comments = props.keywords = props.category = ""
    props.language = "vi-VN"
    props.revision = 1
    when = document.created or date.today()
    stamp = datetime(when.year, when.month, when.day)
    props.created = props.modified = stamp
    props.last_printed = stamp
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def to_docx(document: Document) -> bytes:
    """The document as a .docx file's bytes."""
    doc = new_docx()
    _base_style(doc)
    _page_setup(doc)
    for index, section in enumerate(document.sections):
        if index:
            _restart_numbering(doc.add_section(WD_SECTION.NEW_PAGE))
            _quiet_break(doc)
        _section(doc, section)
    _properties(doc, document)
    for part in doc.part.package.iter_parts():
        if isinstance(part, StylesPart):  # the library's own styles are in order: only ours
            normalise(doc.styles["Normal"].element)
        elif isinstance(part, XmlPart):
            normalise(part.element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
