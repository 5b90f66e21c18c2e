"""Committees and working groups through the CLI (``committee amend committee
add|update|dissolve``): established and dissolved are set by citing the decision that does it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Committee, Decision, StandingBody
from committee_cli.rules.base import did_you_mean
from committee_cli.services.decisions import cite
from committee_cli.services.resolve import (
    check_new_id,
    clean_text,
    resolve_decision,
    role_in,
)
from committee_cli.services.unit_of_work import UnitOfWork, set_field
from committee_cli.vietnamese import slugify

WORKING_MODES = ("part-time", "full-time")


@dataclass
class CommitteeFacts:
    """What a command may set on a committee; ``None`` leaves it (empty text removes it)."""

    name: str | None = None
    short_name: str | None = None
    organisation: str | None = None
    parent: str | None = None
    role_set: str | None = None
    working_mode: str | None = None
    seal: str | None = None
    standing_body: str | None = None
    standing_tasks: str | None = None
    regulation_issuer: str | None = None
    note: str | None = None


_LABELS = {"name": "tên", "short_name": "tên gọi tắt", "organisation": "cơ quan",
           "parent": "trực thuộc", "role_set": "bộ chức danh", "working_mode": "chế độ làm việc",
           "seal": "con dấu", "standing_body": "cơ quan thường trực",
           "standing_tasks": "nhiệm vụ cơ quan thường trực",
           "regulation_issuer": "người ban hành quy chế", "note": "ghi chú"}



def _checked(uow: UnitOfWork, committee_id: str, facts: CommitteeFacts,
             role_set: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    reg = uow.registry
    for item in fields(facts):
        value = clean_text(getattr(facts, item.name))
        if value is None:
            continue
        if value and item.name in ("organisation", "seal", "standing_body"):
            uow.get("organisation", value)
        if value and item.name == "parent":
            if value == committee_id:
                raise UsageError(tr("a committee cannot be its own parent"))
            uow.get("committee", value)
        if item.name == "role_set" and value not in reg.config.role_set_names():
            sets = sorted(reg.config.role_set_names())
            raise UsageError(tr("no role vocabulary '{value}'{suggestion}; vocabularies: "
                                "{sets} (add one with `committee amend roles add`)", value=value,
                                suggestion=did_you_mean(value, sets), sets=", ".join(sets)))
        if item.name == "working_mode" and value not in WORKING_MODES:
            raise UsageError(tr("working mode '{value}' is not one of: {modes}", value=value,
                                modes=", ".join(WORKING_MODES)))
        values[item.name] = value
    if values.get("regulation_issuer"):
        roles = reg.config.roles(values.get("role_set") or role_set)
        values["regulation_issuer"] = role_in(roles, values["regulation_issuer"],
                                              f"'{values.get('role_set') or role_set}'")
    return values


def _standing(values: dict[str, Any], current: StandingBody | None) -> dict[str, Any] | None:
    unit = values.pop("standing_body", None)
    tasks = values.pop("standing_tasks", None)
    if unit is None and tasks is None:
        return None
    unit = unit if unit is not None else (current.unit if current else "")
    if not unit:
        if tasks:
            raise UsageError(tr("--standing-tasks needs a standing body (--standing-body ORG)"))
        return {}
    return {"unit": unit, "tasks": tasks if tasks is not None else (
        current.tasks if current else None) or None}


def _establish(uow: UnitOfWork, committee_id: str, decision: str, on: dt.date | None,
               force_signed: str | None) -> dict[str, Any]:
    """The ``established`` event; a draft about no committee is made to concern this one (a
    working group may be established by a decision about its parent committee)."""
    decision_id = resolve_decision(uow, decision)
    cited = cite(uow, decision_id, on, force_signed)
    dec: Decision = cited.decision
    parent = uow.registry.committees[committee_id].parent \
        if committee_id in uow.registry.committees else None
    if dec.committee not in (None, committee_id, parent):  # a working group: its parent's
        raise UsageError(tr("decision '{decision}' concerns committee '{other}': cite a "
                            "decision about '{committee}'", decision=decision_id,
                            other=dec.committee, committee=committee_id))
    if dec.committee is None and dec.status == "draft":
        set_field(uow.edit("decision", decision_id), "committee", committee_id, Decision)
    return cited.event()


def add_committee(uow: UnitOfWork, *, facts: CommitteeFacts, committee_id: str | None = None,
                  decision: str | None = None, on: dt.date | None = None,
                  force_signed: str | None = None) -> str:
    """A new committee, or a working group under one (``parent``); established by ``decision``."""
    if not facts.name or not clean_text(facts.name):
        raise UsageError(tr("--name is empty"))
    parent = uow.get("committee", facts.parent) if facts.parent else None
    if facts.organisation is None:
        if parent is None:
            raise UsageError(tr("name the committee's organisation: --organisation ORG"))
        facts.organisation = parent.organisation
    if facts.role_set is None:
        facts.role_set = "to-cong-tac" if parent is not None else "ban-chi-dao"
    if committee_id is not None:
        check_new_id(committee_id)
        if uow.taken("committee", committee_id):
            raise UsageError(tr("a committee '{committee_id}' already exists",
                                committee_id=committee_id))
    else:
        base = slugify(facts.short_name or "") or slugify(facts.name)
        committee_id = uow.free_id("committee", check_new_id(base[:60].strip("-") or "ban"))
    values = _checked(uow, committee_id, facts, facts.role_set)
    standing = _standing(values, None)
    data: dict[str, Any] = {**{k: v for k, v in values.items() if v}, "standing_body": standing}
    uow.create("committee", committee_id, data)
    if decision is not None:
        event = _establish(uow, committee_id, decision, on, force_signed)
        set_field(uow.edit("committee", committee_id), "established", event, Committee)
    kind = "tổ" if parent is not None else "ban"
    return f"Thêm {kind} {values['name']}"


def update_committee(uow: UnitOfWork, committee_id: str, *, facts: CommitteeFacts,
                     established_by: str | None = None, on: dt.date | None = None,
                     force_signed: str | None = None) -> str:
    """Change a committee's facts; ``established_by`` records the decision that set it up."""
    com: Committee = uow.get("committee", committee_id)
    values = _checked(uow, committee_id, facts, com.role_set)
    document = uow.edit("committee", committee_id)
    standing = _standing(values, com.standing_body)
    done: list[str] = []
    for key, value in values.items():
        if key in ("name", "organisation", "role_set") and not value:
            raise UsageError(tr("--{option} cannot be emptied", option=key.replace("_", "-")))
        set_field(document, key, value or None, Committee)
        done.append(_LABELS[key])
    if standing is not None:
        set_field(document, "standing_body", standing or None, Committee)
        done.append(_LABELS["standing_body"])
    if established_by is not None:
        if com.established is not None:
            raise UsageError(tr("'{committee_id}' was already established by '{decision}'",
                                committee_id=committee_id, decision=com.established.decision))
        set_field(document, "established",
                  _establish(uow, committee_id, established_by, on, force_signed), Committee)
        done.append("quyết định thành lập")
    if not done:
        raise UsageError(tr("nothing to update: give a fact to change (see --help)"))
    return f"Cập nhật {com.name}: {', '.join(done)}"


