"""Decisions as the source of every change: draft one (``decision new``), sign it (``decision sign``),
and cite it from an amendment (:func:`cite`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import (
    Decision,
    DecisionKind,
    Organisation,
    Signature,
    SigningMode,
)
from committee_cli.model.registry import Registry
from committee_cli.queries.content import SCHEME
from committee_cli.services import sealing
from committee_cli.services.resolve import resolve_decision, resolve_legal_basis
from committee_cli.services.sealing import seal
from committee_cli.services.unit_of_work import UnitOfWork, set_field, to_node
from committee_cli.vietnamese import fold, nfc, short_citation, short_date, slugify

DECISION_KINDS: tuple[str, ...] = get_args(DecisionKind)
SIGNING_MODES: tuple[str, ...] = get_args(SigningMode)
FORCED_PREFIX = "ghi nhận sau khi quyết định đã ký"
_UNSEALED = "sha256:" + "0" * 64  # stands in while the facts are read


def citation(decision: Decision) -> str:
    """``QĐ 1050/QĐ-BNV`` (or ``dự thảo QĐ-BNV`` for a draft without a number)."""
    return short_citation(decision.number, decision.symbol)


# --- citing a decision from an amendment -------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A decision cited by an amendment, the date the change takes effect, and a forced note."""

    decision_id: str
    decision: Decision
    date: dt.date
    explicit: dt.date | None  # written as ``date:`` only when it differs from the decision's
    forced: str | None

    @property
    def text(self) -> str:
        """The decision as cited in a summary: ``QĐ 1050/QĐ-BNV``."""
        return citation(self.decision)

    def event(self, reason: str | None = None) -> dict[str, Any]:
        """The start or end of a record citing this decision (date only when it differs); a
        --force-signed reason goes to the event's own ``forced`` field (rule R202 reads it)."""
        return {"decision": self.decision_id, "date": self.explicit, "reason": reason or None,
                "forced": self.forced_reason}

    @property
    def forced_reason(self) -> str | None:
        """The --force-signed reason alone (without the prefix kept in task notes)."""
        if self.forced is None:
            return None
        return self.forced.removeprefix(f"{FORCED_PREFIX}: ")


def cite(uow: UnitOfWork, decision_id: str, on: dt.date | None = None,
         force_signed: str | None = None) -> Citation:
    """Check that an amendment may cite a decision, and take the change's date from it.

    A signed decision is frozen: an amendment citing it is refused unless ``force_signed``
    gives the reason, which is then recorded on the amended record.
    """
    decision: Decision = uow.get("decision", decision_id)
    decided = uow.registry.decision_date(decision_id) or decision.date
    forced: str | None = None
    if decision.status == "signed":
        if not force_signed or not force_signed.strip():
            raise UsageError(
                tr("decision '{decision_id}' ({citation}) is already signed: amendments cite a "
                   "draft and the draft is then signed; to record a change of a signed decision "
                   "afterwards, pass --force-signed \"REASON\" (the reason is kept on the amended "
                   "record)", decision_id=decision_id, citation=citation(decision)))
        forced = f"{FORCED_PREFIX}: {nfc(force_signed.strip())}"
        if decision_id not in uow.finishing:
            uow.finishing[decision_id] = acknowledge_forced(decision_id,
                                                            nfc(force_signed.strip()))
    when = on or decided
    if when < decided:
        raise UsageError(tr("the change would take effect on {when}, before its decision "
                            "'{decision_id}' of {decided}: a change takes effect on or after its "
                            "decision", when=when.isoformat(), decision_id=decision_id,
                            decided=decided.isoformat()))
    return Citation(decision_id, decision, when, when if when != decided else None, forced)


# --- decision new -----------------------------------------------------------------------------


def number_taken(registry: Registry, symbol: str, year: int, number: int,
                 ignore: str | None = None) -> str | None:
    """The id of the decision that already uses ``number/symbol`` in ``year``, if any."""
    for did, dec in sorted(registry.decisions.items()):
        if did != ignore and dec.symbol == symbol and dec.number == number and \
                dec.date.year == year:
            return did
    return None


def next_free_number(registry: Registry, symbol: str, year: int) -> int:
    """One more than the highest number of the series in that year."""
    used = [d.number for d in registry.decisions.values()
            if d.symbol == symbol and d.date.year == year and d.number is not None]
    return max(used, default=0) + 1


def _refuse_taken(registry: Registry, symbol: str, year: int, number: int,
                  ignore: str | None = None) -> None:
    taken = number_taken(registry, symbol, year, number, ignore)
    if taken:
        raise UsageError(tr("number {number}/{symbol} is already used in {year} by '{taken}': "
                            "take the next free number ({next_free_number})", number=number,
                            symbol=symbol, year=year, taken=taken,
                            next_free_number=next_free_number(registry, symbol, year)))


