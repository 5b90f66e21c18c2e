"""Validating a registry: loading it through the store and running every rule."""

from __future__ import annotations

from pathlib import Path

from committee_cli.errors import Problem
from committee_cli.rules import validate
from committee_cli.store import LoadResult, RegistryStore, errors_only

__all__ = ["errors_only", "open_checked", "open_registry", "validate_dir"]


def validate_dir(path: Path, use_cache: bool = True) -> tuple[LoadResult, list[Problem]]:
    """Load the registry in ``path`` and return it with all its problems (cached by state)."""
    return RegistryStore(path, use_cache).load_checked(validate, build=False)


def open_registry(path: Path, use_cache: bool = True) -> LoadResult:
    """Load the registry in ``path`` to read it (the records cached by state)."""
    return RegistryStore(path, use_cache).load()


def open_checked(path: Path) -> tuple[LoadResult, list[Problem]]:
    """The registry in ``path`` with its records and all its problems (both cached by state)."""
    return RegistryStore(path).load_checked(validate)
