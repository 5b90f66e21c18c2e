"""Queries at any date: pure functions over a ``Registry`` that return plain dataclasses.

Each family has its module: ``committee_overview`` (show), ``member_list``, ``duty_list``,
``task_list``, ``decision_list``, ``people`` (person) and ``committee_history``. Every result has
``as_dict()``, the JSON shape documented in docs/queries.md. Names the user typed (committee,
role, unit, person) are resolved here, so a Python caller gets the same answers and the same
``UsageError``s as the command line.

The names below are imported when first asked for, so a query loads only its own family
(``members`` loads neither the tasks nor the history). The modules are not named as their
functions (``member_list``, not ``members``): importing a submodule sets the package's
attribute of that name, which would hide the function of the same name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from committee_cli.lazy import lazy_names

if TYPE_CHECKING:
    from committee_cli.queries.base import (
        open_registry,
        resolve_committee,
        resolve_role,
        resolve_unit,
    )
    from committee_cli.queries.committee_history import (
        Change,
        History,
        HistoryEntry,
        decision_changes,
        history,
    )
    from committee_cli.queries.committee_overview import Overview, overview
    from committee_cli.queries.decision_list import (
        DecisionList,
        DecisionRow,
        committee_decisions,
        decisions,
    )
    from committee_cli.queries.duty_list import DutyList, DutyRow, duties, duty_in_force
    from committee_cli.queries.member_list import Member, MemberList, members
    from committee_cli.queries.people import PersonMatches, PersonRecord, find_people, person
    from committee_cli.queries.task_list import TaskList, TaskRow, is_overdue, status_at, tasks

_WHERE = {
    **dict.fromkeys(("open_registry", "resolve_committee", "resolve_role", "resolve_unit"),
                    "base"),
    **dict.fromkeys(("Change", "History", "HistoryEntry", "decision_changes", "history"),
                    "committee_history"),
    **dict.fromkeys(("Overview", "overview"), "committee_overview"),
    **dict.fromkeys(("DecisionList", "DecisionRow", "committee_decisions", "decisions"),
                    "decision_list"),
    **dict.fromkeys(("DutyList", "DutyRow", "duties", "duty_in_force"), "duty_list"),
    **dict.fromkeys(("Member", "MemberList", "members"), "member_list"),
    **dict.fromkeys(("PersonMatches", "PersonRecord", "find_people", "person"), "people"),
    **dict.fromkeys(("TaskList", "TaskRow", "is_overdue", "status_at", "tasks"), "task_list"),
}

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

__getattr__ = lazy_names(__name__, _WHERE, globals())
