"""Queries at any date: pure functions over a ``Registry`` that return plain dataclasses.

Each family has its module: ``overview`` (show), ``members``, ``duties``, ``tasks``, ``decisions``,
``people`` (person) and ``history``. Every result has ``as_dict()``, the JSON shape documented in
docs/queries.md. Names the user typed (committee, role, unit, person) are resolved here, so a
Python caller gets the same answers and the same ``UsageError``s as the command line.
"""

from committee_cli.queries.base import (
    open_registry,
    resolve_committee,
    resolve_role,
    resolve_unit,
)
from committee_cli.queries.decisions import DecisionList, DecisionRow, committee_decisions, decisions
from committee_cli.queries.duties import DutyList, DutyRow, duties, duty_in_force
from committee_cli.queries.history import Change, History, HistoryEntry, decision_changes, history
from committee_cli.queries.members import Member, MemberList, members
from committee_cli.queries.overview import Overview, overview
from committee_cli.queries.people import PersonMatches, PersonRecord, find_people, person
from committee_cli.queries.tasks import TaskList, TaskRow, is_overdue, status_at, tasks

__all__ = [
    "Change",
    "DecisionList",
    "DecisionRow",
    "DutyList",
    "DutyRow",
    "History",
    "HistoryEntry",
    "Member",
    "MemberList",
    "Overview",
    "PersonMatches",
    "PersonRecord",
    "TaskList",
    "TaskRow",
    "committee_decisions",
    "decision_changes",
    "decisions",
    "duties",
    "duty_in_force",
    "find_people",
    "history",
    "is_overdue",
    "members",
    "open_registry",
    "overview",
    "person",
    "resolve_committee",
    "resolve_role",
    "resolve_unit",
    "status_at",
    "tasks",
]