def _issuer_of(uow: UnitOfWork, symbol: str, committee: str | None) -> str:
    suffix = fold(symbol.split("-", 1)[-1])
    matches = sorted(oid for oid, org in uow.registry.organisations.items()
                     if org.abbreviation and fold(org.abbreviation) == suffix)
    if matches:
        return matches[0]
    if committee:
        return str(uow.registry.committees[committee].organisation)
    raise UsageError(tr("no organisation has the abbreviation '{split}' of symbol {symbol}: pass "
                        "--issuer ORG", split=symbol.split('-', 1)[-1], symbol=symbol))


def _draft_id(uow: UnitOfWork, symbol: str, number: int | None, date: dt.date,
              stem: str) -> str:
    doc_type = slugify(symbol.split("-", 1)[0]) or "qd"
    if number is not None:
        return uow.free_id("decision", f"{doc_type}-{number}-{date.year}")
    base = f"du-thao-{stem}"
    n = 1
    while uow.taken("decision", f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def new_decision(uow: UnitOfWork, *, kind: str, symbol: str, date: dt.date, subject: str,
                 committee: str | None = None, number: int | None = None,
                 signer: str | None = None, mode: str = "direct", issuer: str | None = None,
                 authority: str | None = None, signer_title: str | None = None,
                 place: str | None = None, legal_bases: list[str] | None = None,
                 proposer: str | None = None, replaces: list[str] | None = None,
                 recipients: list[str] | None = None) -> str:
    """Create a draft decision; its id (``qd-1050-2022``, ``du-thao-…-1``) is in ``uow.created``."""
    reg = uow.registry
    if kind not in DECISION_KINDS:
        raise UsageError(tr("unknown decision kind '{kind}'; kinds: {decision_kinds}", kind=kind,
                            decision_kinds=', '.join(DECISION_KINDS)))
    if mode not in SIGNING_MODES:
        raise UsageError(tr("unknown signing mode '{mode}'; modes: {signing_modes}", mode=mode,
                            signing_modes=', '.join(SIGNING_MODES)))
    symbol = nfc(symbol.strip())
    if committee is not None:
        uow.get("committee", committee)
    if signer is not None:
        uow.get("person", signer)
    legal_bases = [resolve_legal_basis(uow, basis) for basis in legal_bases or []]
    replaces = [resolve_decision(uow, old) for old in replaces or []]
    if number is not None:
        _refuse_taken(reg, symbol, date.year, number)
    issuer = issuer or _issuer_of(uow, symbol, committee)
    org: Organisation = uow.get("organisation", issuer)
    body: str | None = None
    if mode == "TM":
        if committee is None:
            raise UsageError(tr("TM. (on behalf of a collective body) needs --committee"))
        com = reg.committees[committee]
        body = com.name
        heads = [r.name for r in reg.roles_of(committee).values() if r.head]
        authority = authority or (heads[0] if heads else None)
    authority = authority or org.head_title
    if not authority:
        raise UsageError(tr("organisation '{issuer}' has no head_title: pass --authority (e.g. "
                            "\"Bộ trưởng\")", issuer=issuer))
    if mode == "KT":
        signer_title = signer_title or org.deputy_title
    if mode in ("TL", "TUQ") and not signer_title:
        raise UsageError(tr("{mode}. signing needs --signer-title (the signer's own title)",
                            mode=mode))
    stem = committee or slugify(kind)
    decision_id = _draft_id(uow, symbol, number, date, stem)
    data: dict[str, Any] = {
        "status": "draft", "kind": kind, "committee": committee, "number": number,
        "symbol": symbol, "date": date, "place": place or reg.config.default_place,
        "issuer": issuer, "subject": nfc(subject.strip()),
        "signing": {"mode": mode, "authority": nfc(authority), "signer_title": signer_title,
                    "body": body, "signer": signer},
        "legal_bases": legal_bases or [], "proposer": proposer, "replaces": replaces or [],
        "recipients": recipients or [],
    }
    uow.create("decision", decision_id, data)
    cited = short_citation(number, symbol)
    return f"Dự thảo {cited} ngày {short_date(date)}: {nfc(subject.strip())}"


# --- decision sign ----------------------------------------------------------------------------


def sign_decision(uow: UnitOfWork, decision_id: str, *, on: dt.date | None = None,
                  number: int | None = None, signer: str | None = None) -> str:
    """Sign a draft: set its number (if given), date, status and the signature fingerprint.

    The number must be free in its series that year and the signer must hold the authority on
    that date (rules R109 and R110 check the result); from then on the record is frozen (R111).
    """
    reg = uow.registry
    decision: Decision = uow.get("decision", decision_id)
    if decision.status == "signed":
        when = decision.signature.date if decision.signature else decision.date
        raise UsageError(tr("decision '{decision_id}' ({citation}) was already signed on {when}: "
                            "a signed decision is frozen; issue a new decision to change it",
                            decision_id=decision_id, citation=citation(decision),
                            when=when.isoformat()))
    date = on or decision.date
    final_number = number if number is not None else decision.number
    if final_number is None:
        raise UsageError(tr("decision '{decision_id}' has no number: give it with --number (the "
                            "next free in {symbol} for {year} is {next_free_number})",
                            decision_id=decision_id, symbol=decision.symbol, year=date.year,
                            next_free_number=next_free_number(reg, decision.symbol, date.year)))
    _refuse_taken(reg, decision.symbol, date.year, final_number, ignore=decision_id)
    if signer is not None:
        uow.get("person", signer)
    elif decision.signing.signer is None:
        raise UsageError(tr("decision '{decision_id}' names no signer: pass --signer PERSON",
                            decision_id=decision_id))
    document = uow.edit("decision", decision_id)
    set_field(document, "number", final_number, Decision)
    set_field(document, "date", date, Decision)
    if signer is not None:
        set_field(document["signing"], "signer", signer, type(decision.signing))
    set_field(document, "status", "signed", Decision)
    set_field(document, "signature", {"date": date, "fingerprint": _UNSEALED, "scheme": SCHEME},
              Decision)
    # the fingerprint of every fact the document states, read with this change's edits
    document["signature"]["fingerprint"] = seal(uow.registry, decision_id, uow.root)
    return f"Ký {short_citation(final_number, decision.symbol)} ngày {short_date(date)}: " \
           f"{decision.subject}"


# --- decision correct | migrate ------------------------------------------------------------------


def _append(node: Any, key: str, item: dict[str, Any]) -> None:
    """Append an entry to a list field of the signature (created in its canonical place)."""
    if key in node and node[key] is not None:
        node[key].append(to_node(item))
    else:
        set_field(node, key, [item], Signature)


def _record_correction(uow: UnitOfWork, decision_id: str, found: sealing.Correction,
                       reason: str, on: dt.date) -> None:
    signature = uow.edit("decision", decision_id)["signature"]
    _append(signature, "previous", {"scheme": SCHEME, "fingerprint": found.previous})
    _append(signature, "corrections", sealing.correction_record(found, reason, on))
    set_field(signature, "fingerprint", found.fingerprint, Signature)


def correct_decision(uow: UnitOfWork, decision_id: str, *, reason: str,
                     on: dt.date | None = None) -> str:
    """Record that a signed decision's facts were corrected (a typo in a name, a title): the
    facts before and after, the reason and the new fingerprint join its signature record."""
    decision: Decision = uow.get("decision", decision_id)
    reason = nfc(reason.strip())
    if not reason:
        raise UsageError(tr("--reason must say why the signed text is corrected"))
    found = sealing.correction(uow.registry, decision_id, uow.root)
    when = on or dt.date.today()
    _record_correction(uow, decision_id, found, reason, when)
    shown = ", ".join(c.path for c in found.changes[:3])
    more = f" (+{len(found.changes) - 3})" if len(found.changes) > 3 else ""
    return f"Đính chính {citation(decision)} ngày {short_date(when)}: {shown}{more} — {reason}"


def acknowledge_forced(decision_id: str, reason: str) -> Callable[[UnitOfWork], None]:
    """After an amendment made with --force-signed: record the change it made to the signed
    decision's facts as a correction with the given reason (nothing when the facts are the same)."""

    def finish(uow: UnitOfWork) -> None:
        before_reg = uow.loaded.registry
        decision = uow.registry.decisions.get(decision_id)
        if decision is None or decision.signature is None or decision.signature.scheme < SCHEME:
            return
        try:
            found = sealing.correction(uow.registry, decision_id, uow.root,
                                       before=before_reg)
        except UsageError:
            return  # the facts are unchanged, or the signed ones are not at hand (R130 says so)
        _record_correction(uow, decision_id, found, reason, dt.date.today())

    return finish


def migrate_signatures(uow: UnitOfWork) -> str:
    """Upgrade every signature of scheme 1 (the decision's file) to scheme 2 (its facts); the
    old fingerprint is kept as the first entry of ``previous``. A scheme-1 signature that no
    longer matches its file is refused: upgrading it would seal an edit silently."""
    reg = uow.registry  # the facts do not depend on the fingerprints: read once, then edit
    store = sealing.FactsStore.of(uow.root)
    upgraded: list[str] = []
    for decision_id in sorted(reg.decisions):
        old = reg.decisions[decision_id].signature
        value = sealing.upgrade(reg, decision_id, store)
        if value is None or old is None:
            continue
        signature = uow.edit("decision", decision_id)["signature"]
        set_field(signature, "fingerprint", value, Signature)
        set_field(signature, "scheme", SCHEME, Signature)
        _append(signature, "previous", {"scheme": old.scheme, "fingerprint": old.fingerprint})
        upgraded.append(decision_id)
    store.save()
    if not upgraded:
        return "Không có chữ ký cần nâng cấp"
    return f"Nâng cấp dấu vân tay (lược đồ {SCHEME}) của {len(upgraded)} quyết định: " + \
        ", ".join(upgraded)
