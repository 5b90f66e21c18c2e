"""The in-memory registry: every record by kind and id, with the lookups the rules need."""

from __future__ import annotations

from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from committee_cli.bulk import built_in_bulk
from committee_cli.model.records import (
    Committee,
    Decision,
    Event,
    LegalBasis,
    Organisation,
    Person,
    Position,
    RegistryConfig,
    Regulation,
    Role,
    Seat,
    Task,
)
from committee_cli.vietnamese import fold


class _Unset:
    """The default of ``issuer`` arguments: the registry's own issuer."""


_UNSET = _Unset()


def overlap_join(title: str, name: str) -> str | None:
    """A title and a body's name that share words at the seam, written once: "Chánh Văn phòng"
    + "Văn phòng Bộ" -> "Chánh Văn phòng Bộ", "Thủ tướng" + "Thủ tướng Chính phủ" -> "Thủ tướng
    Chính phủ"; None when they share nothing (compared as written, so "Trưởng ban" + "Ban Chỉ
    đạo" share nothing)."""
    title_words, name_words = title.split(), name.split()
    for overlap in range(min(len(title_words), len(name_words)), 0, -1):
        if title_words[-overlap:] == name_words[:overlap]:
            return " ".join(title_words + name_words[overlap:])
    return None


def join_title(title: str, name: str) -> str:
    """A title followed by a body's name, with no word doubled: "Bộ trưởng Bộ Nội vụ",
    "Tổng Thanh tra Chính phủ" (from "Tổng Thanh tra" and "Thanh tra Chính phủ")."""
    return overlap_join(title, name) or f"{title} {name}"


R = TypeVar("R")
_ABSENT = object()


@dataclass(frozen=True)
class Packed:
    """Records of one kind kept as JSON one after the other (``ends[i]``: where record ``i``
    ends), with what each cites (``events[i]``, as ``events_text`` writes it; [] when the kind
    cites nothing) and the fields of ``KEPT_FIELDS`` (``fields[name][i]``, "" for none)."""

    json: bytes
    ends: Sequence[int]
    events: Sequence[str] = ()
    fields: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def record(self, index: int) -> bytes:
        """The JSON of record ``index``."""
        return self.json[self.ends[index - 1] if index else 0:self.ends[index]]


