"""Sending and signing a decision: the edXML package (``export edxml`` / ``import edxml``) and
the PAdES signatures on its PDF (``sign`` / ``verify``), as use cases (docs/exchange.md).

Only a signed decision whose facts are unchanged since signing is sent or signed
(:func:`ensure_not_drifted`); the PDF sent or signed must be the decision's own rendering
(:func:`ensure_rendering`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from committee_cli.errors import CommitteeError, ExitCode, Problem, RegistryInvalid, UsageError
from committee_cli.exchange import require
from committee_cli.i18n import tr
from committee_cli.model.records import Decision, Organisation
from committee_cli.model.registry import Registry
from committee_cli.queries.content import SCHEME, fingerprint_facts
from committee_cli.render.documents import decision_document
from committee_cli.render.service import Workspace, encode
from committee_cli.rules.base import did_you_mean
from committee_cli.rules.registry_rules import signed_frozen
from committee_cli.services.decisions import new_decision
from committee_cli.services.sealing import facts_now
from committee_cli.vietnamese import fold

if TYPE_CHECKING:
    from committee_cli.exchange.edxml import Envelope, Organ, XmlSignatureCheck
    from committee_cli.exchange.keys import KeyBundle
    from committee_cli.exchange.pdfsign import Pkcs11Token, SignatureCheck
    from committee_cli.render.document import Document
    from committee_cli.services.unit_of_work import UnitOfWork

DOCUMENT_TYPE = "Quyết định"


# --- what may be sent or signed ------------------------------------------------------------


def signed_decision(registry: Registry, decision_id: str) -> Decision:
    """The decision, refused (exit 2) when unknown or still a draft."""

    decision = registry.decisions.get(decision_id)
    if decision is None:
        raise UsageError(tr("no decision '{decision_id}'{suggestion}", decision_id=decision_id,
                            suggestion=did_you_mean(decision_id, registry.decisions)))
    if decision.status != "signed" or decision.number is None:
        raise UsageError(tr("decision '{decision_id}' is a draft: only a signed decision is "
                            "sent or signed digitally; sign it first (`committee decision sign "
                            "{decision_id}`)", decision_id=decision_id))
    return decision


def ensure_not_drifted(registry: Registry, decision_id: str) -> None:
    """Refuse (exit 1) a signed decision whose facts changed after signing: its file under the
    old fingerprint scheme (R111), every fact its document states under scheme 2 (R130)."""
    found: list[Problem] = [p for p in signed_frozen(registry)
                            if p.file == registry.file_of("decision", decision_id)]
    dec = registry.decisions.get(decision_id)
    if not found and dec is not None and dec.signature is not None \
            and dec.signature.scheme >= SCHEME:
        now = facts_now(registry, decision_id)
        if fingerprint_facts([(f.path, f.value) for f in now]) != dec.signature.fingerprint:
            found = [Problem("R130", tr("its facts no longer match what was signed (run "
                                        "`committee validate` to see which)"),
                             registry.file_of("decision", decision_id))]
    if found:
        raise RegistryInvalid(found, tr("decision '{decision_id}' was changed after it was "
                                        "signed: it is not sent or signed until the change is "
                                        "undone", decision_id=decision_id))


def _code_of(registry: Registry, org_id: str, on: dt.date, what: str) -> tuple[Organisation, str]:
    org = registry.organisations.get(org_id)
    if org is None:
        raise UsageError(tr("no organisation '{org}'", org=org_id))
    code = org.on(on).code
    if code is None:
        label = tr("issuer") if what == "issuer" else tr("recipient")
        raise CommitteeError(tr("the {what} '{org}' ({name}) has no identifier code (mã định "
                                "danh) on {date}: add `code: 000.00.00.X00` to {file}",
                                what=label, org=org_id, name=org.on(on).name, date=on.isoformat(),
                                file=registry.file_of("organisation", org_id) or org_id),
                             ExitCode.PROBLEMS)
    return org, code


def _organ(registry: Registry, org_id: str, on: dt.date, what: str) -> Organ:
    from committee_cli.exchange.edxml import Organ

    org, code = _code_of(registry, org_id, on, what)
    facts = org.on(on)
    parent = registry.organisations.get(facts.parent or "")
    in_charge = parent.on(on).name if parent is not None else facts.name
    return Organ(code, facts.name, in_charge, org.address or "", org.email or "",
                 org.telephone or "", org.fax or "", org.website or "")


# --- the decision's rendering ----------------------------------------------------------------


def rendering(workspace: Workspace, decision_id: str) -> tuple[Document, bytes]:
    """The decision's Document and its PDF (WeasyPrint or LibreOffice)."""

    document = decision_document(workspace.registry, decision_id, workspace.templates)
    return document, encode(document, "pdf")


