"""Validation rules: each a small function with a stable code, listed in docs/rules.md.

``validate(result)`` runs every registry rule over a loaded registry and returns all problems,
located, sorted by file and line; ``check_revision(base, head)`` runs the rules that need a base
revision. ``rule_catalogue()`` lists every rule (code, summary, severity, inputs, function).
"""

from committee_cli.rules.base import RULES, Rule
from committee_cli.rules.catalogue import rule_catalogue
from committee_cli.rules.run import check, check_revision, validate

__all__ = ["RULES", "Rule", "check", "check_revision", "rule_catalogue", "validate"]
