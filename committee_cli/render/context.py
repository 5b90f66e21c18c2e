"""What the templates see: the facts of a decision, committee or task list, read from the registry.

These views hold data only (names, dates, titles as the registry writes them); every word of the
documents is in the templates. What a decision changed is found from the records that cite it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, get_args

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import (
    Committee,
    Decision,
    DecisionKind,
    Organisation,
    OrganisationFacts,
    Regulation,
    Seat,
)
from committee_cli.model.registry import Registry, join_title
from committee_cli.queries.content import decision_content, existed_on, units_under
from committee_cli.render.layout import LINE_BREAK
from committee_cli.rules.base import did_you_mean
from committee_cli.vietnamese import fold, number_symbol

NBSP = "\u00a0"
"""Binds the words of a name, a title or a fixed phrase: a writer never breaks a line there."""
BREAK = LINE_BREAK
"""A preferred line break (U+2028, render.layout): where a long centred line should break first."""


def bind(text: str) -> str:
    """The words of ``text`` joined by non-breaking spaces (a name, a title, a fixed phrase)."""
    return NBSP.join(text.split(" ")) if text else text


def _bind_short(text: str, words: int = 4) -> str:
    """Bind a phrase of at most ``words`` words; a longer one keeps its spaces (it must wrap)."""
    return bind(text) if len(text.split()) <= words else text


@dataclass(frozen=True)
class Body:
    """An organisation as documents name it, with its facts as they stood on the document's date."""

    id: str
    name: str
    abbreviation: str | None
    head_title: str | None
    deputy_title: str | None
    authority: str = ""  # "Bộ trưởng Bộ Nội vụ", "Thủ tướng Chính phủ" (record, else derived)
    collective: bool = False
    parent: str | None = None  # the parent's id on that date
    code: str | None = None

    @property
    def head(self) -> str:
        """Its head by title and name: ``Giám đốc Trung tâm Thông tin``, ``Chánh Văn phòng Bộ``."""
        return join_title(self.head_title, self.name) if self.head_title else self.name


@dataclass(frozen=True)
class LegalBasisView:
    """A legal basis as cited: kind, number, date, issuer, title; ``decision`` when the basis is
    a decision of this registry (then ``issuer`` is the phrase it was issued under and ``title``
    its subject)."""

    id: str
    kind: str
    number: str
    date: date
    issuer: str
    title: str
    decision: DecisionRef | None = None


@dataclass(frozen=True)
class DecisionRef:
    """Another decision as cited in this one (what it replaces, or a legal basis)."""

    id: str
    kind: str
    number: str | None  # ``2456/QĐ-BNV``; None for a draft
    date: date
    issuer: Body | None
    authority: str  # the signing title: ``Bộ trưởng``
    subject: str
    issued_by: str = ""  # the whole phrase: ``Bộ trưởng Bộ Nội vụ``, ``Thủ tướng Chính phủ``


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
    issued_by: str = ""  # the authority line: ``Bộ trưởng Bộ Nội vụ``, ``Thủ tướng Chính phủ``


@dataclass(frozen=True)
class SeatLine:
    """A seat as a decision names it: ``Bà Phạm Thị Thanh Trà, Bộ trưởng`` in role ``Trưởng ban``.

    ``holder`` binds the person's name and each title with non-breaking spaces; ``role`` is the
    role's document form (``Chủ tịch Ủy ban``), ``of_body`` the role with the committee named
    once (``Ủy viên Ban Chỉ đạo``, ``Chủ tịch Ủy ban``)."""

    seat: str
    role: str
    holder: str
    person: str | None
    role_id: str = ""
    role_name: str = ""
    of_body: str = ""
    name: str | None = None  # ``Ông Lê Văn Cường`` (bound), None for a post
    titles: str | None = None  # ``Vụ trưởng Vụ Pháp chế`` (bound), None when none


@dataclass(frozen=True)
class MemberGroup:
    """The holders of one role, for member lists grouped by role (``member_list: grouped``)."""

    role: str
    role_name: str
    members: list[SeatLine]


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
    head: SeatLine | None = None  # who holds the head role on the date asked
    dissolved: DecisionRef | None = None


def _authority(facts: OrganisationFacts) -> str:
    """The phrase naming a body's authority: its record's, else the body itself for a collective
    one, else its head's title and its name with no word doubled."""
    if facts.authority:
        return facts.authority
    if facts.collective or not facts.head_title:
        return facts.name
    return join_title(facts.head_title, facts.name)


