"""Amendments: one function per use case (seats, people, duties, tasks), each editing a
:class:`~committee_cli.services.unit_of_work.UnitOfWork` and returning a Vietnamese summary.

Run one with :func:`~committee_cli.services.unit_of_work.run_change`, which validates the result
and writes it; for example::

    run_change(root, lambda uow: replace_seat(uow, "bcd-cpdt-05", person="nguyen-van-a",
                                              decision="qd-1050-2022"))
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, get_args

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import (
    Committee,
    Duty,
    Person,
    Position,
    Record,
    Seat,
    Task,
    TaskStatus,
)
from committee_cli.rules.base import did_you_mean
from committee_cli.services.decisions import Citation, cite
from committee_cli.services.ids import check_id
from committee_cli.services.resolve import resolve_decision, resolve_role
from committee_cli.services.unit_of_work import UnitOfWork, insert_item, set_field
from committee_cli.vietnamese import HONORIFICS, fold, nfc, short_date, slugify

TASK_STATUSES: tuple[str, ...] = get_args(TaskStatus)


# --- wording ------------------------------------------------------------------------------------


def _person_text(uow: UnitOfWork, person_id: str) -> str:
    person: Person = uow.registry.people[person_id]
    return f"{person.honorific} {person.name}"


def _holder_text(uow: UnitOfWork, person: str | None, post: str | None, unit: str | None) -> str:
    if person:
        return _person_text(uow, person)
    org = uow.registry.organisations.get(unit or "")
    return f"{post} {org.name if org else unit}".strip()


def _seat_holder(uow: UnitOfWork, seat: Seat) -> str:
    return _holder_text(uow, seat.person, seat.post, seat.unit)


def _role_name(uow: UnitOfWork, committee: str, role: str) -> str:
    known = uow.registry.roles_of(committee).get(role)
    return known.name if known else role


def _set_texts(document: Any, model: type[Record],
               texts: list[tuple[str, str | None, str]]) -> list[str]:
    """Set each given text field (NFC, spaces collapsed; empty removes it); return their labels."""
    done: list[str] = []
    for key, value, label in texts:
        if value is not None:
            set_field(document, key, " ".join(nfc(value).split()) or None, model)
            done.append(label)
    return done


# --- seats ----------------------------------------------------------------------------------------


def _check_role(uow: UnitOfWork, committee: str, role: str) -> str:
    """The id of a role of the committee's vocabulary, named by its id or its name."""
    return resolve_role(uow, committee, role)


def _cite(uow: UnitOfWork, decision: str, on: dt.date | None,
          force_signed: str | None) -> Citation:
    """Cite a decision named by its id or its citation (913/QĐ-BNV)."""
    return cite(uow, resolve_decision(uow, decision), on, force_signed)


def _check_holder(uow: UnitOfWork, person: str | None, post: str | None,
                  unit: str | None) -> None:
    if person and (post or unit):
        raise UsageError(tr("give either --person, or --post with --unit, not both"))
    if person:
        uow.get("person", person)
        return
    if not (post and unit):
        raise UsageError(tr("name who holds the seat: --person ID, or --post TEXT with --unit ORG"))
    uow.get("organisation", unit)


def _seat_held_by(uow: UnitOfWork, committee: str, person: str, when: dt.date,
                  ignore: str | None = None) -> str | None:
    reg = uow.registry
    for sid, seat in reg.seats_of(committee).items():
        if sid == ignore or seat.person != person:
            continue
        start = reg.event_date(seat.start)
        if reg.seat_active(seat, when) or (start is not None and start > when
                                           and seat.end is None):
            return sid
    return None


def _refuse_seated(uow: UnitOfWork, committee: str, person: str | None, when: dt.date,
                   ignore: str | None = None) -> None:
    if person is None:
        return
    held = _seat_held_by(uow, committee, person, when, ignore)
    if held:
        raise UsageError(tr("'{person}' already holds seat '{held}' of '{committee}' on {when}: "
                            "end that seat first, or use `amend seat role` to change their role",
                            person=person, held=held, committee=committee, when=when.isoformat()))


