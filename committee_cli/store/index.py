"""A derived index of the registry's records, so that a question about one committee or one
person reads only the records it needs instead of loading the whole registry.

It lives outside the registry, in the registry's private cache folder (``store/cache.py``), as
one SQLite file (standard library) updated in place, ``index.sqlite``::

    meta(name PRIMARY KEY, value, mac)     namespace, format, the registry config (JSON), the
                                           checksum of the file table
    file(path PRIMARY KEY, blob_id, errors)
                                           every registry file, the git blob id of the bytes
                                           it was read from, how many errors reading it gave
    record(kind, id, committee, path, blob_id, name, due, json, mac)
                                           one row per record: its JSON, the committee it
                                           belongs to, a person's name, a task's deadline
    link(kind, id, rel, target)            seat→person, seat→replaces, task→lead_person,
                                           committee→parent

It stays fresh the way git does: each run lists the registry files and takes each one's blob id
(from git's index for unmodified tracked files, ``store/gitindex.py``; by hashing the file
otherwise); only the files whose blob id differs from the one indexed are parsed again, and the
rows of deleted files are removed. A record is used only when its row's keyed checksum holds and
it came from the blob the file holds now.

What is stored is data, never code: the JSON of validated records, rebuilt by the record models'
field types (``model/trusted.py``: no validator is built, nothing of the data is run) under the
digest of the models that wrote it.
``meta`` rows and every ``record`` row carry a keyed checksum (the cache's key), the file table
one checksum over all its rows; the committee, name, due and link columns only choose
candidates, which the queries check again on the validated records. A file that is not an
SQLite database, or one written with another key or by another version, is removed and built
again. When anything is wrong (no cache, a folder refused, a registry file that does not load,
an interrupted change, a file changed while read), ``open_index`` returns None and the caller
loads the registry whole, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from committee_cli.errors import Problem
from committee_cli.model.records import (
    CONFIG_FILE,
    FOLDER_KIND,
    KINDS,
    RegistryConfig,
    safe_id,
)
from committee_cli.model.trusted import builder
from committee_cli.store.cache import (
    NAMESPACE,
    Cache,
    Snapshot,
    keyed_mac,
    models_digest,
    registry_cache_folder,
)
from committee_cli.store.gitindex import blob_key
from committee_cli.store.loader import READ_ATTEMPTS, _config, parse_file
from committee_cli.store.source import DirSource
from committee_cli.store.tempfiles import TEMP_SUFFIX

INDEX_FILE = "index.sqlite"
FORMAT = "committee-index 2"
BUSY_MS = 5000
BUILD_CACHE_KB = 32768  # SQLite's page cache while many files are indexed at once
SEED_FROM = 50  # a new index, or this many files to index, takes the records cache's snapshot

_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL);
CREATE TABLE file(path TEXT PRIMARY KEY, blob_id TEXT NOT NULL, errors INTEGER NOT NULL);
CREATE TABLE record(kind TEXT NOT NULL, id TEXT NOT NULL, committee TEXT, path TEXT NOT NULL,
                    blob_id TEXT NOT NULL, name TEXT, due TEXT, json TEXT NOT NULL,
                    mac BLOB NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX record_committee ON record(kind, committee);
CREATE INDEX record_due ON record(kind, due);
CREATE TABLE link(kind TEXT NOT NULL, id TEXT NOT NULL, rel TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX link_target ON link(rel, target);
CREATE INDEX link_source ON link(kind, id);
"""


class IndexUnusable(Exception):
    """The index cannot answer this question: load the registry whole instead."""


class IndexCorrupt(IndexUnusable):
    """A row of the index fails its checksum: the index is removed (the next run rebuilds it)."""


def _row_mac(key: bytes, *parts: str) -> bytes:
    return keyed_mac(key, "\0".join(parts).encode("utf-8"))


def _links(kind: str, record: Any) -> list[tuple[str, str]]:
    """The cross references a query looks up backwards (who sits where, who leads what)."""
    if kind == "seat":
        return [(rel, value) for rel, value in (("person", record.person),
                                                ("replaces", record.replaces)) if value]
    if kind == "task" and record.lead_person:
        return [("lead_person", record.lead_person)]
    if kind == "committee" and record.parent:
        return [("parent", record.parent)]
    return []


def _kind_id(rel: str) -> tuple[str, str]:
    folder, name = rel.split("/", 1)
    return FOLDER_KIND[folder], name[:-len(".yaml")]


