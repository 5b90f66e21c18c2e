"""The edXML envelope (QCVN 102:2016/BTTTT): build it from an :class:`Envelope`, parse it back,
and sign or verify it with an enveloped XMLDSig.

No public XSD exists; element names and nesting follow the public sample ``edoc_new.edxml`` of
the Bkav SDK (GitHub QuangChuIT/edoc-integrator, copied to tests/fixtures/edxml/). Every value
the sample does not settle is in :data:`UNCONFIRMED`, the one table of such points (also in
docs/exchange.md).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from lxml import etree
from signxml import CanonicalizationMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
VN_TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Unconfirmed:
    """A value the public sources disagree on or do not give, with what we write and why."""

    element: str
    written: str
    alternatives: str
    source: str


# The one table of unconfirmed points (docs/exchange.md repeats it).
UNCONFIRMED: tuple[Unconfirmed, ...] = (
    Unconfirmed("PromulgationInfo/PromulgationDate", "DD/MM/YYYY (30/08/2021)",
                "YYYY/MM/DD in another builder; both are read back",
                "edoc_new.edxml (Bkav SDK sample)"),
    Unconfirmed("DocumentType/Type", "2 for Quyết định",
                "1 (sample, a Công văn); 18 (a builder)",
                "Thông tư 01/2022/TT-BTTTT table: Quyết định B.2, Công văn B.18"),
    Unconfirmed("DocumentType/TypeDetail", "0", "-1 when absent (SDK parser)", "edoc_new.edxml"),
    Unconfirmed("Bussiness/BussinessDocType", "0 NEW, 1 REVOKE, 2 UPDATE, 3 REPLACE",
                "the names only", "SDK enum BusinessDocType order; samples: 0 new, 2 update"),
    Unconfirmed("SteeringType", "0 (no steering)", "1 in the sample",
                "SDK enum SteeringType: NONE_STEER, STEER, STEER_REPORT"),
    Unconfirmed("TraceHeader/Timestamp", "YYYY/MM/DD HH:MM:SS, Vietnam time",
                "no time zone is written", "edoc_new.edxml"),
    Unconfirmed("DocumentId", "OrganId,YYYY/MM/DD,Number/Notation", "—",
                "edoc_new.edxml; FORMATS.md"),
    Unconfirmed("Signature", "ds: namespace, RSA-SHA256, exclusive C14N, inside edXMLHeader",
                "the sample writes RSA-SHA1 and no ds: namespace", "edoc_new.edxml"),
)

DOCUMENT_TYPE_CODES = {"Quyết định": 2}
BUSINESS_CODES = {"NEW": 0, "REVOKE": 1, "UPDATE": 2, "REPLACE": 3}
BUSINESS_REASONS = {"NEW": "Văn bản điện tử mới", "REVOKE": "Thu hồi văn bản điện tử",
                    "UPDATE": "Cập nhật văn bản điện tử", "REPLACE": "Thay thế văn bản điện tử"}
SPHERE = "Liên thông văn bản"


@dataclass(frozen=True)
class Organ:
    """A sender or receiver: its identifier code and contacts."""

    organ_id: str
    name: str
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file carried base64-encoded after the envelope."""

    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class Envelope:
    """Every field of one edXML message this tool writes and reads."""

    sender: Organ
    receivers: tuple[Organ, ...]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: dt.date
    type_name: str
    subject: str
    competence: str
    position: str
    full_name: str
    sent_at: dt.datetime
    business: str = "NEW"
    replaced: tuple[str, ...] = ()  # DocumentIds of the documents replaced or revoked
    replaced_organs: tuple[str, ...] = ()
    to_places: tuple[str, ...] = ()
    content: str = ""
    page_amount: int = 0
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def document_id(self) -> str:
        """``000.00.00.G09,2021/08/30,913/QĐ-BNV``."""
        return document_id(self.sender.organ_id, self.promulgation_date, self.code_number,
                           self.code_notation)


def document_id(organ_id: str, day: dt.date, number: str, notation: str) -> str:
    """The DocumentId of a document: issuer code, date, number/notation."""
    return f"{organ_id},{day:%Y/%m/%d},{number}/{notation}"


