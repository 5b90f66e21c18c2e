"""Build a Document from the registry: pick the template, give it the facts, parse what it says."""

from __future__ import annotations

from datetime import date
from typing import Any

from committee_cli.model.registry import Registry
from committee_cli.queries.base import resolve_committee
from committee_cli.queries.members import members
from committee_cli.queries.tasks import tasks
from committee_cli.render.context import committee_view, decision_context, parent_body
from committee_cli.render.document import Document, parse_markup
from committee_cli.render.templating import TemplateSet

# The templates tried for each decision kind, most specific first: a registry may add
# templates/decision-establish.j2 and keep the built-in consolidate one for the rest.
KIND_TEMPLATES: dict[str, tuple[str, ...]] = {
    "consolidate": ("decision-consolidate.j2",),
    "establish": ("decision-establish.j2", "decision-consolidate.j2"),
    "change-members": ("decision-change-members.j2",),
    "issue-regulation": ("decision-issue-regulation.j2",),
    "issue-plan": ("decision-issue-plan.j2",),
    "assign-tasks": ("decision-assign-tasks.j2", "decision-issue-plan.j2"),
    "other": ("decision-other.j2",),
}
ROSTER_TEMPLATE = "roster.j2"
TASKS_TEMPLATE = "tasks.j2"


def _build(templates: TemplateSet, names: tuple[str, ...], context: dict[str, Any],
           stem: str) -> Document:
    name = templates.first_available(names)
    document = parse_markup(templates.render(name, context), name, stem)
    document.author = context["issuer"].name  # the file's properties (render/docx.py)
    document.created = context["decision"].date if "decision" in context else context["as_of"]
    return document


def decision_document(reg: Registry, decision_id: str, templates: TemplateSet) -> Document:
    """The decision as a Document, worded by its kind's template."""
    context = decision_context(reg, decision_id)
    return _build(templates, KIND_TEMPLATES[context["decision"].kind], context, decision_id)


def _committee_context(reg: Registry, committee_id: str, on: date) -> dict[str, Any]:
    view = committee_view(reg, committee_id)
    return {
        "committee": view,
        "issuer": view.organisation,
        "parent_body": parent_body(reg, view.organisation.id),
        "place": reg.config.default_place,
        "as_of": on,
    }


def roster_document(reg: Registry, committee: str | None, as_of: date,
                    templates: TemplateSet) -> Document:
    """The members of a committee on ``as_of``, as a list document."""
    listing = members(reg, committee, as_of)
    context = _committee_context(reg, listing.committee.id, as_of)
    context["members"] = listing.seats
    return _build(templates, (ROSTER_TEMPLATE,), context, f"roster-{listing.committee.id}")


def tasks_document(reg: Registry, committee: str | None, as_of: date,
                   templates: TemplateSet) -> Document:
    """The tasks of a committee assigned by ``as_of``, with their status, as a table document."""
    committee_id = resolve_committee(reg, committee)
    context = _committee_context(reg, committee_id, as_of)
    context["tasks"] = tasks(reg, committee_id, as_of).tasks
    return _build(templates, (TASKS_TEMPLATE,), context, f"tasks-{committee_id}")