@dataclass
class RegistryIndex:
    """An open, fresh index of a registry that loads cleanly: records on request."""

    db: sqlite3.Connection
    key: bytes
    blobs: Mapping[str, bytes]  # every registry file's blob id now (20 bytes)
    config: RegistryConfig
    path: Path

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def _fetch(self, kind: str, where: str, params: tuple[Any, ...]) -> dict[str, Any]:
        build = builder(KINDS[kind][1])
        found: dict[str, Any] = {}
        # sorted here, not by ORDER BY: SQLite would then walk the (kind, id) key, every record
        # of the kind (25,000 seats for one committee's 25), rather than the narrower index
        rows = sorted(self.db.execute(
            f"SELECT id, path, blob_id, json, mac FROM record WHERE kind = ? AND {where}",
            (kind, *params)))
        for record_id, path, blob_id, text, mac in rows:
            if not _mac_ok(self.key, mac, kind, record_id, path, blob_id, text):
                _remove(self.path)
                raise IndexCorrupt(path)
            now = self.blobs.get(path)
            if now is None or now.hex() != blob_id:
                raise IndexUnusable(path)  # another run indexed a newer state of the file
            try:
                found[record_id] = build(text)
            except ValueError as exc:
                _remove(self.path)
                raise IndexCorrupt(path) from exc
        return found

    def records(self, kind: str, ids: Iterable[str]) -> dict[str, Any]:
        """The records of ``kind`` with these ids (those that exist), in id order."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        found = self._fetch(kind, "id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),))
        folder = KINDS[kind][0]
        if any(f"{folder}/{i}.yaml" in self.blobs and i not in found for i in wanted):
            raise IndexUnusable(kind)  # a file of the registry without its row
        return found

    def every(self, kind: str) -> dict[str, Any]:
        """Every record of ``kind``, in id order."""
        return self._fetch(kind, "1", ())

    def of_committee(self, kind: str, committee_id: str) -> dict[str, Any]:
        """The records of ``kind`` that belong to a committee (seats, tasks, decisions, …)."""
        found = self._fetch(kind, "committee = ?", (committee_id,))
        return {i: r for i, r in found.items() if r.committee == committee_id}

    def due_before(self, bound: date, committee_id: str | None = None) -> dict[str, Any]:
        """Tasks with a deadline before ``bound`` (of one committee, or all)."""
        if committee_id is None:
            found = self._fetch("task", "due < ?", (bound.isoformat(),))
        else:
            # (``+due``: one committee's tasks by its index, not every task due by the other)
            found = self._fetch("task", "committee = ? AND +due < ?",
                                (committee_id, bound.isoformat()))
        return {i: t for i, t in found.items() if t.deadline is not None and t.deadline < bound
                and (committee_id is None or t.committee == committee_id)}

    def linked(self, kind: str, rel: str, targets: Iterable[str]) -> set[str]:
        """Ids of the records of ``kind`` whose ``rel`` is one of ``targets`` (candidates)."""
        wanted = sorted(set(targets))
        if not wanted:
            return set()
        # (``+kind``: by the (rel, target) index, not by every link of the kind, which SQLite
        # would otherwise choose: 25,000 seats walked for one person's few)
        return {i for (i,) in self.db.execute(
            "SELECT id FROM link WHERE +kind = ? AND rel = ? AND target IN "
            "(SELECT value FROM json_each(?))", (kind, rel, json.dumps(wanted)))}

    def name_of(self, pid: str) -> str | None:
        """The name of the person ``pid``, None when nobody has that id."""
        row = self.db.execute("SELECT name FROM record WHERE kind = 'person' AND id = ?",
                              (pid,)).fetchone()
        return None if row is None else str(row[0])

    def names(self) -> dict[str, str]:
        """Every person's name by id, in id order (candidates for a name search)."""
        return dict(self.db.execute(
            "SELECT id, name FROM record WHERE kind = 'person' ORDER BY id"))

    def paths(self) -> dict[tuple[str, str], str]:
        """The file of every record by (kind, id)."""
        return {_kind_id(rel): rel for rel in self.blobs if rel != CONFIG_FILE}


# --- opening and refreshing --------------------------------------------------------------------


