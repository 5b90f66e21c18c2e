"""Build a Document from the registry: pick the template, give it the facts, parse what it says."""

from __future__ import annotations

from datetime import date
from typing import Any

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.queries.base import resolve_committee
from committee_cli.queries.content import contents_kept
from committee_cli.queries.member_list import members
from committee_cli.queries.task_list import tasks
from committee_cli.render.context import (
    BREAK,
    NBSP,
    committee_view,
    decision_changes_nothing,
    decision_context,
    decision_ref,
    parent_body,
)
from committee_cli.render.document import Document, parse_markup
from committee_cli.render.templating import TemplateProblem, TemplateSet
from committee_cli.rules.template_rules import kind_template

# The templates tried for each decision kind, most specific first: a registry may add
# templates/decision-establish.j2 and keep the built-in consolidate one for the rest.
# A kind the registry defines itself (any other id) uses templates/decision-<kind>.j2.
KIND_TEMPLATES: dict[str, tuple[str, ...]] = {
    "consolidate": ("decision-consolidate.j2",),
    "establish": ("decision-establish.j2", "decision-consolidate.j2"),
    "approve-members": ("decision-approve-members.j2",),
    "change-members": ("decision-change-members.j2",),
    "dissolve": ("decision-dissolve.j2",),
    "issue-regulation": ("decision-issue-regulation.j2",),
    "amend-regulation": ("decision-amend-regulation.j2", "decision-issue-regulation.j2"),
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


def kind_templates(kind: str) -> tuple[str, ...]:
    """The templates tried for a decision kind, most specific first."""
    return KIND_TEMPLATES.get(kind, (kind_template(kind),))


class NothingChanged(CommitteeError):
    """A decision about a body's life that changes nothing cannot be worded or signed."""

    exit_code = ExitCode.PROBLEMS


def refuse_empty_decision(reg: Registry, decision_id: str) -> None:
    """Raise NothingChanged for a decision that changes nothing (``decision_changes_nothing``)."""
    if decision_changes_nothing(reg, decision_id):
        kind = reg.decisions[decision_id].kind
        raise NothingChanged(tr(
            "decision '{decision_id}' ({kind}) changes nothing: no seat, duty, regulation or task "
            "cites it and it establishes or dissolves no committee; record what it decides (e.g. "
            "amend seat add --decision {decision_id}) before rendering or signing it",
            decision_id=decision_id, kind=kind))


def decision_document(reg: Registry, decision_id: str, templates: TemplateSet) -> Document:
    """The decision as a Document, worded by its kind's template. A signed decision that changes
    nothing is refused; a draft still renders (work in progress, marked DỰ THẢO), and signing
    refuses it until it decides something."""
    with contents_kept(reg):  # (its members, its changes and the empty check read it)
        context = decision_context(reg, decision_id)
        if not context["decision"].draft:
            refuse_empty_decision(reg, decision_id)
    kind = context["decision"].kind
    names = kind_templates(kind)
    if kind not in KIND_TEMPLATES:
        try:
            templates.first_available(names)
        except TemplateProblem:
            raise TemplateProblem(tr(
            "decision '{decision_id}' has the kind '{kind}', which has no built-in wording: add "
                "templates/{template} to the registry (it may extend \"_decision.j2\")",
                decision_id=decision_id, kind=kind, template=names[0])) from None
    return _build(templates, names, context, decision_id)


def _committee_context(reg: Registry, committee_id: str, on: date) -> dict[str, Any]:
    view = committee_view(reg, committee_id, on)
    return {
        "committee": view,
        "issuer": view.organisation,
        "parent_body": parent_body(reg, view.organisation.id, on),
        "place": reg.config.default_place,
        "as_of": on,
        "decisions": {did: ref for did in reg.decisions
                      if (ref := decision_ref(reg, did)) is not None},
        "NBSP": NBSP,
        "BREAK": BREAK,
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
