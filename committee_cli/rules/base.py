"""What a rule is: a stable code, a one-line summary, a severity, the inputs it needs and the
function that checks it; ``@rule`` and ``@revision_rule`` add one to ``RULES``.

The catalogue of every rule (the modules that declare them) is ``committee_cli.rules.catalogue``.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from typing import Any, Literal

from committee_cli.errors import Problem
from committee_cli.i18n import tr
from committee_cli.model.records import KINDS
from committee_cli.model.registry import Registry

Check = Callable[[Registry], Iterable[Problem]]
# An "ids" rule's check of some records (by kind, their ids; None: every record)
RecordsCheck = Callable[[Registry, Mapping[str, Set[str]] | None], Iterable[Problem]]
RevisionCheck = Callable[[Registry, Registry], Iterable[Problem]]  # (base, head)
Severity = Literal["error", "warning"]
# What a rule reads: the files as they are read (checked by committee_cli.store while loading),
# the loaded registry, the facts signed decisions state (checked by the sealing service, which
# computes them with the queries layer), the registry's templates folder (listed by the
# validation service), or the registry and its state at a base revision.
Needs = Literal["files", "registry", "facts", "templates", "base"]
# What one problem of a rule depends on (incremental validation, committee_cli.rules.run):
# "record": only the record of the file it is reported on (and registry.yaml);
# "committee": only the records of the committee that file belongs to (the committee itself,
# its seats, tasks, regulations and decisions), the decisions those records cite, and the
# records that belong to no committee (people, organisations, legal bases, registry.yaml);
# "kinds": only the records of the kinds the rule ``reads`` (and registry.yaml): its problems
# are kept whole while no file of those kinds changes, else it runs over the whole registry;
# "ids": only the record of the file it is reported on and which records exist (their kinds
# and ids, never their content): the changed records and those with a problem are checked
# again (``check_records``) while no record goes away, else every record is;
# "registry": anything (the default: the rule always runs over the whole registry).
Scope = Literal["record", "committee", "kinds", "ids", "registry"]


@dataclass(frozen=True)
class Rule:
    """A validation rule: stable code, one-line title, severity, inputs, and its check."""

    code: str
    title: str
    check: Check | None = None
    needs: Needs = "registry"
    severity: Severity = "error"
    check_base: RevisionCheck | None = None
    detail: str = ""  # the rule in full, as docs/rules.md states it (else the title)
    fix: str = ""  # the typical fix
    scope: Scope = "registry"
    reads: tuple[str, ...] = ()  # the record kinds a "kinds" rule reads
    check_records: RecordsCheck | None = None  # an "ids" rule's check of some records

    @classmethod
    def of(cls, code: str, title: str, function: Check | RevisionCheck | RecordsCheck,
           **kwargs: Any) -> Rule:
        """A rule checked by ``function``, whose docstring states the rule, then ``Fix: …``."""
        doc = inspect.getdoc(function) or ""
        detail, _, fix = doc.partition("\n\nFix: ")
        return cls(code, title, detail=" ".join(detail.split()), fix=" ".join(fix.split()),
                   **kwargs)

    @property
    def needs_base(self) -> bool:
        """True for the rules that compare with a base revision (``validate --base``)."""
        return self.needs == "base"

    @property
    def function(self) -> str:
        """The dotted name of the function that checks the rule ('' when checked on load)."""
        found = self.check_records or self.check or self.check_base
        return f"{found.__module__}.{found.__qualname__}" if found is not None else ""


RULES: dict[str, Rule] = {}


def add_rule(rule_: Rule) -> None:
    """Add a rule to the catalogue (its code once)."""
    if rule_.code in RULES:
        raise ValueError(f"rule code {rule_.code} registered twice")
    RULES[rule_.code] = rule_


def rule(code: str, title: str, severity: Severity = "error", scope: Scope = "registry",
         reads: tuple[str, ...] = ()) -> Callable[[Check], Check]:
    """Register a registry rule under a stable code (``scope``: what its problems depend on;
    ``reads``: the record kinds of a "kinds" rule)."""
    if (scope == "kinds") != bool(reads):
        raise ValueError(f"rule {code}: a \"kinds\" rule names the kinds it reads, no other does")
    if scope == "ids" or not set(reads) <= KINDS.keys():
        raise ValueError(f"rule {code}: an \"ids\" rule is declared with @ids_rule; kinds "
                         f"are among {', '.join(KINDS)}")

    def register(check: Check) -> Check:
        add_rule(Rule.of(code, title, check, check=check, severity=severity, scope=scope,
                         reads=reads))
        return check

    return register


def ids_rule(code: str, title: str, severity: Severity = "error"
             ) -> Callable[[RecordsCheck], RecordsCheck]:
    """Register a rule of scope "ids": ``check(registry, only)`` checks the records ``only``
    names (None: every record), reading of the others only which exist."""

    def register(check: RecordsCheck) -> RecordsCheck:
        add_rule(Rule.of(code, title, check, check=lambda registry: check(registry, None),
                         severity=severity, scope="ids", check_records=check))
        return check

    return register


def revision_rule(code: str, title: str) -> Callable[[RevisionCheck], RevisionCheck]:
    """Register a rule that compares the registry with its state at a base revision."""

    def register(check: RevisionCheck) -> RevisionCheck:
        add_rule(Rule.of(code, title, check, needs="base", check_base=check))
        return check

    return register


def file_rule(code: str, title: str, detail: str = "", fix: str = "") -> None:
    """Declare a rule that committee_cli.store checks while reading files (listed, so that every
    code has one place and `committee validate --list-rules` shows them all)."""
    add_rule(Rule(code, title, needs="files", detail=detail, fix=fix))


def problem(registry: Registry, code: str, kind: str, record_id: str,
            path: tuple[str | int, ...], message: str, severity: str = "error") -> Problem:
    """A problem located at a field of a record (line and column are found later)."""
    return Problem(code, message, registry.file_of(kind, record_id), path=path,
                   severity=severity)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return tr(" (did you mean '{word}'?)", word=close[0]) if close else ""