def open_index(root: Path) -> RegistryIndex | None:
    """The index of the registry in ``root``, brought up to date with its files; None when it
    cannot be used (caching off, folder refused, the registry does not load cleanly, …)."""
    place = registry_cache_folder(root)
    if place is None:
        return None
    folder, key = place
    source = DirSource(root)
    digest = source.recall_state()  # the files' state, named without listing them
    listing = None
    path = folder / INDEX_FILE
    for _ in range(2):  # a corrupt database is removed and built again once
        try:
            db = _connect(path, key)
            if db is None:
                return None
        except sqlite3.Error:
            _remove(path)
            continue
        try:
            if digest is not None:
                config = _known_state(db, key, digest)
                if config is not None:
                    return RegistryIndex(db, key, _FileBlobs(db), config, path)
                digest = None
            listing = listing or _listing(source)
            if listing is None:
                db.close()
                return None
            blobs, raws = listing
            config = _refresh(db, key, source, blobs, raws, source.state_digest)
        except sqlite3.DatabaseError as exc:
            db.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                return None  # another run holds it: this one reads the registry whole
            _remove(path)
            continue
        except (IndexUnusable, OSError, ValueError):
            db.close()
            return None
        if config is None:
            db.close()
            return None
        return RegistryIndex(db, key, blobs, config, path)
    return None


def _known_state(db: sqlite3.Connection, key: bytes, digest: bytes) -> RegistryConfig | None:
    """The config when the index holds exactly the state ``digest`` names (kept by the run that
    indexed it) and that state loads cleanly, inside a read transaction; else None."""
    db.execute("BEGIN")
    if _meta(db, key, "listing") == digest.hex() and _meta(db, key, "errors") == "0":
        config = _meta(db, key, "config")
        if config is not None:
            return builder(RegistryConfig)(config)
    db.execute("ROLLBACK")
    return None


class _FileBlobs(Mapping[str, bytes]):
    """The blob id of each registry file as the index's file table holds it: the state the
    ``listing`` digest names, read a file at a time (a national listing is never built)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getitem__(self, rel: str) -> bytes:
        row = self.db.execute("SELECT blob_id FROM file WHERE path = ?", (rel,)).fetchone()
        if row is None or not isinstance(row[0], str):
            raise KeyError(rel)
        return bytes.fromhex(row[0])

    def __iter__(self) -> Iterator[str]:
        return (rel for (rel,) in self.db.execute("SELECT path FROM file ORDER BY path"))

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM file").fetchone()[0])


def _listing(source: DirSource) -> tuple[dict[str, bytes], dict[str, bytes]] | None:
    """The registry's files and the blob id each holds now; None when the registry would not
    load cleanly from its listing alone (stray files, unsafe names, an interrupted change)."""
    for _ in range(READ_ATTEMPTS):
        paths = source.paths()
        if CONFIG_FILE not in paths or source.stray() or getattr(source, "_pending", None):
            return None
        if not source.recalled:  # (a listing is kept only when every id is safe)
            stems = [rel[rel.index("/") + 1:-len(".yaml")] for rel in paths if rel != CONFIG_FILE]
            if not all(map(safe_id, stems)):
                return None
        blobs = source.blob_keys(paths) or {}
        raws: dict[str, bytes] = {}
        try:
            for rel in paths:
                if rel not in blobs:
                    raws[rel] = source.read(rel)
                    blobs[rel] = blob_key(raws[rel])
        except OSError:
            return None
        if len(blobs) != len(paths):
            return None
        if source.unchanged():
            return blobs, raws
    return None


def _remove(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(OSError):
            os.unlink(name)


def _connect(path: Path, key: bytes) -> sqlite3.Connection | None:
    """The index database of ours at ``path``, created empty when missing, foreign or stale."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError:
        return None
    if info is not None and (not stat.S_ISREG(info.st_mode)
                             or (hasattr(os, "geteuid") and info.st_uid != os.geteuid())):
        _remove(path)  # a link, a folder or someone else's file is never opened
        info = None
    if info is not None:
        db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
        if _ours(db, key):
            return db
        db.close()
        _remove(path)
    fresh = path.with_name(f".{path.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}")
    try:
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
        os.close(fd)
        db = sqlite3.connect(fresh, isolation_level=None)
        try:
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            _set_meta(db, key, "namespace", NAMESPACE)
            _set_meta(db, key, "format", _format())
            _set_meta(db, key, "files", _files_mac(db, key).hex())
            db.execute("COMMIT")
        finally:
            db.close()
        os.replace(fresh, path)  # built whole, then put in place: never seen half-made
    except (OSError, sqlite3.Error):
        _remove(fresh)
        return None
    db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    if _ours(db, key):
        return db
    db.close()
    return None


def _format() -> str:
    """The index's format and the digest of the record models whose JSON it keeps: records are
    rebuilt from that JSON by the models' field types (``model.trusted``), so an index written
    by other models (a development build whose version did not move) is built again."""
    return f"{FORMAT} {models_digest()}"


