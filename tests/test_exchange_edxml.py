"""`committee export edxml` / `import edxml`: the envelope of QCVN 102:2016 for a signed decision,
parsed back with lxml to the same fields, signed with XMLDSig, and shaped like the public sample."""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE as SAMPLE_REGISTRY
from tests.conftest import Run
from tests.exchange_helpers import FIXTURES, PASSWORD, Pki, coded_registry, make_pki

etree = pytest.importorskip("lxml.etree", reason="the sign extra (lxml) is not installed")
pytest.importorskip("signxml", reason="the sign extra (signxml) is not installed")

GOLDEN = Path(__file__).resolve().parent / "golden" / "exchange"
SAMPLE = FIXTURES / "edoc_new.edxml"
NS = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
REPLACING = ("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number", "100",
             "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--signer", "pham-thi-thanh-tra",
             "--subject", "Về việc thay thế Quyết định số 913/QĐ-BNV", "--replaces",
             "qd-913-2021")


@pytest.fixture
def coded(sample: Path) -> Path:
    return coded_registry(sample)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _export(cli: Run, registry: Path, decision: str, out: Path, *extra: str) -> bytes:
    result = cli("export", "edxml", decision, "--to", "bnv-vp", "--out", str(out), *extra,
                 registry=registry)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _masked(data: bytes) -> str:
    """The file with what changes on every run (send time, the PDF's bytes) masked."""
    text = data.decode("utf-8")
    text = re.sub(r"<edXML:Timestamp>[^<]*<", "<edXML:Timestamp>…<", text)
    return re.sub(r"<edXML:ContentTransferEncoded>[^<]*<", "<edXML:ContentTransferEncoded>…<", text)


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_masked(data), encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    assert _masked(data) == path.read_text(encoding="utf-8")


def _field(root: object, path: str) -> str:
    found = root.xpath(path, namespaces=NS)  # type: ignore[attr-defined]
    assert found, path
    return str(found[0].text or "")


def _paths(root: object) -> list[str]:
    out: dict[str, None] = {}

    def walk(node: object, prefix: str) -> None:
        tag = node.tag  # type: ignore[attr-defined]
        if not isinstance(tag, str):
            return
        path = f"{prefix}/{etree.QName(tag).localname}"
        out.setdefault(path, None)
        for child in node:  # type: ignore[attr-defined]
            walk(child, path)

    walk(root, "")
    return list(out)


def test_913_golden_and_parsed_back_to_the_registry_fields(cli: Run, coded: Path,
                                                          tmp_path: Path) -> None:
    data = _export(cli, coded, "qd-913-2021", tmp_path / "913.edxml")
    _golden("qd-913-2021.edxml", data)
    root = etree.fromstring(data)
    head = "/e:edXML/e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"
    assert _field(root, f"{head}/e:From/e:OrganId") == "000.00.00.G09"
    assert _field(root, f"{head}/e:From/e:OrganName") == "Bộ Nội vụ"
    assert _field(root, f"{head}/e:From/e:OrganAdd") == "8 Tôn Thất Thuyết, Cầu Giấy, Hà Nội"
    assert _field(root, f"{head}/e:To/e:OrganId") == "000.01.00.G09"
    assert _field(root, f"{head}/e:DocumentId") == "000.00.00.G09,2021/08/30,913/QĐ-BNV"
    assert _field(root, f"{head}/e:Code/e:CodeNumber") == "913"
    assert _field(root, f"{head}/e:Code/e:CodeNotation") == "QĐ-BNV"
    assert _field(root, f"{head}/e:PromulgationInfo/e:PromulgationDate") == "30/08/2021"
    assert _field(root, f"{head}/e:Subject").startswith("Về việc kiện toàn Ban Chỉ đạo")
    assert _field(root, f"{head}/e:SignerInfo/e:Position") == "BỘ TRƯỞNG"
    assert _field(root, f"{head}/e:SignerInfo/e:FullName") == "Phạm Thị Thanh Trà"
    places = [p.text for p in root.xpath(f"{head}/e:ToPlaces/e:Place", namespaces=NS)]
    assert places == ["Như Điều 5", "Các Thứ trưởng", "Cổng Thông tin điện tử Bộ Nội vụ"]
    assert _field(root, "//e:Bussiness/e:BussinessDocType") == "0"  # NEW
    assert _field(root, "//e:edXMLManifest/e:Reference/e:ContentId") == \
        _field(root, "/e:edXML/e:AttachmentEncoded/e:Attachment/e:ContentId")
    pdf = base64.b64decode(_field(root, "//e:Attachment/e:ContentTransferEncoded"))
    assert pdf.startswith(b"%PDF")
    rendered = cli("render", "decision", "qd-913-2021", "--out", str(tmp_path / "913.pdf"),
                   registry=coded)
    assert rendered.exit_code == 0
    from committee_cli.exchange.pdftext import plain_text

    assert plain_text(pdf) == plain_text((tmp_path / "913.pdf").read_bytes())

    report = cli("import", "edxml", str(tmp_path / "913.edxml"), registry=coded)
    assert report.exit_code == 0, report.output
    assert "913/QĐ-BNV" in report.stdout and "from: 000.00.00.G09 Bộ Nội vụ" in report.stdout
    assert "already in the registry as 'qd-913-2021'" in report.stdout
    assert "signature: none" in report.stdout


