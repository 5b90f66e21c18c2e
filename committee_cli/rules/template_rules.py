"""Rules on the registry's own templates (R135): a decision kind the registry adds renders from
its template. The template names come from the registry's ``templates/`` folder, listed by the
validation service (committee_cli.services.validation), which runs this check on every
``validate`` of a work tree; the check itself is a function of the records and that list."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import cast, get_args

from committee_cli.errors import Problem
from committee_cli.i18n import N_, tr
from committee_cli.model.records import DecisionKind
from committee_cli.model.registry import Registry
from committee_cli.rules.base import Check, Rule, add_rule, problem

BUILT_IN_KINDS = frozenset(get_args(DecisionKind))


def kind_template(kind: str) -> str:
    """The template a registry supplies for a decision kind of its own."""
    return f"decision-{kind}.j2"


def kinds_have_templates(reg: Registry, templates: Collection[str]) -> Iterator[Problem]:
    """a decision of a kind the registry adds (not one of the built-in kinds) has its template,
    templates/decision-KIND.j2 in the registry, since nothing else holds its wording

    Fix: add templates/decision-KIND.j2 to the registry (it may extend "_decision.j2"), or give
    the decision a built-in kind (`committee decision edit ID --kind …`)
    """
    for did, kind in sorted(reg.column("decision", "kind")):  # (no decision built)
        if kind is not None and kind not in BUILT_IN_KINDS \
                and kind_template(kind) not in templates:
            yield problem(reg, "R135", "decision", did, ("kind",), tr(
                "decision '{decision_id}' has the kind '{kind}', which has no built-in wording: "
                "add templates/{template} to the registry (it may extend \"_decision.j2\")",
                decision_id=did, kind=kind, template=kind_template(kind)))


# checked by the validation service with the folder's listing (not a Check of the records
# alone): Rule.of reads only the function's docstring
add_rule(Rule.of("R135", N_("a decision kind the registry adds has its template"),
                 cast(Check, kinds_have_templates), needs="templates"))