def _next_seat_id(uow: UnitOfWork, committee: str) -> str:
    pattern = re.compile(rf"^{re.escape(committee)}-(\d+)$")
    numbers = [int(m.group(1)) for sid in uow.registry.seats if (m := pattern.match(sid))]
    n = max(numbers, default=0) + 1
    while uow.taken("seat", f"{committee}-{n:02d}"):
        n += 1
    return f"{committee}-{n:02d}"


def _new_seat(uow: UnitOfWork, committee: str, role: str, order: int, person: str | None,
              post: str | None, unit: str | None, cited: Citation,
              replaces: str | None = None) -> str:
    seat_id = _next_seat_id(uow, committee)
    uow.create("seat", seat_id, {
        "committee": committee, "role": role, "order": order, "person": person,
        "post": nfc(post) if post else None, "unit": unit if not person else None,
        "start": cited.event(), "replaces": replaces})
    return seat_id


def _end_seat_record(uow: UnitOfWork, seat_id: str, cited: Citation,
                     reason: str | None = None) -> Seat:
    reg = uow.registry
    seat: Seat = uow.get("seat", seat_id)
    if seat.end is not None:
        ended = reg.event_date(seat.end)
        raise UsageError(tr("seat '{seat_id}' already ended (decision '{decision}'{value}): "
                            "nothing to end", seat_id=seat_id, decision=seat.end.decision,
                            value=', ' + ended.isoformat() if ended else ''))
    start = reg.event_date(seat.start)
    if start is not None and cited.date < start:
        raise UsageError(tr("seat '{seat_id}' starts on {start}: it cannot end before that "
                            "({date})", seat_id=seat_id, start=start.isoformat(),
                            date=cited.date.isoformat()))
    set_field(uow.edit("seat", seat_id), "end", cited.event(reason), Seat)
    return seat


def add_seat(uow: UnitOfWork, committee: str, *, role: str, decision: str,
             person: str | None = None, post: str | None = None, unit: str | None = None,
             order: int | None = None, on: dt.date | None = None,
             force_signed: str | None = None) -> str:
    """A new seat on a committee, started by a decision."""
    uow.get("committee", committee)
    role = _check_role(uow, committee, role)
    _check_holder(uow, person, post, unit)
    cited = _cite(uow, decision, on, force_signed)
    _refuse_seated(uow, committee, person, cited.date)
    if order is None:
        order = max((s.order for s in uow.registry.seats_of(committee).values()), default=0) + 1
    _new_seat(uow, committee, role, order, person, post, unit, cited)
    return (f"{cited.text}: bổ sung {_role_name(uow, committee, role)} "
            f"{_holder_text(uow, person, post, unit)}")


def end_seat(uow: UnitOfWork, seat_id: str, *, decision: str, reason: str | None = None,
             on: dt.date | None = None, force_signed: str | None = None) -> str:
    """End a seat by a decision (the holder leaves the committee)."""
    uow.get("seat", seat_id)
    cited = _cite(uow, decision, on, force_signed)
    seat = _end_seat_record(uow, seat_id, cited, nfc(reason) if reason else None)
    return (f"{cited.text}: {_seat_holder(uow, seat)} thôi làm "
            f"{_role_name(uow, seat.committee, seat.role)}")


def replace_seat(uow: UnitOfWork, seat_id: str, *, decision: str, person: str | None = None,
                 post: str | None = None, unit: str | None = None, on: dt.date | None = None,
                 force_signed: str | None = None) -> str:
    """End a seat and give the same role and order to someone else (``replaces:`` the old seat)."""
    old: Seat = uow.get("seat", seat_id)
    _check_holder(uow, person, post, unit)
    if person is not None and person == old.person:
        raise UsageError(tr("'{person}' already holds seat '{seat_id}': nothing to replace",
                            person=person, seat_id=seat_id))
    cited = _cite(uow, decision, on, force_signed)
    if old.end is not None and _insert_holder(uow, seat_id, old, cited, person, post, unit):
        return (f"{cited.text}: thay {_role_name(uow, old.committee, old.role)} "
                f"{_seat_holder(uow, old)} bằng {_holder_text(uow, person, post, unit)} "
                f"(bổ sung vào lịch sử)")
    _end_seat_record(uow, seat_id, cited)
    _refuse_seated(uow, old.committee, person, cited.date, ignore=seat_id)
    _new_seat(uow, old.committee, old.role, old.order, person, post, unit, cited,
              replaces=seat_id)
    return (f"{cited.text}: thay {_role_name(uow, old.committee, old.role)} "
            f"{_seat_holder(uow, old)} bằng {_holder_text(uow, person, post, unit)}")


