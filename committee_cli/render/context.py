"""What the templates see: the facts of a decision, committee or task list, read from the registry.

These views hold data only (names, dates, titles as the registry writes them); every word of the
documents is in the templates. What a decision changed is found from the records that cite it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Committee, Decision, Organisation, Regulation, Seat
from committee_cli.model.registry import Registry
from committee_cli.rules.base import did_you_mean
from committee_cli.vietnamese import number_symbol


@dataclass(frozen=True)
class Body:
    """An organisation as documents name it."""

    id: str
    name: str
    abbreviation: str | None
    head_title: str | None
    deputy_title: str | None

    @property
    def head(self) -> str:
        """Its head by title and name: ``Giám đốc Trung tâm Thông tin``."""
        return f"{self.head_title} {self.name}" if self.head_title else self.name


@dataclass(frozen=True)
class LegalBasisView:
    """A legal basis as cited: kind, number, date, issuer, title."""

    id: str
    kind: str
    number: str
    date: date
    issuer: str
    title: str


@dataclass(frozen=True)
class DecisionRef:
    """Another decision as cited in this one (what it replaces)."""

    id: str
    kind: str
    number: str | None  # ``2456/QĐ-BNV``; None for a draft
    date: date
    issuer: Body | None
    authority: str
    subject: str


@dataclass(frozen=True)
class Signing:
    """How the decision is signed: the mode, the titles and the signer's name."""

    mode: str
    authority: str
    signer_title: str | None
    body: str | None
    signer: str | None


@dataclass(frozen=True)
class DecisionView:
    """A decision's own metadata, ready to write."""

    id: str
    kind: str
    draft: bool
    number: str | None  # ``913/QĐ-BNV``; None while a draft has no number
    symbol: str
    date: date
    place: str
    subject: str
    proposer: str | None
    recipients: list[str]
    legal_bases: list[LegalBasisView]
    replaces: list[DecisionRef]
    signing: Signing


@dataclass(frozen=True)
class SeatLine:
    """A seat as a decision names it: ``Bà Phạm Thị Thanh Trà, Bộ trưởng`` in role ``Trưởng ban``."""

    seat: str
    role: str
    holder: str
    person: str | None


@dataclass(frozen=True)
class Change:
    """One change of members a decision made: add, leave, replace, or a role change."""

    kind: Literal["add", "leave", "replace", "role"]
    seat: SeatLine
    previous: SeatLine | None = None


@dataclass(frozen=True)
class TaskView:
    """A task as a decision assigns it."""

    id: str
    title: str
    lead: str  # the lead unit's head (``Giám đốc Trung tâm Thông tin``) or the lead person
    lead_unit: str | None
    coordinators: list[str]  # the coordinating units' heads
    coordinator_units: list[str]
    product: str | None
    deadline: date | None


@dataclass(frozen=True)
class CommitteeView:
    """A committee as its decisions describe it."""

    id: str
    name: str
    short_name: str
    organisation: Body
    working_mode: str
    seal: Body | None
    standing_body: Body | None
    standing_tasks: str | None
    regulation_issuer: str | None  # a role name: ``Trưởng ban``
    head_role: str | None
    established: DecisionRef | None = None
    working_groups: list[CommitteeView] = field(default_factory=list)


def body(reg: Registry, org_id: str | None) -> Body | None:
    """An organisation's view (None when absent)."""
    if org_id is None:
        return None
    org: Organisation | None = reg.organisations.get(org_id)
    if org is None:
        return Body(org_id, org_id, None, None, None)
    return Body(org_id, org.name, org.abbreviation, org.head_title, org.deputy_title)


def parent_body(reg: Registry, org_id: str) -> Body | None:
    """The body above an organisation (shown above the issuer when a unit issues)."""
    org = reg.organisations.get(org_id)
    return body(reg, org.parent) if org is not None and org.parent else None


