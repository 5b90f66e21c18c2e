"""Knowing a registry's files without listing them again: git's index and the folders' times.

A full listing of a national registry (every record folder scanned, every file's blob id taken
from ``git ls-files``) costs about a second; what git itself needs to know what changed is far
less. After a full listing in a git work tree, what it found is remembered in the registry's
private cache folder (``listing``, sealed with the cache's key) under a *key* of what could
change what git knows of the files, or which folders there are:

- the checksum git keeps at the end of its index (any ``git add``, ``commit``, ``checkout``,
  ``stash``, ``update-index`` rewrites it);
- the names in the registry folder (each marked as a folder or not), but for the registry's
  lock files, which every change creates and removes (the folder's times would move with them);
- the git settings and attribute files that change how git compares a file with its blob;

and, beside the key, the modification and change times, inode and device of each record
folder when it was listed: a file added, removed or renamed in a folder moves these (a change
time cannot be set back).

A later run under the same key takes the files from the cache and asks ``git diff-files`` (for
a command that only reads, started before the program's own imports: ``store/gitstart.py``)
which tracked files git can no longer vouch for (its stat data differ, or the file is racily
clean and its content differs: git's own test, as in ``git status``); those files and the ones
git does not track are read and hashed, every other file holds its index blob. Untracked files
need no search: a new file moves its folder's times. A record folder whose times moved (an
amendment wrote in it, an editor saved a file by renaming a new one over it) is listed again,
alone, and the listing kept anew; so is, at every run, a folder that had changed less than
``RACY_NS`` before it was listed (within one tick of a coarse clock it could change again
without its times moving: git's "racily clean" rule, for folders), until it settles.

A listing is remembered only when it is exact: git converts no file (``core.autocrlf``,
``text``, ``eol``, ``filter``, … attributes), no entry is assume-unchanged, skip-worktree, a
symbolic link or in conflict, the registry holds no symbolic link or unsafe name,
no change is half-written, git's stat checks are not weakened (``core.checkStat=minimal``,
``core.trustctime=false``), and nothing moved while it was taken. Anything else (no git, no
cache, a foreign or tampered file) means a full listing, as before.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import json
import os
import secrets
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from committee_cli.model.records import CONFIG_FILE, safe_id
from committee_cli.store.cache import NAMESPACE, keyed_mac, registry_cache_folder
from committee_cli.store.gitindex import blob_key
from committee_cli.store.gitstart import Begun, begin, folder_stat, index_checksum, stop, top_names
from committee_cli.store.packed import PackedFiles, pack_paths, unpack_paths
from committee_cli.store.tempfiles import replace_file

LISTING_FILE = "listing"
MAGIC = b"committee-listing 3\n"
_BLOB = 20  # bytes of a (SHA-1) blob id
_MAC = 32
# A folder changed this recently may change again within the same tick of the kernel's coarse
# clock (a few milliseconds) without its times moving: no listing is kept then (git's "racily
# clean" rule, for folders); on a filesystem that keeps whole seconds (FAT, some network
# mounts: a time with no fraction), within 2 s.
RACY_NS = 100_000_000
RACY_COARSE_NS = 2_000_000_000


@dataclass(frozen=True)
class Known:
    """A registry's files as a full listing found them, brought to the work tree now."""

    paths: list[str]
    stray: list[str]
    keys: dict[str, bytes]  # every readable file's blob id (20 bytes)
    packed: PackedFiles | None = None  # ``keys`` packed in path order (None: pack them)


