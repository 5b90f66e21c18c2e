"""The rule registry: codes, titles and the functions that check them."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from committee_cli.errors import Problem
from committee_cli.model.registry import Registry

Check = Callable[[Registry], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A validation rule: stable code, one-line title, and its check (None: checked on load)."""

    code: str
    title: str
    check: Check | None = None
    needs_base: bool = False


RULES: dict[str, Rule] = {}

# Rules checked while reading files (committee_cli.store): listed here so that every code
# has one place and `committee validate --list-rules` shows them all.
_LOAD_RULES = {
    "R001": "each file is well-formed YAML, indented with spaces",
    "R002": "each file is UTF-8 and readable",
    "R003": "every text is Unicode NFC",
    "R004": "every date is a real calendar date",
    "R005": "no mapping has the same key twice",
    "R006": "files are of bounded size and nesting",
    "R007": "no anchors or aliases",
    "R008": "no YAML tags",
    "R009": "each file holds one record as a mapping",
    "R010": "the folder is a registry; only registry files in its folders",
    "R011": "ids (file names) are safe: lower-case ASCII letters, digits, hyphens",
    "R012": "no unknown fields",
    "R013": "required fields are present",
    "R014": "every field has the right type and value",
    "R015": "the schema version is one this release reads",
}
for _code, _title in _LOAD_RULES.items():
    RULES[_code] = Rule(_code, _title)

# Rules against a base revision, checked by committee_cli.services.review (validate --base).
_BASE_RULES = {
    "R201": "a decision signed on the base was not edited or deleted",
    "R202": "a seat added or ended by the change cites a decision that is new or was a draft on the base",
    "R203": "a new decision's number does not collide with one on the base",
    "R204": "an id on the base was not reused for a different entity",
}
for _code, _title in _BASE_RULES.items():
    RULES[_code] = Rule(_code, _title, needs_base=True)


def rule(code: str, title: str) -> Callable[[Check], Check]:
    """Register a registry rule under a stable code."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, title, check)
        return check

    return register


def problem(registry: Registry, code: str, kind: str, record_id: str,
            path: tuple[str | int, ...], message: str, severity: str = "error") -> Problem:
    """A problem located at a field of a record (line and column are found later)."""
    return Problem(code, message, registry.file_of(kind, record_id), path=path,
                   severity=severity)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def rule_catalogue() -> list[Rule]:
    """Every rule, ordered by code."""
    import committee_cli.rules.registry_rules  # noqa: F401 - registers the rules

    return [RULES[c] for c in sorted(RULES)]
