"""A person over time: who matches a query, and every seat, position and task they had."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.queries.base import (
    Answer,
    citation,
    committee_ref,
    event_span,
    folded_hint,
    org_name,
    person_label,
    role_name,
)
from committee_cli.queries.task_list import TaskRow, task_row
from committee_cli.vietnamese import fold, nfc


def find_people(reg: Registry, query: str) -> list[str]:
    """Ids of the people an id or name matches, whatever the case, tone marks, NFC or NFD.

    An id or a whole folded name wins; otherwise every person whose name (or id) contains the
    query as whole words ("hai long" finds Trương Hải Long, "long" too, "lon" not).
    """
    return match_people({pid: p.name for pid, p in reg.people.items()}, query)


def match_people(names: Mapping[str, str], query: str) -> list[str]:
    """``find_people`` over people's names by id (what the derived index keeps of everyone)."""
    query = nfc(query.strip())
    if query in names:
        return [query]
    key = fold(query)
    if not key:
        return []
    exact = [pid for pid, name in names.items() if fold(name) == key]
    if exact:
        return sorted(exact)
    words = f" {key} "
    return sorted(pid for pid, name in names.items()
                  if words in f" {fold(name)} " or words in f" {pid.replace('-', ' ')} ")


def no_person(query: str, names: Iterable[str]) -> UsageError:
    """The error for a query that matches nobody, suggesting the closest of ``names``."""
    return UsageError(tr("no person matches '{nfc}'{hint}: give part of the name (tone marks "
                         "optional) or the id", nfc=nfc(query), hint=folded_hint(query, names)))


@dataclass(frozen=True)
class PositionRow(Answer):
    """A title held at an organisation over a period (``until`` exclusive)."""

    title: str
    organisation: str
    organisation_name: str | None
    since: date
    until: date | None
    current: bool
    phrase: str  # the title as documents write it: "Vụ trưởng Vụ Pháp chế" (Registry.title_text)


@dataclass(frozen=True)
class PersonSeat(Answer):
    """A seat the person held, holds or will hold."""

    seat: str
    committee: str
    committee_name: str
    role: str
    role_name: str
    since: date | None
    decision: str
    citation: str | None
    until: date | None
    end_decision: str | None
    end_citation: str | None
    held: bool
    replaces: str | None
    replaced_by: str | None


@dataclass(frozen=True)
class PersonRecord(Answer):
    """One person with their positions, seats and tasks, the state of each on ``as_of``."""

    person: str
    name: str
    honorific: str
    display: str
    positions: list[PositionRow]
    seats: list[PersonSeat]
    tasks: list[TaskRow]


@dataclass(frozen=True)
class PersonMatches(Answer):
    """Everyone a query matched, each in full."""

    query: str
    as_of: date
    people: list[PersonRecord]


@dataclass(frozen=True)
class _SeatIndex:
    """Seats by holder, and which seat replaced which: built once per query."""

    by_person: dict[str, list[str]]
    replaced_by: dict[str, str]
    tasks_led: dict[str, list[str]]

    @classmethod
    def of(cls, reg: Registry) -> _SeatIndex:
        by_person: dict[str, list[str]] = {}
        for sid, seat in reg.seats.items():
            if seat.person:
                by_person.setdefault(seat.person, []).append(sid)
        tasks_led: dict[str, list[str]] = {}
        for tid, task in reg.tasks.items():
            if task.lead_person:
                tasks_led.setdefault(task.lead_person, []).append(tid)
        return cls(by_person, {s.replaces: sid for sid, s in reg.seats.items() if s.replaces},
                   tasks_led)


def person_record(reg: Registry, person_id: str, as_of: date,
                  index: _SeatIndex | None = None) -> PersonRecord:
    """Every position, seat and task of one person, with the state of each on ``as_of``."""
    index = index or _SeatIndex.of(reg)
    person = reg.people[person_id]
    positions = [PositionRow(p.title, p.organisation, org_name(reg, p.organisation), p.since,
                             p.until, p.since <= as_of and (p.until is None or as_of < p.until),
                             reg.title_text(p.title, p.organisation, p.since))
                 for p in sorted(person.positions, key=lambda p: p.since)]
    seats: list[PersonSeat] = []
    for sid in index.by_person.get(person_id, []):
        seat = reg.seats[sid]
        since, until = event_span(reg, seat.start, seat.end)
        end_decision = seat.end.decision if seat.end else None
        seats.append(PersonSeat(
            seat=sid, committee=seat.committee,
            committee_name=committee_ref(reg, seat.committee).name, role=seat.role,
            role_name=role_name(reg, seat.committee, seat.role), since=since,
            decision=seat.start.decision, citation=citation(reg, seat.start.decision),
            until=until, end_decision=end_decision, end_citation=citation(reg, end_decision),
            held=reg.seat_active(seat, as_of), replaces=seat.replaces,
            replaced_by=index.replaced_by.get(sid)))
    seats.sort(key=lambda s: (s.since or date.min, s.seat))
    tasks = sorted((task_row(reg, tid, reg.tasks[tid], as_of)
                    for tid in index.tasks_led.get(person_id, [])),
                   key=lambda t: (t.assigned or date.min, t.task))
    return PersonRecord(person_id, person.name, person.honorific, person_label(person),
                        positions, seats, tasks)


def people_records(reg: Registry, person_ids: Iterable[str], as_of: date) -> Iterator[PersonRecord]:
    """``person_record`` of many people, sharing one index of seats and tasks."""
    index = _SeatIndex.of(reg)
    for person_id in person_ids:
        yield person_record(reg, person_id, as_of, index)


def person(reg: Registry, query: str, as_of: date) -> PersonMatches:
    """Everyone ``query`` matches, in full; no match is a usage error with suggestions."""
    found = find_people(reg, query)
    if not found:
        raise no_person(query, [p.name for p in reg.people.values()])
    index = _SeatIndex.of(reg)
    return PersonMatches(nfc(query), as_of,
                         [person_record(reg, pid, as_of, index) for pid in found])