def ensure_rendering(pdf: bytes, expected: bytes, name: str) -> None:
    """Refuse (exit 1) a PDF whose text is not the decision's rendering's."""
    from committee_cli.exchange.pdftext import PdfUnreadable, plain_text

    try:
        given = plain_text(pdf)
    except PdfUnreadable as exc:
        raise CommitteeError(tr("{name} is not a readable PDF: {problem}", name=name,
                                problem=exc), ExitCode.PROBLEMS) from None
    if given != plain_text(expected):
        raise CommitteeError(tr("{name} is not this decision's rendering (its text differs from "
                                "`committee render decision`): render and sign it again",
                                name=name), ExitCode.PROBLEMS)


# --- export edxml ------------------------------------------------------------------------------


def _document_id(registry: Registry, decision_id: str) -> str:
    from committee_cli.exchange.edxml import document_id

    old = registry.decisions.get(decision_id)
    if old is None or old.number is None or old.status != "signed":
        raise UsageError(tr("the replaced decision '{decision_id}' is not a signed decision of "
                            "this registry: its DocumentId cannot be given",
                            decision_id=decision_id))
    day = registry.decision_date(decision_id) or old.date
    _, code = _code_of(registry, old.issuer, day, "issuer")
    return document_id(code, day, str(old.number), old.symbol)


def envelope(workspace: Workspace, decision_id: str, *, to: list[str], attach: Path | None,
             revoke: bool = False, sent_at: dt.datetime | None = None) -> Envelope:
    """The edXML envelope of a signed, unchanged decision (refusals: see docs/exchange.md)."""
    require("lxml")
    require("signxml")
    require("pypdf")
    from committee_cli.exchange.edxml import VN_TZ, Attachment, Envelope
    from committee_cli.exchange.pdftext import page_count

    registry = workspace.registry
    decision = signed_decision(registry, decision_id)
    ensure_not_drifted(registry, decision_id)
    day = registry.decision_date(decision_id) or decision.date
    sender = _organ(registry, decision.issuer, day, "issuer")
    receivers = tuple(_organ(registry, org, day, "recipient") for org in to)
    if revoke and not decision.replaces:
        raise UsageError(tr("--revoke sends the revocation of what the decision replaces, and "
                            "'{decision_id}' replaces nothing", decision_id=decision_id))
    document, pdf = rendering(workspace, decision_id)
    name = f"{decision_id}.pdf"
    if attach is not None:
        data = attach.read_bytes()
        ensure_rendering(data, pdf, str(attach))
        pdf, name = data, attach.name
    closing = document.sections[0].closing
    sign_lines = list(closing.sign) if closing else []
    return Envelope(
        sender=sender, receivers=receivers, code_number=str(decision.number),
        code_notation=decision.symbol,
        place=decision.place or registry.config.default_place, promulgation_date=day,
        type_name=DOCUMENT_TYPE, subject=decision.subject,
        competence=sign_lines[0] if len(sign_lines) > 1 else "",
        position=sign_lines[-1] if sign_lines else "",
        full_name=(closing.signer or "") if closing else "",
        sent_at=sent_at or dt.datetime.now(VN_TZ),
        business=("REVOKE" if revoke else "REPLACE") if decision.replaces else "NEW",
        replaced=tuple(_document_id(registry, rid) for rid in decision.replaces),
        replaced_organs=tuple(r.organ_id for r in receivers),
        to_places=tuple(r for r in decision.recipients if not r.startswith("Lưu")),
        page_amount=page_count(pdf),
        attachments=(Attachment(f"cid:{decision_id}", name, "application/pdf", pdf),),
    )


def export_edxml(workspace: Workspace, decision_id: str, *, to: list[str], attach: Path | None,
                 revoke: bool = False, pkcs12: Path | None = None,
                 password: str | None = None) -> bytes:
    """The edXML file of a decision, signed with XMLDSig when a PKCS#12 key is given."""
    from committee_cli.exchange import edxml

    built = envelope(workspace, decision_id, to=to, attach=attach, revoke=revoke)
    if pkcs12 is None:
        return edxml.serialise(edxml.build(built))
    bundle = load_key(pkcs12, password or "")
    return edxml.sign(built, bundle.key, [bundle.certificate, *bundle.chain])


def load_key(path: Path, password: str) -> KeyBundle:
    """A PKCS#12 key bundle, or a clear refusal (exit 2 bad password, 4 unreadable file)."""
    require("cryptography")
    from committee_cli.exchange.keys import KeyUnreadable, load_pkcs12

    try:
        return load_pkcs12(path, password)
    except OSError as exc:
        raise CommitteeError(tr("cannot read {path}: {strerror}", path=path,
                                strerror=exc.strerror or exc), ExitCode.IO) from None
    except KeyUnreadable as exc:
        raise UsageError(tr("cannot open the key {path}: {problem} (the password comes from "
                            "COMMITTEE_PKCS12_PASSWORD)", path=path, problem=exc)) from None