def _insert_holder(uow: UnitOfWork, seat_id: str, old: Seat, cited: Citation,
                   person: str | None, post: str | None, unit: str | None) -> bool:
    """A holder between two recorded holders: the seat ended later than the decision, so it
    now ends on the decision, the new seat takes over its old end, and the seat that followed
    it now follows the new one. False when the seat ended on or before the decision."""
    reg = uow.registry
    assert old.end is not None
    ended, start = reg.event_date(old.end), reg.event_date(old.start)
    if ended is None or cited.date >= ended:
        return False
    if start is not None and cited.date <= start:
        raise UsageError(tr("seat '{seat_id}' starts on {start}: a holder in between must "
                            "start after that ({date})", seat_id=seat_id,
                            start=start.isoformat(), date=cited.date.isoformat()))
    later = old.end.model_dump(exclude_none=True)
    followers = sorted(sid for sid, replaced in reg.column("seat", "replaces")
                       if replaced == seat_id)
    set_field(uow.edit("seat", seat_id), "end", cited.event(), Seat)
    _refuse_seated(uow, old.committee, person, cited.date, ignore=seat_id)
    new_id = _new_seat(uow, old.committee, old.role, old.order, person, post, unit, cited,
                       replaces=seat_id)
    set_field(uow.edit("seat", new_id), "end", later, Seat)
    for sid in followers:
        set_field(uow.edit("seat", sid), "replaces", new_id, Seat)
    return True


def change_role(uow: UnitOfWork, seat_id: str, *, role: str, decision: str,
                order: int | None = None, on: dt.date | None = None,
                force_signed: str | None = None) -> str:
    """Give a seat's holder another role: the seat ends and a new one (``replaces:`` it) starts."""
    old: Seat = uow.get("seat", seat_id)
    role = _check_role(uow, old.committee, role)
    if role == old.role:
        raise UsageError(tr("seat '{seat_id}' already has the role '{role}': nothing to change",
                            seat_id=seat_id, role=role))
    cited = _cite(uow, decision, on, force_signed)
    _end_seat_record(uow, seat_id, cited)
    _new_seat(uow, old.committee, role, order if order is not None else old.order, old.person,
              old.post, old.unit, cited, replaces=seat_id)
    return (f"{cited.text}: {_seat_holder(uow, old)} chuyển từ "
            f"{_role_name(uow, old.committee, old.role)} sang "
            f"{_role_name(uow, old.committee, role)}")


# --- people ---------------------------------------------------------------------------------------


def _honorific(value: str) -> str:
    for known in HONORIFICS:
        if fold(value) == fold(known):
            return known
    raise UsageError(tr("honorific '{value}' is not one of: {honorifics}", value=value,
                        honorifics=', '.join(HONORIFICS)))


def _position(uow: UnitOfWork, title: str | None, organisation: str | None,
              since: dt.date | None) -> dict[str, Any] | None:
    if title is None and organisation is None and since is None:
        return None
    if not (title and organisation and since):
        raise UsageError(tr("a position needs --title, --organisation and --since together"))
    uow.get("organisation", organisation)
    return {"title": nfc(title.strip()), "organisation": organisation, "since": since}


def check_external_id(uow: UnitOfWork, value: str, person_id: str | None = None) -> str:
    """An external id as given, checked: its format, and no other person holding it."""
    value = nfc(value.strip())
    if not re.fullmatch(r"[^\s\x00-\x1f\x7f]{1,64}", value):
        raise UsageError(tr("--external-id '{value}': up to 64 characters, no spaces",
                            value=value))
    other = next((pid for pid, p in sorted(uow.registry.people.items())
                  if p.external_id == value and pid != person_id), None)
    if other is not None:
        raise UsageError(tr("external id '{value}' already belongs to '{other}': one person, one "
                            "record", value=value, other=other))
    return value


