"""Drafts before they are signed: ``committee decision edit`` and ``committee decision delete``.

A signed decision is frozen: both refuse it and point to a new decision instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Decision, Signing
from committee_cli.services.decisions import DECISION_KINDS, SIGNING_MODES, citation
from committee_cli.services.resolve import resolve_decision, resolve_legal_basis
from committee_cli.services.unit_of_work import UnitOfWork, set_field
from committee_cli.vietnamese import nfc


@dataclass
class DraftEdit:
    """What ``decision edit`` may change; ``None`` leaves it (an empty text removes it)."""

    kind: str | None = None
    committee: str | None = None
    number: int | None = None
    symbol: str | None = None
    date: dt.date | None = None
    place: str | None = None
    issuer: str | None = None
    subject: str | None = None
    proposer: str | None = None
    legal_bases: list[str] | None = None
    replaces: list[str] | None = None
    recipients: list[str] | None = None
    mode: str | None = None
    authority: str | None = None
    signer_title: str | None = None
    body: str | None = None
    signer: str | None = None


_SIGNING = ("mode", "authority", "signer_title", "body", "signer")
_LISTS = ("legal_bases", "replaces", "recipients")


def _clean(value: str) -> str:
    return " ".join(nfc(value).split())


def _draft(uow: UnitOfWork, decision: str, verb: str) -> tuple[str, Decision]:
    decision_id = resolve_decision(uow, decision)
    dec: Decision = uow.get("decision", decision_id)
    if dec.status == "signed":
        raise UsageError(tr("decision '{decision_id}' ({citation}) is signed: it cannot be "
                            "{verb}; draft a new decision that amends or replaces it "
                            "(`committee decision new --replaces {decision_id}`)",
                            decision_id=decision_id, citation=citation(dec), verb=verb))
    return decision_id, dec


def _value(uow: UnitOfWork, key: str, value: Any) -> Any:
    """A checked value for a field (ids resolve, kinds and modes known)."""
    if key == "kind" and value not in DECISION_KINDS:
        raise UsageError(tr("unknown decision kind '{kind}'; kinds: {decision_kinds}",
                            kind=value, decision_kinds=", ".join(DECISION_KINDS)))
    if key == "mode" and value not in SIGNING_MODES:
        raise UsageError(tr("unknown signing mode '{mode}'; modes: {signing_modes}", mode=value,
                            signing_modes=", ".join(SIGNING_MODES)))
    if key == "committee" and value:
        uow.get("committee", value)
    if key == "issuer" and value:
        uow.get("organisation", value)
    if key == "signer" and value:
        uow.get("person", value)
    if key == "legal_bases":
        return [resolve_legal_basis(uow, v) for v in value]
    if key == "replaces":
        return [resolve_decision(uow, v) for v in value]
    if key == "recipients":
        return [_clean(v) for v in value if _clean(v)]
    if isinstance(value, str):
        return _clean(value)
    return value


def edit_draft(uow: UnitOfWork, decision: str, edit: DraftEdit) -> str:
    """Change a draft's metadata: kind, number, date, subject, signing, legal bases, …."""
    decision_id, dec = _draft(uow, decision, "edited")
    document = uow.edit("decision", decision_id)
    done: list[str] = []
    for item in fields(edit):
        value = getattr(edit, item.name)
        if value is None:
            continue
        value = _value(uow, item.name, value)
        if item.name in ("subject", "symbol", "kind", "mode", "authority") and value == "":
            raise UsageError(tr("--{option} cannot be emptied", option=item.name))
        if item.name in ("legal_bases", "replaces") and decision_id in value:
            raise UsageError(tr("a decision cannot cite or replace itself"))
        if item.name in _SIGNING:
            set_field(document["signing"], item.name, value if value != "" else None, Signing)
        else:
            set_field(document, item.name, value if value not in ("", []) else None, Decision)
        done.append(item.name.replace("_", " "))
    if not done:
        raise UsageError(tr("nothing to edit: give an option to change (see --help)"))
    return f"Sửa {_draft_text(dec)}: {', '.join(done)}"


def delete_draft(uow: UnitOfWork, decision: str) -> str:
    """Delete a draft that nothing cites (end or remove those records first)."""
    decision_id, dec = _draft(uow, decision, "deleted")
    reg = uow.registry
    citing = [f"{kind} {rid}" for kind, rid, _ in reg.events_citing(decision_id)]
    citing += [f"decision {did}" for did, other in sorted(reg.decisions.items())
               if decision_id in other.legal_bases or decision_id in other.replaces]
    for cid, com in sorted(reg.committees.items()):
        for field_name in ("established", "dissolved"):
            event = getattr(com, field_name)
            if event is not None and event.decision == decision_id:
                citing.append(f"committee {cid}")
    for oid, org in sorted(reg.organisations.items()):
        if any(c.decision == decision_id for c in org.changes):
            citing.append(f"organisation {oid}")
    if citing:
        raise UsageError(tr("draft '{decision_id}' is cited by {count} record(s): {records}; "
                            "remove those changes first (or edit the draft instead)",
                            decision_id=decision_id, count=len(citing),
                            records=", ".join(citing[:10])))
    uow.delete("decision", decision_id)
    return f"Xóa {_draft_text(dec)}: {dec.subject}"


def _draft_text(dec: Decision) -> str:
    """``dự thảo QĐ-TTg`` or ``dự thảo QĐ 1619/QĐ-TTg``, never "dự thảo dự thảo"."""
    text = citation(dec)
    return text if text.startswith("dự thảo") else f"dự thảo {text}"