# --- import edxml ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an edXML file says, its signature, and what was done with it."""

    envelope: Envelope
    signature: XmlSignatureCheck
    issuer: str | None = None  # the registry organisation whose code sent it
    existing: str | None = None  # a registry decision with the same number, symbol and year
    notes: list[str] = field(default_factory=list)

    @property
    def own(self) -> bool:
        """True when the registry's own issuer sent it."""
        return self.issuer is not None


def read_edxml(registry: Registry, data: bytes, name: str,
               trust: Path | None = None) -> ImportReport:
    """Parse an edXML file and check its signature; find its issuer and decision if known."""
    require("lxml")
    require("signxml")
    from committee_cli.exchange.edxml import EdxmlInvalid, parse, verify

    try:
        message = parse(data)
        signature = verify(data, trust)
    except EdxmlInvalid as exc:
        raise CommitteeError(tr("{name} is not an edXML message: {problem}", name=name,
                                problem=exc), ExitCode.PROBLEMS) from None
    report = ImportReport(message, signature)
    own = registry.config.issuer
    day = message.promulgation_date
    org = registry.organisations.get(own or "")
    if own and org is not None and org.on(day).code == message.sender.organ_id:
        report.issuer = own
    for did, dec in sorted(registry.decisions.items()):
        if str(dec.number) == message.code_number and dec.symbol == message.code_notation \
                and (registry.decision_date(did) or dec.date).year == day.year:
            report.existing = did
    return report


_MODES = {"KT.": "KT", "Q.": "Q", "TM.": "TM", "TL.": "TL", "TUQ.": "TUQ"}


def draft_from(uow: UnitOfWork, report: ImportReport) -> str:
    """Record an edXML message of the registry's own issuer as a draft decision."""

    registry = uow.registry
    message = report.envelope
    competence = message.competence.split(" ", 1)
    mode = _MODES.get(competence[0], "direct") if message.competence else "direct"
    signer = next((pid for pid, person in sorted(registry.people.items())
                   if fold(person.name) == fold(message.full_name)), None)
    replaces = []
    for old in message.replaced:
        _, _, citation = old.partition(",")[2].partition(",")
        number, _, symbol = citation.partition("/")
        replaces += [did for did, dec in sorted(registry.decisions.items())
                     if str(dec.number) == number and dec.symbol == symbol]
    authority = (competence[1] if mode != "direct" and len(competence) > 1
                 else message.position)
    return new_decision(
        uow, kind="other", symbol=message.code_notation, date=message.promulgation_date,
        subject=message.subject, number=int(message.code_number)
        if message.code_number.isdigit() else None, signer=signer,
        mode=mode if mode != "TM" else "direct", issuer=report.issuer,
        authority=authority.capitalize() if authority else None,
        signer_title=message.position.capitalize() if mode != "direct" else None,
        place=message.place or None, replaces=replaces, recipients=list(message.to_places))


# --- sign and verify the PDF -------------------------------------------------------------------

ROLES = ("person", "organisation")
COPY_FORM = "SAO Y"