class Table(MutableMapping[str, R], Generic[R]):
    """The records of one kind by id, each built from its JSON the first time it is asked for.

    A registry read back from the cache's snapshot holds its records as the JSON they were
    kept as; a run that changed one file and checks one committee builds the records it looks
    at, not the 285,000 of a national registry. Every access goes through this mapping (it is
    not a ``dict``), so a record is never seen unbuilt; ids, order and membership are known
    without building anything.
    """

    __slots__ = ("_build", "_items", "_packed", "_unbuilt")

    def __init__(self, build: Callable[[bytes], R], items: dict[str, R | int],
                 packed: Packed, unbuilt: int | None = None) -> None:
        self._build = build
        self._items = items  # a record, or its place in ``packed`` until first asked for
        self._packed = packed
        self._unbuilt = sum(1 for value in items.values() if value.__class__ is int) \
            if unbuilt is None else unbuilt  # once 0, the items are the records

    def __getitem__(self, key: str) -> R:
        value = self._items[key]
        if value.__class__ is int:
            value = self._items[key] = self._build(self._packed.record(value))
            self._unbuilt -= 1
        return value  # type: ignore[return-value]

    def get(self, key: str, default: Any = None) -> Any:
        value = self._items.get(key, _ABSENT)
        if value is _ABSENT:
            return default
        return self[key] if value.__class__ is int else value

    def items(self) -> ItemsView[str, R]:
        # every record built: the records' own view (a dict's, in C)
        return self._items.items() if not self._unbuilt else ItemsView(self)  # type: ignore[return-value]

    def values(self) -> ValuesView[R]:
        return self._items.values() if not self._unbuilt else ValuesView(self)  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __setitem__(self, key: str, value: R) -> None:
        if self._items.get(key).__class__ is int:
            self._unbuilt -= 1
        self._items[key] = value

    def __delitem__(self, key: str) -> None:
        if self._items[key].__class__ is int:
            self._unbuilt -= 1
        del self._items[key]

    def copy(self) -> Table[R]:
        """Another table of the same records (none built by copying)."""
        return Table(self._build, dict(self._items), self._packed, self._unbuilt)

    def kept_json(self, key: str) -> bytes | None:
        """The JSON of a record not built yet (None: built, or no such record)."""
        value = self._items.get(key)
        return self._packed.record(value) if value.__class__ is int else None

    def cited(self, of_record: Callable[[R], Events]) -> list[tuple[str, Events]]:
        """Each record's id with the decisions it cites: a record not built yet answers from
        what was kept with its JSON (a record set since never does), a built one from
        ``of_record``."""
        kept = self._packed.events
        found: list[tuple[str, Events]] = []
        for key, value in self._items.items():
            if value.__class__ is int and kept:
                parts = kept[value].split("\0")
                found.append((key, tuple(zip(parts[1::2], parts[::2]))))  # noqa: B905
            else:
                found.append((key, of_record(self[key])))
        return found

    def citing(self, decision_id: str, of_record: Callable[[R], Events]
               ) -> list[tuple[str, Events]]:
        """``cited`` for the records citing ``decision_id`` only, in the same order: what was
        kept with a record not built yet is split only when it names the decision."""
        kept = self._packed.events
        found: list[tuple[str, Events]] = []
        for key, value in self._items.items():
            if value.__class__ is int and kept:
                text = kept[value]
                if decision_id not in text:
                    continue
                parts = text.split("\0")
                events: Events = tuple(zip(parts[1::2], parts[::2]))  # noqa: B905
            else:
                events = of_record(self[key])
            if any(cited == decision_id for cited, _ in events):
                found.append((key, events))
        return found

    def column(self, name: str) -> list[tuple[str, str | None]]:
        """Each record's id with the value of one of its id fields (``KEPT_FIELDS``): a record
        not built yet answers from what was kept with its JSON, a built one itself. (Tens of
        thousands of pairs, kept for the registry's state: built in bulk.)"""
        kept = self._packed.fields.get(name)
        found: list[tuple[str, str | None]] = []
        with built_in_bulk():
            for key, value in self._items.items():
                if value.__class__ is int and kept is not None:
                    found.append((key, kept[value] or None))
                else:
                    found.append((key, kept_value(name, self[key])))
        return found

    def built(self) -> int:
        """How many records have been built."""
        return sum(1 for value in self._items.values() if value.__class__ is not int)


Events = tuple[tuple[str, str], ...]  # (decision id, what it does: start, end, issue, assign)
EVENT_KINDS = ("seat", "regulation", "task")
# The id fields kept beside a record's JSON, so that the records of one committee, the seat
# that took over another, the signed decisions or the kinds of decisions are found without
# building every record
KEPT_FIELDS = {"seat": ("committee", "replaces"), "regulation": ("committee",),
               "task": ("committee",), "decision": ("committee", "kind", "sealed"),
               "organisation": ("parents",), "committee": ("parent", "duties")}


def kept_value(name: str, record: object) -> str | None:
    """A record's value of a kept field: an id field, ``parents`` (an organisation's parents
    over time, space-separated, sorted) or ``sealed`` (a signed decision's signature scheme,
    as text; None for any other decision)."""
    if name == "parents" and isinstance(record, Organisation):
        found = {record.parent, *(change.parent for change in record.changes)} - {None}
        return " ".join(sorted(str(parent) for parent in found)) or None
    if name == "duties" and isinstance(record, Committee):
        return duties_text(record) or None
    if name == "sealed" and isinstance(record, Decision):
        signature = record.signature
        return str(signature.scheme) if record.status == "signed" and signature else None
    value = getattr(record, name)
    return value if value is None else str(value)


def duties_text(committee: Committee) -> str:
    """The decisions that started and ended each of a committee's duties, in order: one
    ``start:end`` per duty (``end`` empty while it lasts), space-separated (ids hold neither
    character)."""
    return " ".join(f"{duty.start.decision}:{duty.end.decision if duty.end else ''}"
                    for duty in committee.duties)