@dataclass(frozen=True)
class Recalled:
    """The listing kept under this run's key, and what the files git does not track or cannot
    vouch for hold now (None: unreadable). ``digest`` names this state of the registry's files
    exactly (the listing's seal and those files' blob ids), without reading the listing through."""

    mac: bytes
    count: int
    listing: _Kept
    stray: list[str]
    now: dict[str, bytes | None]

    @functools.cached_property
    def digest(self) -> bytes:
        state = hashlib.blake2b(self.mac, digest_size=32, person=b"committee-files")
        for rel in sorted(self.now):
            state.update(b"\0%s\0%s" % (os.fsencode(rel), self.now[rel] or b"-"))
        return state.digest()

    def known(self) -> Known:
        """Every path with its blob id now (ValueError: the listing's paths were tampered
        with, which only reading them through finds)."""
        blobs = bytes(self.listing.blobs)  # (slices of bytes are made twice as fast as of a view)
        listing = PackedFiles(bytes(self.listing.names), blobs)
        paths = listing.paths
        keys = dict(zip(paths, [blobs[i:i + _BLOB] for i in range(0, len(blobs), _BLOB)],
                        strict=True))
        listed = {rel: key for rel, key in self.now.items() if rel in keys}
        for rel, key in listed.items():
            if key is None:
                del keys[rel]  # (the loader reports it)
            else:
                keys[rel] = key
        # a listing keeps its paths in path order (checked: a few milliseconds): then its blob
        # ids, with those of the files changed since, are the keys packed as the loader packs them
        packed = listing.replaced(listed) if paths == sorted(paths) else None
        return Known(paths, self.stray, keys, packed)


