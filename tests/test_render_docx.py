"""The Word file read back with python-docx: page, margins, fonts, sizes, styles, header table, text."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from committee_cli.render.layout import bold_text_width
from tests.conftest import SAMPLE, Run
from tests.render_helpers import FIXTURE, MM_PER_EMU, render_file, render_once

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def mm(length: int | None) -> float:
    assert length is not None
    return length * MM_PER_EMU


@pytest.fixture(scope="module")
def doc913(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Decision 913 rendered once through the CLI and read back."""
    out = tmp_path_factory.mktemp("docx") / "qd-913-2021.docx"
    return open_docx(str(render_once(SAMPLE, out, "decision", "qd-913-2021")))


def body_paragraphs(doc) -> list[Paragraph]:  # type: ignore[no-untyped-def]
    return [p for p in doc.paragraphs if p.text.strip()]


def plain(text: str) -> str:
    """Text without the layout marks the templates put in (non-breaking spaces, preferred breaks)."""
    return text.replace("\u00a0", " ").replace("\u200b", "")


def find(doc, text: str) -> Paragraph:  # type: ignore[no-untyped-def]
    """The paragraph (in the body or any table cell) whose text is ``text`` (marks ignored)."""
    for paragraph in doc.paragraphs:
        if plain(paragraph.text) == text:
            return paragraph
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if plain(paragraph.text) == text:
                        return paragraph
    raise AssertionError(f"no paragraph {text!r}")


def look(paragraph: Paragraph) -> tuple[float, bool, bool]:
    """(size in pt, bold, italic) of a paragraph whose runs all look alike."""
    runs = [r for r in paragraph.runs if r.text]
    sizes = {r.font.size.pt for r in runs if r.font.size is not None}
    bolds = {bool(r.font.bold) for r in runs}
    italics = {bool(r.font.italic) for r in runs}
    assert len(sizes) == len(bolds) == len(italics) == 1, paragraph.text
    return sizes.pop(), bolds.pop(), italics.pop()


def test_page_is_a4_with_the_decree_margins(doc913) -> None:  # type: ignore[no-untyped-def]
    section = doc913.sections[0]
    assert round(mm(section.page_width)) == 210 and round(mm(section.page_height)) == 297
    assert 20 <= round(mm(section.top_margin)) <= 25
    assert 20 <= round(mm(section.bottom_margin)) <= 25
    assert 30 <= round(mm(section.left_margin)) <= 35
    assert 15 <= round(mm(section.right_margin)) <= 20
    assert (round(mm(section.top_margin)), round(mm(section.bottom_margin)),
            round(mm(section.left_margin)), round(mm(section.right_margin))) == (25, 20, 35, 20)


def test_times_new_roman_everywhere(doc913) -> None:  # type: ignore[no-untyped-def]
    assert doc913.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in doc913.paragraphs for r in p.runs]
    runs += [r for t in doc913.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    fonts = runs[0]._r.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(k)) for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {
        "Times New Roman"}


def test_header_table_is_wide_enough_for_the_quoc_hieu(doc913) -> None:  # type: ignore[no-untyped-def]
    header: Table = doc913.tables[0]
    assert len(header.columns) == 2
    widths = [mm(c.width) for c in header.columns]
    assert abs(sum(widths) - 170) < 0.5 and abs(widths[0] - 69) < 0.5 and abs(widths[1] - 101) < 0.5
    assert widths[1] > bold_text_width(QUOC_HIEU, 13) + 2  # about 96 mm: one line
    indent = header._tbl.tblPr.find(qn("w:tblInd"))
    assert indent is not None and int(indent.get(qn("w:w"))) < 0  # pulled into the left margin
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs if p.text] == ["BỘ NỘI VỤ"]
    assert [p.text for p in right.paragraphs if p.text] == [QUOC_HIEU, MOTTO]
    assert header.cell(1, 0).text == "Số: 913/QĐ-BNV"
    assert header.cell(1, 1).text == "Hà Nội, ngày 30 tháng 8 năm 2021"


def _rule_width(cell, column_mm: float) -> float:  # type: ignore[no-untyped-def]
    rules = [p for p in cell.paragraphs if p._p.pPr is not None
             and p._p.pPr.find(qn("w:pBdr")) is not None]
    assert len(rules) == 1
    fmt = rules[0].paragraph_format
    return column_mm - mm(fmt.left_indent) - mm(fmt.right_indent)


def test_rules_under_issuer_and_motto(doc913) -> None:  # type: ignore[no-untyped-def]
    header = doc913.tables[0]
    issuer_rule = _rule_width(header.cell(0, 0), 69)
    issuer_text = bold_text_width("BỘ NỘI VỤ", 13)
    assert issuer_text / 3 <= issuer_rule <= issuer_text / 2
    motto_rule = _rule_width(header.cell(0, 1), 101)
    assert abs(motto_rule - bold_text_width(MOTTO, 14)) < 0.1 and 55 < motto_rule < 65


