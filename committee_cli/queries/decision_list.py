"""Decisions: those concerning a committee (or all), in date order, up to a date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from committee_cli.model.registry import Registry
from committee_cli.queries.base import (
    Answer,
    Ref,
    citation,
    committee_ref,
    org_name,
    person_name,
    resolve_committee,
)


def committee_decisions(reg: Registry, committee_id: str) -> set[str]:
    """Ids of the decisions that concern a committee: its own, and those its records cite."""
    return _concerning(
        reg, committee_id,
        (did for did, d in reg.decisions.items() if d.committee == committee_id),
        (r.issued_by for r in reg.regulations.values() if r.committee == committee_id),
        (t.assigned_by for t in reg.tasks.values() if t.committee == committee_id))


def decisions_by_committee(reg: Registry) -> dict[str, set[str]]:
    """``committee_decisions`` of every committee at once, in one pass over the records."""
    own: dict[str, list[str]] = {}
    for did, decision in reg.decisions.items():
        if decision.committee:
            own.setdefault(decision.committee, []).append(did)
    for regulation in reg.regulations.values():
        own.setdefault(regulation.committee, []).append(regulation.issued_by)
    for task in reg.tasks.values():
        own.setdefault(task.committee, []).append(task.assigned_by)
    return {cid: _concerning(reg, cid, own.get(cid, ())) for cid in reg.committees}


def _concerning(reg: Registry, committee_id: str, *cited: Iterable[str]) -> set[str]:
    """The decisions ``cited`` plus those the committee's own events and seats cite."""
    found = {did for ids in cited for did in ids}
    committee = reg.committees[committee_id]
    events = [committee.established, committee.dissolved]
    for duty in committee.duties:
        events += [duty.start, duty.end]
    for seat in reg.seats_of(committee_id).values():
        events += [seat.start, seat.end]
    found |= {e.decision for e in events if e is not None}
    return {did for did in found if did in reg.decisions}


def decision_order(reg: Registry, decision_id: str) -> tuple[date, int, str]:
    """Sort key: effective date, then number, then id."""
    decision = reg.decisions[decision_id]
    return (reg.decision_date(decision_id) or decision.date, decision.number or 0, decision_id)


@dataclass(frozen=True)
class DecisionRow(Answer):
    """A decision's own metadata, as listed."""

    decision: str
    citation: str | None
    number: int | None
    symbol: str
    date: date
    effective: datetime.date | None  # (`date` here is the field above)
    kind: str
    status: str
    committee: str | None
    subject: str
    issuer: str
    issuer_name: str | None
    signer: str | None
    signer_name: str | None
    replaces: list[str]


@dataclass(frozen=True)
class DecisionList(Answer):
    """Decisions in date order."""

    committee: Ref | None
    as_of: date | None
    decisions: list[DecisionRow]


def decision_row(reg: Registry, decision_id: str) -> DecisionRow:
    """Describe one decision."""
    d = reg.decisions[decision_id]
    return DecisionRow(
        decision=decision_id, citation=citation(reg, decision_id), number=d.number,
        symbol=d.symbol, date=d.date, effective=reg.decision_date(decision_id), kind=d.kind,
        status=d.status, committee=d.committee, subject=d.subject, issuer=d.issuer,
        issuer_name=org_name(reg, d.issuer), signer=d.signing.signer,
        signer_name=person_name(reg, d.signing.signer), replaces=list(d.replaces))


def decisions(reg: Registry, committee: str | None, as_of: date | None = None) -> DecisionList:
    """Decisions concerning ``committee`` (None: every decision) effective on or before ``as_of``."""
    committee_id = resolve_committee(reg, committee) if committee is not None else None
    ids = committee_decisions(reg, committee_id) if committee_id else set(reg.decisions)
    if as_of is not None:
        ids = {did for did in ids if decision_order(reg, did)[0] <= as_of}
    rows = [decision_row(reg, did) for did in sorted(ids, key=lambda d: decision_order(reg, d))]
    return DecisionList(committee_ref(reg, committee_id) if committee_id else None, as_of, rows)