# --- building ------------------------------------------------------------------------------


def _el(parent: Any, name: str, text: str | None = None) -> Any:
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def _organ(parent: Any, name: str, organ: Organ) -> None:
    node = _el(parent, name)
    for tag, value in (("OrganId", organ.organ_id), ("OrganizationInCharge", organ.in_charge),
                       ("OrganName", organ.name), ("OrganAdd", organ.address),
                       ("Email", organ.email), ("Telephone", organ.telephone),
                       ("Fax", organ.fax), ("Website", organ.website)):
        _el(node, tag, value)


def build(envelope: Envelope, *, placeholder: bool = False) -> Any:
    """The edXML tree of ``envelope``; ``placeholder`` leaves a ds:Signature for signxml."""
    root = etree.Element(f"{{{NS}}}edXML", nsmap={"edXML": NS})
    env = _el(root, "edXMLEnvelope")
    header = _el(env, "edXMLHeader")
    message = _el(header, "MessageHeader")
    _organ(message, "From", envelope.sender)
    for receiver in envelope.receivers:
        _organ(message, "To", receiver)
    _el(message, "DocumentId", envelope.document_id)
    code = _el(message, "Code")
    _el(code, "CodeNumber", envelope.code_number)
    _el(code, "CodeNotation", envelope.code_notation)
    info = _el(message, "PromulgationInfo")
    _el(info, "Place", envelope.place)
    _el(info, "PromulgationDate", f"{envelope.promulgation_date:%d/%m/%Y}")
    kind = _el(message, "DocumentType")
    _el(kind, "Type", str(DOCUMENT_TYPE_CODES.get(envelope.type_name, 0)))
    _el(kind, "TypeDetail", "0")
    _el(kind, "TypeName", envelope.type_name)
    _el(message, "Subject", envelope.subject)
    _el(message, "Content", envelope.content or envelope.subject)
    signer = _el(message, "SignerInfo")
    _el(signer, "Competence", envelope.competence)
    _el(signer, "Position", envelope.position)
    _el(signer, "FullName", envelope.full_name)
    _el(message, "DueDate", "")
    other = _el(message, "OtherInfo")
    _el(other, "Priority", "0")
    _el(other, "SphereOfPromulgation", SPHERE)
    _el(other, "TyperNotation", "")
    _el(other, "PromulgationAmount", "1")
    _el(other, "PageAmount", str(envelope.page_amount))
    _el(other, "Direction", "false")
    _el(_el(other, "Appendixes"), "Appendix")
    _el(message, "SteeringType", "0")
    places = _el(message, "ToPlaces")
    for place in envelope.to_places:
        _el(places, "Place", place)
    traces = _el(header, "TraceHeaderList")
    trace = _el(traces, "TraceHeader")
    _el(trace, "OrganId", envelope.sender.organ_id)
    _el(trace, "Timestamp", f"{envelope.sent_at.astimezone(VN_TZ):%Y/%m/%d %H:%M:%S}")
    business = _el(traces, "Bussiness")
    _el(business, "DocumentId", envelope.document_id)
    _el(business, "BussinessDocType", str(BUSINESS_CODES[envelope.business]))
    _el(business, "BussinessDocReason", BUSINESS_REASONS[envelope.business])
    _el(business, "Paper", "0")
    if envelope.replaced:
        replacements = _el(business, "ReplacementInfoList")
        for replaced in envelope.replaced:
            item = _el(replacements, "ReplacementInfo")
            _el(item, "DocumentId", replaced)
            organs = _el(item, "OrganIdList")
            for organ_id in envelope.replaced_organs:
                _el(organs, "OrganId", organ_id)
    if placeholder:
        etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    manifest = _el(_el(env, "edXMLBody"), "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _el(root, "AttachmentEncoded")
    for attachment in envelope.attachments:
        ref = _el(manifest, "Reference")
        _el(ref, "ContentId", attachment.content_id)
        _el(ref, "ContentType", attachment.content_type)
        _el(ref, "Description", attachment.description or attachment.name)
        _el(ref, "AttachmentName", attachment.name)
        item = _el(encoded, "Attachment")
        _el(item, "ContentId", attachment.content_id)
        _el(item, "AttachmentName", attachment.name)
        _el(item, "Description", attachment.description or attachment.name)
        _el(item, "ContentType", attachment.content_type)
        _el(item, "ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii"))
    return root


