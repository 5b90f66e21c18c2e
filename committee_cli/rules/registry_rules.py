"""Rules over the whole registry: references, seats over time, numbering, signing, tasks."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Set
from datetime import date
from typing import TypeVar

from committee_cli.errors import Problem
from committee_cli.i18n import N_, gettext_, tr
from committee_cli.model.records import Decision, Seat
from committee_cli.model.registry import Registry
from committee_cli.rules.base import did_you_mean, ids_rule, problem, rule

Ref = tuple[str, str, tuple[str | int, ...], str, str]  # kind, id, path, target kind, value
Only = Mapping[str, Set[str]] | None  # the records to look at, by kind (None: all)
_R = TypeVar("_R")


def _chosen(records: Mapping[str, _R], only: Only, kind: str) -> Iterable[tuple[str, _R]]:
    if only is None:
        return records.items()
    return [(rid, records[rid]) for rid in sorted(only.get(kind, ())) if rid in records]


def references(reg: Registry, only: Only = None) -> Iterator[Ref]:
    """Every reference from one record to another (of the records ``only`` names), with where
    it is written."""
    for oid, org in _chosen(reg.organisations, only, "organisation"):
        if org.parent:
            yield "organisation", oid, ("parent",), "organisation", org.parent
    for pid, person in _chosen(reg.people, only, "person"):
        for i, pos in enumerate(person.positions):
            yield "person", pid, ("positions", i, "organisation"), "organisation", pos.organisation
    for lid, basis in _chosen(reg.legal_bases, only, "legal-basis"):
        if basis.replaced_by:
            yield "legal-basis", lid, ("replaced_by",), "legal-basis", basis.replaced_by
    for did, dec in _chosen(reg.decisions, only, "decision"):
        if dec.committee:
            yield "decision", did, ("committee",), "committee", dec.committee
        yield "decision", did, ("issuer",), "organisation", dec.issuer
        if dec.signing.signer:
            yield "decision", did, ("signing", "signer"), "person", dec.signing.signer
        for i, ref in enumerate(dec.legal_bases):  # a legal basis, or a registry decision
            target = "decision" if ref in reg.decisions and ref not in reg.legal_bases \
                else "legal-basis"
            yield "decision", did, ("legal_bases", i), target, ref
        for i, ref in enumerate(dec.replaces):
            yield "decision", did, ("replaces", i), "decision", ref
        for i, ref in enumerate(dec.attachments):
            yield "decision", did, ("attachments", i), "regulation", ref
    for cid, com in _chosen(reg.committees, only, "committee"):
        yield "committee", cid, ("organisation",), "organisation", com.organisation
        if com.parent:
            yield "committee", cid, ("parent",), "committee", com.parent
        if com.seal:
            yield "committee", cid, ("seal",), "organisation", com.seal
        if com.standing_body:
            yield "committee", cid, ("standing_body", "unit"), "organisation", com.standing_body.unit
        for field in ("established", "dissolved"):
            event = getattr(com, field)
            if event:
                yield "committee", cid, (field, "decision"), "decision", event.decision
        for i, duty in enumerate(com.duties):
            yield "committee", cid, ("duties", i, "start", "decision"), "decision", \
                duty.start.decision
            if duty.end:
                yield "committee", cid, ("duties", i, "end", "decision"), "decision", \
                    duty.end.decision
    for sid, seat in _chosen(reg.seats, only, "seat"):
        yield "seat", sid, ("committee",), "committee", seat.committee
        if seat.person:
            yield "seat", sid, ("person",), "person", seat.person
        if seat.unit:
            yield "seat", sid, ("unit",), "organisation", seat.unit
        if seat.replaces:
            yield "seat", sid, ("replaces",), "seat", seat.replaces
        yield "seat", sid, ("start", "decision"), "decision", seat.start.decision
        if seat.end:
            yield "seat", sid, ("end", "decision"), "decision", seat.end.decision
    for rid, regl in _chosen(reg.regulations, only, "regulation"):
        yield "regulation", rid, ("committee",), "committee", regl.committee
        yield "regulation", rid, ("issued_by",), "decision", regl.issued_by
        if regl.replaces:
            yield "regulation", rid, ("replaces",), "regulation", regl.replaces
    for tid, task in _chosen(reg.tasks, only, "task"):
        yield "task", tid, ("committee",), "committee", task.committee
        if task.lead_unit:
            yield "task", tid, ("lead_unit",), "organisation", task.lead_unit
        if task.lead_person:
            yield "task", tid, ("lead_person",), "person", task.lead_person
        for i, unit in enumerate(task.coordinators):
            yield "task", tid, ("coordinators", i), "organisation", unit
        yield "task", tid, ("assigned_by",), "decision", task.assigned_by


_KIND_WORD = {"organisation": N_("organisation"), "person": N_("person"),
              "legal-basis": N_("legal basis"), "decision": N_("decision"),
              "committee": N_("committee"), "seat": N_("seat"), "regulation": N_("regulation"),
              "task": N_("task")}


@ids_rule("R101", N_("every reference resolves to an existing record"))
def references_resolve(reg: Registry, only: Only = None) -> Iterator[Problem]:
    """every reference resolves: people, organisations, committees, decisions, legal bases, seats,
    regulations

    Fix: fix the id ("did you mean") or add the record
    """
    for kind, rid, path, target, value in references(reg, only):
        table = reg.table(target)
        if value not in table:
            yield problem(reg, "R101", kind, rid, path,
                          tr("no {kind_word} '{value}'{suggestion}: fix the id or add the "
                             "{kind_word}", kind_word=gettext_(_KIND_WORD[target]), value=value,
                             suggestion=did_you_mean(value, table)))


@rule("R102", N_("every seat's role is in its committee's role vocabulary"), scope="committee")
def roles_known(reg: Registry) -> Iterator[Problem]:
    """a seat's role is in its committee's role vocabulary; the role set exists

    Fix: use a role of the set, or declare the set in `registry.yaml`
    """
    for cid, com in reg.committees.items():
        if com.role_set not in reg.config.role_set_names():
            yield problem(reg, "R102", "committee", cid, ("role_set",),
                          tr("unknown role set '{role_set}'{suggestion}: declare it under "
                             "role_sets in registry.yaml", role_set=com.role_set,
                             suggestion=did_you_mean(com.role_set, reg.config.role_set_names())))
        if com.regulation_issuer and com.regulation_issuer not in reg.roles_of(cid):
            yield problem(reg, "R102", "committee", cid, ("regulation_issuer",),
                          tr("unknown role '{regulation_issuer}'{suggestion}",
                             regulation_issuer=com.regulation_issuer,
                             suggestion=did_you_mean(com.regulation_issuer, reg.roles_of(cid))))
    for sid, seat in reg.seats.items():
        if seat.committee not in reg.committees:
            continue
        roles = reg.roles_of(seat.committee)
        if seat.role not in roles:
            yield problem(reg, "R102", "seat", sid, ("role",),
                          tr("role '{role}' is not in the vocabulary of committee "
                             "'{committee}'{suggestion}; known: {roles}", role=seat.role,
                             committee=seat.committee, suggestion=did_you_mean(seat.role, roles),
                             roles=', '.join(roles)))


def _timeline(reg: Registry) -> list[tuple[str, date, list[tuple[str, Seat]]]]:
    """(committee, date, seats held that day) at every date a seat starts or ends; computed once
    per registry and shared by the rules that look at seats over time."""
    cached = reg._index.get("timeline")
    if cached is not None:
        return cached  # type: ignore[return-value]
    states: list[tuple[str, date, list[tuple[str, Seat]]]] = []
    for cid in sorted(reg.committees):
        dates: set[date] = set()
        for seat in reg.seats_of(cid).values():
            for event in (seat.start, seat.end):
                when = reg.event_date(event) if event is not None else None
                if when is not None:
                    dates.add(when)
        for when in sorted(dates):
            states.append((cid, when, reg.active_seats(cid, when)))
    reg._index["timeline"] = states
    return states


@rule("R103", N_("at any date a committee with members has exactly one head"), scope="committee")
def one_head(reg: Registry) -> Iterator[Problem]:
    """at any date, a committee that has members has exactly one head (Trưởng ban, or the head role of its
    vocabulary)

    Fix: end one head's seat before the next starts
    """
    for cid, when, held in _timeline(reg):
        roles = reg.roles_of(cid)
        heads = [(sid, s) for sid, s in held if s.role in roles and roles[s.role].head]
        if not held or len(heads) == 1:
            continue
        head_names = ", ".join(r.name for r in roles.values() if r.head) or "a head role"
        if not heads:
            first_sid = held[0][0]
            yield problem(reg, "R103", "seat", first_sid, ("role",),
                          tr("committee '{cid}' has no {head_names} on {when}: add the head's "
                             "seat or end the others", cid=cid, head_names=head_names,
                             when=when.isoformat()))
        else:
            for sid, _ in heads[1:]:
                yield problem(reg, "R103", "seat", sid, ("role",),
                              tr("committee '{cid}' has {count} heads ({head_names}) on {when} "
                                 "({seats}): end one seat before the other starts", cid=cid,
                                 count=len(heads), head_names=head_names, when=when.isoformat(),
                                 seats=', '.join(s for s, _ in heads)))


@rule("R104", N_("no more holders of a role at once than the vocabulary allows"), scope="committee")
def role_capacity(reg: Registry) -> Iterator[Problem]:
    """at any date, no more holders of a role than the vocabulary's `max`

    Fix: end a seat, or raise `max`
    """
    for cid, when, held in _timeline(reg):
        roles = reg.roles_of(cid)
        by_role: dict[str, list[str]] = defaultdict(list)
        for sid, seat in held:
            by_role[seat.role].append(sid)
        for role_id, sids in by_role.items():
            role = roles.get(role_id)
            if role is None or role.max is None or role.head or len(sids) <= role.max:
                continue
            for sid in sids[role.max:]:
                yield problem(reg, "R104", "seat", sid, ("role",),
                              tr("{count} holders of '{name}' in '{cid}' on {when}; at most "
                                 "{max} allowed", count=len(sids), name=role.name, cid=cid,
                                 when=when.isoformat(), max=role.max))


@rule("R105", N_("nobody holds two seats on one committee at once"), scope="committee")
def one_seat_each(reg: Registry) -> Iterator[Problem]:
    """nobody holds two seats on one committee at the same time

    Fix: end the old seat (or `amend seat role`)
    """
    for cid, when, held in _timeline(reg):
        seen: dict[str, str] = {}
        for sid, seat in held:
            person = seat.person
            if person is None:
                continue
            if person in seen:
                yield problem(reg, "R105", "seat", sid, ("person",),
                              tr("'{person}' already holds seat '{seen}' of '{cid}' on {when}: "
                                 "end that seat (or use `amend seat role`)", person=person,
                                 seen=seen[person], cid=cid, when=when.isoformat()))
            else:
                seen[person] = sid


@rule("R106", N_("a seat or duty starts no earlier than its decision, and ends no earlier than it starts"),
      scope="committee")
def seat_dates(reg: Registry) -> Iterator[Problem]:
    """a seat (or duty) starts no earlier than its decision, and ends no earlier than it starts or than its
    ending decision

    Fix: correct the dates
    """
    for sid, seat in reg.seats.items():
        start = reg.event_date(seat.start)
        decided = reg.decision_date(seat.start.decision)
        if start and decided and start < decided:
            yield problem(reg, "R106", "seat", sid, ("start", "date"),
                          tr("the seat starts {start}, before its decision '{decision}' of "
                             "{decided}: a seat starts on or after its decision",
                             start=start.isoformat(), decision=seat.start.decision,
                             decided=decided.isoformat()))
        if seat.end is not None:
            end = reg.event_date(seat.end)
            end_decided = reg.decision_date(seat.end.decision)
            if start and end and end < start:
                yield problem(reg, "R106", "seat", sid, ("end", "date"),
                              tr("the seat ends {end}, before it starts ({start})",
                                 end=end.isoformat(), start=start.isoformat()))
            elif end and end_decided and end < end_decided:
                yield problem(reg, "R106", "seat", sid, ("end", "date"),
                              tr("the seat ends {end}, before its decision '{decision}' of "
                                 "{end_decided}", end=end.isoformat(), decision=seat.end.decision,
                                 end_decided=end_decided.isoformat()))
    for cid, com in reg.committees.items():
        for i, duty in enumerate(com.duties):
            start = reg.event_date(duty.start)
            end = reg.event_date(duty.end) if duty.end else None
            if start and end and end < start:
                yield problem(reg, "R106", "committee", cid, ("duties", i, "end", "date"),
                              tr("duty '{id}' ends before it starts", id=duty.id))


@rule("R107", N_("a seat names a person, or a post at a unit, not both"), scope="record")
def seat_holder(reg: Registry) -> Iterator[Problem]:
    """a seat names a person, or a post at a unit, not both

    Fix: keep `person`, or `post` and `unit`
    """
    for sid, seat in reg.seats.items():
        if seat.person and (seat.post or seat.unit):
            yield problem(reg, "R107", "seat", sid, ("post",),
                          tr("a seat names either a person or a post at a unit, not both: remove "
                             "post/unit or person"))
        elif not seat.person and not (seat.post and seat.unit):
            yield problem(reg, "R107", "seat", sid, ("person",),
                          tr("a seat names nobody: give person, or both post and unit"))


@rule("R108", N_("a seat's start and end cite a signed decision (a draft is a warning)"),
      severity="warning", scope="committee")
def seat_decision_signed(reg: Registry) -> Iterator[Problem]:
    """a seat's start or end cites a draft decision

    Fix: sign the decision (`committee decision sign`)
    """
    for sid, seat in reg.seats.items():
        for field, event in (("start", seat.start), ("end", seat.end)):
            if event is None:
                continue
            dec = reg.decisions.get(event.decision)
            if dec is not None and dec.status != "signed":
                yield problem(reg, "R108", "seat", sid, (field, "decision"),
                              tr("decision '{decision}' is still a draft: sign it (`committee "
                                 "decision sign`) before this change takes effect",
                                 decision=event.decision),
                              severity="warning")


@rule("R109", N_("decision numbers are unique in their series (symbol) within a year"),
      scope="kinds", reads=("decision",))
def unique_numbers(reg: Registry) -> Iterator[Problem]:
    """decision numbers are unique in their series (the symbol, e.g. `QĐ-BNV`) within a calendar year;
    numbering restarts on 1 January

    Fix: take the next free number
    """
    series: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for did, dec in sorted(reg.decisions.items()):
        if dec.number is not None:
            series[(dec.symbol, dec.date.year, dec.number)].append(did)
    for (symbol, year, number), ids in series.items():
        for did in ids[1:]:
            yield problem(reg, "R109", "decision", did, ("number",),
                          tr("number {number}/{symbol} is already used in {year} by '{ids}': "
                             "take the next free number", number=number, symbol=symbol, year=year,
                             ids=ids[0]))


def _deputy_title(reg: Registry, issuer: str, when: date) -> str | None:
    org = reg.organisations.get(issuer)
    return org.on(when).deputy_title if org else None  # a dated change of titles counts


@rule("R110", N_("a decision's signer held the signing title on its date (KT.: a deputy)"), scope="committee")
def signer_entitled(reg: Registry) -> Iterator[Problem]:
    """a decision's signer held the signing title on its date: the authority's title for a direct signature,
    the deputy title for `KT.`, `Quyền …` for `Q.`, for `TM.` the head (or, KT. under TM., a deputy) of a
    collective issuing body, else the committee head, `signer_title` for
    `TL.`/`TUQ.`

    Fix: fix the signer, mode or the person's positions
    """
    for did, dec in reg.focused_decisions():  # (after a change: the committees it touches)
        signing = dec.signing
        if signing.signer is None or signing.signer not in reg.people:
            if dec.status == "signed" and signing.signer is None:
                yield problem(reg, "R110", "decision", did, ("signing",),
                              tr("a signed decision names its signer: add signing.signer"))
            continue
        when = reg.decision_date(did) or dec.date
        if signing.mode == "TM":
            # TM. ỦY BAN NHÂN DÂN: the body's head signs, or a deputy (KT. CHỦ TỊCH under TM.);
            # TM. BAN CHỈ ĐẠO: the committee's head
            issuer = reg.organisations.get(dec.issuer)
            facts = issuer.on(when) if issuer is not None else None
            titles = [t for t in (signing.signer_title, signing.authority,
                                  facts.head_title if facts else None,
                                  facts.deputy_title if facts else None) if t]
            ok = any(reg.holds_title(signing.signer, t, when) for t in titles) or (
                dec.committee is not None and any(
                    s.person == signing.signer and reg.roles_of(dec.committee)[s.role].head
                    for _, s in reg.active_seats(dec.committee, when)
                    if s.role in reg.roles_of(dec.committee)))
            wanted = f"'{signing.signer_title or signing.authority}' or the head of the committee"
        elif signing.mode == "KT":
            title = signing.signer_title or _deputy_title(reg, dec.issuer, when) or ""
            ok = bool(title) and reg.holds_title(signing.signer, title, when)
            wanted = f"'{title}' (a deputy of {signing.authority})"
        elif signing.mode in ("TL", "TUQ"):
            title = signing.signer_title or ""
            ok = bool(title) and reg.holds_title(signing.signer, title, when)
            wanted = f"'{title or '(signer_title missing)'}'"
        elif signing.mode == "Q":
            ok = reg.holds_title(signing.signer, f"Quyền {signing.authority}", when) or (
                bool(signing.signer_title)
                and reg.holds_title(signing.signer, signing.signer_title or "", when))
            wanted = f"'Quyền {signing.authority}'"
        else:
            ok = reg.holds_title(signing.signer, signing.authority, when)
            wanted = f"'{signing.authority}'"
        if not ok:
            yield problem(reg, "R110", "decision", did, ("signing", "signer"),
                          tr("'{signer}' did not hold {wanted} on {when} according to their "
                             "positions: fix the signer, the mode or the person's positions",
                             signer=signing.signer, wanted=wanted, when=when.isoformat()))


def fingerprint(decision: Decision) -> str:
    """The sha256 of a decision's content (everything but status and signature)."""
    content = decision.model_dump(mode="json", exclude={"status", "signature"},
                                  exclude_defaults=True)
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


