"""Writing several registry files as one change: all of them or none.

Each file is written to a temp file in its own folder and fsynced; only when every temp file
is complete are they renamed into place, and a journal lets an interrupted commit be rolled
forward: ``recover()`` finishes the renames of a journal whose temp files all exist.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from committee_cli.store.yamlio import fsync_dir

JOURNAL = ".committee-journal.json"


def _prepare(root: Path, rel: str, text: str | None) -> str | None:
    target = root / rel
    if text is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.chmod(tmp, target.stat().st_mode & 0o7777)
    except FileNotFoundError:
        os.chmod(tmp, 0o644)
    return os.path.relpath(tmp, root)


def write_files(root: Path, changes: Mapping[str, str | None]) -> None:
    """Write (text) or delete (None) registry files atomically as one change."""
    staged: dict[str, str | None] = {}
    try:
        for rel, text in changes.items():
            staged[rel] = _prepare(root, rel, text)
        journal = root / JOURNAL
        _write_journal(journal, staged)
        _apply(root, staged)
        journal.unlink()
        fsync_dir(root)
    except BaseException:
        if not (root / JOURNAL).exists():
            for tmp in staged.values():
                if tmp:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(root / tmp)
        raise


def _write_journal(journal: Path, staged: Mapping[str, str | None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".journal.", suffix=".tmp", dir=journal.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(staged, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, journal)
    fsync_dir(journal.parent)


def _apply(root: Path, staged: Mapping[str, str | None]) -> None:
    folders: set[Path] = set()
    for rel, tmp in staged.items():
        target = root / rel
        if tmp is None:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        elif (root / tmp).exists():
            os.replace(root / tmp, target)
        folders.add(target.parent)
    for folder in folders:
        fsync_dir(folder)


def recover(root: Path) -> bool:
    """Finish a change interrupted after its journal was written; True if one was finished.

    Temp files of a change interrupted before its journal are removed (the change never
    happened).
    """
    journal = root / JOURNAL
    finished = False
    if journal.exists():
        try:
            staged = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            staged = None
        if isinstance(staged, dict):
            _apply(root, staged)
            finished = True
        journal.unlink()
        fsync_dir(root)
    for tmp in root.rglob(".*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
    return finished
