"""The .docx writer's shared paragraph and run properties: each paragraph gets its own copy,
built exactly as python-docx builds them, and the schema-order sort leaves ordered parts alone."""

from __future__ import annotations

from docx import Document as new_docx
from lxml import etree

from committee_cli.render import docx as writer
from committee_cli.render.layout import STYLES
from committee_cli.render.ooxml import W, normalise


def test_copies_are_independent_of_each_other_and_of_the_model() -> None:
    doc = new_docx()
    first, second = doc.add_paragraph(), doc.add_paragraph()
    for paragraph in (first, second):
        writer._format(paragraph, STYLES["para"])
        writer._run(paragraph, "Điều 1.", STYLES["para"], bold=True)
    first.paragraph_format.keep_together = True
    first.runs[0].font.underline = True
    assert second.paragraph_format.keep_together is None
    assert second.runs[0].font.underline is None
    model = writer._built_properties(("pPr", STYLES["para"], None))
    assert model.find(f"{{{W}}}keepLines") is None
    assert model.getparent().getparent() is None  # a scratch paragraph no document holds


def test_copied_properties_equal_the_library_built_ones() -> None:
    doc = new_docx()
    copied, built = doc.add_paragraph(), doc.add_paragraph()
    writer._format(copied, STYLES["doc_type"])
    writer._run(copied, "QUYẾT ĐỊNH", STYLES["doc_type"], bold=False)
    writer._apply_format(built, STYLES["doc_type"])
    writer._apply_font(built.add_run("QUYẾT ĐỊNH"), STYLES["doc_type"], False)
    assert etree.tostring(copied._p) == etree.tostring(built._p)


def test_a_paragraph_that_has_properties_keeps_them() -> None:
    paragraph = new_docx().add_paragraph()
    paragraph.paragraph_format.keep_together = True
    writer._format(paragraph, STYLES["para"])
    assert paragraph.paragraph_format.keep_together is True
    assert paragraph.paragraph_format.widow_control is True


def test_normalise_sorts_only_what_is_out_of_order() -> None:
    w = W
    root = etree.fromstring(
        f'<w:body xmlns:w="{w}"><w:p><w:pPr><w:spacing/><w:ind/><w:pBdr/></w:pPr></w:p>'
        "<w:p><w:pPr><w:jc/><w:jc w:val='center'/></w:pPr>"
        "<w:r><w:rPr><w:b/><w:sz/></w:rPr></w:r></w:p></w:body>")
    normalise(root)
    names = [[etree.QName(c).localname for c in e] for e in root.iter(f"{{{w}}}pPr",
                                                                       f"{{{w}}}rPr")]
    assert names == [["pBdr", "spacing", "ind"], ["jc"], ["b", "sz"]]
    assert root.find(f".//{{{w}}}jc").get(f"{{{w}}}val") == "center"