@dataclass
class GitListing:
    """One run's view of the git work tree holding a registry (see the module's text)."""

    root: Path
    folders: Sequence[str]
    place: tuple[Path, bytes]
    index_path: Path
    settings: bytes
    before: bytes
    stats: dict[str, str] = field(default_factory=dict)  # each record folder's, at start
    changed: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, root: Path, folders: Sequence[str], early: Begun | None = None) -> GitListing | None:
        """The view of the work tree holding ``root`` (None: no cache, no git, not a work tree,
        or git's checks weakened), with ``git diff-files`` started: the one ``early`` begun at
        the start of the process (``store/gitstart.py``), else one begun now."""
        place = registry_cache_folder(root)
        if place is None:
            if early is not None:
                early.close()
            return None
        begun = early if early is not None else begin(root)
        if begun is None:
            return None
        view = cls(root, folders, place, begun.index_path, begun.settings,
                   b"", changed=begun.changed)
        view.before = view._key(begun.index, begun.top)
        view.stats = {folder: begun.stats.get(folder, "-") for folder in folders}
        return view

    def _volatile(self) -> bytes:
        """What moves when files are staged or committed, or when git's way of comparing them,
        or the names at the top of the registry, change (each record folder's own times are
        kept beside the listing: ``_stats``)."""
        return self._key(index_checksum(self.index_path), top_names(self.root))

    def _key(self, index: bytes, top: bytes) -> bytes:
        parts = [NAMESPACE.encode(), self.settings, index, top]
        return hashlib.blake2b(b"\0".join(parts), digest_size=32).digest()

    def _stats(self) -> dict[str, str]:
        """Each record folder's modification and change times, inode and device ("-": none): a
        file added, removed or renamed in it moves them."""
        return {folder: folder_stat(os.path.join(self.root, folder)) for folder in self.folders}

    def _racy(self, stats: dict[str, str]) -> list[str]:
        """The record folders that changed too recently to tell a later change by their times
        (``RACY_NS``, or ``RACY_COARSE_NS`` where times are kept in whole seconds): the next
        run lists them again, whatever their times say."""
        now = _now_ns()
        return [folder for folder, stat in stats.items() if too_recent(stat, now)]

    def close(self) -> None:
        """Stop ``git diff-files`` if it still runs, and let go of it."""
        stop(self.changed)
        self.changed = None

    def recall(self, relist: Relist) -> Recalled | None:
        """The files as the last exact listing under this key found them, with the blob ids
        they hold now; None when there is no such listing or anything moved meanwhile. A record
        folder whose times moved since (a file added, removed or renamed in it), or that had
        changed just before it was listed, is listed again with ``relist`` (None: it cannot be
        kept, so nothing is)."""
        record = self._read()
        if record is None or self.changed is None:
            self.close()
            return None
        out, _ = self.changed.communicate()
        code, self.changed = self.changed.returncode, None
        if code != 0 or self._volatile() != self.before:
            return None
        stale = [folder for folder in self.folders
                 if self.stats[folder] != record.stats.get(folder) or folder in record.racy]
        if stale:
            try:
                record = self._relisted(record, stale, relist)
            except ValueError:  # its paths were tampered with
                return None
            if record is None:
                return None
        if self._stats() != self.stats:
            return None
        now: dict[str, bytes | None] = {}
        prefix = os.path.join(str(self.root), "")
        doubted = [rel for rel in os.fsdecode(out).split("\0") if _record_file(rel, self.folders)]
        for rel in [*record.untracked, *doubted]:
            try:  # git does not track it, or cannot vouch for it: what it holds now
                with open(prefix + rel, "rb") as handle:
                    now[rel] = blob_key(handle.read())
            except OSError:
                now[rel] = None
        return Recalled(record.mac, record.count, record, record.stray, now)

    def _relisted(self, record: _Kept, stale: list[str], relist: Relist) -> _Kept | None:
        """The kept listing with the ``stale`` folders listed again (kept for the next run).

        The paths are in order, so each folder's files are one run of them: only those runs
        are taken apart and put back (a folder of 25,000 files, not the 75,000 paths), and a
        run that gained or lost a few files (an amendment's) is spliced, not rebuilt."""
        names, blobs = record.names, bytes(record.blobs)
        untracked = set(record.untracked)
        stray = [entry for entry in record.stray if entry.split("/", 1)[0] not in stale]
        for folder in sorted(stale):
            start, end, first, count = _run_of(names, os.fsencode(folder + "/"))
            before = unpack_paths(names[start:end]) if count else []
            found = relist(folder)
            if found is None:
                return None
            files, folder_stray = found
            stray.extend(folder_stray)
            run = blobs[first * _BLOB:(first + count) * _BLOB]
            listed, run, added, removed = _spliced(before, run, files)
            cut = len(folder) + 1  # (the names listed before were checked when listed)
            if not all(safe_id(rel[cut:-len(".yaml")]) for rel in added):
                return None  # a name that is not a safe id: a full listing reports it
            untracked.difference_update(removed)
            untracked.update(added)
            middle = pack_paths(listed) if added or removed else names[start:end]
            head, tail = names[:start], names[end:]
            if count and not listed:  # the folder's run goes, with one separator
                head, tail = (head[:-1], tail) if head else (head, tail[1:])
            elif listed and not count:  # a run where there was none (before ``tail``)
                middle = middle + b"\0" if tail else (b"\0" + middle if head else middle)
            names = head + middle + tail
            blobs = blobs[:first * _BLOB] + run + blobs[(first + count) * _BLOB:]
        now = self._stats()
        if any(now[folder] != self.stats[folder] for folder in stale):
            return None  # a folder changed while it was listed
        count = names.count(b"\0") + 1 if names else 0
        head, body = self._sealed(count, names, blobs, stray, sorted(untracked))
        self._write(head, body)
        kept = _parse(head + body, len(self.before), keyed_mac(self.place[1], head), self.place[1])
        if kept is not None:
            kept.__dict__["names"] = names  # (made here: not checked against its seal again)
        return kept

    def remember(self, paths: list[str], stray: list[str], staged: dict[str, str]) -> None:
        """Keep an exact listing taken since ``start`` (not when anything moved meanwhile). A
        folder changed too recently to tell a later change by its times (``RACY_NS``) is
        marked so: the next run lists it again."""
        self.close()
        if self._volatile() != self.before or self._stats() != self.stats:
            return
        self._write(*self._payload(paths, stray, {rel: bytes.fromhex(staged[rel])
                                                  for rel in paths if rel in staged}))

    def _payload(self, paths: list[str], stray: list[str],
                 staged: dict[str, bytes]) -> tuple[bytes, bytes]:
        """A listing's head and body (``_sealed``) for these paths."""
        names = pack_paths(paths)
        blobs = b"".join(staged.get(rel, _UNTRACKED) for rel in paths)
        untracked = [rel for rel in paths if rel not in staged]
        return self._sealed(len(paths), names, blobs, stray, untracked)

    def _sealed(self, count: int, names: bytes, blobs: bytes, stray: list[str],
                untracked: list[str]) -> tuple[bytes, bytes]:
        """A listing's head (its key, then a line of JSON: counts, strays, the untracked, each
        folder's times and those too recent, and the keyed checksum of the body) and its body
        (the ``count`` paths NUL-joined in ``names``, then their blob ids). The file's seal is
        over the head alone: a run that needs only to know that the listing still holds reads
        a few hundred bytes through, not a national registry's 3 MB of paths."""
        body = names + blobs
        head = json.dumps({"paths": count, "names": len(names), "stray": stray,
                           "untracked": untracked, "folders": self.stats,
                           "racy": self._racy(self.stats),
                           "body": keyed_mac(self.place[1], body).hex()}).encode("ascii")
        return self.before + head + b"\n", body

    def _write(self, head: bytes, body: bytes) -> None:
        folder, key = self.place
        with contextlib.suppress(OSError):
            replace_file(folder / LISTING_FILE, (MAGIC + keyed_mac(key, head), head, body),
                         0o600, fsync=False)

    def _read(self) -> _Kept | None:
        """The listing kept under this key (None: none, foreign or tampered)."""
        folder, key = self.place
        try:
            with open(folder / LISTING_FILE, "rb") as handle:
                sealed = handle.read()
        except OSError:
            return None
        start = len(MAGIC) + _MAC
        if not sealed.startswith(MAGIC) or sealed[start:start + len(self.before)] != self.before:
            return None
        head_end = sealed.find(b"\n", start + len(self.before))
        if head_end < 0 or not secrets.compare_digest(
                sealed[len(MAGIC):start], keyed_mac(key, memoryview(sealed)[start:head_end + 1])):
            return None
        return _parse(sealed, start + len(self.before), sealed[len(MAGIC):start], key)