def serialise(root: Any) -> bytes:
    """The tree as UTF-8 bytes with an XML declaration (indented unless signed)."""
    signed = root.find(f".//{{{DS}}}Signature") is not None
    if not signed:
        etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# --- parsing --------------------------------------------------------------------------------


class EdxmlInvalid(ValueError):
    """The file is not an edXML message this tool can read."""


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def parse_tree(data: bytes) -> Any:
    """The XML tree of an edXML file (entities never resolved, no network)."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise EdxmlInvalid(f"not well-formed XML: {exc}") from None
    if etree.QName(root).localname != "edXML":
        raise EdxmlInvalid(f"the root element is <{etree.QName(root).localname}>, not <edXML>")
    return root


def _find(node: Any, path: str) -> Any:
    """The first element at ``path`` (local names, any namespace)."""
    steps = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    found = node.xpath(steps)
    return found[0] if found else None


def _all(node: Any, path: str) -> list[Any]:
    steps = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    return list(node.xpath(steps))


def _text(node: Any, path: str) -> str:
    found = _find(node, path) if node is not None else None
    return (found.text or "").strip() if found is not None else ""


def _read_organ(node: Any) -> Organ:
    return Organ(_text(node, "OrganId"), _text(node, "OrganName"),
                 _text(node, "OrganizationInCharge"), _text(node, "OrganAdd"),
                 _text(node, "Email"), _text(node, "Telephone"), _text(node, "Fax"),
                 _text(node, "Website"))


def parse_date(text: str) -> dt.date:
    """A PromulgationDate: DD/MM/YYYY (the sample) or YYYY/MM/DD (another builder)."""
    for pattern in ("%d/%m/%Y", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise EdxmlInvalid(f"PromulgationDate '{text}' is neither DD/MM/YYYY nor YYYY/MM/DD")


def _parse_time(text: str) -> dt.datetime:
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S"):
        try:
            moment = dt.datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
    raise EdxmlInvalid(f"TraceHeader Timestamp '{text}' is not YYYY/MM/DD HH:MM:SS")


def parse(data: bytes) -> Envelope:
    """Read an edXML message back into an :class:`Envelope`."""
    root = parse_tree(data)
    message = _find(root, "edXMLEnvelope/edXMLHeader/MessageHeader")
    if message is None:
        raise EdxmlInvalid("no edXMLEnvelope/edXMLHeader/MessageHeader element")
    sender = _find(message, "From")
    if sender is None:
        raise EdxmlInvalid("MessageHeader has no From element")
    traces = _find(root, "edXMLEnvelope/edXMLHeader/TraceHeaderList")
    business = _find(traces, "Bussiness") if traces is not None else None
    codes = {str(v): k for k, v in BUSINESS_CODES.items()}
    kind = codes.get(_text(business, "BussinessDocType"), "NEW") if business is not None else "NEW"
    replaced = tuple(_text(item, "DocumentId") for item in
                     (_all(business, "ReplacementInfoList/ReplacementInfo")
                      if business is not None else []))
    organs = tuple(dict.fromkeys(
        (o.text or "").strip() for o in (_all(business, "ReplacementInfoList/ReplacementInfo/"
                                                        "OrganIdList/OrganId")
                                         if business is not None else [])))
    stamp = _text(traces, "TraceHeader/Timestamp") if traces is not None else ""
    attachments = []
    for item in _all(root, "AttachmentEncoded/Attachment"):
        try:
            payload = base64.b64decode(_text(item, "ContentTransferEncoded"), validate=False)
        except ValueError as exc:
            raise EdxmlInvalid(f"attachment {_text(item, 'AttachmentName')}: {exc}") from None
        attachments.append(Attachment(_text(item, "ContentId"), _text(item, "AttachmentName"),
                                      _text(item, "ContentType"), payload,
                                      _text(item, "Description")))
    page_amount = _text(message, "OtherInfo/PageAmount")
    return Envelope(
        sender=_read_organ(sender),
        receivers=tuple(_read_organ(node) for node in _all(message, "To")),
        code_number=_text(message, "Code/CodeNumber"),
        code_notation=_text(message, "Code/CodeNotation"),
        place=_text(message, "PromulgationInfo/Place"),
        promulgation_date=parse_date(_text(message, "PromulgationInfo/PromulgationDate")),
        type_name=_text(message, "DocumentType/TypeName"),
        subject=_text(message, "Subject"),
        competence=_text(message, "SignerInfo/Competence"),
        position=_text(message, "SignerInfo/Position"),
        full_name=_text(message, "SignerInfo/FullName"),
        sent_at=_parse_time(stamp) if stamp else dt.datetime(1970, 1, 1, tzinfo=VN_TZ),
        business=kind,
        replaced=replaced,
        replaced_organs=organs,
        to_places=tuple((node.text or "").strip() for node in _all(message, "ToPlaces/Place")),
        content=_text(message, "Content"),
        page_amount=int(page_amount) if page_amount.isdigit() else 0,
        attachments=tuple(attachments),
    )


def structure(root: Any) -> list[str]:
    """Every element path by local names (``edXML/edXMLEnvelope/…``), in document order, once."""
    paths: dict[str, None] = {}

    def walk(node: Any, prefix: str) -> None:
        if not isinstance(node.tag, str):
            return
        path = f"{prefix}/{etree.QName(node).localname}" if prefix else etree.QName(node).localname
        paths.setdefault(path, None)
        for child in node:
            walk(child, path)

    walk(root, "")
    return list(paths)


# --- XMLDSig --------------------------------------------------------------------------------


@dataclass(frozen=True)
class XmlSignatureCheck:
    """The outcome of checking an edXML file's enveloped signature."""

    present: bool
    valid: bool
    trusted: bool | None  # None: no trust roots given
    signer: str
    problem: str = ""


