"""Validation rules: each a small function with a stable code, listed in docs/rules.md.

``validate(result)`` runs every registry rule over a loaded registry and returns all problems,
located, sorted by file and line.
"""

from committee_cli.rules.base import RULES, Rule, rule_catalogue
from committee_cli.rules.run import check, validate

__all__ = ["RULES", "Rule", "check", "rule_catalogue", "validate"]
