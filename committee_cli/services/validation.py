"""Validating a registry: loading it through the store and running every rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from committee_cli import rules
from committee_cli.errors import Problem
from committee_cli.rules.signed_rules import old_schemes
from committee_cli.rules.template_rules import kinds_have_templates
from committee_cli.store import LoadResult, RegistryStore, errors_only
from committee_cli.store.cache import Cache
from committee_cli.store.source import registry_template_files

__all__ = ["check_dir", "errors_only", "merged", "open_checked", "open_registry",
           "remember_written", "signed_problems", "validate", "validate_dir"]

_REFERENCE_RULES = frozenset({"R101", "R102"})  # references and role ids resolve


def validate(result: LoadResult, root: Path | None = None,
             cache: Cache | None = None) -> list[Problem]:
    """Every problem: the rules over the records, and what signed decisions state (R130–R133).

    The signed text is checked once every file loads and every reference resolves: a broken
    record would show as a changed fact in every decision that names it."""
    problems = rules.validate(result)  # (the rules loaded only when a state is checked)
    if any(p.code.startswith("R0") or p.code in _REFERENCE_RULES for p in errors_only(problems)):
        return problems
    return merged(problems, signed_problems(result, root, cache))


def read_ahead(loaded: LoadResult) -> None:
    """Start reading what ``signed_problems`` reads of the cache, when a decision is signed by
    a scheme whose facts are checked (a change calls it once the registry is open)."""
    if loaded.cache is not None and any(sealed not in (None, "1") for _, sealed
                                        in loaded.registry.column("decision", "sealed")):
        from committee_cli.services.sealing import FactsStore

        FactsStore.read_ahead(loaded.cache)


def signed_problems(result: LoadResult, root: Path | None,
                    cache: Cache | None) -> list[Problem]:
    """What signed decisions state (R130–R133) and, in a work tree, its templates folder
    (R135), located: what ``validate`` adds to the rules' problems."""
    reg = result.registry
    if any(sealed not in (None, "1") for _, sealed in reg.column("decision", "sealed")):
        from committee_cli.services.sealing import check_signed  # (a warm run never needs it)

        signed = result.locate(check_signed(result, root, cache))
    else:  # every signature of scheme 1 (or none): nothing to compare, nothing built
        signed = result.locate(old_schemes(reg))
    if root is not None:  # a work tree: its templates folder (R135)
        signed += result.locate(list(kinds_have_templates(result.registry,
                                                          registry_templates(root))))
    return signed


def merged(problems: list[Problem], signed: list[Problem]) -> list[Problem]:
    """The rules' problems and ``signed_problems``, once each, in report order."""
    return sorted(dict.fromkeys([*problems, *signed]), key=Problem.sort_key)


def remember_written(root: Path, result: LoadResult, problems: list[Problem]) -> None:
    """Keep ``problems`` (``validate``'s answer, computed before the change was written) as
    what ``validate`` says of the state ``result`` holds, now in ``root``."""
    RegistryStore(root).remember_checked(result, problems, salt=_templates_key(root))


def registry_templates(root: Path) -> set[str]:
    """The names of the registry's own templates, as rendering finds them."""
    return {path.name for path in registry_template_files(root)}


def _templates_key(root: Path) -> bytes:
    """What R135 reads besides the records, for the results cache's key."""
    return b"templates\0" + "\0".join(sorted(registry_templates(root))).encode()


def _checker(store: RegistryStore) -> Callable[[LoadResult], list[Problem]]:
    """``validate`` for the store's work tree, keeping signed facts in its cache."""
    return lambda result: validate(result, store.root,
                                   result.cache if result.cache is not None else store.cache())


def validate_dir(path: Path, use_cache: bool = True) -> tuple[LoadResult, list[Problem]]:
    """Load the registry in ``path`` and return it with all its problems (cached by state)."""
    store = RegistryStore(path, use_cache)
    return store.load_checked(_checker(store), build=False, salt=_templates_key(path))


def check_dir(path: Path) -> tuple[int, list[Problem]]:
    """How many files the registry in ``path`` has, and all its problems (cached by state: a
    state the cache names exactly answers without listing the files)."""
    store = RegistryStore(path)
    return store.checked_files(_checker(store), salt=_templates_key(path))


def open_registry(path: Path, use_cache: bool = True) -> LoadResult:
    """Load the registry in ``path`` to read it (the records cached by state)."""
    return RegistryStore(path, use_cache).load()


def open_checked(path: Path) -> tuple[LoadResult, list[Problem]]:
    """The registry in ``path`` with its records and all its problems (both cached by state)."""
    store = RegistryStore(path)  # (a change runs the rules on its result next: their kept
    # results are read while the files are listed)
    return store.load_checked(_checker(store), salt=_templates_key(path),
                              prefetch=(rules.KEPT_RESULTS,))