def sign_pdf(workspace: Workspace, decision_id: str, *, pkcs12: Path | None = None,
             password: str = "", token: Pkcs11Token | None = None, role: str = "person",
             image: Path | None = None, copy: bool = False, pdf_in: Path | None = None) -> bytes:
    """The decision's PDF with one more PAdES signature: the person's in the signing block,
    the organisation's seal over its left third, or (``copy``) the organisation's text stamp
    of an electronic copy at the top right of page 1.

    The key is a PKCS#12 file or a :class:`~committee_cli.exchange.pdfsign.Pkcs11Token`. The
    PDF is the decision's rendering (``pdf_in`` must have the same text, signatures already on
    it are kept valid); a draft or a decision changed after signing is refused.
    """
    for module in ("pyhanko", "pyhanko_certvalidator", "fontTools", "pypdf", "PIL"):
        require(module)
    from committee_cli.exchange import pdfsign, pdftext

    if role not in ROLES:
        raise UsageError(tr("--role is person or organisation, not '{role}'", role=role))
    if copy and role != "organisation":
        raise UsageError(tr("--copy is the organisation's stamp of an electronic copy: add "
                            "--role organisation"))
    if (pkcs12 is None) == (token is None):
        raise UsageError(tr("give the key as --pkcs12 FILE or as --pkcs11 MODULE --token LABEL "
                            "--key LABEL (one of them)"))
    if pkcs12 is not None:
        load_key(pkcs12, password)  # a clear refusal for a wrong password or file
    registry = workspace.registry
    decision = signed_decision(registry, decision_id)
    ensure_not_drifted(registry, decision_id)
    # what the PDF already carries is checked before the (slow) rendering
    given = pdf_in.read_bytes() if pdf_in is not None else None
    try:
        taken = pdfsign.field_names(given) if given is not None else []
    except (pdfsign.PdfError, ValueError, KeyError) as exc:
        raise CommitteeError(tr("{name} is not a readable PDF: {problem}", name=pdf_in,
                                problem=exc), ExitCode.PROBLEMS) from None
    field = "ban-sao" if copy else role
    if field in taken:
        raise UsageError(tr("{name} already has the {field} signature: sign each role once",
                            name=pdf_in or decision_id, field=field))
    if role == "organisation" and not copy and "person" not in taken:
        raise UsageError(tr("the organisation signs after the person: sign with --role person "
                            "first, then pass that PDF with --pdf"))
    document, fresh = rendering(workspace, decision_id)
    pdf = fresh
    if given is not None:
        ensure_rendering(given, fresh, str(pdf_in))
        pdf = given
    picture = image.read_bytes() if image is not None else None
    day = registry.decision_date(decision_id) or decision.date
    org = registry.organisations.get(decision.issuer)
    org_name = org.on(day).name if org is not None else decision.issuer
    closing = document.sections[0].closing
    header = document.sections[0].header
    try:
        bold, regular = pdfsign.font_file("Bold"), pdfsign.font_file()
        where = pdfsign.placement(pdftext.text_runs(fresh), pdftext.page_size(fresh),
                                  list(closing.sign) if closing else [],
                                  (closing.signer or "") if closing else "",
                                  (header.national or "") if header else "", bold,
                                  seal=picture is not None)
    except (pdfsign.FontMissing, pdfsign.PlacementUnknown) as exc:
        raise CommitteeError(tr("cannot place the signature: {problem}", problem=exc),
                             ExitCode.PROBLEMS) from None
    with tempfile.TemporaryDirectory(prefix="committee-font-") as folder:
        font = pdfsign.rescaled_font(regular, Path(folder))
        if copy:
            style = pdfsign.stamp_style(f"{COPY_FORM}\n{org_name}\n%(ts)s", font, 10,
                                        vertical="top", horizontal="right")
            page, box = 0, where.copy
        elif role == "person":
            style = pdfsign.stamp_style(" " if picture else f"{closing.signer if closing else ''}"
                                        "\n%(ts)s", font, 8, picture, vertical="top")
            page, box = where.page, where.person
        else:
            # over the seal's middle (the part that covers the person's signature), or, with
            # no seal image, low on the left where the person's text (top) is not
            style = pdfsign.stamp_style(f"{org_name}\n%(ts)s", font, 7 if picture else 8, picture,
                                        vertical="middle" if picture else "bottom",
                                        horizontal="middle" if picture else "left")
            page, box = where.page, where.organisation
        place = decision.place or registry.config.default_place
        if pkcs12 is not None:
            return pdfsign.sign(pdf, pdfsign.simple_signer(pkcs12, password), field=field,
                                page=page, box=box, style=style, location=place)
        require("pkcs11")
        assert token is not None  # one of the two keys, checked above
        try:
            signer, session = pdfsign.pkcs11_signer(token)
        except Exception as exc:  # python-pkcs11 and pyHanko raise many kinds for a bad token
            raise UsageError(tr("cannot open the PKCS#11 token '{token}': {problem}",
                                token=token.token, problem=exc)) from None
        try:
            return pdfsign.sign(pdf, signer, field=field, page=page, box=box, style=style,
                                location=place)
        finally:
            session.close()


def verify_pdf(data: bytes, trust: list[Path]) -> list[SignatureCheck]:
    """Every signature of a PDF, checked against the trust roots given (PEM or DER files)."""
    for module in ("pyhanko", "pyhanko_certvalidator", "cryptography"):
        require(module)
    from cryptography.hazmat.primitives.serialization import Encoding

    from committee_cli.exchange.keys import KeyUnreadable, load_certificates
    from committee_cli.exchange.pdfsign import verify
    from committee_cli.exchange.pdftext import PdfUnreadable

    roots: list[bytes] = []
    for path in trust:
        try:
            roots += [c.public_bytes(Encoding.DER) for c in load_certificates(path)]
        except KeyUnreadable as exc:
            raise UsageError(tr("--trust {path}: {problem}", path=path, problem=exc)) from None
    if not data.startswith(b"%PDF"):
        raise CommitteeError(tr("not a PDF file (it does not start with %PDF)"),
                             ExitCode.PROBLEMS)
    try:
        return verify(data, roots)
    except (PdfUnreadable, ValueError) as exc:
        raise CommitteeError(tr("the PDF cannot be read: {problem}", problem=exc),
                             ExitCode.PROBLEMS) from None
