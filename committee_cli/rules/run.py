"""Running the rules over a loaded registry, and against a base revision."""

from __future__ import annotations

from committee_cli.errors import Problem
from committee_cli.model.registry import Registry
from committee_cli.rules.catalogue import rule_catalogue
from committee_cli.store.loader import LoadResult


def check(result: LoadResult) -> list[Problem]:
    """Run every registry rule (not the base-revision ones) and return new problems."""
    found: list[Problem] = []
    for rule in rule_catalogue():
        if rule.check is not None:
            found.extend(rule.check(result.registry))
    return found


def check_revision(base: Registry, head: Registry) -> list[Problem]:
    """Run the rules that compare ``head`` with its ``base`` revision (R2xx), unlocated."""
    found: list[Problem] = []
    for rule in rule_catalogue():
        if rule.check_base is not None:
            found.extend(rule.check_base(base, head))
    return found


def validate(result: LoadResult) -> list[Problem]:
    """All problems of a loaded registry (load and rules), located and sorted."""
    problems = result.problems + check(result)
    located = result.locate(problems)
    unique = list(dict.fromkeys(located))
    return sorted(unique, key=Problem.sort_key)
