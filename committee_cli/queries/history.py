"""A committee's history: its decisions in date order and, in words, what each one changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from committee_cli.model.records import Seat
from committee_cli.model.registry import Registry
from committee_cli.queries.base import (
    Answer,
    Ref,
    citation,
    committee_ref,
    day,
    resolve_committee,
    role_name,
    seat_holder,
    title_phrase,
)
from committee_cli.queries.decisions import committee_decisions, decision_order


@dataclass(frozen=True)
class Change(Answer):
    """One thing a decision did: ``change`` says what, ``text`` says it in words."""

    change: str  # established, dissolved, started, ended, replaced, role-changed, duty-added, …
    kind: str  # committee, seat, duty, regulation, task
    id: str
    previous: str | None  # the seat replaced, or the seat a person left for a new role
    date: date | None
    text: str


@dataclass(frozen=True)
class HistoryEntry(Answer):
    """A decision and the changes it made to the committee."""

    decision: str
    citation: str | None
    date: date | None
    kind: str
    status: str
    subject: str
    changes: list[Change]


@dataclass(frozen=True)
class History(Answer):
    """The timeline of a committee, up to ``as_of`` (None: everything recorded)."""

    committee: Ref
    as_of: date | None
    decisions: list[HistoryEntry]


def _holder(reg: Registry, seat: Seat, when: date | None) -> str:
    holder = seat_holder(reg, seat)
    phrase = title_phrase(reg, seat.person, when) if seat.person and when else None
    return f"{holder}, {phrase}" if phrase else holder


def _seat_changes(reg: Registry, committee_id: str, started: list[str],
                  ended: list[str]) -> list[tuple[tuple[int, int], Change]]:
    """Pair the seats a decision started with those it ended: replaced, role changed, or alone."""
    ranks = reg.roles_of(committee_id)
    rank = {rid: r.rank for rid, r in ranks.items()}
    left = list(ended)
    found: list[tuple[tuple[int, int], Change]] = []
    for sid in started:
        seat = reg.seats[sid]
        when = reg.event_date(seat.start)
        role = role_name(reg, committee_id, seat.role)
        previous = seat.replaces if seat.replaces in reg.seats else None
        if previous is None and seat.person:
            previous = next((e for e in left if reg.seats[e].person == seat.person), None)
        if previous in left:
            left.remove(previous)
        old = reg.seats[previous] if previous else None
        if old is not None and seat.person and old.person == seat.person:
            text = (f"{seat_holder(reg, seat)}: {role_name(reg, committee_id, old.role)} → {role} "
                    f"(từ {day(when)})")
            change = Change("role-changed", "seat", sid, previous, when, text)
        elif old is not None:
            text = (f"{role}: {_holder(reg, seat, when)} thay {seat_holder(reg, old)} "
                    f"(từ {day(when)})")
            change = Change("replaced", "seat", sid, previous, when, text)
        else:
            change = Change("started", "seat", sid, None, when,
                            f"{role}: + {_holder(reg, seat, when)} (từ {day(when)})")
        found.append(((rank.get(seat.role, 999), seat.order), change))
    for sid in left:
        seat = reg.seats[sid]
        when = reg.event_date(seat.end) if seat.end else None
        text = f"{role_name(reg, committee_id, seat.role)}: − {seat_holder(reg, seat)} (thôi từ {day(when)})"
        found.append(((rank.get(seat.role, 999), seat.order),
                      Change("ended", "seat", sid, None, when, text)))
    found.sort(key=lambda item: item[0])
    return found


def decision_changes(reg: Registry, committee_id: str, decision_id: str) -> list[Change]:
    """What ``decision_id`` changed in ``committee_id``, in words, in a stable order."""
    com = reg.committees[committee_id]
    decision = reg.decisions[decision_id]
    changes: list[Change] = []
    name = com.short_name or com.name
    if com.established and com.established.decision == decision_id:
        verb = "Kiện toàn" if decision.kind == "consolidate" else "Thành lập"
        changes.append(Change("established", "committee", committee_id, None,
                              reg.event_date(com.established), f"{verb} {name}"))
    started: list[str] = []
    ended: list[str] = []
    duties = {d.id: d for d in com.duties}
    later: list[Change] = []
    for kind, rid, what in reg.events_citing(decision_id):
        if kind == "seat" and reg.seats[rid].committee == committee_id:
            (started if what == "start" else ended).append(rid)
        elif kind == "duty" and rid.startswith(f"{committee_id}/"):
            duty = duties[rid.split("/", 1)[1]]
            event = duty.start if what == "start" else duty.end
            sign = "+" if what == "start" else "−"
            later.append(Change("duty-added" if what == "start" else "duty-ended", "duty",
                                duty.id, None, reg.event_date(event) if event else None,
                                f"Nhiệm vụ: {sign} {duty.text}"))
        elif kind == "regulation" and reg.regulations[rid].committee == committee_id:
            regulation = reg.regulations[rid]
            replaced = reg.regulations.get(regulation.replaces or "")
            text = f"Quy chế: ban hành phiên bản {regulation.version}"
            if replaced is not None:
                text += f", thay phiên bản {replaced.version}"
            later.append(Change("regulation-issued", "regulation", rid, regulation.replaces,
                                reg.decision_date(decision_id), text))
        elif kind == "task" and reg.tasks[rid].committee == committee_id:
            task = reg.tasks[rid]
            deadline = f" (hạn {day(task.deadline)})" if task.deadline else ""
            later.append(Change("task-assigned", "task", rid, None,
                                task.assigned or reg.decision_date(decision_id),
                                f"Giao nhiệm vụ: {task.title}{deadline}"))
    changes += [c for _, c in _seat_changes(reg, committee_id, started, ended)]
    changes += later
    if com.dissolved and com.dissolved.decision == decision_id:
        changes.append(Change("dissolved", "committee", committee_id, None,
                              reg.event_date(com.dissolved), f"Giải thể {name}"))
    return changes


def history(reg: Registry, committee: str | None, as_of: date | None = None,
            concerning: set[str] | None = None) -> History:
    """The decisions concerning ``committee`` in date order, each with what it changed
    (``concerning``: those decisions, when the caller has them from ``decisions_by_committee``)."""
    committee_id = resolve_committee(reg, committee)
    if concerning is None:
        concerning = committee_decisions(reg, committee_id)
    entries: list[HistoryEntry] = []
    for did in sorted(concerning, key=lambda d: decision_order(reg, d)):
        effective = decision_order(reg, did)[0]
        if as_of is not None and effective > as_of:
            continue
        d = reg.decisions[did]
        entries.append(HistoryEntry(did, citation(reg, did), effective, d.kind, d.status,
                                    d.subject, decision_changes(reg, committee_id, did)))
    return History(committee_ref(reg, committee_id), as_of, entries)
