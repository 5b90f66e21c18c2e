"""A committee at a glance: what it is, who sits on it, open work and the latest decision."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from committee_cli.model.records import Event
from committee_cli.model.registry import Registry
from committee_cli.queries.base import (
    CLOSED_STATUSES,
    Answer,
    Ref,
    citation,
    committee_ref,
    org_name,
    resolve_committee,
    role_name,
)
from committee_cli.queries.decision_list import committee_decisions, decision_order
from committee_cli.queries.duty_list import duty_in_force
from committee_cli.queries.task_list import tasks


@dataclass(frozen=True)
class RoleCount(Answer):
    """How many seats of a role are held."""

    role: str
    role_name: str
    count: int


@dataclass(frozen=True)
class SeatCount(Answer):
    """Seats held, in all and by role (protocol order)."""

    total: int
    by_role: list[RoleCount]


@dataclass(frozen=True)
class TaskCount(Answer):
    """Tasks not done or cancelled, and how many of those are overdue."""

    open: int
    overdue: int


@dataclass(frozen=True)
class Overview(Answer):
    """Everything ``committee show`` prints about one committee on ``as_of``."""

    committee: Ref
    as_of: date
    short_name: str | None
    organisation: Ref
    parent: Ref | None
    working_groups: list[Ref]
    standing_body: dict[str, Any] | None
    seal: Ref | None
    working_mode: str
    regulation_issuer: Ref | None
    established: dict[str, Any] | None
    dissolved: dict[str, Any] | None
    seats: SeatCount
    duties_in_force: int
    tasks: TaskCount
    latest_decision: dict[str, Any] | None
    drafts: int


def _event(reg: Registry, event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"date": reg.event_date(event), "decision": event.decision,
            "citation": citation(reg, event.decision)}


def overview(reg: Registry, committee: str | None, as_of: date) -> Overview:
    """The overview of ``committee`` on ``as_of``."""
    committee_id = resolve_committee(reg, committee)
    com = reg.committees[committee_id]
    held = Counter(seat.role for _, seat in reg.active_seats(committee_id, as_of))
    ranks = reg.roles_of(committee_id)
    by_role = [RoleCount(rid, role_name(reg, committee_id, rid), n)
               for rid, n in sorted(held.items(),
                                    key=lambda kv: (ranks[kv[0]].rank if kv[0] in ranks else 999,
                                                    kv[0]))]
    open_tasks = [t for t in tasks(reg, committee_id, as_of).tasks
                  if t.status not in CLOSED_STATUSES]
    decided = sorted(committee_decisions(reg, committee_id), key=lambda d: decision_order(reg, d))
    signed = [d for d in decided if reg.decisions[d].status == "signed"
              and decision_order(reg, d)[0] <= as_of]
    latest = None
    if signed:
        d = reg.decisions[signed[-1]]
        latest = {"decision": signed[-1], "citation": citation(reg, signed[-1]),
                  "date": reg.decision_date(signed[-1]), "kind": d.kind, "subject": d.subject}
    standing = None
    if com.standing_body:
        standing = {"id": com.standing_body.unit, "name": org_name(reg, com.standing_body.unit),
                    "tasks": com.standing_body.tasks}
    parent = None
    if com.parent:
        parent = committee_ref(reg, com.parent)
    return Overview(
        committee=committee_ref(reg, committee_id), as_of=as_of, short_name=com.short_name,
        organisation=Ref(com.organisation, org_name(reg, com.organisation) or com.organisation),
        parent=parent,
        working_groups=[committee_ref(reg, cid) for cid, c in sorted(reg.committees.items())
                        if c.parent == committee_id],
        standing_body=standing,
        seal=Ref(com.seal, org_name(reg, com.seal) or com.seal) if com.seal else None,
        working_mode=com.working_mode,
        regulation_issuer=(Ref(com.regulation_issuer,
                               role_name(reg, committee_id, com.regulation_issuer))
                           if com.regulation_issuer else None),
        established=_event(reg, com.established), dissolved=_event(reg, com.dissolved),
        seats=SeatCount(sum(r.count for r in by_role), by_role),
        duties_in_force=sum(duty_in_force(reg, duty, as_of) for duty in com.duties),
        tasks=TaskCount(len(open_tasks), sum(t.overdue for t in open_tasks)), latest_decision=latest,
        drafts=sum(reg.decisions[d].status == "draft" for d in decided))