def duty_events(text: str | None) -> list[tuple[str, str | None]]:
    """Each duty's starting and ending decisions, from ``duties_text``."""
    found: list[tuple[str, str | None]] = []
    for item in (text or "").split():
        start, _, end = item.partition(":")
        found.append((start, end or None))
    return found


def record_events(kind: str, record: object) -> Events:
    """The decisions a seat, regulation or task cites, with what each does to it."""
    if isinstance(record, Seat):
        started = ((record.start.decision, "start"),)
        return (*started, (record.end.decision, "end")) if record.end else started
    if isinstance(record, Regulation):
        return ((record.issued_by, "issue"),)
    if isinstance(record, Task):
        return ((record.assigned_by, "assign"),)
    return ()


def events_text(events: Events) -> str:
    """Events as the snapshot keeps them (read back by ``Table.kept_events``)."""
    return "\0".join(f"{what}\0{decision}" for decision, what in events)


def copy_table(table: MutableMapping[str, R]) -> MutableMapping[str, R]:
    """A copy of a table of records that builds none of them."""
    return table.copy() if isinstance(table, Table) else dict(table)


FileKey = tuple[str, str]  # (kind, record id)


class RecordFiles(MutableMapping[FileKey, str]):
    """The file each record came from, ``(kind, id) -> "<folder>/<id>.yaml"``, for a registry
    read back from the cache: given by the ids of each kind as they were read (no entry is
    made for 75,000 records until one is asked for), with what was set or removed since laid
    over them. A copy shares the ids read and copies only what was laid over them."""

    __slots__ = ("_folders", "_gone", "_ids", "_known", "_set")

    def __init__(self, ids: Mapping[str, Sequence[str]], folders: Mapping[str, str]) -> None:
        self._ids = ids  # kind -> its ids as read (never changed)
        self._folders = folders  # kind -> its folder
        self._known: dict[str, frozenset[str]] = {}  # kind -> its ids, made on first lookup
        self._set: dict[FileKey, str] = {}
        self._gone: set[FileKey] = set()

    def _read(self, key: FileKey) -> bool:
        """Whether the ids as read have ``key``."""
        kind, record_id = key
        known = self._known.get(kind)
        if known is None:
            if kind not in self._ids:
                return False
            known = self._known[kind] = frozenset(self._ids[kind])
        return record_id in known

    def __getitem__(self, key: FileKey) -> str:
        found = self._set.get(key)
        if found is not None:
            return found
        if key in self._gone or not self._read(key):
            raise KeyError(key)
        return f"{self._folders[key[0]]}/{key[1]}.yaml"

    def __contains__(self, key: object) -> bool:
        return key in self._set or (isinstance(key, tuple) and len(key) == 2
                                    and key not in self._gone and self._read(key))

    def __setitem__(self, key: FileKey, value: str) -> None:
        self._set[key] = value
        self._gone.discard(key)

    def __delitem__(self, key: FileKey) -> None:
        if key not in self:
            raise KeyError(key)
        self._set.pop(key, None)
        if self._read(key):
            self._gone.add(key)

    def __iter__(self) -> Iterator[FileKey]:
        return (key for key, _ in self._pairs())

    def items(self) -> ItemsView[FileKey, str]:
        return _FileItems(self)

    def _pairs(self) -> Iterator[tuple[FileKey, str]]:
        laid, gone = self._set, self._gone
        for kind, ids in self._ids.items():
            folder = self._folders[kind]
            for record_id in ids:
                key = (kind, record_id)
                if key not in gone and key not in laid:
                    yield key, f"{folder}/{record_id}.yaml"
        yield from laid.items()

    def __len__(self) -> int:
        read = sum(len(ids) for ids in self._ids.values())
        return read - len(self._gone) + sum(1 for key in self._set if not self._read(key))

    def __repr__(self) -> str:
        return f"RecordFiles({len(self)} files)"

    def copy(self) -> RecordFiles:
        """Another mapping of the same files (the ids read shared, not copied)."""
        other = RecordFiles(self._ids, self._folders)
        other._known, other._set, other._gone = self._known, dict(self._set), set(self._gone)
        return other


class _FileItems(ItemsView[FileKey, str]):
    """``RecordFiles.items()``, each path made as it is reached, not looked up."""

    _mapping: RecordFiles

    def __iter__(self) -> Iterator[tuple[FileKey, str]]:
        return self._mapping._pairs()