@rule("R111", N_("a signed decision has a number and a signature, and is not edited after signing"),
      scope="record")
def signed_frozen(reg: Registry) -> Iterator[Problem]:
    """a signed decision has a number and a signature recorded by `committee decision sign`, and its content
    still matches the signature's fingerprint (it is frozen)

    Fix: undo the edit, or issue a new decision
    """
    for did, dec in reg.decisions.items():
        if dec.status == "signed":
            if dec.number is None:
                yield problem(reg, "R111", "decision", did, ("number",),
                              tr("a signed decision has a number"))
            if dec.signature is None:
                yield problem(reg, "R111", "decision", did, ("status",),
                              tr("marked signed by hand: sign with `committee decision sign`, "
                                 "which records the signature"))
            elif dec.signature.scheme == 1 and dec.signature.fingerprint != fingerprint(dec):
                # scheme 2 fingerprints the decision's facts: rule R130 (signed_rules) checks it
                yield problem(reg, "R111", "decision", did, ("signature", "fingerprint"),
                              tr("this signed decision was edited after signing: a signed "
                                 "decision is frozen; undo the edit, or issue a new decision"))
        elif dec.signature is not None:
            yield problem(reg, "R111", "decision", did, ("signature",),
                          tr("a draft carries a signature: remove it, or set status: signed"))


