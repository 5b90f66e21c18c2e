"""`committee sign` / `committee verify`: 913's PDF signed by the person, then the organisation,
both intact and trusted; a changed byte and an untrusted key are reported; the stamp boxes sit
where Nghị định 30/2020 puts them (checked by pixel on pdftoppm's rendering)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from committee_cli.cli.app import app
from tests.conftest import SAMPLE, Run
from tests.exchange_helpers import PASSWORD, Pki, coded_registry, make_pki
from tests.pdf_helpers import need_signing_font

pytest.importorskip("pyhanko", reason="the sign extra (pyHanko) is not installed")
pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
Image = pytest.importorskip("PIL.Image", reason="Pillow (with pyHanko[image-support])")

ENV = {"COMMITTEE_PKCS12_PASSWORD": PASSWORD}
DPI = 100


@dataclass(frozen=True)
class Signed:
    """913 rendered, signed by the person, then by the organisation, then as a copy."""

    registry: Path
    pki: Pki
    plain: Path
    person: Path
    both: Path
    copy: Path


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    return result.output


def _images(folder: Path) -> tuple[Path, Path]:
    """A blue handwritten-looking line and a red round seal, both PNG with transparency."""
    from PIL import ImageDraw

    signature = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line([(20, 120), (150, 30), (250, 130), (380, 40)],
                                   fill=(0, 0, 200, 255), width=8)
    seal = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse([10, 10, 390, 390], outline=(220, 0, 0, 255), width=16)
    signature.save(folder / "chu-ky.png")
    seal.save(folder / "dau.png")
    return folder / "chu-ky.png", folder / "dau.png"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Signed:
    need_signing_font()
    folder = tmp_path_factory.mktemp("signed")
    registry = folder / "registry"
    shutil.copytree(SAMPLE, registry)
    coded_registry(registry)
    pki = make_pki(folder / "pki")
    signature, seal = _images(folder)
    reg = ("--registry", str(registry))
    plain, person, both, copy = (folder / n for n in ("913.pdf", "913-person.pdf",
                                                      "913-signed.pdf", "913-copy.pdf"))
    _run(*reg, "render", "decision", "qd-913-2021", "--out", str(plain))
    _run(*reg, "sign", "qd-913-2021", "--pkcs12", str(pki.person), "--image", str(signature),
         "--out", str(person))
    _run(*reg, "sign", "qd-913-2021", "--pkcs12", str(pki.organisation), "--role",
         "organisation", "--image", str(seal), "--pdf", str(person), "--out", str(both))
    _run(*reg, "sign", "qd-913-2021", "--pkcs12", str(pki.organisation), "--role",
         "organisation", "--copy", "--pdf", str(both), "--out", str(copy))
    return Signed(registry, pki, plain, person, both, copy)


def test_person_then_organisation_both_intact_and_trusted(cli: Run, signed: Signed) -> None:
    result = cli("verify", str(signed.both), "--trust", str(signed.pki.ca_pem))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("person: Common Name: Phạm Thị Thanh Trà")
    assert lines[2].startswith("organisation: Common Name: Bộ Nội vụ")
    assert lines[1] == lines[3] == ("  intact: yes; trusted: yes; changed after it (other than "
                                    "form filling): no")
    assert "+07:00" in lines[0]
    assert "all 2 signature(s) valid" in result.stdout
    copy = cli("verify", str(signed.copy), "--trust", str(signed.pki.ca_pem))
    assert copy.exit_code == 0 and "all 3 signature(s) valid" in copy.stdout


def test_without_the_trust_root_nothing_is_trusted(cli: Run, signed: Signed) -> None:
    result = cli("verify", str(signed.both))
    assert result.exit_code == 1
    assert result.stdout.count("intact: yes; trusted: no") == 2


def test_a_byte_changed_after_signing_is_reported(cli: Run, signed: Signed,
                                                  tmp_path: Path) -> None:
    data = bytearray(signed.both.read_bytes())
    at = data.index(b"stream", 2000) + 40  # inside a content stream the signatures cover
    data[at] ^= 0x01
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    result = cli("verify", str(changed), "--trust", str(signed.pki.ca_pem))
    assert result.exit_code == 1
    assert "intact: no" in result.stdout
    assert "not every signature is valid" in result.stderr


def test_a_signature_by_an_untrusted_key_is_reported(cli: Run, signed: Signed,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", PASSWORD)
    out = tmp_path / "stranger.pdf"
    made = cli("sign", "qd-913-2021", "--pkcs12", str(signed.pki.stranger), "--out", str(out),
               registry=signed.registry)
    assert made.exit_code == 0, made.output
    result = cli("verify", str(out), "--trust", str(signed.pki.ca_pem))
    assert result.exit_code == 1
    assert "person: Common Name: Người lạ" in result.stdout
    assert "intact: yes; trusted: no" in result.stdout


def _page(pdf: Path, page: int, folder: Path) -> object:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed: `make system-deps`")
    prefix = folder / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("RGB")


def _pixels(image: object, box: object, page_height: float) -> list[tuple[int, int, int]]:
    """The pixels of a box given in PDF points (origin bottom left)."""
    scale = DPI / 72
    left, top = int(box.x0 * scale), int((page_height - box.y1) * scale)  # type: ignore[attr-defined]
    right, bottom = int(box.x1 * scale), int((page_height - box.y0) * scale)  # type: ignore[attr-defined]
    region = image.crop((left, top, right, bottom))  # type: ignore[attr-defined]
    raw = region.tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]


def _dark(pixels: list[tuple[int, int, int]]) -> int:
    return sum(1 for r, g, b in pixels if r + g + b < 300)


def _placement(signed: Signed, seal: bool = True) -> object:
    from committee_cli.exchange import pdfsign, pdftext

    data = signed.plain.read_bytes()
    return pdfsign.placement(pdftext.text_runs(data), pdftext.page_size(data), ["BỘ TRƯỞNG"],
                             "Phạm Thị Thanh Trà", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                             pdfsign.font_file("Bold"), seal=seal)


def test_copy_stamp_top_right_of_page_one_above_the_quoc_hieu(signed: Signed,
                                                              tmp_path: Path) -> None:
    where = _placement(signed)
    height = 841.89
    before, after = _page(signed.plain, 1, tmp_path), _page(signed.copy, 1, tmp_path)
    assert _dark(_pixels(before, where.copy, height)) == 0  # type: ignore[attr-defined]
    assert _dark(_pixels(after, where.copy, height)) > 50  # type: ignore[attr-defined]
    # nothing over the Quốc hiệu: its pixels are those of the unsigned page
    national = where.national  # type: ignore[attr-defined]
    assert _pixels(after, national, height) == _pixels(before, national, height)
    assert _dark(_pixels(before, national, height)) > 200
    # the stamp is in the top margin, right of the page's middle
    assert where.copy.x0 > 595 / 2 and where.copy.y0 >= national.y1  # type: ignore[attr-defined]
    # and its letters are not spaced out (pyHanko spaces a 2048-unit font's text about twice
    # as wide): the first line, SAO Y, is as wide as the font says
    from committee_cli.exchange.pdfsign import font_file, text_width

    box = where.copy  # type: ignore[attr-defined]
    scale = DPI / 72
    region = after.crop((int(box.x0 * scale), int((height - box.y1) * scale),  # type: ignore[attr-defined]
                         int(box.x1 * scale), int((height - box.y0) * scale)))
    rows = [y for y in range(region.height)
            if any(sum(region.getpixel((x, y))) < 300 for x in range(region.width))]
    first = [rows[0]]  # the rows of the first line: dark rows without a gap
    for y in rows[1:]:
        if y != first[-1] + 1:
            break
        first.append(y)
    columns = [x for x in range(region.width)
               if any(sum(region.getpixel((x, y))) < 300 for y in first)]
    expected = text_width("SAO Y", 10, font_file()) * scale
    assert expected * 0.8 < columns[-1] - columns[0] < expected * 1.2


def test_signature_and_seal_in_the_signing_block(signed: Signed, tmp_path: Path) -> None:
    where = _placement(signed)
    person, seal = where.person, where.organisation  # type: ignore[attr-defined]
    page = where.page + 1  # type: ignore[attr-defined]
    height = 841.89
    before = _page(signed.plain, page, tmp_path)
    after = _page(signed.both, page, tmp_path)
    blue = [p for p in _pixels(after, person, height) if p[2] > 150 and p[0] < 80]
    assert len(blue) > 100 and _dark(_pixels(before, person, height)) == 0
    red = [p for p in _pixels(after, seal, height) if p[0] > 180 and p[1] < 80]
    assert len(red) > 200
    # the seal covers the left third of the person's signature, not more
    assert seal.x1 == pytest.approx(person.x0 + person.width / 3)
    assert seal.x0 < person.x0


def test_copy_stamp_text_keeps_its_diacritics(signed: Signed) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed: `make system-deps`")
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(signed.copy), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    assert lines[0] == "SAO Y" and lines[1] == "Bộ Nội vụ"
    assert lines[2].endswith("+07:00") and lines[2][10] == "T"


def test_refusals(cli: Run, signed: Signed, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    key = ("--pkcs12", str(signed.pki.person))
    out = ("--out", str(tmp_path / "x.pdf"))
    no_password = cli("sign", "qd-913-2021", *key, *out, registry=signed.registry)
    assert no_password.exit_code == 2 and "COMMITTEE_PKCS12_PASSWORD" in no_password.stderr
    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", "wrong")
    wrong = cli("sign", "qd-913-2021", *key, *out, registry=signed.registry)
    assert wrong.exit_code == 2 and "cannot open the key" in wrong.stderr
    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", PASSWORD)
    copy = cli("sign", "qd-913-2021", *key, "--copy", *out, registry=signed.registry)
    assert copy.exit_code == 2 and "--role organisation" in copy.stderr
    early = cli("sign", "qd-913-2021", *key, "--role", "organisation", *out,
                registry=signed.registry)
    assert early.exit_code == 2 and "the organisation signs after the person" in early.stderr
    twice = cli("sign", "qd-913-2021", *key, "--pdf", str(signed.person), *out,
                registry=signed.registry)
    assert twice.exit_code == 2 and "already has the person signature" in twice.stderr
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4\n%%EOF\n")
    foreign = cli("sign", "qd-913-2021", *key, "--pdf", str(other), *out,
                  registry=signed.registry)
    assert foreign.exit_code == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_drifted_decision_is_not_signed(cli: Run, signed: Signed, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_PKCS12_PASSWORD", PASSWORD)
    registry = tmp_path / "registry"
    shutil.copytree(signed.registry, registry)
    record = registry / "decisions" / "qd-913-2021.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("kiện toàn", "thành lập"),
                      encoding="utf-8")
    result = cli("sign", "qd-913-2021", "--pkcs12", str(signed.pki.person), "--out",
                 str(tmp_path / "x.pdf"), registry=registry)
    assert result.exit_code == 1 and "changed after it was signed" in result.stderr


def test_verify_refuses_what_is_not_a_signed_pdf(cli: Run, signed: Signed,
                                                 tmp_path: Path) -> None:
    plain = cli("verify", str(signed.plain))
    assert plain.exit_code == 1 and "no digital signature" in plain.stdout
    text = tmp_path / "x.pdf"
    text.write_text("hello", encoding="utf-8")
    junk = cli("verify", str(text))
    assert junk.exit_code == 1 and "not a PDF file" in junk.stderr


def test_without_the_sign_extra_the_command_says_what_to_install(
        cli: Run, signed: Signed, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyhanko", None)
    result = cli("verify", str(signed.both))
    assert result.exit_code == 2
    assert "pip install 'committee-cli[sign]'" in result.stderr


SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so",
                   "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


def test_pkcs11_token_with_softhsm(cli: Run, signed: Signed, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pkcs11 = pytest.importorskip("pkcs11", reason="python-pkcs11 is not installed (the pkcs11 "
                                 "extra): the PKCS#11 path is untested")
    module = next((p for p in SOFTHSM_MODULES if Path(p).is_file()), None)
    if module is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 (Debian softhsm2) is not installed: the PKCS#11 path is untested")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pkcs11.util.x509 import decode_x509_certificate

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n",
                    encoding="utf-8")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "committee", "--pin",
                    "1234", "--so-pin", "5678"], check=True, capture_output=True)
    key, cert, _ = pkcs12.load_key_and_certificates(signed.pki.person.read_bytes(),
                                                   PASSWORD.encode())
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,  # type: ignore[union-attr]
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "committee", "--label",
                    "signer", "--id", "01", "--pin", "1234"], check=True, capture_output=True)
    token = pkcs11.lib(module).get_token(token_label="committee")
    with token.open(rw=True, user_pin="1234") as session:
        attributes = decode_x509_certificate(cert.public_bytes(  # type: ignore[union-attr]
            serialization.Encoding.DER))
        attributes.update({pkcs11.Attribute.TOKEN: True, pkcs11.Attribute.LABEL: "signer",
                           pkcs11.Attribute.ID: b"\x01"})
        session.create_object(attributes)
    monkeypatch.setenv("COMMITTEE_PKCS11_PIN", "1234")
    out = tmp_path / "token.pdf"
    made = cli("sign", "qd-913-2021", "--pkcs11", module, "--token", "committee", "--key",
               "signer", "--out", str(out), registry=signed.registry)
    assert made.exit_code == 0, made.output
    result = cli("verify", str(out), "--trust", str(signed.pki.ca_pem))
    assert result.exit_code == 0, result.output
    assert "person: Common Name: Phạm Thị Thanh Trà" in result.stdout
