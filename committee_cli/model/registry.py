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
        from committee_cli.vietnamese import fold

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

    def events_citing(self, decision_id: str) -> list[tuple[str, str, str]]:
        """Every (kind, id, what) that a decision started or ended: ``what`` is start/end/…."""
        found: list[tuple[str, str, str]] = []
        for sid, seat in self.seats.items():
            if seat.start.decision == decision_id:
                found.append(("seat", sid, "start"))
            if seat.end is not None and seat.end.decision == decision_id:
                found.append(("seat", sid, "end"))
        for cid, committee in self.committees.items():
            for duty in committee.duties:
                if duty.start.decision == decision_id:
                    found.append(("duty", f"{cid}/{duty.id}", "start"))
                if duty.end is not None and duty.end.decision == decision_id:
                    found.append(("duty", f"{cid}/{duty.id}", "end"))
        for rid, regulation in self.regulations.items():
            if regulation.issued_by == decision_id:
                found.append(("regulation", rid, "issue"))
        for tid, task in self.tasks.items():
            if task.assigned_by == decision_id:
                found.append(("task", tid, "assign"))
        return found


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
