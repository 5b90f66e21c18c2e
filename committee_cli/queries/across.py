"""Several registries at once: who sits where on a date across bodies, and seats per person.

People are the same person across registries when they carry the same ``external_id`` (whatever
their names say); people with different external ids are different people even when their names
agree; a person without one is matched by folded name (case, tone marks and Unicode form do not
matter), joining the one external id that people of that name carry, if there is one. A
``registries.yaml`` lists registries::

    registries:
      - path: ../bo-noi-vu          # relative to the file
        label: Bộ Nội vụ
      - ../tinh-quang-ninh
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.queries.base import Answer, open_registry
from committee_cli.queries.people import find_people
from committee_cli.store.yamlio import YamlProblem, load_text
from committee_cli.vietnamese import fold, name_sort_key, short_citation

LIST_FILE = "registries.yaml"


@dataclass(frozen=True)
class Source:
    """One registry of the set: its label (the registry's name) and folder."""

    label: str
    root: Path


def expand(paths: list[Path]) -> list[Path]:
    """The registry folders named: folders as given, a registries.yaml by what it lists."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.append(path)
            continue
        if not path.is_file():
            raise UsageError(tr("registry {path} does not exist", path=path))
        try:
            data = load_text(path.read_text(encoding="utf-8"), str(path))
        except (YamlProblem, UnicodeDecodeError, ValueError) as exc:
            raise UsageError(tr("{path} is not a registries list: {problem}", path=path,
                                problem=exc)) from None
        items = data.get("registries") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            raise UsageError(tr("{path}: write `registries:` then one folder a line "
                                "(`- path: FOLDER`)", path=path))
        for item in items:
            where = item.get("path") if isinstance(item, dict) else item
            if not isinstance(where, str):
                raise UsageError(tr("{path}: each entry is a folder or `path: FOLDER`", path=path))
            folder = (path.parent / where).resolve()
            if not (folder / "registry.yaml").is_file():
                raise CommitteeError(tr("{path}: {folder} is not a registry", path=path,
                                        folder=folder), ExitCode.USAGE)
            found.append(folder)
    return found


def open_all(paths: list[Path]) -> list[tuple[Source, Registry]]:
    """Each registry loaded, labelled by its name (its folder's name when two names agree)."""
    opened = [(root, open_registry(root)) for root in expand(paths)]
    names = [reg.config.name for _, reg in opened]
    return [(Source(reg.config.name if names.count(reg.config.name) == 1 else
                    f"{reg.config.name} ({root.name})", root), reg) for root, reg in opened]


@dataclass(frozen=True)
class Holding(Answer):
    """A seat a person holds (or held) in one registry."""

    registry: str
    person: str
    name: str
    committee: str
    committee_name: str
    organisation: str | None
    role: str
    role_name: str
    since: date | None
    until: date | None
    held: bool
    citation: str | None


@dataclass
class PersonAcross(Answer):
    """A person found in one or more registries, and every seat there."""

    name: str
    display: str
    ids: dict[str, str] = field(default_factory=dict)  # registry label -> person id
    seats: list[Holding] = field(default_factory=list)
    external_id: str | None = None


def _holdings(source: Source, reg: Registry, pid: str, as_of: date) -> list[Holding]:
    person = reg.people[pid]
    found: list[Holding] = []
    for _sid, seat in sorted(reg.seats.items()):
        if seat.person != pid:
            continue
        committee = reg.committees.get(seat.committee)
        role = reg.roles_of(seat.committee).get(seat.role)
        decision = reg.decisions.get(seat.start.decision)
        org = reg.organisations.get(committee.organisation) if committee else None
        found.append(Holding(
            registry=source.label, person=pid, name=person.name, committee=seat.committee,
            committee_name=committee.name if committee else seat.committee,
            organisation=org.name if org else None, role=seat.role,
            role_name=role.name if role else seat.role, since=reg.event_date(seat.start),
            until=reg.event_date(seat.end) if seat.end else None,
            held=reg.seat_active(seat, as_of),
            citation=short_citation(decision.number, decision.symbol) if decision else None))
    return found


def identities(opened: list[tuple[Source, Registry]]) -> dict[tuple[str, str], str]:
    """Who each person is across the registries: (registry label, person id) -> a key that
    people who are one person share (see the module's docstring)."""
    ids_of_name: dict[str, set[str]] = {}
    for _source, reg in opened:
        for person in reg.people.values():
            if person.external_id:
                ids_of_name.setdefault(fold(person.name), set()).add(person.external_id)
    keys: dict[tuple[str, str], str] = {}
    for source, reg in opened:
        for pid, person in reg.people.items():
            named = ids_of_name.get(fold(person.name), set())
            external = person.external_id or (next(iter(named)) if len(named) == 1 else None)
            keys[(source.label, pid)] = f"id:{external}" if external else f"name:{fold(person.name)}"
    return keys


def person_across(opened: list[tuple[Source, Registry]], query: str,
                  as_of: date) -> list[PersonAcross]:
    """Everyone the query (a name, an id or an external id) matches in any registry, one entry
    per person (by external id, else folded name), with whoever shares their external id."""
    keys = identities(opened)
    wanted = {keys[(source.label, pid)] for source, reg in opened
              for pid in [*find_people(reg, query),
                          *(i for i, p in reg.people.items() if p.external_id == query.strip())]}
    people: dict[str, PersonAcross] = {}
    for source, reg in opened:
        for pid in sorted(reg.people):
            key = keys[(source.label, pid)]
            if key not in wanted:
                continue
            person = reg.people[pid]
            entry = people.setdefault(key, PersonAcross(
                person.name, f"{person.honorific} {person.name}"))
            entry.ids[source.label] = pid
            entry.external_id = entry.external_id or person.external_id
            entry.seats += _holdings(source, reg, pid, as_of)
    if not people:
        raise UsageError(tr("no person matches '{query}' in {count} registries", query=query,
                            count=len(opened)))
    return sorted(people.values(), key=lambda p: name_sort_key(p.name))


@dataclass(frozen=True)
class SeatCount(Answer):
    """A person and the seats they hold on a date, across registries."""

    name: str
    display: str
    seats: int
    registries: int
    committees: list[str]


def seat_counts(opened: list[tuple[Source, Registry]], as_of: date) -> list[SeatCount]:
    """People by number of seats held on ``as_of`` (most first, then by name)."""
    held: dict[str, dict[str, Any]] = {}
    keys = identities(opened)
    for source, reg in opened:
        for committee_id in sorted(reg.committees):
            committee = reg.committees[committee_id]
            for _sid, seat in reg.active_seats(committee_id, as_of):
                if seat.person is None or seat.person not in reg.people:
                    continue
                person = reg.people[seat.person]
                entry = held.setdefault(keys[(source.label, seat.person)], {
                    "name": person.name, "display": f"{person.honorific} {person.name}",
                    "committees": [], "registries": set()})
                entry["committees"].append(committee.name)
                entry["registries"].add(source.label)
    rows = [SeatCount(e["name"], e["display"], len(e["committees"]), len(e["registries"]),
                      e["committees"]) for e in held.values()]
    return sorted(rows, key=lambda r: (-r.seats, name_sort_key(r.name)))