def committee_view(reg: Registry, committee_id: str) -> CommitteeView:
    """A committee's view, with the working groups under it."""
    com: Committee = reg.committees[committee_id]
    roles = reg.roles_of(committee_id)
    head = next((r.name for r in roles.values() if r.head), None)
    issuer_role = roles.get(com.regulation_issuer or "")
    groups = [committee_view(reg, cid) for cid, c in sorted(reg.committees.items())
              if c.parent == committee_id and cid != committee_id]
    org = body(reg, com.organisation)
    assert org is not None
    return CommitteeView(
        id=committee_id, name=com.name, short_name=com.short_name or com.name, organisation=org,
        working_mode=com.working_mode, seal=body(reg, com.seal),
        standing_body=body(reg, com.standing_body.unit) if com.standing_body else None,
        standing_tasks=com.standing_body.tasks if com.standing_body else None,
        regulation_issuer=issuer_role.name if issuer_role else com.regulation_issuer,
        head_role=head, working_groups=groups,
        established=decision_ref(reg, com.established.decision) if com.established else None)


def _citation_number(decision: Decision) -> str | None:
    return number_symbol(decision.number, decision.symbol) if decision.number else None


def decision_ref(reg: Registry, decision_id: str) -> DecisionRef | None:
    """Another decision as this one cites it (None when the registry does not have it)."""
    other = reg.decisions.get(decision_id)
    if other is None:
        return None
    return DecisionRef(decision_id, other.kind, _citation_number(other),
                       reg.decision_date(decision_id) or other.date, body(reg, other.issuer),
                       other.signing.authority, other.subject)


def decision_view(reg: Registry, decision_id: str) -> DecisionView:
    """A decision's metadata with its legal bases, replaced decisions and signer resolved."""
    dec = reg.decisions[decision_id]
    bases = [LegalBasisView(lid, b.kind, b.number, b.date, b.issuer, b.title)
             for lid in dec.legal_bases if (b := reg.legal_bases.get(lid)) is not None]
    replaced = [ref for rid in dec.replaces if (ref := decision_ref(reg, rid)) is not None]
    signer = reg.people.get(dec.signing.signer or "")
    signing = Signing(dec.signing.mode, dec.signing.authority, dec.signing.signer_title,
                      dec.signing.body, signer.name if signer else None)
    return DecisionView(
        id=decision_id, kind=dec.kind, draft=dec.status != "signed",
        number=_citation_number(dec), symbol=dec.symbol,
        date=reg.decision_date(decision_id) or dec.date,
        place=dec.place or reg.config.default_place, subject=dec.subject, proposer=dec.proposer,
        recipients=list(dec.recipients), legal_bases=bases, replaces=replaced, signing=signing)


def seat_line(reg: Registry, seat_id: str, seat: Seat, as_of: date) -> SeatLine:
    """How a decision names a seat's holder on ``as_of``, with the role's name."""
    role = reg.roles_of(seat.committee).get(seat.role)
    return SeatLine(seat_id, role.name if role else seat.role, reg.holder_text(seat, as_of),
                    seat.person)


def _protocol_key(reg: Registry, seat: Seat) -> tuple[int, int]:
    role = reg.roles_of(seat.committee).get(seat.role)
    return (role.rank if role else 999, seat.order)


def members_started(reg: Registry, decision_id: str, committee_id: str, on: date) -> list[SeatLine]:
    """The seats a decision started that are held on its date, in protocol order."""
    return [seat_line(reg, sid, seat, on) for sid, seat in reg.active_seats(committee_id, on)
            if seat.start.decision == decision_id]


