"""The rule catalogue: every module that declares rules, listed once.

To add a module of rules, add one line to the import below (docs/architecture.md).
"""

from __future__ import annotations

from committee_cli.rules import (  # noqa: F401 - importing a rule module registers its rules
    body_rules,
    file_rules,
    registry_rules,
    revision_rules,
    safety_rules,
    signed_rules,
    template_rules,
)
from committee_cli.rules.base import RULES, Rule


def rule_catalogue() -> list[Rule]:
    """Every rule, ordered by code."""
    return [RULES[c] for c in sorted(RULES)]