def sign(envelope: Envelope, key: Any, certificates: list[Any]) -> bytes:
    """The edXML of ``envelope`` with an enveloped XMLDSig (RSA-SHA256) inside edXMLHeader."""
    root = build(envelope, placeholder=True)
    signer = XMLSigner(c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0)
    signed = signer.sign(root, key=key, cert=certificates)
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def verify(data: bytes, trust_pem: Path | None = None) -> XmlSignatureCheck:
    """Check the enveloped signature of an edXML file (and its chain when roots are given)."""
    root = parse_tree(data)
    node = root.find(f".//{{{DS}}}Signature")
    if node is None:
        return XmlSignatureCheck(False, False, None, "", "no ds:Signature element")
    certs = node.findall(f".//{{{DS}}}X509Certificate")
    signer = ""
    if certs:
        pem = "-----BEGIN CERTIFICATE-----\n" + (certs[0].text or "").strip() + \
              "\n-----END CERTIFICATE-----\n"
        try:
            cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
            signer = cert.subject.rfc4514_string()
        except ValueError as exc:
            return XmlSignatureCheck(True, False, None, "", f"bad certificate: {exc}")
    else:
        return XmlSignatureCheck(True, False, None, "", "no X509Certificate in the signature")
    try:
        XMLVerifier().verify(data, x509_cert=cert, parser=_parser())
    except (InvalidSignature, InvalidInput, ValueError) as exc:
        return XmlSignatureCheck(True, False, None, signer, str(exc))
    if trust_pem is None:
        return XmlSignatureCheck(True, True, None, signer)
    try:
        XMLVerifier().verify(data, ca_pem_file=str(trust_pem), parser=_parser())
    except (InvalidSignature, InvalidInput, ValueError) as exc:
        return XmlSignatureCheck(True, True, False, signer, str(exc))
    return XmlSignatureCheck(True, True, True, signer)
