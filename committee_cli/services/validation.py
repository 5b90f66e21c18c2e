"""Validating a registry."""

from __future__ import annotations

from pathlib import Path

from committee_cli.errors import Problem
from committee_cli.i18n import tr
from committee_cli.rules import validate as validate_records
from committee_cli.services.sealing import check_signed
from committee_cli.store import DirSource, LoadResult, Source, load
from committee_cli.store.cache import Cache

_REFERENCE_RULES = frozenset({"R101", "R102"})  # references and role ids resolve


def validate(result: LoadResult, root: Path | None = None,
             cache: Cache | None = None) -> list[Problem]:
    """Every problem: the rules over the records, and what signed decisions state (R130–R133).

    The signed text is checked once every file loads and every reference resolves: a broken
    record would show as a changed fact in every decision that names it."""
    problems = validate_records(result)
    if any(p.code.startswith("R0") or p.code in _REFERENCE_RULES for p in errors_only(problems)):
        return problems
    signed = result.locate(check_signed(result, root, cache))
    return sorted(dict.fromkeys([*problems, *signed]), key=Problem.sort_key)


def load_source(source: Source, cache: Cache | None = None) -> tuple[LoadResult, list[Problem]]:
    """Load a registry from any source and run every rule (reusing a cached answer when every
    file's content hash is unchanged)."""
    result = load(source, cache)
    if cache is not None and cache.result is not None and cache.result_key == result.state_key:
        return result, list(cache.result)
    root = source.root if isinstance(source, DirSource) else None
    problems = validate(result, root, cache)
    if cache is not None:
        cache.remember_result(result.state_key, problems)
    return result, problems


def validate_dir(path: Path, use_cache: bool = True) -> tuple[LoadResult, list[Problem]]:
    """Load the registry in ``path`` and return it with all its problems."""
    cache = Cache.open(path) if use_cache else None
    outcome = load_source(DirSource(path), cache)
    if cache is not None:
        cache.save()
    return outcome


def open_registry(path: Path, use_cache: bool = True) -> LoadResult:
    """Load the registry in ``path`` to read it: the records of an unchanged state come from
    the cache whole; otherwise only files the cache does not know are parsed."""
    cache = Cache.open(path) if use_cache else None
    result = load(DirSource(path), cache)
    result.registry  # noqa: B018 - build now (from the cached records where they still hold)
    return result


def open_checked(path: Path) -> tuple[LoadResult, list[Problem]]:
    """The registry in ``path`` with its records and all its problems (both cached by state)."""
    cache = Cache.open(path)
    result = load(DirSource(path), cache)
    result.registry  # noqa: B018
    if cache.result is not None and cache.result_key == result.state_key:
        return result, list(cache.result)
    problems = validate(result, path, cache)
    cache.remember_result(result.state_key, problems)
    cache.save()
    return result, problems


def open_loadable(source: Source, registry_dir: Path | None, action: str) -> LoadResult:
    """Load a registry for reading (a query, a document); errors that stop records loading
    raise RegistryInvalid with what to do. A folder on disk uses the cache."""
    from committee_cli.errors import RegistryInvalid

    if registry_dir is not None and isinstance(source, DirSource):
        result = open_registry(registry_dir)
    else:
        result = load(source)
    errors = errors_only(result.problems)
    if errors:
        raise RegistryInvalid(result.locate(errors), tr("the registry {label} has {count} "
                                                        "error(s) that stop it loading: fix them "
                                                        "(`committee validate`) and {action} "
                                                        "again", label=source.label,
                                                        count=len(errors), action=action))
    return result


def errors_only(problems: list[Problem]) -> list[Problem]:
    """The problems that make a registry invalid (warnings excluded)."""
    return [p for p in problems if p.severity == "error"]
