"""Validating a registry."""

from __future__ import annotations

from pathlib import Path

from committee_cli.errors import Problem
from committee_cli.rules import validate
from committee_cli.store import DirSource, LoadResult, Source, load


def load_source(source: Source) -> tuple[LoadResult, list[Problem]]:
    """Load a registry from any source and run every rule."""
    result = load(source)
    return result, validate(result)


def validate_dir(path: Path) -> tuple[LoadResult, list[Problem]]:
    """Load the registry in ``path`` and return it with all its problems."""
    return load_source(DirSource(path))


def errors_only(problems: list[Problem]) -> list[Problem]:
    """The problems that make a registry invalid (warnings excluded)."""
    return [p for p in problems if p.severity == "error"]
