"""Registries holding only what one answer needs, built from the derived index (store/index.py).

``members C``, ``person Q``, ``show C`` and ``tasks`` ask here for their registry: a ``Registry``
with exactly the records their query function reads (the committee named, or every committee
when it is named by its name; its seats, the people on them, their positions' organisations,
the decisions the seats cite, …), read from the index without loading the rest. When the
index cannot be used (caching off, a folder refused, a registry that does not load cleanly,
anything wrong with the index) the registry is loaded whole (``open_registry``), which gives
the same answer more slowly and reports whatever keeps the registry from loading.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from committee_cli.errors import UsageError
from committee_cli.model.records import KINDS
from committee_cli.model.registry import Registry
from committee_cli.queries.base import open_registry, resolve_committee
from committee_cli.store.index import IndexUnusable, RegistryIndex, open_index
from committee_cli.vietnamese import nfc

Build = Callable[[RegistryIndex], Registry]


def _from_index(root: Path, build: Build) -> Registry:
    """``build``'s registry from the index, else the registry loaded whole."""
    index = open_index(root)
    if index is None:
        return open_registry(root)
    try:
        return build(index)
    except (IndexUnusable, sqlite3.Error):
        return open_registry(root)
    finally:
        index.close()


def _named(index: RegistryIndex, text: str | None) -> tuple[Registry, str | None]:
    """The config and the committees that naming one needs: the one whose id was given, else
    every committee (to match names, or to find the only top-level one); and the committee
    named, or None when naming it fails (the query function then says why, itself)."""
    reg = Registry(config=index.config)
    if text is not None:
        given = nfc(text.strip())
        reg.committees = index.records("committee", [given])
        if given in reg.committees:
            return reg, given
    reg.committees = index.every("committee")
    try:
        return reg, resolve_committee(reg, text)
    except UsageError:
        return reg, None


def _fill(index: RegistryIndex, reg: Registry, *, decisions: Iterable[str | None] = (),
          people: Iterable[str | None] = (), organisations: Iterable[str | None] = (),
          all_organisations: bool = False) -> Registry:
    """Add the people, decisions and organisations named (and the organisations of the people's
    positions), then the file of every record held."""
    reg.people.update(index.records("person", {p for p in people if p} - set(reg.people)))
    if all_organisations:
        reg.organisations = index.every("organisation")
    else:
        wanted = {o for o in organisations if o}
        wanted |= {p.organisation for person in reg.people.values() for p in person.positions}
        reg.organisations = index.records("organisation", wanted)
    reg.decisions.update(index.records("decision", {d for d in decisions if d} - set(reg.decisions)))
    reg.files = {(kind, record_id): f"{folder}/{record_id}.yaml"
                 for kind, (folder, _) in KINDS.items() for record_id in reg.table(kind)}
    return reg


def members_registry(root: Path, committee: str | None, *, unit: str | None = None) -> Registry:
    """The registry ``queries.members`` reads (``members_subset``), else the whole one."""
    return _from_index(root, lambda index: members_subset(index, committee, unit=unit))


def members_subset(index: RegistryIndex, committee: str | None, *,
                   unit: str | None = None) -> Registry:
    """What ``queries.members`` reads: the committee, its seats (every one, any date), the people
    on them with their positions' organisations, the seats' units and the decisions they cite
    (every organisation with ``unit``, which is resolved among them)."""
    reg, committee_id = _named(index, committee)
    if committee_id is None:
        return reg
    reg.seats = index.of_committee("seat", committee_id)
    seats = reg.seats.values()
    return _fill(index, reg,
                 decisions=[e.decision for s in seats for e in (s.start, s.end) if e],
                 people=[s.person for s in seats], organisations=[s.unit for s in seats],
                 all_organisations=unit is not None)


def person_registry(root: Path, query: str) -> Registry:
    """The registry ``queries.person`` reads (``person_subset``), else the whole one."""
    return _from_index(root, lambda index: person_subset(index, query))


