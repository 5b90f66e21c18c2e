"""Running the rules over a loaded registry."""

from __future__ import annotations

from committee_cli.errors import Problem
from committee_cli.rules.base import RULES, rule_catalogue
from committee_cli.store.loader import LoadResult


def check(result: LoadResult) -> list[Problem]:
    """Run every registry rule (not the base-revision ones) and return new problems."""
    rule_catalogue()
    found: list[Problem] = []
    for code in sorted(RULES):
        checker = RULES[code].check
        if checker is not None:
            found.extend(checker(result.registry))
    return found


def validate(result: LoadResult) -> list[Problem]:
    """All problems of a loaded registry (load and rules), located and sorted."""
    problems = result.problems + check(result)
    located = result.locate(problems)
    unique = list(dict.fromkeys(located))
    return sorted(unique, key=Problem.sort_key)