def body(reg: Registry, org_id: str | None, on: date | None = None) -> Body | None:
    """An organisation's view with its facts on ``on`` (None when absent)."""
    if org_id is None:
        return None
    org: Organisation | None = reg.organisations.get(org_id)
    if org is None:
        return Body(org_id, org_id, None, None, None, org_id)
    facts = org.on(on)
    return Body(org_id, facts.name, facts.abbreviation, facts.head_title, facts.deputy_title,
                _authority(facts), facts.collective, facts.parent, facts.code)


def parent_body(reg: Registry, org_id: str, on: date | None = None) -> Body | None:
    """The body above an organisation on ``on`` (shown above the issuer when a unit issues)."""
    own = body(reg, org_id, on)
    return body(reg, own.parent, on) if own is not None and own.parent else None


def units_of(reg: Registry, org_id: str, on: date) -> list[Body]:
    """The organisations directly under one on ``on`` (the issuer's office, departments …),
    found as the decision's content finds them (``queries.content.units_under``)."""
    return [unit for uid in units_under(reg, org_id, on) if (unit := body(reg, uid, on))]


def issued_by(issuer: Body | None, mode: str, authority: str) -> str:
    """The phrase a decision is issued under (its authority line, in sentence case).

    A collective body signing ``TM.`` issues as itself ("Ủy ban nhân dân tỉnh Quảng Ninh"); its
    head otherwise by title ("Chủ tịch Ủy ban nhân dân tỉnh Quảng Ninh"); a single head by the
    body's authority phrase ("Thủ tướng Chính phủ", never "Thủ tướng Thủ tướng Chính phủ"); any
    other title joined to the body's name with no word doubled."""
    if issuer is None:
        return authority
    if issuer.collective:
        return issuer.authority if mode == "TM" or not authority else join_title(authority,
                                                                                issuer.name)
    if not authority or (issuer.head_title and fold(authority) == fold(issuer.head_title)):
        return issuer.authority
    return join_title(authority, issuer.name)


def _citation_number(decision: Decision) -> str | None:
    return number_symbol(decision.number, decision.symbol) if decision.number else None


def decision_ref(reg: Registry, decision_id: str) -> DecisionRef | None:
    """Another decision as this one cites it, with its facts on its own date (None when the
    registry does not have it)."""
    other = reg.decisions.get(decision_id)
    if other is None:
        return None
    when = reg.decision_date(decision_id) or other.date
    issuer = body(reg, other.issuer, when)
    return DecisionRef(decision_id, other.kind, _citation_number(other), when, issuer,
                       other.signing.authority, other.subject,
                       issued_by(issuer, other.signing.mode, other.signing.authority))


def _legal_basis(reg: Registry, basis_id: str) -> LegalBasisView | None:
    basis = reg.legal_bases.get(basis_id)
    if basis is not None:
        return LegalBasisView(basis_id, basis.kind, basis.number, basis.date, basis.issuer,
                              basis.title)
    ref = decision_ref(reg, basis_id)
    if ref is None:
        return None
    return LegalBasisView(basis_id, "", ref.number or "", ref.date, ref.issued_by, ref.subject,
                          decision=ref)


def decision_view(reg: Registry, decision_id: str) -> DecisionView:
    """A decision's metadata with its legal bases (records or decisions of the registry),
    replaced decisions and signer resolved."""
    dec = reg.decisions[decision_id]
    on = reg.decision_date(decision_id) or dec.date
    bases = [view for lid in dec.legal_bases if (view := _legal_basis(reg, lid)) is not None]
    replaced = [ref for rid in dec.replaces if (ref := decision_ref(reg, rid)) is not None]
    signer = reg.people.get(dec.signing.signer or "")
    signing = Signing(dec.signing.mode, dec.signing.authority, dec.signing.signer_title,
                      dec.signing.body, signer.name if signer else None)
    return DecisionView(
        id=decision_id, kind=dec.kind, draft=dec.status != "signed",
        number=_citation_number(dec), symbol=dec.symbol, date=on,
        place=dec.place or reg.config.default_place, subject=dec.subject, proposer=dec.proposer,
        recipients=list(dec.recipients), legal_bases=bases, replaces=replaced, signing=signing,
        issued_by=issued_by(body(reg, dec.issuer, on), dec.signing.mode, dec.signing.authority))


