"""A committee's duties (the clauses of Điều 2 in its decision) in force on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from committee_cli.model.records import Duty
from committee_cli.model.registry import Registry
from committee_cli.queries.base import Answer, Ref, citation, committee_ref, event_span, resolve_committee


def duty_in_force(reg: Registry, duty: Duty, as_of: date) -> bool:
    """True when the duty has started on ``as_of`` and not yet ended (end exclusive)."""
    since, until = event_span(reg, duty.start, duty.end)
    return since is not None and since <= as_of and (until is None or as_of < until)


@dataclass(frozen=True)
class DutyRow(Answer):
    """One duty, numbered as listed, with the decisions that started and ended it."""

    id: str
    number: int
    text: str
    since: date | None
    decision: str
    citation: str | None
    until: date | None
    end_decision: str | None
    end_citation: str | None
    in_force: bool


@dataclass(frozen=True)
class DutyList(Answer):
    """The duties of a committee on ``as_of`` (or every duty ever, with ``in_force``)."""

    committee: Ref
    as_of: date
    duties: list[DutyRow]


def duties(reg: Registry, committee: str | None, as_of: date, include_ended: bool = False) -> DutyList:
    """The duties of ``committee`` in force on ``as_of``; with ``include_ended``, every duty recorded."""
    committee_id = resolve_committee(reg, committee)
    rows: list[DutyRow] = []
    for duty in reg.committees[committee_id].duties:
        in_force = duty_in_force(reg, duty, as_of)
        if not in_force and not include_ended:
            continue
        since, until = event_span(reg, duty.start, duty.end)
        end_decision = duty.end.decision if duty.end else None
        rows.append(DutyRow(
            id=duty.id, number=len(rows) + 1, text=duty.text, since=since,
            decision=duty.start.decision, citation=citation(reg, duty.start.decision),
            until=until, end_decision=end_decision, end_citation=citation(reg, end_decision),
            in_force=in_force))
    return DutyList(committee_ref(reg, committee_id), as_of, rows)
