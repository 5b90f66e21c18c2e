"""A decision's content as facts: everything its document states, as of its date, and where in
the registry each fact was read (docs/signed-decisions.md).

:func:`decision_content` gives the facts as frozen dataclasses (no wording: names, titles,
dates, texts as the registry writes them); :func:`facts` flattens them into an ordered list of
``(path, value)`` pairs, JSON-serialisable, that signing fingerprints and that validation
compares; each :class:`Fact` also carries the :class:`Origin` (record and field) it came from.
What a decision changed (members added, replaced, moved to another role, leaving) is found here
once, from the records citing it, for history, diff, textconv and render alike.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from committee_cli.model.records import CONFIG_FILE, FINGERPRINT_SCHEME, Committee, Organisation, Seat
from committee_cli.model.registry import Events, Registry, duty_events

SCHEME = FINGERPRINT_SCHEME
"""The fingerprint scheme of :func:`fingerprint_facts` (1 was the decision file alone)."""

Path = tuple[str | int, ...]


class Origin(NamedTuple):
    """Where a fact was read: a record (kind and id; ``registry`` for registry.yaml) and field."""

    kind: str
    id: str
    path: Path = ()


class Fact(NamedTuple):
    """One fact: its path in the content, its value (JSON: text, number, bool or null) and origin."""

    path: str
    value: str | int | bool | None
    origin: Origin


# --- the content ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """An organisation as a decision names it, as of the decision's date: its name, and its
    head's title (``Giám đốc Trung tâm Thông tin``); the symbol and deputy title only the
    issuer's documents state (:class:`Issuer`)."""

    id: str
    name: str
    head_title: str | None
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Issuer:
    """The issuing body as of the decision's date, with its authority and the body above it."""

    id: str
    name: str
    abbreviation: str | None
    authority: str | None
    head_title: str | None
    deputy_title: str | None
    collective: bool
    parent: Body | None
    units: tuple[Body, ...]  # the bodies under it on the date (its office names the executors)
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class LegalBasis:
    """A legal basis as the decision cites it."""

    key: str
    kind: str
    number: str
    date: date
    issuer: str
    title: str
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CitedDecision:
    """Another decision as this one cites it (what it replaces, what established the body)."""

    key: str
    kind: str
    number: int | None
    symbol: str
    date: date
    authority: str
    issuer: str | None
    subject: str
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Title:
    """A title a person held on the date, at a unit (named as of the date)."""

    title: str
    unit: str
    top_level: bool  # the unit is a top-level body: documents write the title alone
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class MemberLine:
    """A seat as the decision names it: role, honorific, name and titles (or a post at a unit)."""

    key: str  # the seat id
    line: int
    committee: str
    role: str
    person: str | None
    honorific: str | None
    name: str | None
    titles: tuple[Title, ...]
    post: str | None
    unit: str | None
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


ChangeKind = Literal["add", "leave", "replace", "role"]


