"""Tasks on a date: their status then, and whether they are overdue (derived, never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Task
from committee_cli.model.registry import Registry
from committee_cli.queries.base import (
    CLOSED_STATUSES,
    Answer,
    Ref,
    citation,
    committee_ref,
    folded_hint,
    org_name,
    person_name,
    resolve_committee,
    resolve_unit,
)
from committee_cli.vietnamese import fold, nfc

TASK_STATUSES = ("open", "in-progress", "done", "cancelled")


def assigned_on(reg: Registry, task: Task) -> date | None:
    """The date a task was assigned: its own, else its decision's."""
    return task.assigned or reg.decision_date(task.assigned_by)


def status_at(task: Task, as_of: date) -> str:
    """The task's status on ``as_of``: the last dated change on or before it.

    Without a dated history the recorded status holds, except that a task completed after
    ``as_of`` was still open then.
    """
    if task.history:
        past = [entry for entry in task.history if entry.date <= as_of]
        return max(past, key=lambda e: e.date).status if past else "open"
    if task.status == "done" and task.completed is not None and as_of < task.completed:
        return "open"
    return task.status


def is_overdue(task: Task, as_of: date) -> bool:
    """True when the deadline has passed on ``as_of`` and the task was neither done nor cancelled."""
    return (task.deadline is not None and task.deadline < as_of
            and status_at(task, as_of) not in CLOSED_STATUSES)


@dataclass(frozen=True)
class TaskRow(Answer):
    """One task as it stood on the date asked."""

    task: str
    committee: str
    title: str
    lead: str | None
    lead_kind: str | None
    lead_name: str | None
    coordinators: list[str]
    coordinator_names: list[str]
    product: str | None
    assigned: date | None
    decision: str
    citation: str | None
    deadline: date | None
    status: str
    overdue: bool
    completed: date | None


@dataclass(frozen=True)
class TaskList(Answer):
    """Tasks assigned by ``as_of`` that match the filters."""

    committee: Ref | None
    as_of: date
    tasks: list[TaskRow]


def task_row(reg: Registry, task_id: str, task: Task, as_of: date) -> TaskRow:
    """Describe one task as it stood on ``as_of``."""
    if task.lead_person:
        lead, kind, lead_name = task.lead_person, "person", person_name(reg, task.lead_person)
    elif task.lead_unit:
        lead, kind, lead_name = task.lead_unit, "unit", org_name(reg, task.lead_unit)
    else:
        lead, kind, lead_name = None, None, None
    status = status_at(task, as_of)
    return TaskRow(
        task=task_id, committee=task.committee, title=task.title, lead=lead, lead_kind=kind,
        lead_name=lead_name, coordinators=list(task.coordinators),
        coordinator_names=[org_name(reg, c) or c for c in task.coordinators],
        product=task.product, assigned=assigned_on(reg, task), decision=task.assigned_by,
        citation=citation(reg, task.assigned_by), deadline=task.deadline, status=status,
        overdue=is_overdue(task, as_of),
        completed=task.completed if task.completed and task.completed <= as_of else None)


def resolve_lead(reg: Registry, text: str) -> set[str]:
    """The people (id, or part of the name, folded) and units (id, name, abbreviation) ``text`` names."""
    text = nfc(text.strip())
    key = fold(text)
    found = {pid for pid, p in reg.people.items() if text == pid or (key and key in fold(p.name))}
    found |= {oid for oid, o in reg.organisations.items()
              if text == oid or any(n and fold(n) == key for n in (o.name, o.abbreviation))}
    if not found:
        names = [*(p.name for p in reg.people.values()), *(o.name for o in reg.organisations.values())]
        raise UsageError(tr("no person or unit '{text}'{folded_hint}: --lead takes a person's id "
                            "or name, or a unit's id, name or abbreviation", text=text,
                            folded_hint=folded_hint(text, names)))
    return found


def tasks(reg: Registry, committee: str | None, as_of: date, *, lead: str | None = None,
          unit: str | None = None, status: str | None = None, overdue: bool = False,
          due_before: date | None = None) -> TaskList:
    """Tasks assigned on or before ``as_of`` (of one committee, or all), filtered.

    ``lead`` matches the lead person (id or part of the name) or unit (id, name, abbreviation);
    ``unit`` matches the lead unit or a coordinating unit; ``due_before`` keeps deadlines before it.
    """
    committee_id = resolve_committee(reg, committee) if committee is not None else None
    unit_id = resolve_unit(reg, unit) if unit is not None else None
    if status is not None and status not in TASK_STATUSES:
        raise UsageError(tr("unknown status '{status}': use one of {task_statuses}", status=status,
                            task_statuses=', '.join(TASK_STATUSES)))
    leads = resolve_lead(reg, lead) if lead is not None else None
    rows: list[TaskRow] = []
    for task_id, task in reg.tasks.items():
        if committee_id is not None and task.committee != committee_id:
            continue
        assigned = assigned_on(reg, task)
        if assigned is not None and assigned > as_of:
            continue
        if leads is not None and task.lead_person not in leads and task.lead_unit not in leads:
            continue
        if unit_id is not None and unit_id != task.lead_unit and unit_id not in task.coordinators:
            continue
        if due_before is not None and (task.deadline is None or task.deadline >= due_before):
            continue
        if (status is not None and status_at(task, as_of) != status) or (
                overdue and not is_overdue(task, as_of)):
            continue
        rows.append(task_row(reg, task_id, task, as_of))
    rows.sort(key=lambda r: (r.deadline or date.max, r.assigned or date.min, r.task))
    return TaskList(committee_ref(reg, committee_id) if committee_id else None, as_of, rows)
