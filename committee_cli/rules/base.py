"""The rule registry: codes, titles and the functions that check them."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from committee_cli.errors import Problem
from committee_cli.i18n import N_, tr
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
    "R001": N_("each file is well-formed YAML, indented with spaces"),
    "R002": N_("each file is UTF-8 and readable"),
    "R003": N_("every text is Unicode NFC"),
    "R004": N_("every date is a real calendar date"),
    "R005": N_("no mapping has the same key twice"),
    "R006": N_("files are of bounded size and nesting"),
    "R007": N_("no anchors or aliases"),
    "R008": N_("no YAML tags"),
    "R009": N_("each file holds one record as a mapping"),
    "R010": N_("the folder is a registry; only registry files in its folders"),
    "R011": N_("ids (file names) are safe: lower-case ASCII letters, digits, hyphens"),
    "R012": N_("no unknown fields"),
    "R013": N_("required fields are present"),
    "R014": N_("every field has the right type and value"),
    "R015": N_("the schema version is one this release reads"),
}
for _code, _title in _LOAD_RULES.items():
    RULES[_code] = Rule(_code, _title)

# Rules against a base revision, checked by committee_cli.services.review (validate --base).
_BASE_RULES = {
    "R201": N_("a decision signed on the base was not edited or deleted"),
    "R202": N_("a seat added or ended by the change cites a decision that is new or was a draft on the base"),
    "R203": N_("a new decision's number does not collide with one on the base"),
    "R204": N_("an id on the base was not reused for a different entity"),
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
    return tr(" (did you mean '{word}'?)", word=close[0]) if close else ""


def rule_catalogue() -> list[Rule]:
    """Every rule, ordered by code."""
    import committee_cli.rules.body_rules
    import committee_cli.rules.registry_rules  # noqa: F401 - registers the rules

    return [RULES[c] for c in sorted(RULES)]
