"""PAdES signatures on a decision's PDF with pyHanko: where the boxes go, how they look, and
checking every signature of a file.

Where (Nghị định 30/2020, Phụ lục I): the person's signature in the signing block between the
authority lines and the name; the organisation's seal over the left third of it; an
electronic copy's text stamp at the top right of page 1, above the Quốc hiệu. The positions are
found from the PDF's own text (:mod:`committee_cli.exchange.pdftext`), not assumed.

Fonts: Vietnamese stamp text needs an embedded TrueType font; Times New Roman, or Liberation
Serif with the same metrics, rescaled to 1000 units per em with fontTools, since pyHanko
letter-spaces the text of a 2048-unit font (FORMATS.md).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError as PdfError  # raised to callers
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from committee_cli.exchange.pdftext import TextRun

VN_TZ = dt.timezone(dt.timedelta(hours=7))
MM = 72 / 25.4
SEAL_SIDE = 36 * MM  # a round seal of a ministry is about 36 mm across
FALLBACK_FONTS = ("/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf",
                  "/usr/share/fonts/truetype/liberation/LiberationSerif-{style}.ttf")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class FontMissing(LookupError):
    """Neither Times New Roman nor Liberation Serif is installed."""


class PlacementUnknown(LookupError):
    """The signing block or the Quốc hiệu was not found in the PDF's text."""


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin bottom left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def as_tuple(self) -> tuple[int, int, int, int]:
        """Whole points, as pyHanko's field boxes want them."""
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


# --- fonts -----------------------------------------------------------------------------------


def font_file(style: str = "Regular") -> Path:
    """Times New Roman (or its metric twin Liberation Serif): fontconfig's answer, else the
    Debian paths of fonts-liberation2."""
    fc_match = shutil.which("fc-match")
    if fc_match is not None:
        pattern = "Times New Roman" + ("" if style == "Regular" else f":{style.lower()}")
        done = subprocess.run([fc_match, "--format=%{file}", pattern], capture_output=True,
                              text=True, check=False)
        found = Path(done.stdout.strip())
        if done.returncode == 0 and found.suffix.lower() == ".ttf" and \
                any(n in found.name for n in ("Times", "times", "Liberation")):
            return found
    for candidate in FALLBACK_FONTS:
        path = Path(candidate.format(style=style))
        if path.is_file():
            return path
    raise FontMissing("Times New Roman or Liberation Serif (Debian: apt-get install "
                      "fonts-liberation2)")


def rescaled_font(source: Path, folder: Path) -> Path:
    """A copy of ``source`` at 1000 units per em (pyHanko spaces 2048-unit fonts' text)."""
    font = TTFont(str(source))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    if "FFTM" in font:  # FontForge's timestamps: fontTools' subsetter warns and drops them
        del font["FFTM"]
    target = folder / f"{source.stem}-1000.ttf"
    font.save(str(target))
    return target


