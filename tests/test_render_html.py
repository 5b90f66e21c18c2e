"""The HTML's structure and print CSS for decision 913, and the PDF made from it or from the .docx."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from lxml import html as lxml_html

from committee_cli.vietnamese import same_text
from tests.conftest import SAMPLE, Run
from tests.render_helpers import FIXTURE, render_once

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("html") / "qd-913-2021.html"
    return lxml_html.fromstring(render_once(SAMPLE, out, "decision", "qd-913-2021").read_bytes())


def css_rule(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    css = page.xpath("//style")[0].text
    match = re.search("^" + re.escape(selector) + r" \{([^}]*)\}", css, flags=re.M)
    assert match, f"no CSS rule for {selector}"
    return match.group(1)


def texts(page, xpath: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(e.text_content().split()) for e in page.xpath(xpath)]


def test_document_is_vietnamese_utf8_a4(page) -> None:  # type: ignore[no-untyped-def]
    assert page.get("lang") == "vi"
    assert page.xpath("//meta/@charset") == ["utf-8"]
    css = page.xpath("//style")[0].text
    assert "@page { size: A4 portrait; margin: 25mm 20mm 20mm 35mm;" in css
    assert "@top-center { content: counter(page);" in css
    assert "@page :first { @top-center { content: none; } }" in css
    assert '"Times New Roman", "Liberation Serif"' in css


def test_header_table(page) -> None:  # type: ignore[no-untyped-def]
    header = page.xpath("//table[@class='header']")[0]
    assert [c.get("style") for c in header.xpath("colgroup/col")] == ["width: 69mm", "width: 101mm"]
    assert "width: 170mm; margin-left: -6mm;" in css_rule(page, "table.header")
    assert texts(header, ".//p[@class='issuer']") == ["BỘ NỘI VỤ"]
    assert texts(header, ".//p[@class='national']") == [QUOC_HIEU]
    assert "white-space: nowrap" in css_rule(page, ".national, .motto")
    assert texts(header, ".//p[@class='motto']/span") == ["Độc lập - Tự do - Hạnh phúc"]
    assert texts(header, ".//p[@class='number']") == ["Số: 913/QĐ-BNV"]
    assert texts(header, ".//p[@class='place-date']") == ["Hà Nội, ngày 30 tháng 8 năm 2021"]
    assert "width: 100%" in css_rule(page, ".motto span::after")  # rule as long as the motto


@pytest.mark.parametrize(("selector", "size", "weight", "style"), [
    (".issuer", "13pt", "bold", "normal"),
    (".national", "13pt", "bold", "normal"),
    (".motto", "14pt", "bold", "normal"),
    (".place-date", "14pt", "normal", "italic"),
    (".basis", "14pt", "normal", "italic"),
    (".recipients-heading", "12pt", "bold", "italic"),
    (".recipient", "11pt", "normal", "normal"),
    (".sign", "14pt", "bold", "normal"),
])
def test_component_css(page, selector: str, size: str, weight: str,  # type: ignore[no-untyped-def]
                       style: str) -> None:
    rule = css_rule(page, selector)
    assert f"font-size: {size};" in rule
    assert f"font-weight: {weight};" in rule and f"font-style: {style};" in rule


def test_body_structure(page) -> None:  # type: ignore[no-untyped-def]
    assert texts(page, "//p[@class='doc-type']") == ["QUYẾT ĐỊNH"]
    assert texts(page, "//p[@class='authority']") == ["BỘ TRƯỞNG BỘ NỘI VỤ"]
    assert len(page.xpath("//p[@class='basis']")) == 3
    assert texts(page, "//p[@class='decides']") == ["QUYẾT ĐỊNH:"]
    labels = texts(page, "//p[@class='article']/span[@class='label']")
    assert labels == ["Điều 1.", "Điều 2.", "Điều 3.", "Điều 4.", "Điều 5."]
    clauses = texts(page, "//p[@class='clause']")
    assert clauses[0] == "1. Bà Phạm Thị Thanh Trà, Bộ trưởng, Trưởng ban;"
    assert len(clauses) == 16 + 6 + 5
    closing = page.xpath("//table[@class='closing']")[0]
    assert texts(closing, ".//td[@class='recipients']/p")[0] == "Nơi nhận:"
    assert texts(closing, ".//td[@class='signing']/p") == ["BỘ TRƯỞNG", "Phạm Thị Thanh Trà"]


# --- PDF -----------------------------------------------------------------------------------


def _engines() -> list[object]:
    from committee_cli.render.pdf import _import_weasyprint, _soffice

    try:
        _import_weasyprint()
        weasy = pytest.param("weasyprint", id="weasyprint")
    except (ImportError, OSError) as exc:
        weasy = pytest.param("weasyprint", id="weasyprint", marks=pytest.mark.skip(
            reason=f"WeasyPrint not usable ({exc}): pip install 'committee-cli[pdf]'"))
    if not _soffice():
        office = pytest.param("soffice", id="libreoffice", marks=pytest.mark.skip(
            reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui"))
    elif not _times_metrics():
        office = pytest.param("soffice", id="libreoffice", marks=pytest.mark.skip(
            reason="no font with Times New Roman's metrics for LibreOffice to substitute: "
                   "apt-get install fonts-liberation2"))
    else:
        office = pytest.param("soffice", id="libreoffice")
    return [weasy, office]


def _times_metrics() -> bool:
    """True when fontconfig gives Times New Roman or a metric twin (Liberation Serif)."""
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        return False
    found = subprocess.run(["fc-match", "Times New Roman"], capture_output=True, text=True,
                           check=False).stdout
    return "Liberation Serif" in found or "Times New Roman" in found


@pytest.mark.parametrize("engine", _engines())
def test_pdf_is_a4_with_quoc_hieu_on_one_line_and_nfc_text(engine: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from committee_cli.render.documents import decision_document
    from committee_cli.render.pdf import to_pdf
    from committee_cli.render.service import open_workspace

    workspace = open_workspace(SAMPLE)
    document = decision_document(workspace.registry, "qd-913-2021", workspace.templates)
    path = tmp_path / "qd.pdf"
    path.write_bytes(to_pdf(document, engine))
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 1
    for pdf_page in reader.pages:
        box = pdf_page.mediabox
        assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text()).replace("\u00a0", " ")
    lines = first.splitlines()
    assert any(same_text(QUOC_HIEU, line) or QUOC_HIEU in line.replace("HOÀ", "HÒA")
               for line in lines), f"Quốc hiệu is not on one line: {lines[:6]}"
    for expected in ("Số: 913/QĐ-BNV", "Hà Nội, ngày 30 tháng 8 năm 2021", "Phạm Thị Thanh Trà",
                     "Trương Hải Long", "Độc lập - Tự do - Hạnh phúc"):
        assert expected in first
    assert "1" not in [line.strip() for line in lines], "page 1 carries no number"
    if len(reader.pages) > 1:
        second = [line.strip() for line in reader.pages[1].extract_text().splitlines()]
        assert "2" in second, "page 2 carries its number"


def test_pdf_through_the_cli_or_a_clear_message(cli: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from committee_cli.render import pdf

    out = tmp_path / "x.pdf"
    if pdf.pdf_engine() is not None:
        result = cli("render", "decision", "qd-05-2020", "--out", str(out), registry=FIXTURE)
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(pdf, "pdf_engine", lambda: None)
    result = cli("render", "decision", "qd-05-2020", "--out", str(tmp_path / "y.pdf"),
                 registry=FIXTURE)
    assert result.exit_code == 2
    assert "no PDF engine found" in result.stderr and "committee-cli[pdf]" in result.stderr
    assert "libreoffice-writer-nogui" in result.stderr


def test_libreoffice_opens_every_fixture_docx(tmp_path: Path) -> None:
    from committee_cli.render.pdf import _soffice

    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
    from committee_cli.render.documents import decision_document
    from committee_cli.render.pdf import to_pdf
    from committee_cli.render.service import open_workspace

    workspace = open_workspace(FIXTURE)
    for decision_id in ("qd-120-2021", "qd-300-2021"):
        document = decision_document(workspace.registry, decision_id, workspace.templates)
        assert to_pdf(document, "soffice").startswith(b"%PDF")