def dissolve_committee(uow: UnitOfWork, committee_id: str, *, decision: str,
                       on: dt.date | None = None, reason: str | None = None,
                       force_signed: str | None = None) -> str:
    """Dissolve a committee by a decision; its seats still held end with it."""
    reg = uow.registry
    com: Committee = uow.get("committee", committee_id)
    if com.dissolved is not None:
        raise UsageError(tr("'{committee_id}' was already dissolved by '{decision}'",
                            committee_id=committee_id, decision=com.dissolved.decision))
    decision_id = resolve_decision(uow, decision)
    cited = cite(uow, decision_id, on, force_signed)
    started = reg.event_date(com.established) if com.established else None
    if started is not None and cited.date < started:
        raise UsageError(tr("'{committee_id}' was established on {start}: it cannot be "
                            "dissolved before ({date})", committee_id=committee_id,
                            start=started.isoformat(), date=cited.date.isoformat()))
    event = cited.event(clean_text(reason))
    set_field(uow.edit("committee", committee_id), "dissolved", event, Committee)
    ended = 0
    for sid, seat in sorted(reg.seats_of(committee_id).items()):
        start = reg.event_date(seat.start)
        if seat.end is None and start is not None and start <= cited.date:
            set_field(uow.edit("seat", sid), "end", event, type(seat))
            ended += 1
    return f"{cited.text}: giải thể {com.name} ({ended} thành viên thôi tham gia)"