def _bound_titles(reg: Registry, person_id: str, as_of: date, issuer: str | None) -> str | None:
    """Each title of a person on ``as_of``, the title's words bound, and the body's name too
    when short: "Vụ\u00a0trưởng Vụ\u00a0Pháp\u00a0chế"."""
    phrases = []
    for position in reg.positions_at(person_id, as_of):
        phrase = reg.title_text(position.title, position.organisation, as_of, issuer=issuer)
        if len(phrase.split()) <= 4:
            phrase = bind(phrase)
        elif phrase.startswith(position.title + " "):
            rest = phrase[len(position.title) + 1:]
            phrase = f"{bind(position.title)} {_bind_short(rest)}"
        else:
            phrase = _bind_short(phrase)
        phrases.append(phrase)
    return ", ".join(phrases) if phrases else None


def seat_line(reg: Registry, seat_id: str, seat: Seat, as_of: date,
              issuer: str | None = None) -> SeatLine:
    """How a decision of ``issuer`` names a seat's holder on ``as_of``, with the role's name."""
    role = reg.roles_of(seat.committee).get(seat.role)
    role_name = role.name if role else seat.role
    document_name = (role.document_name if role else None) or role_name
    committee = reg.committees.get(seat.committee)
    short = (committee.short_name or committee.name) if committee else ""
    person = reg.people.get(seat.person or "")
    if seat.person is not None and person is None:
        name: str | None = seat.person
        titles = None
    elif person is not None:
        name = bind(f"{person.honorific} {person.name}")
        titles = _bound_titles(reg, seat.person or "", as_of, issuer)
    else:
        name, titles = None, None
    holder = (f"{name}, {titles}" if titles else name) if name else reg.post_text(seat, as_of)
    return SeatLine(seat_id, document_name, holder, seat.person, seat.role, role_name,
                    join_title(document_name, short) if short else document_name, name, titles)


def members_started(reg: Registry, decision_id: str, committee_id: str, on: date,
                    issuer: str | None = None) -> list[SeatLine]:
    """The seats a decision started that are held on its date, in protocol order: the member
    lines of its content (``queries.content``, the facts its signature covers)."""
    content = decision_content(reg, decision_id)
    return [seat_line(reg, line.key, reg.seats[line.key], on, issuer) for line in content.members
            if line.committee == committee_id]


def member_groups(members: list[SeatLine]) -> list[MemberGroup]:
    """Members grouped by role, groups in protocol order (the order of ``members``)."""
    groups: dict[str, MemberGroup] = {}
    for line in members:
        group = groups.setdefault(line.role_id, MemberGroup(line.role, line.role_name, []))
        group.members.append(line)
    return list(groups.values())


def changes_made(reg: Registry, decision_id: str, on: date,
                 issuer: str | None = None) -> list[Change]:
    """Each change of members a decision made, in protocol order, paired as its content states
    it (``queries.content``: the same pairing as history, diff and textconv)."""
    found: list[Change] = []
    for item in decision_content(reg, decision_id).changes:
        seat = reg.seats[item.key]
        when = item.since or on
        if item.kind == "leave":
            found.append(Change("leave", seat_line(reg, item.key, seat, when - timedelta(days=1),
                                                   issuer)))
            continue
        line = seat_line(reg, item.key, seat, when, issuer)
        before = None
        if item.previous is not None:
            before = seat_line(reg, item.previous.key, reg.seats[item.previous.key],
                               when - timedelta(days=1), issuer)
        found.append(Change(item.kind, line, before))
    return found


def committee_view(reg: Registry, committee_id: str, on: date | None = None,
                   issuer: str | None = None) -> CommitteeView:
    """A committee's view on ``on``, with the working groups under it and who heads each."""
    com: Committee = reg.committees[committee_id]
    roles = reg.roles_of(committee_id)
    head_role = next((rid for rid, r in roles.items() if r.head), None)
    head = roles[head_role].name if head_role else None
    issuer_role = roles.get(com.regulation_issuer or "")
    groups = [committee_view(reg, cid, on, issuer) for cid, c in sorted(reg.committees.items())
              if c.parent == committee_id and cid != committee_id
              and (on is None or existed_on(reg, c, on))]  # as the decision's facts say
    org = body(reg, com.organisation, on)
    assert org is not None
    holder = None
    if on is not None and head_role is not None:
        holder = next((seat_line(reg, sid, seat, on, issuer)
                       for sid, seat in reg.active_seats(committee_id, on)
                       if seat.role == head_role), None)
    return CommitteeView(
        id=committee_id, name=com.name, short_name=com.short_name or com.name, organisation=org,
        working_mode=com.working_mode, seal=body(reg, com.seal, on),
        standing_body=body(reg, com.standing_body.unit, on) if com.standing_body else None,
        standing_tasks=com.standing_body.tasks if com.standing_body else None,
        regulation_issuer=issuer_role.name if issuer_role else com.regulation_issuer,
        head_role=head, working_groups=groups,
        established=decision_ref(reg, com.established.decision) if com.established else None,
        head=holder,
        dissolved=decision_ref(reg, com.dissolved.decision) if com.dissolved else None)