def add_person(uow: UnitOfWork, *, name: str, honorific: str, title: str | None = None,
               organisation: str | None = None, since: dt.date | None = None,
               note: str | None = None, person_id: str | None = None,
               external_id: str | None = None) -> str:
    """A new person; the id is made from the name (``-2`` … when taken) unless given."""
    name = " ".join(nfc(name).split())
    if not name:
        raise UsageError(tr("--name is empty"))
    position = _position(uow, title, organisation, since)
    if person_id is not None:
        if uow.taken("person", person_id):
            raise UsageError(tr("a person '{person_id}' already exists", person_id=person_id))
    else:
        person_id = uow.free_id("person", slugify(name) or "nguoi")
    uow.create("person", person_id, {"name": name, "honorific": _honorific(honorific),
                                     "external_id": check_external_id(uow, external_id)
                                     if external_id is not None else None,
                                     "positions": [position] if position else [],
                                     "note": nfc(note) if note else None})
    return f"Thêm {_honorific(honorific)} {name}"


def update_person(uow: UnitOfWork, person_id: str, *, name: str | None = None,
                  honorific: str | None = None, note: str | None = None,
                  title: str | None = None, organisation: str | None = None,
                  since: dt.date | None = None, end_title: str | None = None,
                  until: dt.date | None = None, external_id: str | None = None) -> str:
    """Change a person's name or honorific, add a position, or end one (``until``, exclusive);
    an empty ``external_id`` removes it."""
    person: Person = uow.get("person", person_id)
    document = uow.edit("person", person_id)
    done = _set_texts(document, Person, [("name", name, "họ tên"), ("note", note, "ghi chú")])
    if external_id is not None:
        set_field(document, "external_id", check_external_id(uow, external_id, person_id)
                  if external_id.strip() else None, Person)
        done.append("mã định danh")
    if honorific is not None:
        set_field(document, "honorific", _honorific(honorific), Person)
        done.append("danh xưng")
    if (end_title is None) != (until is None):
        raise UsageError(tr("to end a position give --end-title TITLE and --until DATE together"))
    if end_title is not None and until is not None:
        open_ones = [i for i, p in enumerate(person.positions)
                     if p.until is None and fold(p.title) == fold(end_title)]
        if not open_ones:
            current = ", ".join(p.title for p in person.positions if p.until is None) or "none"
            raise UsageError(tr("'{person_id}' holds no open position '{end_title}' (open: "
                                "{current})", person_id=person_id, end_title=end_title,
                                current=current))
        index = open_ones[-1]
        if until <= person.positions[index].since:
            raise UsageError(tr("the position started on {since}: it must end after that",
                                since=person.positions[index].since))
        set_field(document["positions"][index], "until", until, Position)
        done.append(f"thôi giữ chức {person.positions[index].title} từ {short_date(until)}")
    position = _position(uow, title, organisation, since)
    if position is not None:
        if "positions" in document:
            insert_item(document["positions"], len(document["positions"]), position)
        else:
            set_field(document, "positions", [position], Person)
        done.append(f"giữ chức {position['title']} từ {short_date(position['since'])}")
    if not done:
        raise UsageError(tr("nothing to update: give --name, --honorific, --note, "
                            "--external-id, a position (--title --organisation --since) or "
                            "--end-title with --until"))
    return f"Cập nhật {_person_text(uow, person_id)}: {', '.join(done)}"


# --- duties ---------------------------------------------------------------------------------------


def _duty_index(uow: UnitOfWork, committee: str, duty_id: str) -> int:
    com: Committee = uow.get("committee", committee)
    ids = [d.id for d in com.duties]
    if duty_id not in ids:
        raise UsageError(tr("committee '{committee}' has no duty '{duty_id}'{suggestion}; "
                            "duties: {ids}", committee=committee, duty_id=duty_id,
                            suggestion=did_you_mean(duty_id, ids), ids=', '.join(ids) or 'none'))
    return ids.index(duty_id)


def _duty_id(com: Committee, text: str, wanted: str | None) -> str:
    ids = {d.id for d in com.duties}
    if wanted is not None:
        check_id(wanted)
        if wanted in ids:
            raise UsageError(tr("duty id '{wanted}' is already used: choose another", wanted=wanted))
        return wanted
    words = slugify(text).split("-")
    base = "-".join(words[:4]) or "nhiem-vu"
    candidate, n = base, 1
    while candidate in ids:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _insert_duty(uow: UnitOfWork, committee: str, index: int, duty: dict[str, Any]) -> None:
    document = uow.edit("committee", committee)
    if "duties" in document:
        insert_item(document["duties"], index, duty)
    else:
        set_field(document, "duties", [duty], Committee)