Relist = Callable[[str], "tuple[list[str], list[str]] | None"]  # folder -> (files, strays)
_UNTRACKED = bytes(_BLOB)
_SPLICED = 64  # files gained by a run beyond which it is sorted anew rather than spliced


def _spliced(before: list[str], run: bytes,
             files: list[str]) -> tuple[list[str], bytes, list[str], list[str]]:
    """A folder's run of paths (``before``, in order, with their blob ids one after another in
    ``run``) brought to the ``files`` it holds now: (the paths in order, their blob ids, the
    files added, the files removed). A file that stays keeps its blob id; a new one is untracked
    (``_UNTRACKED``) until git's index names it."""
    present = set(files)
    removed = [rel for rel in before if rel not in present]
    added = sorted(present.difference(before))
    if not added and not removed:
        return before, run, added, removed
    if removed:
        gone = set(removed)
        kept = [i for i, rel in enumerate(before) if rel not in gone]
        paths = [before[i] for i in kept]
        run = b"".join([run[i * _BLOB:(i + 1) * _BLOB] for i in kept])
    else:
        paths = list(before)
    if len(added) > _SPLICED:
        keys = dict(zip(paths, [run[i:i + _BLOB] for i in range(0, len(run), _BLOB)],
                        strict=True))
        paths = sorted(present)
        return paths, b"".join([keys.get(rel, _UNTRACKED) for rel in paths]), added, removed
    for rel in added:
        at = bisect.bisect_left(paths, rel)
        paths.insert(at, rel)
        run = run[:at * _BLOB] + _UNTRACKED + run[at * _BLOB:]
    return paths, run, added, removed