@rule("R112", N_("a task has a lead that exists"), scope="record")
def task_lead(reg: Registry) -> Iterator[Problem]:
    """a task has a lead (`lead_unit` or `lead_person`)

    Fix: name the lead
    """
    for tid, task in reg.tasks.items():
        if not task.lead_unit and not task.lead_person:
            yield problem(reg, "R112", "task", tid, ("title",),
                          tr("the task has no lead: give lead_unit or lead_person"))


@rule("R113", N_("a finished task has a completion date"), scope="record")
def task_completed(reg: Registry) -> Iterator[Problem]:
    """a task whose status is `done` has a completion date, and only such a task has one

    Fix: add `completed`
    """
    for tid, task in reg.tasks.items():
        if task.status == "done" and task.completed is None:
            yield problem(reg, "R113", "task", tid, ("status",),
                          tr("the task is done but has no completion date: add completed"))
        if task.completed is not None and task.status != "done":
            yield problem(reg, "R113", "task", tid, ("completed",),
                          tr("a completion date on a task whose status is '{status}'",
                             status=task.status))


@rule("R114", N_("a task's deadline is not before its assignment"), scope="committee")
def task_deadline(reg: Registry) -> Iterator[Problem]:
    """a task's deadline (and completion) is not before its assignment

    Fix: correct the dates
    """
    for tid, task in reg.tasks.items():
        assigned = task.assigned or reg.decision_date(task.assigned_by)
        if task.deadline and assigned and task.deadline < assigned:
            yield problem(reg, "R114", "task", tid, ("deadline",),
                          tr("the deadline {deadline} is before the assignment ({assigned})",
                             deadline=task.deadline.isoformat(), assigned=assigned.isoformat()))
        if task.completed and assigned and task.completed < assigned:
            yield problem(reg, "R114", "task", tid, ("completed",),
                          tr("the task is completed before it was assigned"))