def _end_duty_record(uow: UnitOfWork, committee: str, duty_id: str, cited: Citation,
                     reason: str | None = None) -> int:
    index = _duty_index(uow, committee, duty_id)
    duty = uow.registry.committees[committee].duties[index]
    if duty.end is not None:
        raise UsageError(tr("duty '{duty_id}' already ended (decision '{decision}'): nothing to "
                            "end", duty_id=duty_id, decision=duty.end.decision))
    start = uow.registry.event_date(duty.start)
    if start is not None and cited.date < start:
        raise UsageError(tr("duty '{duty_id}' starts on {start}: it cannot end before",
                            duty_id=duty_id, start=start.isoformat()))
    set_field(uow.edit("committee", committee)["duties"][index], "end", cited.event(reason), Duty)
    return index


def add_duty(uow: UnitOfWork, committee: str, *, text: str, decision: str,
             duty_id: str | None = None, on: dt.date | None = None,
             force_signed: str | None = None) -> str:
    """A new duty of a committee, started by a decision (appended after the others)."""
    com: Committee = uow.get("committee", committee)
    text = " ".join(nfc(text).split())
    if not text:
        raise UsageError(tr("--text is empty"))
    cited = _cite(uow, decision, on, force_signed)
    new_id = _duty_id(com, text, duty_id)
    _insert_duty(uow, committee, len(com.duties),
                 {"id": new_id, "text": text, "start": cited.event()})
    return f"{cited.text}: bổ sung nhiệm vụ {new_id} của {com.short_name or com.name}"


def edit_duty(uow: UnitOfWork, committee: str, duty_id: str, *, text: str, decision: str,
              on: dt.date | None = None, force_signed: str | None = None) -> str:
    """Amend a duty's text by a decision: the old duty ends, the new wording starts after it."""
    com: Committee = uow.get("committee", committee)
    text = " ".join(nfc(text).split())
    if not text:
        raise UsageError(tr("--text is empty"))
    cited = _cite(uow, decision, on, force_signed)
    index = _end_duty_record(uow, committee, duty_id, cited)
    if com.duties[index].text == text:
        raise UsageError(tr("duty '{duty_id}' already has this text: nothing to change",
                            duty_id=duty_id))
    ids = {d.id for d in com.duties}
    base = re.sub(r"-\d+$", "", duty_id)
    n = 2
    while f"{base}-{n}" in ids:
        n += 1
    _insert_duty(uow, committee, index + 1,
                 {"id": f"{base}-{n}", "text": text, "start": cited.event()})
    return f"{cited.text}: sửa đổi nhiệm vụ {duty_id} của {com.short_name or com.name}"


def end_duty(uow: UnitOfWork, committee: str, duty_id: str, *, decision: str,
             reason: str | None = None, on: dt.date | None = None,
             force_signed: str | None = None) -> str:
    """End a duty by a decision."""
    com: Committee = uow.get("committee", committee)
    cited = _cite(uow, decision, on, force_signed)
    _end_duty_record(uow, committee, duty_id, cited, nfc(reason) if reason else None)
    return f"{cited.text}: bãi bỏ nhiệm vụ {duty_id} của {com.short_name or com.name}"


# --- tasks ----------------------------------------------------------------------------------------


def _check_units(uow: UnitOfWork, units: list[str]) -> None:
    for unit in units:
        uow.get("organisation", unit)


