"""A cache of validation results and built records, keyed by file content.

Nothing in it is trusted without the content hash: every run reads every file and hashes it
(BLAKE2b). A registry whose every hash is unchanged reuses its problems (validate) or its
records (queries, render, amend); otherwise only the files whose hash changed are parsed again
and merged into the cached records. Entries are also keyed by the package version and schema version,
so an upgrade starts afresh. The cache lives outside the registry (``COMMITTEE_CACHE_DIR``, else
``$XDG_CACHE_HOME/committee-cli``), one file per registry folder, written atomically; an
unreadable cache is ignored, never an error.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from committee_cli import __version__
from committee_cli.errors import Problem
from committee_cli.i18n import current_language
from committee_cli.model.records import SCHEMA_VERSION

NAMESPACE = f"committee-cli {__version__} schema {SCHEMA_VERSION} py{sys.version_info[:2]}"


def digest(data: bytes) -> bytes:
    """The content hash of one file."""
    return hashlib.blake2b(data, digest_size=16).digest()


def cache_root() -> Path | None:
    """Where caches live, or None when caching is off (``COMMITTEE_CACHE=off``)."""
    if os.environ.get("COMMITTEE_CACHE", "").lower() in ("0", "off", "no"):
        return None
    explicit = os.environ.get("COMMITTEE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "committee-cli"


def _read(path: Path) -> dict[str, Any] | None:
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of objects, none of them garbage
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, ValueError,
            TypeError, IndexError, KeyError):
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
    if not isinstance(stored, dict) or stored.get("namespace") != NAMESPACE:
        return None
    return stored


def _write(path: Path, stored: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only a slower next run


@dataclass(frozen=True)
class Snapshot:
    """The records of one registry state, with each file's content hash."""

    state_key: bytes
    keys: dict[str, bytes]
    registry: Any
    problems: list[Problem]


@dataclass
class Cache:
    """The last validation result and the last built records of a registry, by state.

    ``result.pickle`` is small (the problems); ``registry.pickle`` holds the records and each
    file's content hash, so that a later state re-reads only the files whose hash changed.
    """

    path: Path | None
    result_key: bytes = b""
    result: list[Problem] | None = None
    result_dirty: bool = False
    _snapshot: Snapshot | None = None
    _snapshot_read: bool = False

    @classmethod
    def open(cls, registry_root: Path) -> Cache:
        """The cache of one registry folder (empty when missing, unreadable or stale)."""
        root = cache_root()
        if root is None:
            return cls(None)
        # problems are kept in the run's language
        folder_key = f"{registry_root.resolve()}\0{current_language()}"
        name = hashlib.sha256(folder_key.encode()).hexdigest()[:32]
        cache = cls(root / name)
        stored = _read(root / name / "result.pickle")
        if stored is not None:
            cache.result_key = stored.get("result_key", b"")
            cache.result = stored.get("result")
        return cache

    def snapshot(self) -> Snapshot | None:
        """The records of the last state built, if any (read once)."""
        if not self._snapshot_read:
            self._snapshot_read = True
            stored = _read(self.path / "registry.pickle") if self.path else None
            if stored is not None:
                try:
                    self._snapshot = Snapshot(stored["state_key"], stored["keys"],
                                              stored["registry"], stored["problems"])
                except KeyError:
                    self._snapshot = None
        return self._snapshot

    def remember_snapshot(self, state_key: bytes, keys: dict[str, bytes], registry: Any,
                          problems: list[Problem]) -> None:
        """Keep the records of this state for the next run (written at once)."""
        self._snapshot = Snapshot(state_key, dict(keys), registry, list(problems))
        self._snapshot_read = True
        if self.path is not None:
            _write(self.path / "registry.pickle", {
                "namespace": NAMESPACE, "state_key": state_key, "keys": keys,
                "registry": registry, "problems": problems})

    def remember_result(self, key: bytes, problems: list[Problem]) -> None:
        """Remember the problems of a whole registry state."""
        if key != self.result_key or self.result != problems:
            self.result_key, self.result = key, problems
            self.result_dirty = True

    def save(self) -> None:
        """Write the validation result if it changed."""
        if self.path is not None and self.result_dirty:
            _write(self.path / "result.pickle", {"namespace": NAMESPACE,
                                                 "result_key": self.result_key,
                                                 "result": self.result})
            self.result_dirty = False