def test_replacing_decision_golden_and_imported_as_a_draft(cli: Run, coded: Path,
                                                          tmp_path: Path, pki: Pki,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = tmp_path / "other"
    shutil.copytree(coded, fresh)
    assert cli(*REPLACING, registry=coded).exit_code == 0
    assert cli("decision", "sign", "qd-100-2022", registry=coded).exit_code == 0
    data = _export(cli, coded, "qd-100-2022", tmp_path / "100.edxml")
    _golden("qd-100-2022.edxml", data)
    root = etree.fromstring(data)
    assert _field(root, "//e:Bussiness/e:BussinessDocType") == "3"  # REPLACE
    assert _field(root, "//e:ReplacementInfo/e:DocumentId") == \
        "000.00.00.G09,2021/08/30,913/QĐ-BNV"

    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", PASSWORD)
    _export(cli, coded, "qd-100-2022", tmp_path / "stranger.edxml", "--sign-pkcs12",
            str(pki.stranger))
    untrusted = cli("import", "edxml", str(tmp_path / "stranger.edxml"), "--trust",
                    str(pki.ca_pem), registry=fresh)
    assert untrusted.exit_code == 1 and "NOT trusted" in untrusted.stdout
    assert not (fresh / "decisions" / "qd-100-2022.yaml").exists()  # nothing recorded

    imported = cli("import", "edxml", str(tmp_path / "100.edxml"), registry=fresh)
    assert imported.exit_code == 0, imported.output
    assert "business: REPLACE 000.00.00.G09,2021/08/30,913/QĐ-BNV" in imported.stdout
    draft = (fresh / "decisions" / "qd-100-2022.yaml").read_text(encoding="utf-8")
    for line in ("status: draft", "number: 100", "symbol: QĐ-BNV", "date: 2022-03-01",
                 "issuer: bnv", "subject: Về việc thay thế Quyết định số 913/QĐ-BNV",
                 "signer: pham-thi-thanh-tra", "- qd-913-2021"):
        assert line in draft
    assert cli("validate", registry=fresh).exit_code == 0


def test_structure_follows_the_public_sample(cli: Run, coded: Path, tmp_path: Path,
                                             pki: Pki, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", PASSWORD)
    ours = _paths(etree.fromstring(_export(cli, coded, "qd-913-2021", tmp_path / "s.edxml",
                                           "--sign-pkcs12", str(pki.organisation))))
    sample = _paths(etree.fromstring(SAMPLE.read_bytes()))
    # what the registry does not hold (the văn thư's own contact) and what signxml writes
    # differently (it names the certificate, not the subject) is left out; nothing is added
    not_ours = {p for p in sample if "/StaffInfo" in p or p.endswith("/X509SubjectName")}
    assert set(sample) - not_ours <= set(ours)
    extra = {p for p in ours if "/ReplacementInfoList" in p}
    assert set(ours) - extra <= set(sample)

    def header_order(paths: list[str]) -> list[str]:
        return [p for p in paths if p.count("/") == 5 and "/MessageHeader/" in p]

    assert header_order(ours) == header_order(sample)


def test_xmldsig_verifies_and_a_tampered_element_fails(cli: Run, coded: Path, tmp_path: Path,
                                                       pki: Pki,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", PASSWORD)
    signed = tmp_path / "signed.edxml"
    _export(cli, coded, "qd-913-2021", signed, "--sign-pkcs12", str(pki.organisation))
    good = cli("import", "edxml", str(signed), "--trust", str(pki.ca_pem), registry=coded)
    assert good.exit_code == 0, good.output
    assert "signature: valid" in good.stdout and ", trusted" in good.stdout

    from signxml import XMLVerifier

    XMLVerifier().verify(signed.read_bytes(), ca_pem_file=str(pki.ca_pem))

    tampered = tmp_path / "tampered.edxml"
    tampered.write_bytes(signed.read_bytes().replace("kiện toàn".encode(), "giải thể".encode(), 1))
    bad = cli("import", "edxml", str(tampered), "--trust", str(pki.ca_pem), registry=coded)
    assert bad.exit_code == 1 and "signature: INVALID" in bad.stdout

    stranger = tmp_path / "stranger.edxml"
    _export(cli, coded, "qd-913-2021", stranger, "--sign-pkcs12", str(pki.stranger))
    untrusted = cli("import", "edxml", str(stranger), "--trust", str(pki.ca_pem), registry=coded)
    assert untrusted.exit_code == 1 and "NOT trusted" in untrusted.stdout


def test_refusals(cli: Run, coded: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.edxml")
    no_code = cli("export", "edxml", "qd-913-2021", "--out", out, registry=SAMPLE_REGISTRY)
    assert no_code.exit_code == 1
    assert "issuer 'bnv' (Bộ Nội vụ) has no identifier code" in no_code.stderr
    recipient = cli("export", "edxml", "qd-913-2021", "--to", "bnv-tttt", "--out", out,
                    registry=coded)
    assert recipient.exit_code == 1 and "recipient 'bnv-tttt'" in recipient.stderr
    draft = cli("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--symbol",
                "QĐ-BNV", "--date", "2022-03-01", "--subject", "Về việc …", registry=coded)
    assert draft.exit_code == 0
    drafted = cli("export", "edxml", "du-thao-bcd-cpdt-1",
                  "--out", out, registry=coded)
    assert drafted.exit_code == 2 and "is a draft" in drafted.stderr
    record = coded / "decisions" / "qd-913-2021.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("kiện toàn", "thành lập"),
                      encoding="utf-8")
    drifted = cli("export", "edxml", "qd-913-2021", "--out", out, registry=coded)
    assert drifted.exit_code == 1 and "changed after it was signed" in drifted.stderr
    assert "R130" in drifted.stderr  # its facts no longer match the signature
    assert not Path(out).exists()


def test_not_an_edxml_file(cli: Run, coded: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.edxml"
    junk.write_text("<html/>", encoding="utf-8")
    result = cli("import", "edxml", str(junk), registry=coded)
    assert result.exit_code == 1 and "is not an edXML message" in result.stderr


def test_doctor_lists_the_sign_extra(cli: Run) -> None:
    import json

    result = cli("doctor", "--format", "json")
    checks = {c["check"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["sign"]["status"] == "ok"  # this suite runs with the sign extra
    assert checks["pkcs11"]["status"] in ("ok", "warn")
    assert checks["pkcs11"]["status"] == "ok" or "committee-cli[pkcs11]" in checks["pkcs11"]["fix"]


def test_the_unconfirmed_points_are_the_table_of_the_docs() -> None:
    from committee_cli.exchange.edxml import UNCONFIRMED
    from tests.conftest import ROOT

    guide = (ROOT / "docs" / "exchange.md").read_text(encoding="utf-8")
    for row in UNCONFIRMED:
        assert f"| `{row.element}` | {row.written} | {row.alternatives} | {row.source} |" in guide
