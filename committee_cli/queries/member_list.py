"""Who sits on a committee on a date: seats in protocol order (or by name), with their holders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from committee_cli.model.records import Seat
from committee_cli.model.registry import Registry
from committee_cli.queries.base import (
    Answer,
    Ref,
    citation,
    committee_ref,
    event_span,
    org_name,
    resolve_committee,
    resolve_role,
    resolve_unit,
    role_name,
    seat_holder,
    title_at,
    title_phrase,
)
from committee_cli.vietnamese import collation_key, name_sort_key

MemberSort = Literal["protocol", "name"]


@dataclass(frozen=True)
class Member(Answer):
    """One seat held on the date asked, with who holds it and since when."""

    seat: str
    order: int
    role: str
    role_name: str
    person: str | None
    honorific: str | None
    name: str | None
    post: str | None
    holder: str
    title: str | None
    unit: str | None
    unit_name: str | None
    title_phrase: str | None
    since: date | None
    decision: str
    citation: str | None
    until: date | None
    replaces: str | None


@dataclass(frozen=True)
class MemberList(Answer):
    """The seats of a committee held on ``as_of``."""

    committee: Ref
    as_of: date
    seats: list[Member]


def member(reg: Registry, seat_id: str, seat: Seat, as_of: date) -> Member:
    """Describe one seat as held on ``as_of`` (title and unit of its holder on that date)."""
    person = reg.people.get(seat.person) if seat.person else None
    if seat.person:
        title, unit = title_at(reg, seat.person, as_of)
    else:
        title, unit = None, seat.unit
    since, until = event_span(reg, seat.start, seat.end)
    return Member(
        seat=seat_id, order=seat.order, role=seat.role,
        role_name=role_name(reg, seat.committee, seat.role),
        person=seat.person, honorific=person.honorific if person else None,
        name=person.name if person else None, post=seat.post, holder=seat_holder(reg, seat),
        title=title, unit=unit, unit_name=org_name(reg, unit),
        title_phrase=title_phrase(reg, seat.person, as_of) if seat.person else None, since=since,
        decision=seat.start.decision, citation=citation(reg, seat.start.decision), until=until,
        replaces=seat.replaces)


def _by_name(item: Member) -> tuple[Any, ...]:
    if item.name:
        return (0, name_sort_key(item.name), item.order)
    return (1, (collation_key(item.holder),), item.order)


def members(reg: Registry, committee: str | None, as_of: date, role: str | None = None,
            unit: str | None = None, sort: MemberSort = "protocol") -> MemberList:
    """The seats of ``committee`` held on ``as_of``, optionally of one role or unit."""
    committee_id = resolve_committee(reg, committee)
    role_id = resolve_role(reg, committee_id, role) if role is not None else None
    unit_id = resolve_unit(reg, unit) if unit is not None else None
    found: list[Member] = []
    for seat_id, seat in reg.active_seats(committee_id, as_of):
        if role_id is not None and seat.role != role_id:
            continue
        if unit_id is not None and not _at_unit(reg, seat, unit_id, as_of):
            continue
        found.append(member(reg, seat_id, seat, as_of))
    if sort == "name":
        found.sort(key=_by_name)
    return MemberList(committee_ref(reg, committee_id), as_of, found)


def _at_unit(reg: Registry, seat: Seat, unit_id: str, as_of: date) -> bool:
    if seat.unit == unit_id:
        return True
    return bool(seat.person) and any(
        p.organisation == unit_id for p in reg.positions_at(seat.person or "", as_of))