def tasks_assigned(reg: Registry, decision_id: str, on: date | None = None) -> list[TaskView]:
    """The tasks a decision assigned, by deadline, with lead and coordinators named by their heads."""
    views: list[TaskView] = []
    for kind, tid, _ in reg.events_citing(decision_id):
        if kind != "task":
            continue
        task = reg.tasks[tid]
        unit = body(reg, task.lead_unit, on)
        person = reg.people.get(task.lead_person or "")
        lead = unit.head if unit else (f"{person.honorific} {person.name}" if person else "")
        coordinators = [b for c in task.coordinators if (b := body(reg, c, on)) is not None]
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


@dataclass(frozen=True)
class RegulationRef:
    """A regulation an amending decision replaces, with the decision that issued it."""

    regulation: Regulation
    decision: DecisionRef | None


def regulations_replaced(reg: Registry, decision_id: str) -> list[RegulationRef]:
    """The earlier versions of the regulations a decision issues (what an amendment amends)."""
    return [RegulationRef(old, decision_ref(reg, old.issued_by))
            for new in regulations_issued(reg, decision_id)
            if new.replaces and (old := reg.regulations.get(new.replaces)) is not None]


def decision_changes_nothing(reg: Registry, decision_id: str) -> bool:
    """True when a decision of a kind about a body's life changes nothing in the registry: no
    seat, duty, regulation or task cites it, it neither establishes nor dissolves a committee,
    and no organisation change names it. Kinds the registry defines itself (and ``other``) are
    never judged. Signing refuses such a decision; rendering does too."""
    dec = reg.decisions.get(decision_id)
    if dec is None or dec.kind not in LIFE_KINDS or dec.replaces:
        return False  # a decision that replaces another changes that, at least
    if reg.events_citing(decision_id):
        return False
    for committee in reg.committees.values():
        for event in (committee.established, committee.dissolved):
            if event is not None and event.decision == decision_id:
                return False
    return not any(change.decision == decision_id for org in reg.organisations.values()
                   for change in org.changes)


LIFE_KINDS = frozenset(get_args(DecisionKind)) - {"other"}
"""The built-in kinds about a body's life: each must change something."""


def _refuse_unknown(reg: Registry, decision_id: str) -> None:
    if decision_id not in reg.decisions:
        raise UsageError(tr("no decision '{decision_id}'{suggestion}; known: {sorted}",
                            decision_id=decision_id,
                            suggestion=did_you_mean(decision_id, reg.decisions),
                            sorted=', '.join(sorted(reg.decisions)[:12]) or '(none)'))


def decision_context(reg: Registry, decision_id: str) -> dict[str, Any]:
    """Everything a decision template may use, with every fact as it stood on the decision's date."""
    _refuse_unknown(reg, decision_id)
    decision = decision_view(reg, decision_id)
    dec = reg.decisions[decision_id]
    on = decision.date
    issuer = body(reg, dec.issuer, on)
    known = dec.committee in reg.committees
    committee = committee_view(reg, dec.committee, on, dec.issuer) if known and dec.committee \
        else None
    if committee is None and dec.kind in LIFE_KINDS:
        raise UsageError(tr("decision '{decision_id}' ({kind}) names no committee of this "
                            "registry: set its committee field", decision_id=decision_id,
                            kind=dec.kind))
    duties = reg.committees[dec.committee].duties if committee and dec.committee else []
    members = members_started(reg, decision_id, dec.committee, on, dec.issuer) \
        if committee and dec.committee else []
    return {
        "decision": decision,
        "issuer": issuer,
        "parent_body": parent_body(reg, dec.issuer, on),
        "units": units_of(reg, dec.issuer, on),
        "member_list": reg.config.member_list,
        "committee": committee,
        "members": members,
        "member_groups": member_groups(members),
        "changes": changes_made(reg, decision_id, on, dec.issuer),
        "duties": [d.text for d in duties if d.start.decision == decision_id],
        "duties_ended": [d.text for d in duties if d.end and d.end.decision == decision_id],
        "tasks": tasks_assigned(reg, decision_id, on),
        "regulations": regulations_issued(reg, decision_id),
        "replaced_regulations": regulations_replaced(reg, decision_id),
        "NBSP": NBSP,
        "BREAK": BREAK,
    }
