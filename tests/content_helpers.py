"""Test-only: what each consumer says a decision changed, as comparable sets.

History, diff, textconv and the render context each describe a decision's changes of members
in their own words; these helpers reduce each to ``(kind, seat, previous seat)`` so a test can
check that they agree (issue 14: one source, :func:`committee_cli.queries.content.decision_content`).
"""

from __future__ import annotations

import re
from datetime import date

from committee_cli.model.registry import Registry
from committee_cli.queries.committee_history import history
from committee_cli.render.context import changes_made
from committee_cli.services.review import semantic_diff

Item = tuple[str, str, str | None]  # kind (add, replace, role, leave), seat, previous seat

_HISTORY = {"started": "add", "replaced": "replace", "role-changed": "role", "ended": "leave"}
_DIFF = {"added": "add", "replaced": "replace", "role": "role", "ended": "leave"}
_TEXTCONV = re.compile(r"^change: (\w+) (\S+) \(.*?(?:, thay (\S+))?\)$")


def from_history(reg: Registry, decision_id: str) -> set[Item]:
    """The seat changes ``committee history`` lists for the decision."""
    committee = reg.decisions[decision_id].committee
    found: set[Item] = set()
    for entry in history(reg, committee).decisions:
        if entry.decision == decision_id:
            found |= {(_HISTORY[c.change], c.id, c.previous) for c in entry.changes
                      if c.kind == "seat"}
    return found


def from_textconv(text: str) -> set[Item]:
    """The ``change:`` lines textconv writes for a decision file."""
    found: set[Item] = set()
    for line in text.splitlines():
        match = _TEXTCONV.match(line)
        if match:
            found.add((match.group(1), match.group(2), match.group(3)))
    return found


def before(reg: Registry, decision_id: str) -> Registry:
    """The registry without what the decision did to seats (the state a reviewer's base holds)."""
    seats = {}
    for sid, seat in reg.seats.items():
        if seat.start.decision == decision_id:
            continue
        if seat.end is not None and seat.end.decision == decision_id:
            seat = seat.model_copy(update={"end": None})
        seats[sid] = seat
    old = Registry(config=reg.config, files=dict(reg.files))
    for kind in ("organisation", "person", "legal-basis", "decision", "committee", "regulation",
                 "task"):
        old.table_set(kind, dict(reg.table(kind)))
    old.table_set("seat", seats)
    return old


def from_diff(reg: Registry, decision_id: str) -> set[tuple[str, str]]:
    """The seat changes ``committee diff`` shows from the state before the decision (the diff
    names no previous seat: kind and seat only)."""
    return {(_DIFF[c.action], c.record) for c in semantic_diff(before(reg, decision_id), reg)
            if c.category == "seat" and c.action in _DIFF}


def from_render(reg: Registry, decision_id: str) -> set[Item]:
    """The member changes the render context gives the templates."""
    on = reg.decision_date(decision_id) or date.min
    kinds = {"add": "add", "replace": "replace", "role": "role", "leave": "leave"}
    return {(kinds[c.kind], c.seat.seat, c.previous.seat if c.previous else None)
            for c in changes_made(reg, decision_id, on)}