def copy_files(files: MutableMapping[FileKey, str]) -> MutableMapping[FileKey, str]:
    """A registry's files, copied for a registry derived from it."""
    return files.copy() if isinstance(files, RecordFiles) else dict(files)


@dataclass
class Registry:
    """All records of one registry, keyed by id, and the file each came from."""

    config: RegistryConfig
    organisations: MutableMapping[str, Organisation] = field(default_factory=dict)
    people: MutableMapping[str, Person] = field(default_factory=dict)
    legal_bases: MutableMapping[str, LegalBasis] = field(default_factory=dict)
    decisions: MutableMapping[str, Decision] = field(default_factory=dict)
    committees: MutableMapping[str, Committee] = field(default_factory=dict)
    seats: MutableMapping[str, Seat] = field(default_factory=dict)
    regulations: MutableMapping[str, Regulation] = field(default_factory=dict)
    tasks: MutableMapping[str, Task] = field(default_factory=dict)
    # (kind, id) -> rel path: a dict, or RecordFiles for a registry read back from the cache
    files: MutableMapping[FileKey, str] = field(default_factory=dict)
    # The committees a part of the registry was made for (rules/run.py: a committee rule run
    # again after a change only needs their records); None: every committee
    focus: frozenset[str] | None = field(default=None, compare=False)
    # Derived indexes, built on first use; records are added only while loading.
    _index: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def table(self, kind: str) -> MutableMapping[str, object]:
        """The records of a kind (``"seat"``, ``"person"``, …) by id."""
        return getattr(self, _TABLES[kind])  # type: ignore[no-any-return]

    def table_set(self, kind: str, records: MutableMapping[str, object]) -> None:
        """Replace the records of a kind (used when deriving a registry from another)."""
        setattr(self, _TABLES[kind], records)
        self._index.clear()

    def focused_decisions(self) -> Iterator[tuple[str, Decision]]:
        """Each decision of a committee in ``focus`` (every decision without one), found by
        the committee kept beside each record: the others are not built."""
        if self.focus is None:
            yield from self.decisions.items()
            return
        for decision_id, committee in self.column("decision", "committee"):
            if committee in self.focus:
                yield decision_id, self.decisions[decision_id]

    def file_of(self, kind: str, record_id: str) -> str:
        """The registry-relative path of a record's file."""
        return self.files.get((kind, record_id), "")

    # --- dates ---------------------------------------------------------------------------

    def event_date(self, event: Event) -> date | None:
        """The date of a start or end: its own, else its decision's (None if unknown)."""
        if event.date is not None:
            return event.date
        decision = self.decisions.get(event.decision)
        if decision is None:
            return None
        if decision.signature is not None:
            return decision.signature.date
        return decision.date

    def decision_date(self, decision_id: str) -> date | None:
        """The effective date of a decision: its signature date once signed, else its date."""
        decision = self.decisions.get(decision_id)
        if decision is None:
            return None
        return decision.signature.date if decision.signature else decision.date

    # --- seats ---------------------------------------------------------------------------

    def roles_of(self, committee_id: str) -> dict[str, Role]:
        """The role vocabulary of a committee."""
        committee = self.committees.get(committee_id)
        role_set = committee.role_set if committee else "ban-chi-dao"
        return self.config.roles(role_set)

    def seat_active(self, seat: Seat, as_of: date) -> bool:
        """True when the seat is held on ``as_of`` (start inclusive, end exclusive)."""
        start = self.event_date(seat.start)
        if start is None or start > as_of:
            return False
        if seat.end is None:
            return True
        end = self.event_date(seat.end)
        return end is None or as_of < end

    def seats_of(self, committee_id: str) -> dict[str, Seat]:
        """Every seat of a committee, ever, by id."""
        index = self._index.get("seats_by_committee")
        size = (id(self.seats), len(self.seats))
        if index is None or self._index.get("seats_size") != size:
            grouped: dict[str, list[str]] = {}
            for sid, committee in self.column("seat", "committee"):
                grouped.setdefault(committee or "", []).append(sid)
            self._index["seats_by_committee"] = index = grouped
            self._index["seats_size"] = size
        return {sid: self.seats[sid] for sid in index.get(committee_id, [])}  # type: ignore[attr-defined]

    def active_seats(self, committee_id: str, as_of: date) -> list[tuple[str, Seat]]:
        """Seats held on ``as_of``, in protocol order (role rank, then order)."""
        roles = self.roles_of(committee_id)
        held = [(sid, s) for sid, s in self.seats_of(committee_id).items()
                if self.seat_active(s, as_of)]
        held.sort(key=lambda item: (roles[item[1].role].rank if item[1].role in roles else 999,
                                    item[1].order, item[0]))
        return held

    # --- people ----------------------------------------------------------------------------

    def positions_at(self, person_id: str, as_of: date) -> list[Position]:
        """The positions a person holds on ``as_of``."""
        person = self.people.get(person_id)
        if person is None:
            return []
        return [p for p in person.positions
                if p.since <= as_of and (p.until is None or as_of < p.until)]

    def holds_title(self, person_id: str, title: str, as_of: date,
                    organisation: str | None = None) -> bool:
        """True when the person holds ``title`` (at ``organisation`` if given) on ``as_of``."""
        return any(fold(p.title) == fold(title)
                   and (organisation is None or p.organisation == organisation)
                   for p in self.positions_at(person_id, as_of))

    def holder_text(self, seat: Seat, as_of: date, *, with_title: bool = True,
                    issuer: str | _Unset | None = _UNSET) -> str:
        """Who holds a seat, as documents write it: "Bà Phạm Thị Thanh Trà, Bộ trưởng" or
        "Đại diện lãnh đạo Văn phòng Bộ" (names as they stood on ``as_of``)."""
        if seat.person is not None:
            person = self.people.get(seat.person)
            if person is None:
                return seat.person
            text = f"{person.honorific} {person.name}"
            titles = self.titles_text(seat.person, as_of, issuer=issuer) if with_title else None
            return f"{text}, {titles}" if titles else text
        return self.post_text(seat, as_of)

    def post_text(self, seat: Seat, as_of: date | None = None) -> str:
        """A seat named by a post only: "Đại diện lãnh đạo Văn phòng Bộ"."""
        unit = self.organisations.get(seat.unit or "")
        name = unit.on(as_of).name if unit else seat.unit or ""
        return f"{seat.post or ''} {name}".strip()

    def titles_text(self, person_id: str, as_of: date, *,
                    issuer: str | _Unset | None = _UNSET) -> str | None:
        """Every title a person holds on ``as_of``, in the order the registry keeps them, as one
        phrase: "Vụ trưởng, Giám đốc Trung tâm Thông tin" (None when they hold none).

        This is the phrase every command prints (members, person, history, diff, documents)."""
        positions = self.positions_at(person_id, as_of)
        if not positions:
            return None
        return ", ".join(self.title_text(p.title, p.organisation, as_of, issuer=issuer)
                         for p in positions)

    def title_text(self, title: str, organisation_id: str, as_of: date | None = None, *,
                   issuer: str | _Unset | None = _UNSET) -> str:
        """A title with the body it belongs to, as written in running text (ISSUERS.md).

        The body is named unless it is the issuer itself: "Bộ trưởng" in the ministry's own
        committee, "Bộ trưởng Bộ Công an" in a national one. An office whose name holds the
        title stays whole ("Thủ tướng" at "Thủ tướng Chính phủ", "Tổng Thanh tra" at "Thanh tra
        Chính phủ" give "Tổng Thanh tra Chính phủ"), and shared words are written once ("Chánh
        Văn phòng" at "Văn phòng Bộ"). ``issuer`` defaults to the registry's issuer; a registry
        without one names no top-level body (its leaders are the issuer's)."""
        org = self.organisations.get(organisation_id)
        if org is None:
            return title
        name = org.on(as_of).name
        merged = overlap_join(title, name)
        if merged is not None:
            return merged
        chosen = self.config.issuer if isinstance(issuer, _Unset) else issuer
        if organisation_id == chosen or (chosen is None and org.on(as_of).parent is None):
            return title
        return f"{title} {name}"

    def organisation_name(self, organisation_id: str | None, as_of: date | None = None) -> str | None:
        """An organisation's name as it stood on ``as_of`` (its id when the registry lacks it)."""
        if organisation_id is None:
            return None
        org = self.organisations.get(organisation_id)
        return org.on(as_of).name if org is not None else organisation_id

    def column(self, kind: str, name: str) -> list[tuple[str, str | None]]:
        """Each record of ``kind`` with the value of one of its id fields (``KEPT_FIELDS``),
        found once per registry state; records not built yet are not built."""
        table = self.table(kind)
        size = (id(table), len(table))
        cached = self._index.get(f"column:{kind}:{name}")
        if cached is not None and self._index.get(f"column_size:{kind}:{name}") == size:
            return cached  # type: ignore[return-value]
        found = table.column(name) if isinstance(table, Table) \
            else [(record_id, kept_value(name, record)) for record_id, record in table.items()]
        self._index[f"column:{kind}:{name}"] = found
        self._index[f"column_size:{kind}:{name}"] = size
        return found

    def cited_by(self, kind: str) -> list[tuple[str, Events]]:
        """Each seat, regulation or task (``kind``) with the decisions it cites (found once per
        registry state); a record not built yet answers from what the snapshot kept with it, so
        it is not built."""
        table = self.table(kind)
        size = (id(table), len(table))
        cached = self._index.get(f"cited_by:{kind}")
        if cached is not None and self._index.get(f"cited_by_size:{kind}") == size:
            return cached  # type: ignore[return-value]
        def of_record(record: object) -> Events:
            return record_events(kind, record)

        found = table.cited(of_record) if isinstance(table, Table) \
            else [(record_id, of_record(record)) for record_id, record in table.items()]
        self._index[f"cited_by:{kind}"], self._index[f"cited_by_size:{kind}"] = found, size
        return found

    def citing(self, kind: str, decision_id: str) -> list[tuple[str, Events]]:
        """The seats, regulations or tasks (``kind``) citing ``decision_id``, in the order of
        ``cited_by`` (from it when it is at hand; else nothing else is split or built)."""
        table = self.table(kind)
        if self._index.get(f"cited_by_size:{kind}") == (id(table), len(table)) \
                or not isinstance(table, Table):
            return [(record_id, events) for record_id, events in self.cited_by(kind)
                    if any(cited == decision_id for cited, _ in events)]

        def of_record(record: object) -> Events:
            return record_events(kind, record)

        return table.citing(decision_id, of_record)

    def events_citing(self, decision_id: str) -> list[tuple[str, str, str]]:
        """Every (kind, id, what) that a decision started or ended: ``what`` is start/end/…."""
        return list(self._events_by_decision().get(decision_id, ()))

    def _events_by_decision(self) -> dict[str, list[tuple[str, str, str]]]:
        """Every record event grouped by the decision it cites, built once per registry state."""
        size = (len(self.seats), len(self.committees), len(self.regulations), len(self.tasks))
        index = self._index.get("events_by_decision")
        if index is not None and self._index.get("events_size") == size:
            return index  # type: ignore[return-value]
        grouped: dict[str, list[tuple[str, str, str]]] = {}

        def add(decision_id: str, kind: str, record_id: str, what: str) -> None:
            grouped.setdefault(decision_id, []).append((kind, record_id, what))

        for sid, events in self.cited_by("seat"):
            for decision_id, what in events:
                add(decision_id, "seat", sid, what)
        for cid, committee in self.committees.items():
            for duty in committee.duties:
                add(duty.start.decision, "duty", f"{cid}/{duty.id}", "start")
                if duty.end is not None:
                    add(duty.end.decision, "duty", f"{cid}/{duty.id}", "end")
        for kind in ("regulation", "task"):
            for record_id, events in self.cited_by(kind):
                for decision_id, what in events:
                    add(decision_id, kind, record_id, what)
        self._index["events_by_decision"] = grouped
        self._index["events_size"] = size
        return grouped


_TABLES = {
    "organisation": "organisations",
    "person": "people",
    "legal-basis": "legal_bases",
    "decision": "decisions",
    "committee": "committees",
    "seat": "seats",
    "regulation": "regulations",
    "task": "tasks",
}