@pytest.mark.parametrize(("text", "size", "bold", "italic"), [
    ("BỘ NỘI VỤ", 13, True, False),
    ("Số: 913/QĐ-BNV", 13, False, False),
    (QUOC_HIEU, 13, True, False),
    (MOTTO, 14, True, False),
    ("Hà Nội, ngày 30 tháng 8 năm 2021", 14, False, True),
    ("QUYẾT ĐỊNH", 14, True, False),
    ("Về việc kiện toàn Ban Chỉ đạo xây dựng Chính phủ điện tử, chuyển đổi số của Bộ Nội vụ",
     14, True, False),
    ("BỘ TRƯỞNG BỘ NỘI VỤ", 14, True, False),
    ("Theo đề nghị của Giám đốc Trung tâm Thông tin.", 14, False, True),
    ("QUYẾT ĐỊNH:", 14, True, False),
    ("Nơi nhận:", 12, True, True),
    ("- Như Điều 5;", 11, False, False),
    ("- Lưu: VT, TTTT.", 11, False, False),
    ("BỘ TRƯỞNG", 14, True, False),
    ("Phạm Thị Thanh Trà", 14, True, False),
])
def test_component_styles(doc913, text: str, size: float, bold: bool,  # type: ignore[no-untyped-def]
                          italic: bool) -> None:
    assert look(find(doc913, text)) == (size, bold, italic)


def test_legal_bases_are_italic_and_end_with_semicolons(doc913) -> None:  # type: ignore[no-untyped-def]
    bases = [p for p in doc913.paragraphs if p.text.startswith("Căn cứ ")]
    assert len(bases) == 3
    assert all(p.text.endswith(";") and look(p) == (14, False, True) for p in bases)
    assert bases[0].text == ("Căn cứ Nghị định số 34/2017/NĐ-CP ngày 03 tháng 4 năm 2017 của Chính "
                             "phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ "
                             "Nội vụ;")


def test_every_article_and_member_line_of_913(doc913, cli: Run) -> None:  # type: ignore[no-untyped-def]
    markdown = cli("render", "decision", "qd-913-2021", registry=SAMPLE).stdout
    expected = [line.replace("**", "") for line in markdown.splitlines()
                if line.startswith(("**Điều ", *(f"{n}. " for n in range(1, 17))))]
    paragraphs = [p.text for p in body_paragraphs(doc913)
                  if p.text.startswith(("Điều ", *(f"{n}. " for n in range(1, 17))))]
    assert paragraphs == expected
    assert len([t for t in paragraphs if t.startswith("Điều ")]) == 5
    assert plain(paragraphs[1]) == "1. Bà Phạm Thị Thanh Trà, Bộ trưởng, Trưởng ban;"
    assert plain(paragraphs[2]) == "2. Ông Trương Hải Long, Thứ trưởng, Phó Trưởng ban;"
    assert paragraphs[16] == "16. Đại diện lãnh đạo Ban Tôn giáo Chính phủ, Ủy viên."
    assert paragraphs[-1].endswith("chịu trách nhiệm thi hành Quyết định này./.")
    for article in (p for p in body_paragraphs(doc913) if p.text.startswith("Điều ")):
        label, text = article.runs[0], article.runs[1]
        assert label.text.strip().startswith("Điều ") and label.font.bold
        assert not text.font.bold and article.alignment == 3  # justified
        assert abs(mm(article.paragraph_format.first_line_indent) - 12.7) < 0.1


def test_page_numbers_from_page_two(doc913) -> None:  # type: ignore[no-untyped-def]
    section = doc913.sections[0]
    assert section.different_first_page_header_footer
    first = section.first_page_header._element
    assert first.find(".//" + qn("w:fldSimple")) is None and not first.xpath("string(.)").strip()
    field = section.header.paragraphs[0]._p.find(qn("w:fldSimple"))
    assert field is not None and field.get(qn("w:instr")) == "PAGE"
    assert section.header.paragraphs[0].alignment == 1  # centred


def test_closing_puts_recipients_level_with_the_signing_block(doc913) -> None:  # type: ignore[no-untyped-def]
    closing = doc913.tables[-1]
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    assert left.paragraphs[0].text == "Nơi nhận:" and right.paragraphs[0].text == "BỘ TRƯỞNG"


def test_kt_signer_and_draft(cli: Run, tmp_path: Path) -> None:
    change = open_docx(str(render_file(cli, FIXTURE, tmp_path / "kt.docx", "decision", "qd-120-2021")))
    signing = [p.text for p in change.tables[-1].cell(0, 1).paragraphs if p.text]
    assert signing == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trần Thị Bình"]
    draft = open_docx(str(render_file(cli, FIXTURE, tmp_path / "d.docx", "decision", "qd-du-thao-2022")))
    box = draft.tables[0]
    assert box.cell(0, 0).text == "DỰ THẢO" and look(box.cell(0, 0).paragraphs[0])[1]
    assert box._tbl.tblPr.find(qn("w:tblBorders")) is not None


def test_attached_plan_is_a_table_on_a_new_page(cli: Run, tmp_path: Path) -> None:
    doc = open_docx(str(render_file(cli, FIXTURE, tmp_path / "plan.docx", "decision", "qd-300-2021")))
    assert len(doc.sections) == 2
    plan = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in plan.rows[0].cells] == [
        "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
        "Sản phẩm"]
    assert len(plan.rows) == 4
    assert abs(sum(mm(c.width) for c in plan.columns) - 155) < 0.5
