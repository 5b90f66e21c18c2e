"""Which folders a change need not sweep for temp files: those whose times have not moved
since a sweep found none in them.

A change killed before its journal was written leaves hidden temp files
(``.<name>.<random>.tmp``) in the folders it wrote; every change first removes them
(``transaction.recover``), which lists every record folder: 75,000 names on a national
registry, 20 ms, and 30–50 ms while git compares the files beside it. A file created in a
folder moves the folder's modification and change times, so a folder whose times are still
those it had when a sweep found nothing in it holds no temp file of a later run.
``SweepMemory`` keeps those times in the registry's private cache folder, sealed with the
cache's key like every cache file; a folder that changed too recently to tell a later change
by its times (git's racy rule, ``gitlisting.too_recent``) is not kept, and is swept again next
time. Without a cache, or with a file that is missing, foreign or tampered with, every folder
is swept, as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from committee_cli.store.cache import Cache, registry_cache_folder
from committee_cli.store.gitlisting import too_recent
from committee_cli.store.gitstart import folder_stat

SWEPT_FILE = "swept"


class SweepMemory:
    """The times of the folders of one registry found clean, and those found clean now."""

    def __init__(self, root: Path) -> None:
        self.root = root
        place = registry_cache_folder(root)
        # (the cache's sealed blobs, without reading its last result: Cache.open would)
        self.cache = Cache(*place) if place is not None else None
        self.kept = self._read()
        self.clean: dict[str, str] = {}  # folder (relative) -> its times, found clean this run
        self._times: dict[str, str] = {}  # folder -> its times just before it was looked at

    def needs_sweep(self, folder: Path) -> bool:
        """Whether ``folder`` must be listed for temp files (its times, taken now, moved since
        a sweep found none in it); a folder that need not be stays clean."""
        name = self._name(folder)
        times = folder_stat(str(folder))
        if times != "-" and self.kept.get(name) == times:
            self.clean[name] = times
            return False
        self._times[name] = times
        return True

    def swept(self, folder: Path, found: bool) -> None:
        """``folder`` was listed: ``found`` whether it held temp files (then removed)."""
        name = self._name(folder)
        times = self._times.pop(name, "-")
        if not found and times != "-" and not too_recent(times):
            self.clean[name] = times

    def save(self) -> None:
        """Keep the folders found clean for the next change (never an error: a cache is
        optional)."""
        if self.cache is not None and self.clean != self.kept:
            self.cache.write_blob(SWEPT_FILE, json.dumps(self.clean, sort_keys=True).encode())

    def _name(self, folder: Path) -> str:
        return os.path.relpath(folder, self.root)

    def _read(self) -> dict[str, str]:
        payload = self.cache.read_blob(SWEPT_FILE) if self.cache is not None else None
        if payload is None:
            return {}
        try:
            data = json.loads(payload)
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}