def text_width(text: str, size: float, source: Path) -> float:
    """The advance width of ``text`` at ``size`` points in the font ``source``."""
    font = TTFont(str(source), lazy=True)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    upem = font["head"].unitsPerEm
    units = sum(metrics.get(cmap.get(ord(ch), ".notdef"), (upem // 2, 0))[0] for ch in text)
    return float(units * size / upem)


# --- where the boxes go -------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """The boxes of one decision's PDF: the person's, the organisation's, the copy stamp's."""

    page: int
    person: Box
    organisation: Box
    copy: Box
    national: Box  # where the Quốc hiệu is on page 1 (nothing may cover it)


def placement(runs: list[TextRun], page_size: tuple[float, float], sign_lines: list[str],
              signer: str, national: str, bold_font: Path, *, seal: bool = True) -> Placement:
    """The signature boxes, from where the signing block and the Quốc hiệu are printed
    (``seal``: the organisation's box is the seal's real size, else a text box)."""
    name = next((r for r in runs if r.text == signer), None)
    if name is None or not sign_lines:
        raise PlacementUnknown(f"the signer's name '{signer}' is not in the PDF's text")
    above = [r for r in runs if r.page == name.page and r.text == sign_lines[-1] and r.y > name.y]
    if not above:
        raise PlacementUnknown(f"the line '{sign_lines[-1]}' is not above the signer's name")
    title = min(above, key=lambda r: r.y)
    centre = name.x + text_width(name.text, name.size, bold_font) / 2
    half = min(max(text_width(name.text, name.size, bold_font) / 2, 60.0), 85.0)
    person = Box(centre - half, name.y + name.size * 1.0, centre + half,
                 title.y - title.size * 0.35)
    seal_right = person.x0 + person.width / 3
    middle = (person.y0 + person.y1) / 2
    if seal:
        organisation = Box(seal_right - SEAL_SIDE, middle - SEAL_SIDE / 2, seal_right,
                           middle + SEAL_SIDE / 2)
    else:  # text only: beside the person's box, as high, its right part over it
        organisation = Box(seal_right - person.width, person.y0, seal_right, person.y1)
    quoc_hieu = next((r for r in runs if r.page == 0 and r.text == national), None)
    if quoc_hieu is None:
        raise PlacementUnknown(f"the Quốc hiệu '{national}' is not on page 1")
    width, height = page_size
    qh_width = text_width(national, quoc_hieu.size, bold_font)
    national_box = Box(quoc_hieu.x, quoc_hieu.y - quoc_hieu.size * 0.25,
                       quoc_hieu.x + qh_width, quoc_hieu.y + quoc_hieu.size * 0.95)
    right = min(width - 15 * MM, national_box.x1)
    copy = Box(right - 62 * MM, national_box.y1 + 4, right, height - 3 * MM)
    return Placement(name.page, person, organisation, copy, national_box)


def _quiet() -> None:
    """pyHanko logs what it also returns or handles (layout notes, validation findings)."""
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# --- signing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VietnamTimeStampStyle(TextStampStyle):
    """A text stamp whose ``%(ts)s`` is the signing time in ISO 8601 at +07:00."""

    def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> Any:
        params = dict(text_params)
        if "ts" in params:
            moment = dt.datetime.strptime(params["ts"], TIME_FORMAT)
            params["ts"] = moment.astimezone(VN_TZ).isoformat(timespec="seconds")
        return super().create_stamp(writer, box, params)


_ALIGN = {"top": layout.AxisAlignment.ALIGN_MAX, "bottom": layout.AxisAlignment.ALIGN_MIN,
          "left": layout.AxisAlignment.ALIGN_MIN, "right": layout.AxisAlignment.ALIGN_MAX,
          "middle": layout.AxisAlignment.ALIGN_MID}


def stamp_style(text: str, font: Path, size: int, image: bytes | None = None, *,
                vertical: str = "middle", horizontal: str = "middle") -> TextStampStyle:
    """A borderless stamp: ``text`` (``%(ts)s`` = signing time) at ``size`` points, never
    scaled, placed in the box as asked, over an optional PNG image fitted to the box."""
    background = PdfImage(Image.open(io.BytesIO(image))) if image else None
    box_style = TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=size),
                             font_size=size, leading=round(size * 1.2))
    inner = layout.SimpleBoxLayoutRule(x_align=_ALIGN[horizontal], y_align=_ALIGN[vertical],
                                       margins=layout.Margins.uniform(1),
                                       inner_content_scaling=layout.InnerScaling.NO_SCALING)
    style = VietnamTimeStampStyle(stamp_text=text, text_box_style=box_style,
                                  timestamp_format=TIME_FORMAT, border_width=0,
                                  background=background, background_opacity=1.0,
                                  inner_content_layout=inner)
    if image:
        style = replace(style, background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0)))
    return style


def sign(pdf: bytes, signer: Any, *, field: str, page: int, box: Box, style: TextStampStyle,
         location: str | None = None, reason: str | None = None) -> bytes:
    """``pdf`` with one more PAdES signature (an incremental update: earlier ones stay valid)."""
    _quiet()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", location=location, reason=reason)
    spec = fields.SigFieldSpec(sig_field_name=field, on_page=page, box=box.as_tuple())
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def simple_signer(path: Path, password: str) -> Any:
    """A pyHanko signer from a PKCS#12 file (None when it cannot be opened)."""
    return signers.SimpleSigner.load_pkcs12(str(path), passphrase=password.encode("utf-8"))


@dataclass(frozen=True)
class Pkcs11Token:
    """A key on a PKCS#11 token (a USB token, an HSM, SoftHSM2 for tests)."""

    module: str  # the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
    token: str  # the token's label
    key: str  # the key's label (its certificate has the same label)
    pin: str


def pkcs11_signer(token: Pkcs11Token) -> tuple[Any, Any]:
    """A pyHanko signer for a token key, and the open session (close it after signing).

    Imported here, not at the top: python-pkcs11 is its own optional extra."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    session = open_pkcs11_session(token.module, token_criteria=TokenCriteria(label=token.token),
                                  user_pin=token.pin)
    return PKCS11Signer(session, key_label=token.key), session


def field_names(pdf: bytes) -> list[str]:
    """The names of the signature fields already in ``pdf``."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [name for name, _, _ in fields.enumerate_sig_fields(reader)]


# --- verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a PDF: who, when, and whether it holds."""

    field: str
    signer: str
    time: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    changed_after: bool  # something other than form filling was changed after it
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.changed_after


_ALLOWED = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


def verify(pdf: bytes, roots: list[bytes]) -> list[SignatureCheck]:
    """Every signature of ``pdf``, checked against the trust roots (DER certificates) only."""
    _quiet()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    trust = [asn1_x509.Certificate.load(der) for der in roots]
    found: list[SignatureCheck] = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=trust, allow_fetching=False,
                                    revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(embedded, signer_validation_context=context)
        except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
            found.append(SignatureCheck(embedded.field_name, "", None, False, False, False, True,
                                        str(exc)))
            continue
        level = status.modification_level
        changed = (level is not None and level not in _ALLOWED) or status.docmdp_ok is False
        moment = status.signer_reported_dt
        found.append(SignatureCheck(
            field=embedded.field_name,
            signer=status.signing_cert.subject.human_friendly,
            time=moment.astimezone(VN_TZ) if moment else None,
            intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
            changed_after=changed,
            problem="" if status.bottom_line else status.summary()))
    return found
