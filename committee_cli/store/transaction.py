"""Writing several registry files as one change: all of them or none.

Each file is written to a temp file in its own folder and fsynced; only when every temp file
is complete are they renamed into place, and a journal lets an interrupted commit be rolled
forward: ``recover()`` finishes the renames of a journal whose temp files all exist. Writing
the journal is the commit point: a reader that finds one (``pending_change``) sees the change
as finished, so no reader ever sees a change half-applied by a run that was killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.store.tempfiles import discard, fsync_dir, replace_file, write_temp

JOURNAL = ".committee-journal.json"
# the registry lock (services.unit_of_work): both files exist only while a run holds it
LOCK_FILE = ".committee.lock"
OWNER_FILE = ".committee.lock.owner"


def _safe_entry(rel: object, tmp: object) -> bool:
    """A journal entry names a file inside the folder and, when written, its own temp file."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        return False
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return False
    if tmp is None:
        return True
    if not isinstance(tmp, str) or "\0" in tmp:
        return False
    folder, name = os.path.split(rel)
    tmp_folder, tmp_name = os.path.split(tmp)
    return (tmp_folder == folder and tmp_name.startswith(f".{name}.")
            and tmp_name.endswith(".tmp"))


COMMITTED_NOTE = "(a change journal or temp file committed to git: remove it from git with " \
    "`git rm --cached`; a committed one is never applied)"


def committed_to_git(root: Path, rels: list[str]) -> list[str]:
    """Those of ``rels`` (paths in ``root``) that git tracks; [] outside a repository."""
    if not rels:
        return []
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", *rels],
                              capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    prefix = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"],
                            capture_output=True, check=False).stdout.decode("utf-8").strip()
    tracked = {p.removeprefix(prefix) for p in done.stdout.decode("utf-8").split("\0") if p}
    return [rel for rel in rels if rel in tracked]


def pending_change(root: Path) -> dict[str, str | None] | None:
    """The change a journal in ``root`` records ({file: its temp file, or None to delete}), or
    None when there is no journal. A journal that is not one written by ``write_files`` (not
    JSON, or naming a file outside the folder) is refused with a message, never followed."""
    journal = root / JOURNAL
    try:
        text = journal.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad_journal(journal, f"it cannot be read ({exc})") from None
    try:
        staged = json.loads(text)
    except ValueError:
        raise _bad_journal(journal, "it is not JSON") from None
    if not isinstance(staged, dict):
        raise _bad_journal(journal, "it is not a JSON object")
    for rel, tmp in staged.items():
        if not _safe_entry(rel, tmp):
            raise _bad_journal(journal, f"it names {rel!r} -> {tmp!r}, which is not a file of "
                               "this folder and its temp file")
    return staged


def _bad_journal(journal: Path, why: str) -> CommitteeError:
    return CommitteeError(
        tr("{journal} was not written by committee-cli: {why}. Nothing was changed; if no "
           "committee run is active, move that file away and check the registry with `committee "
           "validate`", journal=journal, why=why), ExitCode.IO)


def _prepare(root: Path, rel: str, text: str | None) -> str | None:
    target = root / rel
    if text is None:
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    tmp = write_temp(target, text.encode("utf-8"), mode)
    return os.path.relpath(tmp, root)


def write_files(root: Path, changes: Mapping[str, str | None]) -> None:
    """Write (text) or delete (None) registry files atomically as one change.

    A journal left by an interrupted change is never overwritten: finish it first (``recover``).
    """
    if (root / JOURNAL).exists():
        raise CommitteeError(tr("{journal} records a change that was interrupted: finish it first "
                                "(any `committee amend …` run on this registry does)",
                                journal=root / JOURNAL), ExitCode.IO)
    staged: dict[str, str | None] = {}
    journal = root / JOURNAL
    try:
        for rel, text in changes.items():
            staged[rel] = _prepare(root, rel, text)
        replace_file(journal, json.dumps(staged).encode("utf-8"), 0o644)  # the commit point
    except BaseException:
        if not journal.exists():
            for tmp in staged.values():
                if tmp:
                    discard(root / tmp)
        raise
    _apply(root, staged)  # past the commit point: a failure here is finished by the next run
    journal.unlink()
    fsync_dir(root)


def _apply(root: Path, staged: Mapping[str, str | None]) -> None:
    folders: set[Path] = set()
    for rel, tmp in staged.items():
        target = root / rel
        if tmp is None:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        elif (root / tmp).exists():
            try:
                os.replace(root / tmp, target)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(target)) from None
        folders.add(target.parent)
    for folder in sorted(folders):
        fsync_dir(folder)


class Sweeps(Protocol):
    """What tells ``recover`` which folders need listing for temp files (``store/sweep.py``)."""

    def needs_sweep(self, folder: Path) -> bool: ...

    def swept(self, folder: Path, found: bool) -> None: ...


def recover(root: Path, sweeps: Sweeps | None = None) -> bool:
    """Finish a change interrupted after its journal was written; True if one was finished.

    Temp files of a change interrupted before its journal are removed (the change never
    happened): in every folder, or with ``sweeps``, in those it says may hold some.
    """
    journal = root / JOURNAL
    staged = pending_change(root)
    if staged is not None and committed_to_git(root, [JOURNAL]):
        raise CommitteeError(tr("{journal} is committed to git: a journal is never applied "
                                "from a commit. Remove it from git (`git rm --cached {name}`, "
                                "then delete it) and check the registry with `committee "
                                "validate`", journal=journal, name=JOURNAL), ExitCode.IO)
    if staged is not None:
        _apply(root, staged)
        journal.unlink()
        fsync_dir(root)
    folders = {root} | {(root / rel).parent for rel in staged or {}}
    folders |= {path for path in root.iterdir() if path.is_dir() and not path.is_symlink()
                and not path.name.startswith(".")}
    for folder in sorted(folders):
        if sweeps is not None and not sweeps.needs_sweep(folder):
            continue
        found = _temp_files(folder)
        for tmp in found:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if sweeps is not None:
            sweeps.swept(folder, bool(found))
    return staged is not None


def _temp_files(folder: Path) -> list[str]:
    """The hidden temp files (``.<name>.tmp``) in a folder, by one ``os.listdir`` (a record
    folder of a national registry holds 25,000 files: names alone, no entry object each, are
    listed in half the time)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [os.path.join(folder, name) for name in names
            if name.startswith(".") and name.endswith(".tmp")
            and len(name) >= len("..tmp")]  # (as the glob ".*.tmp")
