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
from committee_cli.queries.decision_list import committee_decisions, decision_order


@dataclass(frozen=True)
class Change(Answer):
    """One thing a decision did: ``change`` says what, ``text`` says it in words."""

    change: str  # established, dissolved, started, ended, replaced, role-changed, duty-added,
    # corrected (an acknowledged correction of a signed decision's text), …
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


_CHANGE_WORD = {"add": "started", "replace": "replaced", "role": "role-changed", "leave": "ended"}


def _seat_changes(reg: Registry, committee_id: str, decision_id: str) -> list[Change]:
    """The seats a decision started and ended, paired as its content states them (a seat that
    ``replaces`` another, or the same person's seat it ended: a role change)."""
    from committee_cli.queries.content import decision_content  # (only history needs it)

    found: list[Change] = []
    for item in decision_content(reg, decision_id).changes:
        seat = reg.seats[item.key]
        if seat.committee != committee_id:
            continue
        when = item.since
        role = role_name(reg, committee_id, seat.role)
        old = reg.seats[item.previous.key] if item.previous else None
        previous = item.previous.key if item.previous else None
        if item.kind == "role" and old is not None:
            text = (f"{seat_holder(reg, seat)}: {role_name(reg, committee_id, old.role)} → {role} "
                    f"(từ {day(when)})")
        elif item.kind == "replace" and old is not None:
            text = (f"{role}: {_holder(reg, seat, when)} thay {seat_holder(reg, old)} "
                    f"(từ {day(when)})")
        elif item.kind == "leave":
            text = f"{role}: − {seat_holder(reg, seat)} (thôi từ {day(when)})"
        else:
            text = f"{role}: + {_holder(reg, seat, when)} (từ {day(when)})"
        found.append(Change(_CHANGE_WORD[item.kind], "seat", item.key, previous, when, text))
    return found


def _corrections(reg: Registry, decision_id: str) -> list[Change]:
    """The acknowledged corrections of a signed decision's text (``decision correct``)."""
    signature = reg.decisions[decision_id].signature
    if signature is None:
        return []
    found: list[Change] = []
    for correction in signature.corrections:
        facts = "; ".join(f"{c.fact}: {c.before} → {c.after}" for c in correction.changes[:3])
        if len(correction.changes) > 3:
            facts += f" (+{len(correction.changes) - 3})"
        found.append(Change("corrected", "decision", decision_id, None, correction.date,
                            f"Đính chính ngày {day(correction.date)}: {facts} — "
                            f"{correction.reason}"))
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
    duties = {d.id: d for d in com.duties}
    later: list[Change] = []
    for kind, rid, what in reg.events_citing(decision_id):
        if kind == "duty" and rid.startswith(f"{committee_id}/"):
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
    changes += _seat_changes(reg, committee_id, decision_id)
    changes += later
    changes += _corrections(reg, decision_id)
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