def _ours(db: sqlite3.Connection, key: bytes) -> bool:
    try:
        meta = {name: (value, mac) for name, value, mac in
                db.execute("SELECT name, value, mac FROM meta WHERE name IN ('namespace', 'format')")}
    except sqlite3.Error:
        return False
    return all(name in meta and meta[name][0] == want and _mac_ok(key, meta[name][1], name, want)
               for name, want in (("namespace", NAMESPACE), ("format", _format())))


def _mac_ok(key: bytes, mac: object, *parts: str) -> bool:
    return isinstance(mac, bytes) and secrets.compare_digest(mac, _row_mac(key, *parts))


def _set_meta(db: sqlite3.Connection, key: bytes, name: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?)",
               (name, value, _row_mac(key, name, value)))


def _meta(db: sqlite3.Connection, key: bytes, name: str) -> str | None:
    row = db.execute("SELECT value, mac FROM meta WHERE name = ?", (name,)).fetchone()
    if row is None or not isinstance(row[0], str) or not _mac_ok(key, row[1], name, row[0]):
        return None
    return row[0]


def _state_mac(key: bytes, blobs: dict[str, bytes]) -> str:
    """The checksum of a listing: every path with its blob id, in path order (hashed as it
    goes: a national registry's listing is never joined into one string)."""
    state = hashlib.blake2b(key=key, digest_size=32, person=b"committee-index")
    for rel in sorted(blobs):
        state.update(rel.encode("utf-8"))
        state.update(b"\0" + blobs[rel])
    return state.hexdigest()


def _files_mac(db: sqlite3.Connection, key: bytes) -> bytes:
    (text,) = db.execute("SELECT group_concat(path || char(0) || blob_id || char(0) || errors, "
                         "char(10)) FROM (SELECT * FROM file ORDER BY path)").fetchone()
    return keyed_mac(key, (text or "").encode("utf-8"))


def _stored(db: sqlite3.Connection, key: bytes) -> dict[str, tuple[str, int]]:
    """The file table, checked against its checksum (a table that fails it is rebuilt)."""
    stored = {path: (blob_id, errors) for path, blob_id, errors
              in db.execute("SELECT path, blob_id, errors FROM file")}
    if _meta(db, key, "files") != _files_mac(db, key).hex():
        raise sqlite3.DatabaseError("the index's file table does not match its checksum")
    return stored


def _refresh(db: sqlite3.Connection, key: bytes, source: DirSource, blobs: dict[str, bytes],
             raws: dict[str, bytes], digest: bytes | None = None) -> RegistryConfig | None:
    """Parse again the files whose blob id changed, drop those gone; the config of a registry
    whose every file loads, else None. A listing the index already holds (its checksum kept in
    ``meta``) reads nothing of the file table. It returns inside a read transaction, so every
    record read afterwards comes from the same state of the index, whatever other runs write."""
    state = _state_mac(key, blobs)
    db.execute("BEGIN")
    errors = _meta(db, key, "errors") if _meta(db, key, "state") == state else None
    if errors is None:
        db.execute("ROLLBACK")
        db.execute("BEGIN IMMEDIATE")
        try:
            stored = _stored(db, key)  # as this or another run left it
            for rel in [rel for rel in stored if rel not in blobs]:
                _drop(db, rel)
                del stored[rel]
            pending = [rel for rel, blob in blobs.items()
                       if stored.get(rel, ("",))[0] != blob.hex()]
            seed = None
            if not stored or len(pending) > SEED_FROM:
                seed = _Seed.of(source.root)
                db.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KB}")  # many rows: a larger cache
            for rel in pending:
                if rel in stored:
                    _drop(db, rel)
                blob_id = blobs[rel].hex()
                seeded = seed.add(db, key, rel, blob_id) if seed is not None else None
                if seeded is not None:
                    stored[rel] = (blob_id, seeded)
                    continue
                raw = raws[rel] if rel in raws else source.read(rel)
                if blob_key(raw) != blobs[rel]:  # changed since it was listed: the rows
                    raise IndexUnusable(rel)     # would mix two states (rolled back below)
                stored[rel] = (blob_id, _add(db, key, rel, blob_id, raw))
            errors = str(sum(count for _, count in stored.values()))
            _set_meta(db, key, "files", _files_mac(db, key).hex())
            _set_meta(db, key, "state", state)
            _set_meta(db, key, "errors", errors)
            _set_listing(db, key, digest)
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        db.execute("BEGIN")
        if _meta(db, key, "state") != state:  # another run indexed another state meanwhile
            raise IndexUnusable("state")
    elif digest is not None and _meta(db, key, "listing") != digest.hex():
        db.execute("ROLLBACK")  # the state is indexed: name it by this digest for the next run
        db.execute("BEGIN IMMEDIATE")
        if _meta(db, key, "state") == state:
            _set_listing(db, key, digest)
        db.execute("COMMIT")
        db.execute("BEGIN")
        if _meta(db, key, "state") != state:
            raise IndexUnusable("state")
    if errors != "0":
        return None
    config = _meta(db, key, "config")
    if config is None:
        return None
    return builder(RegistryConfig)(config)