def changes_made(reg: Registry, decision_id: str, on: date) -> list[Change]:
    """Each change of members a decision made, from the seats that cite it, in protocol order."""
    started: list[tuple[str, Seat]] = []
    ended: dict[str, Seat] = {}
    for kind, sid, what in reg.events_citing(decision_id):
        if kind != "seat":
            continue
        if what == "start":
            started.append((sid, reg.seats[sid]))
        elif what == "end":
            ended[sid] = reg.seats[sid]
    found: list[tuple[tuple[int, int], Change]] = []
    replaced: set[str] = set()
    for sid, seat in started:
        when = reg.event_date(seat.start) or on
        line = seat_line(reg, sid, seat, when)
        old = reg.seats.get(seat.replaces or "")
        if old is None:
            found.append((_protocol_key(reg, seat), Change("add", line)))
            continue
        replaced.add(seat.replaces or "")
        before = seat_line(reg, seat.replaces or "", old, when - timedelta(days=1))
        same = old.person is not None and old.person == seat.person
        found.append((_protocol_key(reg, seat), Change("role" if same else "replace", line, before)))
    for sid, seat in ended.items():
        if sid in replaced or seat.end is None:
            continue
        when = (reg.event_date(seat.end) or on) - timedelta(days=1)
        found.append((_protocol_key(reg, seat), Change("leave", seat_line(reg, sid, seat, when))))
    found.sort(key=lambda item: item[0])
    return [change for _, change in found]


def tasks_assigned(reg: Registry, decision_id: str) -> list[TaskView]:
    """The tasks a decision assigned, by deadline, with lead and coordinators named by their heads."""
    views: list[TaskView] = []
    for kind, tid, _ in reg.events_citing(decision_id):
        if kind != "task":
            continue
        task = reg.tasks[tid]
        unit = body(reg, task.lead_unit)
        person = reg.people.get(task.lead_person or "")
        lead = unit.head if unit else (f"{person.honorific} {person.name}" if person else "")
        coordinators = [b for c in task.coordinators if (b := body(reg, c)) is not None]
        views.append(TaskView(tid, task.title, lead, unit.name if unit else None,
                              [c.head for c in coordinators], [c.name for c in coordinators],
                              task.product, task.deadline))
    views.sort(key=lambda t: (t.deadline or date.max, t.id))
    return views


def regulations_issued(reg: Registry, decision_id: str) -> list[Regulation]:
    """The regulations a decision issues: its attachments, then any other citing it."""
    ids = list(reg.decisions[decision_id].attachments)
    ids += [rid for kind, rid, _ in reg.events_citing(decision_id)
            if kind == "regulation" and rid not in ids]
    return [reg.regulations[rid] for rid in ids if rid in reg.regulations]


def decision_context(reg: Registry, decision_id: str) -> dict[str, Any]:
    """Everything a decision template may use."""
    if decision_id not in reg.decisions:
        raise UsageError(tr("no decision '{decision_id}'{suggestion}; known: {sorted}",
                            decision_id=decision_id,
                            suggestion=did_you_mean(decision_id, reg.decisions),
                            sorted=', '.join(sorted(reg.decisions)[:12]) or '(none)'))
    decision = decision_view(reg, decision_id)
    dec = reg.decisions[decision_id]
    issuer = body(reg, dec.issuer)
    committee = committee_view(reg, dec.committee) if dec.committee in reg.committees else None
    if committee is None and dec.kind != "other":
        raise UsageError(tr("decision '{decision_id}' ({kind}) names no committee of this "
                            "registry: set its committee field", decision_id=decision_id,
                            kind=dec.kind))
    on = decision.date
    duties = reg.committees[dec.committee].duties if committee and dec.committee else []
    return {
        "decision": decision,
        "issuer": issuer,
        "parent_body": parent_body(reg, dec.issuer),
        "committee": committee,
        "members": members_started(reg, decision_id, dec.committee, on)
        if committee and dec.committee else [],
        "changes": changes_made(reg, decision_id, on),
        "duties": [d.text for d in duties if d.start.decision == decision_id],
        "duties_ended": [d.text for d in duties if d.end and d.end.decision == decision_id],
        "tasks": tasks_assigned(reg, decision_id),
        "regulations": regulations_issued(reg, decision_id),
    }
