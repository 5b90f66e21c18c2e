"""``committee fmt``: rewrite registry files in the canonical layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from committee_cli.errors import Problem
from committee_cli.services.unit_of_work import registry_lock
from committee_cli.store import DirSource, RegistryStore
from committee_cli.store.canonical import canonical_text
from committee_cli.store.loader import parse_file


@dataclass
class FormatResult:
    """What ``fmt`` changed (or would change), and files it could not read."""

    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def format_registry(root: Path, check: bool = False) -> FormatResult:
    """Canonicalise every readable file; with ``check`` only report what would change.

    Rewriting holds the registry lock from reading to writing, as an amendment does, so that a
    change made meanwhile is never overwritten with the old text; an interrupted change is
    finished first.
    """
    if check:
        return _format(root)[0]
    with RegistryStore(root).transaction(registry_lock) as tx:
        result, new_texts = _format(root)
        result.notes = tx.notes
        tx.stage(new_texts)
    return result


def _format(root: Path) -> tuple[FormatResult, dict[str, str]]:
    """What formatting would do: the files it would rewrite, and their canonical texts."""
    source = DirSource(root)
    result = FormatResult()
    new_texts: dict[str, str] = {}
    for rel in source.paths():
        raw = source.read(rel)
        text, data, problems = parse_file(rel, raw)
        hard = [p for p in problems if p.code != "R003"]
        if hard or data is None:
            result.problems.extend(hard or problems)
            continue
        canonical = canonical_text(rel, text)
        if canonical.encode("utf-8") != raw:
            result.changed.append(rel)
            new_texts[rel] = canonical
    return result, new_texts
