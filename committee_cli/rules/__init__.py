"""Validation rules: each a small function with a stable code, listed in docs/rules.md.

``validate(result)`` runs every registry rule over a loaded registry and returns all problems,
located, sorted by file and line; ``check_revision(base, head)`` runs the rules that need a base
revision. ``rule_catalogue()`` lists every rule (code, summary, severity, inputs, function).
The names below are imported when first asked for: a query that only borrows a helper of
``committee_cli.rules.base`` loads neither the catalogue of rules nor the cache they keep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from committee_cli.lazy import lazy_names

if TYPE_CHECKING:
    from committee_cli.rules.base import RULES, Rule
    from committee_cli.rules.catalogue import rule_catalogue
    from committee_cli.rules.run import KEPT_RESULTS, check, check_revision, validate

__all__ = ["KEPT_RESULTS", "RULES", "Rule", "check", "check_revision", "rule_catalogue",
           "validate"]

_WHERE = {"RULES": "base", "Rule": "base", "rule_catalogue": "catalogue", "check": "run",
          "check_revision": "run", "validate": "run", "KEPT_RESULTS": "run"}


__getattr__ = lazy_names(__name__, _WHERE, globals())