@dataclass(frozen=True)
class SeatChange:
    """One change of members: a seat added, a seat left, a holder replaced, or a role change.

    A seat started by the decision pairs with the seat it ``replaces``; failing that, with a seat
    of the same person on the same committee that the decision ended (a role change written as
    two records). ``previous`` is the paired seat as it stood the day before.
    """

    key: str  # the seat started (or, for leave, ended)
    line: int
    kind: ChangeKind
    since: date | None  # the day the change takes effect (for leave: the seat's end)
    seat: MemberLine
    previous: MemberLine | None
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Duty:
    """A duty the decision gave (or ended)."""

    key: str
    line: int
    text: str
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Task:
    """A task the decision assigned: lead, coordinators, product, deadline."""

    key: str
    line: int
    title: str
    lead_unit: Body | None
    lead_person: str | None  # honorific and name
    coordinators: tuple[Body, ...]
    product: str | None
    deadline: date | None
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Clause:
    """A clause of a regulation's article, with its points."""

    line: int
    text: str
    points: tuple[str, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Article:
    """An article of a regulation."""

    line: int
    title: str
    text: str | None
    clauses: tuple[Clause, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Chapter:
    """A chapter of a regulation."""

    line: int
    title: str
    articles: tuple[Article, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class RegulationText:
    """A regulation the decision issues (attached to it), article by article."""

    key: str
    title: str
    version: int
    chapters: tuple[Chapter, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Group:
    """A working group under the committee, as the decision names it."""

    key: str
    name: str
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CommitteeFacts:
    """The committee as the decision describes it."""

    id: str
    name: str
    short_name: str
    organisation: Body
    working_mode: str
    seal: Body | None
    standing_body: Body | None
    standing_tasks: str | None
    regulation_issuer: str | None  # a role name
    head_role: str | None
    established: CitedDecision | None
    dissolved: CitedDecision | None
    working_groups: tuple[Group, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Signer:
    """The signing block: mode, titles, and the signer's name."""

    mode: str
    authority: str
    signer_title: str | None
    body: str | None
    signer: str | None
    honorific: str | None
    name: str | None
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class DecisionContent:
    """Everything the document of a decision states, as of its date."""

    id: str
    kind: str
    number: int | None
    symbol: str
    date: date
    place: str
    subject: str
    proposer: str | None
    issuer: Issuer
    legal_bases: tuple[LegalBasis, ...]
    replaces: tuple[CitedDecision, ...]
    committee: CommitteeFacts | None
    members: tuple[MemberLine, ...]
    changes: tuple[SeatChange, ...]
    duties: tuple[Duty, ...]
    duties_ended: tuple[Duty, ...]
    tasks: tuple[Task, ...]
    regulations: tuple[RegulationText, ...]
    signing: Signer
    recipients: tuple[str, ...]
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)
    reads: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False, repr=False)
    """Every record consulted (kind, id): the inputs a cached copy depends on."""


# --- building it ----------------------------------------------------------------------------


class _Reader:
    """Builds content from one registry, noting every record it reads."""

    def __init__(self, reg: Registry, on: date) -> None:
        self.reg = reg
        self.on = on
        self.reads: set[tuple[str, str]] = {("registry", CONFIG_FILE)}

    def read(self, kind: str, rid: str) -> None:
        self.reads.add((kind, rid))

    def org(self, org_id: str | None, on: date | None = None) -> Body | None:
        if org_id is None:
            return None
        self.read("organisation", org_id)
        org = self.reg.organisations.get(org_id)
        if org is None:
            origin = Origin("organisation", org_id)
            return Body(org_id, org_id, None, {"name": origin})
        day = on or self.on
        facts = org.on(day)
        return Body(org_id, facts.name, facts.head_title,
                    {f: _dated_origin(org, org_id, day, f) for f in ("name", "head_title")})

    def cited(self, decision_id: str) -> CitedDecision | None:
        self.read("decision", decision_id)
        other = self.reg.decisions.get(decision_id)
        if other is None:
            return None
        when = self.reg.decision_date(decision_id) or other.date
        issuer = self.org(other.issuer, when)
        here = Origin("decision", decision_id)
        return CitedDecision(
            decision_id, other.kind, other.number, other.symbol, when, other.signing.authority,
            issuer.name if issuer else None, other.subject,
            {"kind": _at(here, "kind"), "number": _at(here, "number"),
             "symbol": _at(here, "symbol"), "date": _at(here, "date"),
             "authority": _at(here, "signing", "authority"),
             "issuer": issuer.origins["name"] if issuer else _at(here, "issuer"),
             "subject": _at(here, "subject")})

    def role(self, committee_id: str, role_id: str) -> tuple[str, Origin]:
        self.read("committee", committee_id)
        roles = self.reg.roles_of(committee_id)
        role = roles.get(role_id)
        if role is None:
            return role_id, Origin("registry", CONFIG_FILE, ("role_sets",))
        return role.document_name or role.name, Origin("registry", CONFIG_FILE, ("role_sets",))

    def seat_role(self, seat_id: str, seat: Seat) -> tuple[str, Origin]:
        """A seat's role name; read from the seat's role (the vocabulary changes less often)."""
        name, _ = self.role(seat.committee, seat.role)
        return name, Origin("seat", seat_id, ("role",))

    def member(self, seat_id: str, seat: Seat, on: date, line: int) -> MemberLine:
        self.read("seat", seat_id)
        here = Origin("seat", seat_id)
        role, role_origin = self.seat_role(seat_id, seat)
        origins = {"key": here, "line": _at(here, "order"), "committee": _at(here, "committee"),
                   "role": role_origin, "person": _at(here, "person"), "post": _at(here, "post"),
                   "unit": _at(here, "unit")}
        if seat.person is not None:
            self.read("person", seat.person)
            person = self.reg.people.get(seat.person)
            who = Origin("person", seat.person)
            origins.update(honorific=_at(who, "honorific"), name=_at(who, "name"))
            titles: list[Title] = []
            if person is not None:
                for i, pos in enumerate(person.positions):
                    if not (pos.since <= on and (pos.until is None or on < pos.until)):
                        continue
                    unit = self.org(pos.organisation, on)
                    org = self.reg.organisations.get(pos.organisation)
                    top = org is None or org.on(on).parent is None
                    titles.append(Title(pos.title, unit.name if unit else pos.organisation, top,
                                        {"title": _at(who, "positions", i, "title"),
                                         "unit": unit.origins["name"] if unit else
                                         _at(who, "positions", i, "organisation"),
                                         "top_level": _at(who, "positions", i, "organisation")}))
            origins["titles"] = _at(who, "positions")
            return MemberLine(seat_id, line, seat.committee, role, seat.person,
                              person.honorific if person else None,
                              person.name if person else None, tuple(titles), None, None,
                              origins)
        unit_body = self.org(seat.unit, on)
        if unit_body is not None:
            origins["unit"] = unit_body.origins["name"]
        return MemberLine(seat_id, line, seat.committee, role, None, None, None, (), seat.post,
                          unit_body.name if unit_body else None, origins)


def _at(origin: Origin, *path: str | int) -> Origin:
    return Origin(origin.kind, origin.id, tuple(path))


def _dated_origin(org: Organisation, org_id: str, day: date, name: str) -> Origin:
    """The field of an organisation that gives ``name`` on ``day``: a dated change, or the top."""
    found: Path = (name,)
    for index, change in sorted(enumerate(org.changes), key=lambda item: item[1].since):
        if change.since > day:
            break
        if getattr(change, name) is not None:
            found = ("changes", index, name)
    return Origin("organisation", org_id, found)


@dataclass(frozen=True)
class Citing:
    """The records citing one decision (found once per registry, for every decision)."""

    seats_started: list[str] = field(default_factory=list)
    seats_ended: list[str] = field(default_factory=list)
    duties_started: list[tuple[str, int]] = field(default_factory=list)  # (committee, index)
    duties_ended: list[tuple[str, int]] = field(default_factory=list)
    regulations: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


def _citing_sizes(reg: Registry) -> tuple[tuple[int, int], ...]:
    return tuple((id(table), len(table)) for table in
                 (reg.seats, reg.committees, reg.regulations, reg.tasks))


# decisions whose citing records are looked for one by one, before every decision's are found
# in one pass (a change reaches a few decisions; a full check reaches them all)
ONE_BY_ONE = 8


def citing_of(reg: Registry, decision_id: str) -> Citing:
    """The records citing one decision, as ``citing_index`` has them: from that index when it
    is built (or once more than ``ONE_BY_ONE`` decisions were asked for), else looked for among
    what each record cites, without splitting what names another decision."""
    sizes = _citing_sizes(reg)
    if reg._index.get("citing_sizes") == sizes:
        return citing_index(reg).get(decision_id, Citing())
    found = reg._index.get("citing_one")
    if found is None or reg._index.get("citing_one_sizes") != sizes:
        found = reg._index["citing_one"] = {}
        reg._index["citing_one_sizes"] = sizes
    assert isinstance(found, dict)
    if decision_id in found:
        return found[decision_id]  # type: ignore[no-any-return]
    if len(found) >= ONE_BY_ONE:
        return citing_index(reg).get(decision_id, Citing())
    citing = found[decision_id] = Citing()
    _gather(reg, lambda cited: citing if cited == decision_id else None,
            lambda kind: reg.citing(kind, decision_id))
    return citing


def citing_index(reg: Registry) -> dict[str, Citing]:
    """Every decision's citing records, built in one pass and kept with the registry."""
    sizes = _citing_sizes(reg)
    cached = reg._index.get("citing")
    if cached is not None and reg._index.get("citing_sizes") == sizes:
        return cached  # type: ignore[return-value]
    index: dict[str, Citing] = {}

    def of(decision_id: str) -> Citing:
        found = index.get(decision_id)
        if found is None:
            found = index[decision_id] = Citing()
        return found

    _gather(reg, of, reg.cited_by)
    reg._index["citing"], reg._index["citing_sizes"] = index, sizes
    return index


def _gather(reg: Registry, of: Callable[[str], Citing | None],
            events_of: Callable[[str], list[tuple[str, Events]]]) -> None:
    """Add each citing record to ``of(decision)`` (None: a decision not looked for): the seats,
    regulations and tasks ``events_of(kind)`` gives, and every committee's duties (from what
    is kept beside each committee: none is built)."""
    for sid, events in events_of("seat"):
        for decision_id, what in events:
            if (citing := of(decision_id)) is not None:
                (citing.seats_started if what == "start" else citing.seats_ended).append(sid)
    for cid, duties in reg.column("committee", "duties"):
        for i, (started, ended) in enumerate(duty_events(duties)):
            if (citing := of(started)) is not None:
                citing.duties_started.append((cid, i))
            if ended is not None and (citing := of(ended)) is not None:
                citing.duties_ended.append((cid, i))
    for rid, events in events_of("regulation"):
        for decision_id, _ in events:
            if (citing := of(decision_id)) is not None:
                citing.regulations.append(rid)
    for tid, events in events_of("task"):
        for decision_id, _ in events:
            if (citing := of(decision_id)) is not None:
                citing.tasks.append(tid)


def units_under(reg: Registry, org_id: str, on: date) -> list[str]:
    """The organisations directly under ``org_id`` on ``on`` (an index built once per registry)."""
    sizes = (id(reg.organisations), len(reg.organisations))
    index = reg._index.get("units_under")
    if index is None or reg._index.get("units_under_sizes") != sizes:
        grouped: dict[str, list[str]] = {}
        for uid, parents in sorted(reg.column("organisation", "parents")):  # (none built)
            for parent in (parents or "").split():
                grouped.setdefault(parent, []).append(uid)
        reg._index["units_under"], reg._index["units_under_sizes"] = index, sizes = grouped, sizes
    found: list[str] = []
    for uid in index.get(org_id, []):  # type: ignore[attr-defined]
        org = reg.organisations[uid]
        if org.on(on).parent == org_id and (org.since is None or org.since <= on) \
                and (org.until is None or on < org.until):
            found.append(uid)
    return found


def _protocol_key(reg: Registry, seat: Seat, sid: str) -> tuple[int, int, str]:
    role = reg.roles_of(seat.committee).get(seat.role)
    return (role.rank if role else 999, seat.order, sid)


def _seat_changes(reader: _Reader, citing: Citing, on: date) -> list[SeatChange]:
    reg = reader.reg
    ended = [sid for sid in citing.seats_ended if reg.seats[sid].end is not None]
    for sid in ended:
        reader.read("seat", sid)
    left = list(ended)
    found: list[tuple[tuple[int, int, str], ChangeKind, str, str | None]] = []
    for sid in citing.seats_started:
        seat = reg.seats[sid]
        previous = seat.replaces if seat.replaces in reg.seats else None
        if previous is None and seat.person:
            previous = next((e for e in left if reg.seats[e].person == seat.person
                             and reg.seats[e].committee == seat.committee), None)
        if previous in left:
            left.remove(previous)
        old = reg.seats.get(previous or "")
        kind: ChangeKind = "add" if old is None else (
            "role" if old.person is not None and old.person == seat.person else "replace")
        found.append((_protocol_key(reg, seat, sid), kind, sid, previous if old else None))
    for sid in left:
        found.append((_protocol_key(reg, reg.seats[sid], sid), "leave", sid, None))
    found.sort(key=lambda item: item[0])
    changes: list[SeatChange] = []
    for line, (_, kind, sid, previous) in enumerate(found, start=1):
        seat = reg.seats[sid]
        here = Origin("seat", sid)
        if kind == "leave":
            assert seat.end is not None
            end = reg.event_date(seat.end) or on
            changes.append(SeatChange(sid, line, kind, end,
                                      reader.member(sid, seat, end - timedelta(days=1), line),
                                      None, {"kind": _at(here, "end"), "since": _at(here, "end")}))
            continue
        when = reg.event_date(seat.start) or on
        before = None
        if previous is not None:
            reader.read("seat", previous)
            before = reader.member(previous, reg.seats[previous], when - timedelta(days=1), line)
        changes.append(SeatChange(sid, line, kind, when, reader.member(sid, seat, when, line),
                                  before, {"kind": _at(here, "replaces"),
                                           "since": _at(here, "start")}))
    return changes


def existed_on(reg: Registry, committee: Committee, on: date) -> bool:
    """A working group as of the decision's date: set up by then (a group set up later by
    another decision is not in what this decision says), and not dissolved before."""
    start = reg.event_date(committee.established) if committee.established else None
    end = reg.event_date(committee.dissolved) if committee.dissolved else None
    return (start is None or start <= on) and (end is None or on < end)


def _committee(reader: _Reader, committee_id: str) -> CommitteeFacts:
    reg = reader.reg
    reader.read("committee", committee_id)
    com = reg.committees[committee_id]
    here = Origin("committee", committee_id)
    roles = reg.roles_of(committee_id)
    head = next((r.document_name or r.name for r in roles.values() if r.head), None)
    issuer_role = roles.get(com.regulation_issuer or "")
    under = [(cid, reg.committees[cid]) for cid, parent in sorted(reg.column("committee", "parent"))
             if parent == committee_id and cid != committee_id]  # (no other committee built)
    groups = tuple(Group(cid, c.name, {"name": Origin("committee", cid, ("name",))})
                   for cid, c in under if existed_on(reg, c, reader.on))
    for cid, _ in ((g.key, g) for g in groups):
        reader.read("committee", cid)
    org = reader.org(com.organisation)
    assert org is not None
    standing = com.standing_body
    established = reader.cited(com.established.decision) if com.established else None
    return CommitteeFacts(
        committee_id, com.name, com.short_name or com.name, org, com.working_mode,
        reader.org(com.seal), reader.org(standing.unit) if standing else None,
        standing.tasks if standing else None,
        (issuer_role.document_name or issuer_role.name) if issuer_role else com.regulation_issuer,
        head, established,
        reader.cited(com.dissolved.decision)
        if com.dissolved and (reg.event_date(com.dissolved) or date.max) <= reader.on else None,
        groups,
        {"id": here, "name": _at(here, "name"), "short_name": _at(here, "short_name"),
         "working_mode": _at(here, "working_mode"), "seal": _at(here, "seal"),
         "standing_body": _at(here, "standing_body", "unit"),
         "standing_tasks": _at(here, "standing_body", "tasks"),
         "regulation_issuer": _at(here, "regulation_issuer"),
         "head_role": Origin("registry", CONFIG_FILE, ("role_sets",)),
         "established": _at(here, "established"), "dissolved": _at(here, "dissolved"),
         "working_groups": Origin("committee", committee_id, ())})


def _regulation(reader: _Reader, regulation_id: str) -> RegulationText | None:
    reader.read("regulation", regulation_id)
    regl = reader.reg.regulations.get(regulation_id)
    if regl is None:
        return None
    here = Origin("regulation", regulation_id)
    chapters = []
    for c, chapter in enumerate(regl.chapters):
        articles = []
        for a, article in enumerate(chapter.articles):
            clauses = tuple(
                Clause(k + 1, clause.text, tuple(clause.points),
                       {"text": _at(here, "chapters", c, "articles", a, "clauses", k, "text"),
                        "points": _at(here, "chapters", c, "articles", a, "clauses", k,
                                      "points")})
                for k, clause in enumerate(article.clauses))
            articles.append(Article(a + 1, article.title, article.text, clauses,
                                    {"title": _at(here, "chapters", c, "articles", a, "title"),
                                     "text": _at(here, "chapters", c, "articles", a, "text"),
                                     "clauses": _at(here, "chapters", c, "articles", a)}))
        chapters.append(Chapter(c + 1, chapter.title, tuple(articles),
                                {"title": _at(here, "chapters", c, "title"),
                                 "articles": _at(here, "chapters", c)}))
    return RegulationText(regulation_id, regl.title, regl.version, tuple(chapters),
                          {"title": _at(here, "title"), "version": _at(here, "version"),
                           "chapters": _at(here, "chapters")})


PLAN_KINDS = frozenset({"issue-plan", "assign-tasks"})
"""Kinds whose document tables each task with its deadline and product (others name the task)."""


def _tasks(reader: _Reader, task_ids: list[str], tabled: bool) -> tuple[Task, ...]:
    """The tasks assigned; deadlines and products only where the document states them, so
    that following a task up (a new deadline) does not touch a decision that only named it."""
    reg = reader.reg
    ordered = sorted(task_ids, key=lambda t: ((reg.tasks[t].deadline if tabled else None)
                                              or date.max, t))
    tasks: list[Task] = []
    for line, tid in enumerate(ordered, start=1):
        reader.read("task", tid)
        task = reg.tasks[tid]
        here = Origin("task", tid)
        person = None
        if task.lead_person:
            reader.read("person", task.lead_person)
            found = reg.people.get(task.lead_person)
            person = f"{found.honorific} {found.name}" if found else task.lead_person
        coordinators = tuple(b for c in task.coordinators if (b := reader.org(c)) is not None)
        tasks.append(Task(tid, line, task.title, reader.org(task.lead_unit), person, coordinators,
                          task.product if tabled else None, task.deadline if tabled else None,
                          {"title": _at(here, "title"), "lead_unit": _at(here, "lead_unit"),
                           "lead_person": _at(here, "lead_person"),
                           "coordinators": _at(here, "coordinators"),
                           "product": _at(here, "product"), "deadline": _at(here, "deadline"),
                           "line": _at(here, "deadline")}))
    return tuple(tasks)


_KEPT: ContextVar[tuple[Registry, dict[str, DecisionContent]] | None] = ContextVar(
    "decision_contents_kept", default=None)


@contextmanager
def contents_kept(reg: Registry) -> Iterator[None]:
    """Within this, each decision's content read from ``reg`` is computed once and kept: for a
    reader of a registry that does not change meanwhile and asks the same decision's content
    several times (the site: its document, its members, what it changed, each committee's
    history). Within an outer one for the same registry, the outer one's are used."""
    outer = _KEPT.get()
    if outer is not None and outer[0] is reg:
        yield
        return
    token = _KEPT.set((reg, {}))
    try:
        yield
    finally:
        _KEPT.reset(token)


def decision_content(reg: Registry, decision_id: str) -> DecisionContent:
    """What the document of ``decision_id`` states, as of its date (KeyError if unknown)."""
    kept = _KEPT.get()
    if kept is None or kept[0] is not reg:
        return _decision_content(reg, decision_id)
    found = kept[1].get(decision_id)
    if found is None:
        found = kept[1][decision_id] = _decision_content(reg, decision_id)
    return found


def _decision_content(reg: Registry, decision_id: str) -> DecisionContent:
    dec = reg.decisions[decision_id]
    on = reg.decision_date(decision_id) or dec.date
    reader = _Reader(reg, on)
    reader.read("decision", decision_id)
    here = Origin("decision", decision_id)
    citing = citing_of(reg, decision_id)

    issuer_org = reg.organisations.get(dec.issuer)
    reader.read("organisation", dec.issuer)
    if issuer_org is not None:
        facts = issuer_org.on(on)
        parent = reader.org(facts.parent) if facts.parent else None
        # the units a document names: the issuer's office ("Văn phòng …", whose head executes
        # it, _execution.j2); a unit added later beside them changes nothing the decision says
        units = tuple(unit for uid in units_under(reg, dec.issuer, on)
                      if (unit := reader.org(uid)) is not None
                      and unit.name.startswith("Văn phòng") and unit.head_title)
        issuer = Issuer(dec.issuer, facts.name, facts.abbreviation, facts.authority,
                        facts.head_title, facts.deputy_title, facts.collective, parent, units,
                        {f: _dated_origin(issuer_org, dec.issuer, on, f)
                         for f in ("name", "abbreviation", "authority", "head_title",
                                   "deputy_title", "parent")}
                        | {"collective": Origin("organisation", dec.issuer, ("collective",)),
                           "id": _at(here, "issuer")})
    else:
        issuer = Issuer(dec.issuer, dec.issuer, None, None, None, None, False, None, (),
                        {"name": _at(here, "issuer")})

    bases = []
    for i, lid in enumerate(dec.legal_bases):
        reader.read("legal-basis", lid)
        basis = reg.legal_bases.get(lid)
        if basis is None:
            cited = reader.cited(lid) if lid in reg.decisions else None
            if cited is not None:  # a decision of the registry cited as a basis
                bases.append(LegalBasis(
                    lid, cited.kind, f"{cited.number or ''}/{cited.symbol}", cited.date,
                    f"{cited.authority} {cited.issuer or ''}".strip(), cited.subject,
                    {"key": _at(here, "legal_bases", i), "kind": cited.origins["kind"],
                     "number": cited.origins["number"], "date": cited.origins["date"],
                     "issuer": cited.origins["authority"], "title": cited.origins["subject"]}))
            continue
        at = Origin("legal-basis", lid)
        bases.append(LegalBasis(lid, basis.kind, basis.number, basis.date, basis.issuer,
                                basis.title,
                                {"key": _at(here, "legal_bases", i), "kind": _at(at, "kind"),
                                 "number": _at(at, "number"), "date": _at(at, "date"),
                                 "issuer": _at(at, "issuer"), "title": _at(at, "title")}))
    replaces = tuple(ref for rid in dec.replaces if (ref := reader.cited(rid)) is not None)

    committee = _committee(reader, dec.committee) \
        if dec.committee is not None and dec.committee in reg.committees else None
    members: list[MemberLine] = []
    if dec.committee and committee is not None:
        started = set(citing.seats_started)
        held = [(sid, s) for sid, s in reg.active_seats(dec.committee, on) if sid in started]
        members = [reader.member(sid, seat, on, line)
                   for line, (sid, seat) in enumerate(held, start=1)]
        for sid in started:
            reader.read("seat", sid)
            end = reg.seats[sid].end
            if end is not None:
                reader.read("decision", end.decision)
    changes = _seat_changes(reader, citing, on)

    def duty_list(refs: list[tuple[str, int]]) -> tuple[Duty, ...]:
        found: list[Duty] = []
        for cid, i in refs:
            if cid != dec.committee:
                continue
            duty = reg.committees[cid].duties[i]
            found.append(Duty(duty.id, len(found) + 1, duty.text,
                              {"text": Origin("committee", cid, ("duties", i, "text")),
                               "line": Origin("committee", cid, ("duties", i))}))
        return tuple(found)

    regulation_ids = list(dec.attachments)
    regulation_ids += [rid for rid in citing.regulations if rid not in regulation_ids]
    regulations = tuple(r for rid in regulation_ids if (r := _regulation(reader, rid)) is not None)

    signer_id = dec.signing.signer
    signer = reg.people.get(signer_id or "")
    if signer_id:
        reader.read("person", signer_id)
    who = Origin("person", signer_id or "")
    signing = Signer(dec.signing.mode, dec.signing.authority, dec.signing.signer_title,
                     dec.signing.body, signer_id, signer.honorific if signer else None,
                     signer.name if signer else None,
                     {"mode": _at(here, "signing", "mode"),
                      "authority": _at(here, "signing", "authority"),
                      "signer_title": _at(here, "signing", "signer_title"),
                      "body": _at(here, "signing", "body"),
                      "signer": _at(here, "signing", "signer"),
                      "honorific": _at(who, "honorific"), "name": _at(who, "name")})
    date_origin = _at(here, "signature", "date") if dec.signature else _at(here, "date")
    return DecisionContent(
        decision_id, dec.kind, dec.number, dec.symbol, on,
        dec.place or reg.config.default_place, dec.subject, dec.proposer, issuer, tuple(bases),
        replaces, committee, tuple(members), tuple(changes),
        duty_list(citing.duties_started), duty_list(citing.duties_ended),
        _tasks(reader, citing.tasks, dec.kind in PLAN_KINDS), regulations, signing, tuple(dec.recipients),
        {"kind": _at(here, "kind"), "number": _at(here, "number"), "symbol": _at(here, "symbol"),
         "date": date_origin,
         "place": _at(here, "place") if dec.place else Origin("registry", CONFIG_FILE,
                                                                ("default_place",)),
         "subject": _at(here, "subject"), "proposer": _at(here, "proposer"),
         "legal_bases": _at(here, "legal_bases"), "replaces": _at(here, "replaces"),
         "committee": _at(here, "committee"), "recipients": _at(here, "recipients"),
         "regulations": _at(here, "attachments"), "id": here},
        frozenset(reader.reads))


# --- facts: the canonical form ------------------------------------------------------------------


_SKIP = {"origins", "reads", "key"}
_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The fact fields of a content class, in declaration order (computed once per class)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls) if f.name not in _SKIP)
    return names


def _walk(node: Any, prefix: str, origin: Origin, out: list[Fact]) -> None:
    origins = node.origins
    origin = origins.get("key", origin)
    for name in _names(type(node)):
        path = f"{prefix}.{name}" if prefix else name
        _value(getattr(node, name), path, origins.get(name, origin), out)


def _value(value: Any, path: str, origin: Origin, out: list[Fact]) -> None:
    if value is None or isinstance(value, str | int):
        out.append(Fact(path, value, origin))
    elif isinstance(value, tuple):
        if not value:
            out.append(Fact(f"{path}[]", None, origin))
        for i, item in enumerate(value, start=1):
            key = getattr(item, "key", None) or getattr(item, "line", None) or i
            _value(item, f"{path}[{key}]", origin, out)
    elif isinstance(value, date):
        out.append(Fact(path, value.isoformat(), origin))
    else:
        _walk(value, path, origin, out)


def content_facts(content: DecisionContent) -> list[Fact]:
    """Every fact of the content with its origin, in a stable order."""
    out: list[Fact] = []
    _walk(content, "", Origin("decision", content.id), out)
    return out


def facts(content: DecisionContent) -> list[tuple[str, str | int | bool | None]]:
    """The canonical form: an ordered list of (path, value) pairs, JSON-serialisable."""
    return [(fact.path, fact.value) for fact in content_facts(content)]


def fingerprint_facts(pairs: list[tuple[str, str | int | bool | None]]) -> str:
    """The sha256 of the canonical facts (scheme 2): what a signature keeps."""
    blob = json.dumps(pairs, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def facts_fingerprint(reg: Registry, decision_id: str) -> str:
    """The scheme-2 fingerprint of a decision's facts in this registry."""
    return fingerprint_facts(facts(decision_content(reg, decision_id)))


@dataclass(frozen=True)
class FactChange:
    """A fact that differs between two states: its path, the value before and after."""

    path: str
    before: str | int | bool | None
    after: str | int | bool | None
    origin: Origin | None  # where the after value was read (the before's, when it is gone)


_GONE = object()


_ITEM = re.compile(r"^[a-z_]+\[[^\]]+\]")


def _items(paths: Iterable[str], origins: dict[str, Origin]) -> dict[str, Origin | None]:
    """The keyed items (``members[bcd-cpdt-18]``) among paths, with their first fact's origin."""
    found: dict[str, Origin | None] = {}
    for path in paths:
        match = _ITEM.match(path)
        if match and match.group() not in found:
            found[match.group()] = origins.get(path)
    return found


def compare_facts(before: list[tuple[str, Any]], after: list[Fact],
                  before_origins: dict[str, Origin] | None = None) -> list[FactChange]:
    """The facts that differ, in the order of ``after`` (then the ones that are gone). The facts
    of an item (a member line, a duty) that appeared or disappeared whole are attributed to the
    record of that item, whatever record each of them was read from."""
    old = dict(before)
    old_origins = before_origins or {}
    new_paths = {f.path for f in after}
    old_items = _items(old, old_origins)
    new_items = _items((f.path for f in after), {f.path: f.origin for f in after})

    def origin(path: str, own: Origin | None) -> Origin | None:
        match = _ITEM.match(path)
        if match is None:
            return own
        item = match.group()
        if item not in old_items:
            return new_items.get(item, own)
        if item not in new_items:
            return old_items.get(item, own)
        return own

    changed = [FactChange(f.path, old.get(f.path), f.value, origin(f.path, f.origin))
               for f in after if old.get(f.path, _GONE) != f.value]
    gone = [FactChange(path, value, None, origin(path, old_origins.get(path)))
            for path, value in before if path not in new_paths]
    return changed + gone
