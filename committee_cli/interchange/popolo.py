"""Popolo (popoloproject.com) export: persons, organizations, posts and memberships.

Organizations are the registry's bodies and units (classification ``body`` or ``unit``) and its
committees (``committee``, parent: the parent committee or the owning body). Each seat is a
post (a seat and the seats that took it over, ``replaces:``, are one post) and, when a person
holds it, a membership with its role, start and end dates; a person's positions (titles at a
body) are memberships of that body. Every membership cites the decision that started it (and
the one that ended it) in ``sources``, as ``urn:committee-cli:decision:<id>`` with the
citation as note: Popolo has no field for the legal instrument, so the source carries it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from committee_cli.model.records import Event, Seat
from committee_cli.model.registry import Registry
from committee_cli.vietnamese import long_date, short_citation

URN = "urn:committee-cli"


def _source(reg: Registry, event: Event, what: str) -> dict[str, str]:
    decision = reg.decisions.get(event.decision)
    note = what
    if decision is not None:
        citation = short_citation(decision.number, decision.symbol)
        note = f"{what}: {citation} {long_date(decision.date)}"
    return {"url": f"{URN}:decision:{event.decision}", "note": note}


def _post_root(reg: Registry, seat_id: str) -> str:
    seen = {seat_id}
    current = reg.seats[seat_id]
    while current.replaces and current.replaces in reg.seats and current.replaces not in seen:
        seat_id = current.replaces
        seen.add(seat_id)
        current = reg.seats[seat_id]
    return seat_id


def _held(reg: Registry, start: date | None, end: date | None, as_of: date | None) -> bool:
    if as_of is None:
        return True
    return start is not None and start <= as_of and (end is None or as_of < end)


def popolo(reg: Registry, as_of: date | None = None) -> dict[str, Any]:
    """The registry as one Popolo document (``persons``, ``organizations``, ``posts``,
    ``memberships``); with ``as_of`` only the memberships held on that date."""
    persons = []
    for pid, person in sorted(reg.people.items()):
        words = person.name.split()
        entry_person: dict[str, Any] = {
            "id": pid, "name": person.name, "honorific_prefix": person.honorific,
            "family_name": words[0], "given_name": words[-1],
            "sort_name": " ".join([words[-1], *words[:-1]])}
        if person.external_id:
            entry_person["identifiers"] = [{"identifier": person.external_id,
                                            "scheme": "external_id"}]
        persons.append(entry_person)
    organizations: list[dict[str, Any]] = []
    for oid, org in sorted(reg.organisations.items()):
        facts = org.on(as_of)
        entry: dict[str, Any] = {"id": oid, "name": facts.name,
                                 "classification": "unit" if facts.parent else "body"}
        if facts.parent:
            entry["parent_id"] = facts.parent
        if facts.abbreviation:
            entry["other_names"] = [{"name": facts.abbreviation, "note": "abbreviation"}]
        if facts.code:
            entry["identifiers"] = [{"identifier": facts.code, "scheme": "ma-dinh-danh"}]
        if org.since:
            entry["founding_date"] = org.since.isoformat()
        if org.until:
            entry["dissolution_date"] = org.until.isoformat()
        organizations.append(entry)
    for cid, com in sorted(reg.committees.items()):
        entry = {"id": cid, "name": com.name, "classification": "committee",
                 "parent_id": com.parent or com.organisation}
        if com.short_name:
            entry["other_names"] = [{"name": com.short_name, "note": "short name"}]
        if com.established and (founded := reg.event_date(com.established)):
            entry["founding_date"] = founded.isoformat()
            entry["sources"] = [_source(reg, com.established, "established")]
        if com.dissolved and (ended := reg.event_date(com.dissolved)):
            entry["dissolution_date"] = ended.isoformat()
        organizations.append(entry)
    posts: dict[str, dict[str, Any]] = {}
    memberships: list[dict[str, Any]] = []
    for sid, seat in sorted(reg.seats.items()):
        root = _post_root(reg, sid)
        role = reg.roles_of(seat.committee).get(seat.role)
        role_name = role.name if role else seat.role
        post_id = f"{seat.committee}/{root}"
        posts.setdefault(post_id, {"id": post_id, "label": role_name, "role": role_name,
                                   "organization_id": seat.committee})
        start = reg.event_date(seat.start)
        end = reg.event_date(seat.end) if seat.end else None
        if not _held(reg, start, end, as_of):
            continue
        memberships.append(_seat_membership(reg, sid, seat, role_name, post_id, start, end))
    for pid, person in sorted(reg.people.items()):
        for n, position in enumerate(person.positions, start=1):
            if not _held(reg, position.since, position.until, as_of):
                continue
            entry = {"id": f"{pid}/position-{n}", "person_id": pid,
                     "organization_id": position.organisation, "role": position.title,
                     "label": reg.title_text(position.title, position.organisation),
                     "start_date": position.since.isoformat()}
            if position.until:
                entry["end_date"] = position.until.isoformat()
            memberships.append(entry)
    return {"persons": persons, "organizations": organizations, "posts": list(posts.values()),
            "memberships": memberships}


def _seat_membership(reg: Registry, sid: str, seat: Seat, role_name: str, post_id: str,
                     start: date | None, end: date | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": sid, "organization_id": seat.committee, "post_id": post_id,
                             "role": role_name, "label": reg.holder_text(seat, start or date.today())}
    if seat.person:
        entry["person_id"] = seat.person
    if start:
        entry["start_date"] = start.isoformat()
    if end:
        entry["end_date"] = end.isoformat()
    entry["sources"] = [_source(reg, seat.start, "start")]
    if seat.end:
        entry["sources"].append(_source(reg, seat.end, "end"))
    return entry
