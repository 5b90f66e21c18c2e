"""A cache of parsed files and validation results, keyed by file content.

Nothing in it is trusted without the content hash: every run reads every file and hashes it
(BLAKE2b); a file whose hash is known reuses its parsed data, and a registry whose every hash is
unchanged reuses its problems. Entries are also keyed by the package version and schema version,
so an upgrade starts afresh. The cache lives outside the registry (``COMMITTEE_CACHE_DIR``, else
``$XDG_CACHE_HOME/committee-cli``), one file per registry folder, written atomically; an
unreadable cache is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from committee_cli import __version__
from committee_cli.errors import Problem
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
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, ValueError,
            TypeError, IndexError, KeyError):
        return None
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


@dataclass
class Cache:
    """Parsed files by content hash (read only when a file must be parsed), and the last
    validation result by registry state (a small file of its own)."""

    path: Path | None
    files: dict[bytes, tuple[Any, list[Problem]]] = field(default_factory=dict)
    result_key: bytes = b""
    result: list[Problem] | None = None
    used: set[bytes] = field(default_factory=set)
    dirty: bool = False
    result_dirty: bool = False
    _files_loaded: bool = False

    @classmethod
    def open(cls, registry_root: Path) -> Cache:
        """The cache of one registry folder (empty when missing, unreadable or stale)."""
        root = cache_root()
        if root is None:
            return cls(None)
        name = hashlib.sha256(str(registry_root.resolve()).encode()).hexdigest()[:32]
        cache = cls(root / name)
        stored = _read(root / name / "result.pickle")
        if stored is not None:
            cache.result_key = stored.get("result_key", b"")
            cache.result = stored.get("result")
        return cache

    def lookup(self, key: bytes) -> tuple[Any, list[Problem]] | None:
        """Parsed data and problems of a file with this content hash, if known."""
        if not self._files_loaded:
            self._files_loaded = True
            stored = _read(self.path / "files.pickle") if self.path else None
            if stored is not None:
                self.files = stored.get("files", {})
        hit = self.files.get(key)
        if hit is not None:
            self.used.add(key)
        return hit

    def store(self, key: bytes, data: Any, problems: list[Problem]) -> None:
        """Remember a parsed file."""
        self.files[key] = (data, problems)
        self.used.add(key)
        self.dirty = True

    def registry(self, key: bytes) -> tuple[Any, list[Problem]] | None:
        """The records and load problems of a registry state, if this state was built before."""
        stored = _read(self.path / "registry.pickle") if self.path else None
        if stored is None or stored.get("state_key") != key:
            return None
        return stored["registry"], stored["problems"]

    def remember_registry(self, key: bytes, registry: Any, problems: list[Problem]) -> None:
        """Keep the records of this state for the next reading command (written now)."""
        if self.path is not None:
            _write(self.path / "registry.pickle", {"namespace": NAMESPACE, "state_key": key,
                                                   "registry": registry, "problems": problems})

    def remember_result(self, key: bytes, problems: list[Problem]) -> None:
        """Remember the problems of a whole registry state."""
        if key != self.result_key or self.result != problems:
            self.result_key, self.result = key, problems
            self.result_dirty = True

    def save(self) -> None:
        """Write what changed, atomically; parsed files only of this registry state."""
        if self.path is None:
            return
        if self.dirty:
            _write(self.path / "files.pickle", {
                "namespace": NAMESPACE,
                "files": {k: v for k, v in self.files.items() if k in self.used}})
        if self.result_dirty:
            _write(self.path / "result.pickle", {"namespace": NAMESPACE,
                                                 "result_key": self.result_key,
                                                 "result": self.result})