def add_task(uow: UnitOfWork, committee: str, *, title: str, decision: str,
             lead_unit: str | None = None, lead_person: str | None = None,
             coordinators: list[str] | None = None, product: str | None = None,
             deadline: dt.date | None = None, task_id: str | None = None,
             on: dt.date | None = None, force_signed: str | None = None) -> str:
    """A task assigned by a decision: lead, coordinating units, product, deadline."""
    uow.get("committee", committee)
    title = " ".join(nfc(title).split())
    if not title:
        raise UsageError(tr("--title is empty"))
    if not lead_unit and not lead_person:
        raise UsageError(tr("a task needs a lead: --lead-unit ORG or --lead-person PERSON"))
    if lead_unit:
        uow.get("organisation", lead_unit)
    if lead_person:
        uow.get("person", lead_person)
    _check_units(uow, coordinators or [])
    cited = _cite(uow, decision, on, force_signed)
    if task_id is None:
        words = slugify(title).split("-")
        task_id = uow.free_id("task", "-".join(words[:6]) or "nhiem-vu")
    history = [{"date": cited.date, "status": "open", "note": cited.forced}] if cited.forced \
        else []
    uow.create("task", task_id, {
        "committee": committee, "title": title, "lead_unit": lead_unit,
        "lead_person": lead_person, "coordinators": coordinators or [],
        "product": nfc(product) if product else None, "assigned_by": cited.decision_id,
        "assigned": cited.explicit, "deadline": deadline, "status": "open",
        "history": history})
    return f"{cited.text}: giao nhiệm vụ “{title}”"


def _status_entry(uow: UnitOfWork, task_id: str, status: str, when: dt.date,
                  note: str | None) -> None:
    if status not in TASK_STATUSES:
        raise UsageError(tr("unknown task status '{status}'; statuses: {task_statuses}",
                            status=status, task_statuses=', '.join(TASK_STATUSES)))
    document = uow.edit("task", task_id)
    set_field(document, "status", status, Task)
    set_field(document, "completed", when if status == "done" else None, Task)
    entry = {"date": when, "status": status, "note": nfc(note) if note else None}
    if "history" in document:
        insert_item(document["history"], len(document["history"]), entry)
    else:
        set_field(document, "history", [entry], Task)


def update_task(uow: UnitOfWork, task_id: str, *, title: str | None = None,
                lead_unit: str | None = None, lead_person: str | None = None,
                coordinators: list[str] | None = None, product: str | None = None,
                deadline: dt.date | None = None, status: str | None = None,
                on: dt.date | None = None, note: str | None = None) -> str:
    """Change a task's lead, coordinators, product or deadline, or its status (a dated entry)."""
    task: Task = uow.get("task", task_id)
    document = uow.edit("task", task_id)
    done = _set_texts(document, Task, [("title", title, "tên"), ("product", product, "sản phẩm")])
    if lead_unit is not None:
        uow.get("organisation", lead_unit)
        set_field(document, "lead_unit", lead_unit, Task)
        done.append(f"đơn vị chủ trì {lead_unit}")
    if lead_person is not None:
        uow.get("person", lead_person)
        set_field(document, "lead_person", lead_person, Task)
        done.append(f"người chủ trì {lead_person}")
    if coordinators is not None:
        _check_units(uow, coordinators)
        set_field(document, "coordinators", coordinators or None, Task)
        done.append("đơn vị phối hợp")
    if deadline is not None:
        set_field(document, "deadline", deadline, Task)
        done.append(f"thời hạn {short_date(deadline)}")
    if status is not None:
        if status == task.status:
            raise UsageError(tr("task '{task_id}' is already '{status}'", task_id=task_id,
                                status=status))
        when = on or dt.date.today()
        _status_entry(uow, task_id, status, when, note)
        done.append(f"trạng thái {status} từ {short_date(when)}")
    elif note is not None:
        raise UsageError(tr("--note goes with a status change (--status)"))
    if not done:
        raise UsageError(tr("nothing to update: give --title, --lead-unit, --lead-person, "
                            "--coordinator, --product, --deadline or --status"))
    return f"Cập nhật nhiệm vụ “{task.title}”: {', '.join(done)}"


def close_task(uow: UnitOfWork, task_id: str, *, status: str = "done",
               on: dt.date | None = None, note: str | None = None) -> str:
    """Finish a task (done, with its completion date) or cancel it, as a dated status entry."""
    task: Task = uow.get("task", task_id)
    if status not in ("done", "cancelled"):
        raise UsageError(tr("a task closes as 'done' or 'cancelled'"))
    if task.status in ("done", "cancelled"):
        raise UsageError(tr("task '{task_id}' is already closed ('{status}'{value})",
                            task_id=task_id, status=task.status,
                            value=', ' + task.completed.isoformat() if task.completed else ''))
    when = on or dt.date.today()
    _status_entry(uow, task_id, status, when, note)
    verb = "Hoàn thành" if status == "done" else "Hủy"
    return f"{verb} nhiệm vụ “{task.title}” ngày {short_date(when)}"