@rule("R115", N_("committee parents form no cycle"), scope="kinds", reads=("committee",))
def committee_tree(reg: Registry) -> Iterator[Problem]:
    """committee parents form no cycle

    Fix: fix `parent`
    """
    for cid in reg.committees:
        seen = {cid}
        current = reg.committees[cid].parent
        while current and current in reg.committees:
            if current in seen:
                yield problem(reg, "R115", "committee", cid, ("parent",),
                              tr("committee '{cid}' is its own ancestor: fix parent", cid=cid))
                break
            seen.add(current)
            current = reg.committees[current].parent


@rule("R116", N_("duty ids are unique within a committee; positions end after they start"), scope="record")
def unique_duties(reg: Registry) -> Iterator[Problem]:
    """duty ids are unique within a committee; a position ends after it starts

    Fix: rename the duty; fix the dates
    """
    for cid, com in reg.committees.items():
        seen: set[str] = set()
        for i, duty in enumerate(com.duties):
            if duty.id in seen:
                yield problem(reg, "R116", "committee", cid, ("duties", i, "id"),
                              tr("duty id '{id}' used twice: rename one", id=duty.id))
            seen.add(duty.id)
    for pid, person in reg.people.items():
        for i, pos in enumerate(person.positions):
            if pos.until is not None and pos.until <= pos.since:
                yield problem(reg, "R116", "person", pid, ("positions", i, "until"),
                              tr("a position ends on or before it starts"))