def person_subset(index: RegistryIndex, query: str) -> Registry:
    """What ``queries.person`` reads: the people ``query`` matches (found among every name),
    their seats and the seats that replaced those, the tasks they lead, the decisions those
    cite and the organisations named. No match is the UsageError ``queries.person`` gives."""
    from committee_cli.queries.people import match_people, no_person  # (only `person`)

    wanted = nfc(query.strip())
    name = index.name_of(wanted)  # an id needs no other name read
    names = {wanted: name} if name is not None else index.names()
    found = match_people(names, query)
    if not found:
        raise no_person(query, names.values())  # as queries.person says it, from every name
    reg = Registry(config=index.config)
    reg.people = index.records("person", found)
    if match_people({pid: p.name for pid, p in reg.people.items()}, query) != found:
        raise IndexUnusable(query)  # the names kept beside the records disagree with them
    chosen = set(found)
    seats = {sid: s for sid, s in index.records(
        "seat", index.linked("seat", "person", chosen)).items() if s.person in chosen}
    successors = index.records("seat", index.linked("seat", "replaces", seats))
    reg.seats = dict(sorted({**seats, **{sid: s for sid, s in successors.items()
                                         if s.replaces in seats}}.items()))
    reg.committees = index.records("committee", {s.committee for s in seats.values()})
    reg.tasks = {tid: t for tid, t in index.records(
        "task", index.linked("task", "lead_person", chosen)).items()
        if t.lead_person in chosen}
    tasks = reg.tasks.values()
    return _fill(index, reg,
                 decisions=[*(e.decision for s in seats.values()
                              for e in (s.start, s.end) if e),
                            *(t.assigned_by for t in tasks)],
                 organisations=[*(t.lead_unit for t in tasks),
                                *(c for t in tasks for c in t.coordinators)])


def tasks_registry(root: Path, committee: str | None, as_of: date, *, lead: str | None = None,
                   unit: str | None = None, overdue: bool = False,
                   due_before: date | None = None) -> Registry:
    """The registry ``queries.tasks`` reads (``tasks_subset``), else the whole one. ``lead`` is
    resolved among every person and unit: the registry is loaded whole."""
    if lead is not None:
        return open_registry(root)
    return _from_index(root, lambda index: tasks_subset(index, committee, as_of, unit=unit,
                                                        overdue=overdue, due_before=due_before))


def tasks_subset(index: RegistryIndex, committee: str | None, as_of: date, *,
                 unit: str | None = None, overdue: bool = False,
                 due_before: date | None = None) -> Registry:
    """What ``queries.tasks`` reads: the tasks that can answer (of the committee; with
    ``overdue`` or ``due_before``, only those due before the date), the people and units that
    lead them, their coordinators and the decisions that assigned them (and the committee
    named, if one is)."""
    if committee is None:
        reg, committee_id = Registry(config=index.config), None
    else:
        reg, committee_id = _named(index, committee)
        if committee_id is None:
            return reg
    bounds = [d for d in (as_of if overdue else None, due_before) if d is not None]
    if bounds:
        reg.tasks = index.due_before(min(bounds), committee_id)
    elif committee_id is not None:
        reg.tasks = index.of_committee("task", committee_id)
    else:
        reg.tasks = index.every("task")
    tasks = reg.tasks.values()
    return _fill(index, reg, decisions=[t.assigned_by for t in tasks],
                 people=[t.lead_person for t in tasks],
                 organisations=[*(t.lead_unit for t in tasks),
                                *(c for t in tasks for c in t.coordinators)],
                 all_organisations=unit is not None)


def overview_registry(root: Path, committee: str | None) -> Registry:
    """The registry ``queries.overview`` reads (``overview_subset``), else the whole one."""
    return _from_index(root, lambda index: overview_subset(index, committee))


def overview_subset(index: RegistryIndex, committee: str | None) -> Registry:
    """What ``queries.overview`` reads: the committee's seats, tasks, regulations and own
    decisions, the decisions its records cite, the people leading its tasks and the
    organisations named (its own, its seal, its standing body, its tasks' units)."""
    reg, committee_id = _named(index, committee)
    if committee is None and not reg.committees:
        raise IndexUnusable("no committee")  # a new registry: `show` lists its issuer
    if committee_id is None:
        return reg
    com = reg.committees[committee_id]
    related = index.linked("committee", "parent", [committee_id]) | {com.parent}
    reg.committees.update(index.records("committee", {c for c in related if c} - set(reg.committees)))
    reg.committees = dict(sorted(reg.committees.items()))
    reg.seats = index.of_committee("seat", committee_id)
    reg.tasks = index.of_committee("task", committee_id)
    reg.regulations = index.of_committee("regulation", committee_id)
    reg.decisions = index.of_committee("decision", committee_id)
    events = [com.established, com.dissolved,
              *(e for d in com.duties for e in (d.start, d.end)),
              *(e for s in reg.seats.values() for e in (s.start, s.end))]
    tasks = reg.tasks.values()
    return _fill(index, reg,
                 decisions=[*(e.decision for e in events if e is not None),
                            *(t.assigned_by for t in tasks),
                            *(r.issued_by for r in reg.regulations.values())],
                 people=[t.lead_person for t in tasks],
                 organisations=[com.organisation, com.seal,
                                com.standing_body.unit if com.standing_body else None,
                                *(t.lead_unit for t in tasks),
                                *(c for t in tasks for c in t.coordinators)])
