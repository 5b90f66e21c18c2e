"""``RegistryStore``: the one way in and out of a registry folder.

Everything above ``store/`` reads a registry through ``load`` (the work tree, through the
records cache, or a git revision) and writes through ``transaction`` (recover what an earlier
run left half-written, then write every staged file at once, or none). Nothing above opens a
registry file itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from committee_cli.errors import Problem, RegistryInvalid
from committee_cli.i18n import tr
from committee_cli.store.cache import Cache, digest
from committee_cli.store.loader import LoadResult, load
from committee_cli.store.source import DirSource, GitSource, Source
from committee_cli.store.transaction import recover, write_files

Check = Callable[[LoadResult], list[Problem]]
Lock = Callable[[Path], AbstractContextManager[list[str]]]


def errors_only(problems: list[Problem]) -> list[Problem]:
    """The problems that make a registry invalid (warnings excluded)."""
    return [p for p in problems if p.severity == "error"]


@dataclass
class Transaction:
    """Files staged for one all-or-nothing write, and notes for the user."""

    notes: list[str] = field(default_factory=list)
    changes: dict[str, str | None] = field(default_factory=dict)

    def stage(self, changes: Mapping[str, str | None]) -> None:
        """Add files to write (text) or delete (None) when the transaction ends."""
        self.changes.update(changes)


def _result_key(state_key: bytes, salt: bytes) -> bytes:
    """The results cache's key of a state of the files, with what else the check reads."""
    return digest(state_key + salt) if salt else state_key


class RegistryStore:
    """A registry folder: load it (work tree or git revision) and change it safely."""

    def __init__(self, root: Path, use_cache: bool = True) -> None:
        self.root = Path(root)
        self.use_cache = use_cache

    def source(self, rev: str | None = None) -> Source:
        """Where the files come from: the work tree, or a git revision (work tree untouched)."""
        return GitSource(self.root, rev) if rev else DirSource(self.root)

    def cache(self) -> Cache | None:
        """The records cache of the work tree (None when caching is off)."""
        return Cache.open(self.root) if self.use_cache else None

    def load(self, rev: str | None = None) -> LoadResult:
        """The registry with its records built: the work tree (records of an unchanged state
        come from the cache whole; otherwise only files the cache does not know are parsed),
        or the files at git revision ``rev``."""
        cache = self.cache() if rev is None else None
        if cache is not None:
            cache.prefetch_snapshot()  # (read while the files are listed: they are built next)
        result = load(self.source(rev), cache)
        result.registry  # noqa: B018 - build now (from the cached records where they still hold)
        return result

    def load_readable(self, rev: str | None = None, action: str = "ask") -> LoadResult:
        """``load``, refusing a registry whose files do not load: RegistryInvalid says what to
        fix, and to ``action`` again (a query asks, a document renders)."""
        result = self.load(rev)
        errors = errors_only(result.problems)
        if errors:
            raise RegistryInvalid(result.locate(errors), tr(
                "the registry {label} has {count} error(s) that stop it loading: fix them "
                "(`committee validate`) and {action} again", label=self.source(rev).label,
                count=len(errors), action=action))
        return result

    def load_checked(self, check: Check, build: bool = True, salt: bytes = b"",
                     prefetch: tuple[str, ...] = ()) -> tuple[LoadResult, list[Problem]]:
        """The work tree and its problems by ``check``, both cached by the files' state (an
        unchanged state answers from the cache; ``build=False`` leaves the records unbuilt
        when the problems are cached). ``salt`` joins the key what else ``check`` reads (the
        names of the registry's templates); ``prefetch`` names data of the cache the caller
        reads next (``Cache.prefetch_blob``)."""
        cache = self.cache()
        if cache is not None:
            for name in prefetch:
                cache.prefetch_blob(name)
        return self._checked(DirSource(self.root), cache, check, build, salt)

    def checked_files(self, check: Check, salt: bytes = b"") -> tuple[int, list[Problem]]:
        """How many files the work tree has, and its problems by ``check``: as ``load_checked``,
        but a state the cached result names exactly (by the listing of its files kept in the
        cache, ``store/gitlisting.py``) answers without listing or reading anything."""
        cache, source = self.cache(), DirSource(self.root)
        if cache is not None and cache.result is not None and cache.result_listing:
            named = source.recall_state()
            if named is not None and cache.result_listing == digest(named + salt):
                return cache.result_count, list(cache.result)
            cache.prefetch_snapshot()  # (another state than the result's: it is checked next)
        result, problems = self._checked(source, cache, check, False, salt)
        return len(result.texts), problems

    def remember_checked(self, result: LoadResult, problems: list[Problem],
                         salt: bytes = b"") -> None:
        """Keep ``problems`` as ``check``'s answer for the state ``result`` holds (a change
        just written, validated before it was: the next run of the same state reads it from
        the cache). ``salt`` as for ``load_checked``."""
        if result.cache is not None:
            result.cache.remember_result(_result_key(result.state_key, salt), problems, b"",
                                         len(result.texts))
            result.cache.save()

    def _checked(self, source: DirSource, cache: Cache | None, check: Check, build: bool,
                 salt: bytes) -> tuple[LoadResult, list[Problem]]:
        if build and cache is not None:
            cache.prefetch_snapshot()  # (read while the files are listed: they are built next)
        result = load(source, cache)
        listed, named = result.state_key, source.state_digest  # the state as listed
        if build:
            result.registry  # noqa: B018

        def keys() -> tuple[bytes, bytes]:
            """The result's key for the state read so far, and the listing's name for it (none
            when files moved since they were listed: the listing names another state)."""
            key = _result_key(result.state_key, salt)
            same = named is not None and result.state_key == listed
            return key, digest(named + salt) if same and named is not None else b""

        key, listing = keys()
        if cache is not None and cache.result is not None and cache.result_key == key:
            if listing and cache.result_listing != listing:  # name the state for next time
                cache.remember_result(key, cache.result, listing, len(result.texts))
                cache.save()
            return result, list(cache.result)
        problems = check(result)
        if cache is not None:  # under the state the check read (files may move meanwhile)
            key, listing = keys()
            cache.remember_result(key, problems, listing, len(result.texts))
            cache.save()
        return result, problems

    @contextmanager
    def transaction(self, lock: Lock) -> Iterator[Transaction]:
        """Hold ``lock`` (committee_cli.services.unit_of_work.registry_lock), finish a change an
        earlier run left half-written, and write what the block staged all at once (or none,
        when the block raises)."""
        with lock(self.root) as notes:
            tx = Transaction(notes=notes)
            if recover(self.root):
                tx.notes.append(tr("finished a change that an earlier run left half-written"))
            yield tx
            if tx.changes:
                write_files(self.root, tx.changes)
