"""The in-memory registry: every record by kind and id, with the lookups the rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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


@dataclass
class Registry:
    """All records of one registry, keyed by id, and the file each came from."""

    config: RegistryConfig
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    legal_bases: dict[str, LegalBasis] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    regulations: dict[str, Regulation] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> rel path
    # Derived indexes, built on first use; records are added only while loading.
    _index: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def table(self, kind: str) -> dict[str, object]:
        """The records of a kind (``"seat"``, ``"person"``, …) by id."""
        return getattr(self, _TABLES[kind])  # type: ignore[no-any-return]

    def table_set(self, kind: str, records: dict[str, object]) -> None:
        """Replace the records of a kind (used when deriving a registry from another)."""
        setattr(self, _TABLES[kind], records)
        self._index.clear()

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
        if index is None or self._index.get("seats_count") != len(self.seats):
            grouped: dict[str, dict[str, Seat]] = {}
            for sid, seat in self.seats.items():
                grouped.setdefault(seat.committee, {})[sid] = seat
            self._index["seats_by_committee"] = index = grouped
            self._index["seats_count"] = len(self.seats)
        return dict(index.get(committee_id, {}))  # type: ignore[attr-defined]

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

    def holder_text(self, seat: Seat, as_of: date, *, with_title: bool = True) -> str:
        """Who holds a seat, as documents write it: "Bà Phạm Thị Thanh Trà, Bộ trưởng" or
        "Đại diện lãnh đạo Văn phòng Bộ"."""
        if seat.person is not None:
            person = self.people.get(seat.person)
            if person is None:
                return seat.person
            text = f"{person.honorific} {person.name}"
            if with_title:
                titles = [self.title_text(p.title, p.organisation)
                          for p in self.positions_at(seat.person, as_of)]
                if titles:
                    text += ", " + ", ".join(titles)
            return text
        unit = self.organisations.get(seat.unit or "")
        return f"{seat.post or ''} {unit.name if unit else seat.unit or ''}".strip()

    def title_text(self, title: str, organisation_id: str) -> str:
        """A title with its unit as written in running text: "Vụ trưởng Vụ Pháp chế",
        "Chánh Văn phòng Bộ" (the shared words written once), and "Bộ trưởng" alone for the
        leaders of a top-level body."""
        org = self.organisations.get(organisation_id)
        if org is None or org.parent is None:
            return title
        title_words, name_words = title.split(), org.name.split()
        for overlap in range(min(len(title_words), len(name_words)), 0, -1):
            if title_words[-overlap:] == name_words[:overlap]:
                return " ".join(title_words + name_words[overlap:])
        return f"{title} {org.name}"

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

        for sid, seat in self.seats.items():
            add(seat.start.decision, "seat", sid, "start")
            if seat.end is not None:
                add(seat.end.decision, "seat", sid, "end")
        for cid, committee in self.committees.items():
            for duty in committee.duties:
                add(duty.start.decision, "duty", f"{cid}/{duty.id}", "start")
                if duty.end is not None:
                    add(duty.end.decision, "duty", f"{cid}/{duty.id}", "end")
        for rid, regulation in self.regulations.items():
            add(regulation.issued_by, "regulation", rid, "issue")
        for tid, task in self.tasks.items():
            add(task.assigned_by, "task", tid, "assign")
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