@dataclass(frozen=True)
class _Kept:
    """A kept listing, read: its seal, strays, untracked files, each folder's times then, and
    its paths (NUL-joined names and their index blob ids, one after another), which are read
    through, against the keyed checksum the sealed head gives them, only when first asked for
    (``names``, ``blobs``: ValueError when they do not match it)."""

    mac: bytes
    count: int
    stray: list[str]
    untracked: list[str]
    stats: dict[str, str]
    racy: list[str]
    body: memoryview
    size: int  # bytes of the names, at the start of the body
    body_mac: bytes
    key: bytes

    @functools.cached_property
    def names(self) -> bytes:
        if not secrets.compare_digest(keyed_mac(self.key, self.body), self.body_mac):
            raise ValueError("the listing's paths do not match its seal")
        names = bytes(self.body[:self.size])
        if (names.count(b"\0") + 1 if self.count else 0) != self.count:
            raise ValueError("the listing's paths do not match their count")
        return names

    @functools.cached_property
    def blobs(self) -> memoryview:
        self.names  # (checked with them)  # noqa: B018
        return self.body[self.size:]


def _parse(data: bytes, body: int, mac: bytes, key: bytes) -> _Kept | None:
    """Read a listing whose line of JSON starts at ``body`` of ``data`` (``mac``: its seal)."""
    try:
        head_end = data.index(b"\n", body)
        head = json.loads(data[body:head_end])
        count, size = int(head["paths"]), int(head["names"])
        stray, untracked = [str(s) for s in head["stray"]], [str(u) for u in head["untracked"]]
        stats = {str(k): str(v) for k, v in dict(head["folders"]).items()}
        racy = [str(r) for r in head["racy"]]
        body_mac = bytes.fromhex(str(head["body"]))
    except (ValueError, KeyError, TypeError):
        return None
    rest = memoryview(data)[head_end + 1:]
    if len(rest) != size + count * _BLOB:
        return None
    return _Kept(mac, count, stray, untracked, stats, racy, rest, size, body_mac, key)


def _run_of(names: bytes, prefix: bytes) -> tuple[int, int, int, int]:
    """Where the paths starting with ``prefix`` (a folder and its slash) are in ``names`` (the
    paths in order, NUL-joined, so that one folder's paths are one run): (start, end) in bytes,
    the first one's index, how many. With none, an empty run where they would go."""
    if names.startswith(prefix):
        start = 0
    else:
        found = names.find(b"\0" + prefix)
        if found < 0:  # none: where they would go, in order
            paths = names.split(b"\0") if names else []
            index = bisect.bisect_left(paths, prefix)
            offset = min(len(names), sum(len(path) + 1 for path in paths[:index]))
            return offset, offset, index, 0
        start = found + 1
    last = max(start, names.rfind(b"\0" + prefix) + 1)  # (the run's last path starts here)
    end = names.find(b"\0", last)
    end = len(names) if end < 0 else end
    return start, end, names.count(b"\0", 0, start), names.count(b"\0", start, end) + 1


def _record_file(rel: str, folders: Sequence[str]) -> bool:
    """Whether a path (registry-relative) can be a registry file: ``registry.yaml`` or
    ``<folder>/<name>.yaml`` in one of the record folders."""
    return rel == CONFIG_FILE or (rel.count("/") == 1 and rel.endswith(".yaml")
                                  and rel.split("/", 1)[0] in folders)


def _now_ns() -> int:
    return time.time_ns()


def too_recent(stat: str, now: int | None = None) -> bool:
    """Whether a folder's times (``folder_stat``) are too recent to tell a later change by
    them: within ``RACY_NS`` of now, or ``RACY_COARSE_NS`` where times are whole seconds."""
    if stat == "-":
        return False
    mtime, ctime = (int(part) for part in stat.split()[:2])
    window = RACY_COARSE_NS if mtime % 1_000_000_000 == 0 else RACY_NS
    return (_now_ns() if now is None else now) - max(mtime, ctime) < window
