"""The .docx files' XML: property children in the schema's order, and the core properties.

The order tables are written here from ECMA-376 Part 1 (5th edition), Annex A.1, wml.xsd, on
their own (not imported from the writer), so a writer that sorts by a wrong table fails:
- w:pPr    CT_PPr = CT_PPrBase then rPr, sectPr, pPrChange            (§17.3.1.26 pPr)
- w:rPr    CT_RPr = EG_RPrBase then rPrChange; CT_ParaRPr adds ins, del, moveFrom, moveTo first
                                                                      (§17.3.2.28 rPr)
- w:tblPr  CT_TblPr = CT_TblPrBase then tblPrChange                   (§17.4 Tables)
- w:tcPr   CT_TcPr = CT_TcPrBase then cellIns/cellDel/cellMerge, tcPrChange (§17.4 Tables)
- w:sectPr CT_SectPr = EG_HdrFtrReferences (any order) then EG_SectPrContents, sectPrChange
                                                                      (§17.6 Sections)
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document as open_docx
from lxml import etree

from tests.conftest import SAMPLE
from tests.render_helpers import FIXTURE, render_once

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEQUENCES = {
    "pPr": """pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr
        suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct
        topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind
        contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment
        textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange""",
    "rPr": """ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike
        outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern
        position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang
        eastAsianLayout specVanish oMath rPrChange""",
    "tblPr": """tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize
        tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption
        tblDescription tblPrChange""",
    "tcPr": """cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection
        tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange""",
    "sectPr": """headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc
        pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi
        rtlGutter docGrid printerSettings sectPrChange""",
}
RANK = {tag: {name: n for n, group in enumerate(seq.split()) for name in group.split("|")}
        for tag, seq in SEQUENCES.items()}
DECISIONS = {"qd-913-2021": ("Bộ Nội vụ", "2021-08-30")} | {
    d: ("Bộ Thử nghiệm", when) for d, when in (
        ("qd-05-2020", "2020-03-05"), ("qd-120-2021", "2021-01-15"),
        ("qd-121-2021", "2021-02-02"), ("qd-300-2021", "2021-09-09"),
        ("qd-du-thao-2022", "2022-03-01"))}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    out = {"qd-913-2021": render_once(SAMPLE, folder / "qd-913-2021.docx", "decision",
                                      "qd-913-2021")}
    for decision in DECISIONS:
        if decision != "qd-913-2021":
            out[decision] = render_once(FIXTURE, folder / f"{decision}.docx", "decision", decision)
    out["roster"] = render_once(FIXTURE, folder / "roster.docx", "roster", "bcd-cds",
                                "--as-of", "2021-01-15")
    out["tasks"] = render_once(FIXTURE, folder / "tasks.docx", "tasks", "bcd-cds",
                               "--as-of", "2021-10-01")
    return out


def order_problems(root: etree._Element, part: str) -> list[str]:
    problems: list[str] = []
    for tag, rank in RANK.items():
        for element in root.iter(W + tag):
            names = [etree.QName(c).localname for c in element if isinstance(c.tag, str)]
            unknown = [n for n in names if n not in rank]
            if unknown:
                problems.append(f"{part}: w:{tag} holds {unknown}, not in the schema")
            ranks = [rank[n] for n in names if n in rank]
            if ranks != sorted(ranks):
                problems.append(f"{part}: w:{tag} children out of order: {names}")
            single = [n for n in names if not n.endswith("Reference")]
            if len(single) != len(set(single)):
                problems.append(f"{part}: w:{tag} repeats a child: {names}")
    return problems


@pytest.mark.parametrize("name", [*DECISIONS, "roster", "tasks"])
def test_every_property_element_in_schema_order(files: dict[str, Path], name: str) -> None:
    problems: list[str] = []
    with zipfile.ZipFile(files[name]) as package:
        for part in package.namelist():
            if part.endswith(".xml"):
                problems += order_problems(etree.fromstring(package.read(part)), part)
    assert problems == []


def test_order_check_catches_the_old_writer() -> None:
    """What the writer used to emit (w:pBdr after w:spacing, tblLayout twice) is reported."""
    old = etree.fromstring(
        f'<w:body xmlns:w="{W[1:-1]}"><w:p><w:pPr><w:spacing/><w:ind/><w:pBdr/></w:pPr></w:p>'
        "<w:tbl><w:tblPr><w:tblW/><w:tblLayout/><w:tblLayout/><w:tblInd/></w:tblPr></w:tbl>"
        "</w:body>")
    assert len(order_problems(old, "document.xml")) == 3


@pytest.mark.parametrize("name", list(DECISIONS))
def test_core_properties_name_the_issuer_subject_and_date(files: dict[str, Path],
                                                          name: str) -> None:
    issuer, when = DECISIONS[name]
    props = open_docx(str(files[name])).core_properties
    assert props.title.startswith("Về việc ") and "\n" not in props.title
    assert props.author == issuer and props.last_modified_by == issuer
    assert props.created is not None and props.created.date() == date.fromisoformat(when)
    assert props.comments == "" and props.keywords == ""
    with zipfile.ZipFile(files[name]) as package:
        names = package.namelist()
        assert not [n for n in names if "thumbnail" in n]
        everything = b"".join(package.read(n) for n in names)
    assert b"python-docx" not in everything and b"thumbnail" not in everything
    assert b"2013-" not in package_core(files[name])


def package_core(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("docProps/core.xml") + package.read("docProps/app.xml")