def _set_listing(db: sqlite3.Connection, key: bytes, digest: bytes | None) -> None:
    """Name the indexed state by the digest of the listing it was read from (or by none: the
    digest of an earlier state must never name this one)."""
    if digest is None:
        db.execute("DELETE FROM meta WHERE name = 'listing'")
    else:
        _set_meta(db, key, "listing", digest.hex())


def _drop(db: sqlite3.Connection, rel: str) -> None:
    db.execute("DELETE FROM file WHERE path = ?", (rel,))
    if rel == CONFIG_FILE:
        db.execute("DELETE FROM meta WHERE name = 'config'")
        return
    kind, record_id = _kind_id(rel)
    db.execute("DELETE FROM record WHERE kind = ? AND id = ?", (kind, record_id))
    db.execute("DELETE FROM link WHERE kind = ? AND id = ?", (kind, record_id))


def _errors(problems: list[Problem]) -> int:
    return sum(p.severity == "error" for p in problems)


def _add(db: sqlite3.Connection, key: bytes, rel: str, blob_id: str, raw: bytes) -> int:
    """Index one file; return how many errors reading it gave (as the loader finds them)."""
    _, data, problems = parse_file(rel, raw)
    if rel == CONFIG_FILE:
        config = _config(data, problems)
        if not _errors(problems):
            _set_meta(db, key, "config", config.model_dump_json())
    elif data is not None:
        kind = _kind_id(rel)[0]
        try:
            record = KINDS[kind][1].model_validate(data)
        except ValidationError:
            problems.append(Problem("R014", "", rel))
        else:
            _insert(db, key, rel, blob_id, record)
    errors = _errors(problems)
    db.execute("INSERT INTO file VALUES (?, ?, ?)", (rel, blob_id, errors))
    return errors


def _insert(db: sqlite3.Connection, key: bytes, rel: str, blob_id: str, record: Any) -> None:
    kind, record_id = _kind_id(rel)
    text = record.model_dump_json()
    deadline = getattr(record, "deadline", None)
    db.execute("INSERT INTO record VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        kind, record_id, getattr(record, "committee", None), rel, blob_id,
        getattr(record, "name", None) if kind == "person" else None,
        deadline.isoformat() if isinstance(deadline, date) else None, text,
        _row_mac(key, kind, record_id, rel, blob_id, text)))
    db.executemany("INSERT INTO link VALUES (?, ?, ?, ?)",
                   [(kind, record_id, r, target) for r, target in _links(kind, record)])


@dataclass
class _Seed:
    """The records cache's snapshot (``store/cache.py``), whose records are taken for the files
    whose blob id it was built from, instead of parsing them again (a new index, after a
    `validate` or a query that loaded the registry whole, reads no file)."""

    snapshot: Snapshot
    errors: dict[str, int]

    @classmethod
    def of(cls, registry_root: Path) -> _Seed | None:
        snapshot = Cache.open(registry_root).snapshot()
        if snapshot is None:
            return None
        errors: dict[str, int] = {}
        for problem in snapshot.problems:
            errors[problem.file] = errors.get(problem.file, 0) + (problem.severity == "error")
        return cls(snapshot, errors)

    def add(self, db: sqlite3.Connection, key: bytes, rel: str, blob_id: str) -> int | None:
        """Index one file from the snapshot; None when the snapshot does not hold that blob."""
        if self.snapshot.keys.get(rel) != bytes.fromhex(blob_id):
            return None
        errors = self.errors.get(rel, 0)
        if rel == CONFIG_FILE:
            if not errors:
                _set_meta(db, key, "config", self.snapshot.registry.config.model_dump_json())
        else:
            kind, record_id = _kind_id(rel)
            record = self.snapshot.registry.table(kind).get(record_id)
            if record is None and not errors:
                return None  # not what the loader leaves: parse the file
            if record is not None:
                _insert(db, key, rel, blob_id, record)
        db.execute("INSERT INTO file VALUES (?, ?, ?)", (rel, blob_id, errors))
        return errors
