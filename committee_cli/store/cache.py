"""A cache of validation results and built records, keyed by file content: data, never code.

Nothing in it is trusted without the content key of every file: its git blob id, taken from
git's index for the files git vouches for (git compares content where its stat data cannot
tell), else read and hashed (``committee_cli.store.gitindex``). A registry whose every key is
unchanged reuses its problems (validate) or its records (queries, render, amend); otherwise
only the files whose key changed are read and parsed again and merged into the cached
records. Entries are also keyed by the package version and schema version, so an upgrade
starts afresh.

What is stored is data only: an SQLite database (standard library) whose tables hold JSON text,
read back through the record models' own validation, so a cache file can never run code. Each
cache file is sealed: ``MAGIC``, then a keyed checksum of the database bytes (BLAKE2b, or
HMAC-SHA-256 past 64 KiB, see ``_mac``), then the bytes. The key is ``COMMITTEE_CACHE_KEY``
when set, else a random key kept in the cache folder (0600): a file planted or edited by anyone
who does not hold the key fails the check and is ignored. The folders are created 0700; a
folder owned by another user, or writable by others, is refused with one warning and the run
goes on without a cache. Anything unreadable, foreign or corrupt is ignored and rebuilt, never
an error.

The tables (``docs/performance.md``)::

    meta(name PRIMARY KEY, value)     namespace, state key, format
    file(path PRIMARY KEY, blob_id)   each registry file and the git blob id of the bytes it held
    kind(kind PRIMARY KEY, records)   one kind's records as a JSON object {id: record}
    problem(path, problem)            the problems found reading each file (JSON)
    record (view)                     kind, id, committee, path, blob_id of every record
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import itertools
import json
import os
import secrets
import sqlite3
import stat
import sys
import threading
from array import array
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from committee_cli import __version__, background
from committee_cli.bulk import built_in_bulk
from committee_cli.errors import Problem
from committee_cli.i18n import current_language, tr
from committee_cli.model import records as records_module
from committee_cli.model import registry as registry_module
from committee_cli.model.records import KINDS, SCHEMA_VERSION, RegistryConfig
from committee_cli.model.registry import (
    EVENT_KINDS,
    KEPT_FIELDS,
    Packed,
    RecordFiles,
    Registry,
    Table,
    events_text,
)
from committee_cli.model.trusted import builder as trusted_builder
from committee_cli.store.packed import PackedFiles
from committee_cli.store.tempfiles import TEMP_SUFFIX, discard, replace_file, write_temp

NAMESPACE = f"committee-cli {__version__} schema {SCHEMA_VERSION} py{sys.version_info[:2]}"
MAGIC = b"committee-cache 4\n"
KEY_ENV = "COMMITTEE_CACHE_KEY"
KEY_FILE = "key"
MAX_FILE = 1 << 30  # a cache file larger than this is not ours
_MAC_SIZE = 32
_LONG = 1 << 16  # from 64 KiB on, a payload is sealed with HMAC-SHA-256
_CHUNK = 1 << 18  # a sealed database is checked and copied 256 KiB at a time
NAMED_FILE = "result-name"  # the listing's name for the last result's state, when named after it
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE file(path TEXT PRIMARY KEY, blob_id BLOB NOT NULL);
CREATE TABLE files(paths TEXT NOT NULL, keys BLOB NOT NULL);
CREATE TABLE kind(kind TEXT PRIMARY KEY, ids TEXT NOT NULL, ends BLOB NOT NULL,
                  records BLOB NOT NULL, events TEXT, fields TEXT NOT NULL);
CREATE TABLE problem(path TEXT NOT NULL, problem TEXT NOT NULL);
"""


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
    import platformdirs  # (only where the user's folder is asked for: COMMITTEE_CACHE_DIR unset)

    return Path(platformdirs.user_cache_dir("committee-cli", appauthor=False))


# --- folders, key and sealed files ------------------------------------------------------------

_warned: set[str] = set()


def _refuse(folder: Path, why: str) -> None:
    """Say once per run why a cache folder is not used."""
    if str(folder) not in _warned:
        _warned.add(str(folder))
        sys.stderr.write(tr("warning: the cache folder {folder} is not used ({why}); this run "
                            "reads every file (remove or fix that folder, or set "
                            "COMMITTEE_CACHE_DIR)", folder=folder, why=why) + "\n")


def _private_folder(folder: Path) -> bool:
    """Create ``folder`` 0700 if missing; True when it is a folder of ours only."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False  # a cache that cannot be made is only a slower run
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        _refuse(folder, tr("it is not a folder but a link or a file"))
        return False
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        _refuse(folder, tr("it belongs to user {uid}", uid=info.st_uid))
        return False
    if info.st_mode & 0o022:
        _refuse(folder, tr("others can write to it"))
        return False
    if info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    return True


def _read_private(path: Path) -> bytes | None:
    """The bytes of a regular file of ours (never through a link), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
            return None
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            return None
        chunks = [os.read(fd, info.st_size + 1)]  # (the whole file at once: not copied again)
        while chunk := os.read(fd, 1 << 24):  # (it grew, or the system read less)
            chunks.append(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _key(root: Path) -> bytes | None:
    """The key that seals this cache (``COMMITTEE_CACHE_KEY``, else the key file, made once)."""
    given = os.environ.get(KEY_ENV)
    if given:
        return hashlib.blake2b(given.encode("utf-8"), digest_size=32).digest()
    path = root / KEY_FILE
    stored = _read_private(path)
    if stored is None:
        with contextlib.suppress(OSError):
            replace_file(path, secrets.token_bytes(32), 0o600, fsync=False)
        stored = _read_private(path)
    return stored if stored is not None and len(stored) == 32 else None


def _mac(key: bytes, payload: bytes | memoryview) -> bytes:
    """Keyed BLAKE2b for small payloads; HMAC-SHA-256 for long ones, which OpenSSL computes
    about twice as fast as BLAKE2b where the processor has SHA instructions (a national
    registry's 20 MB snapshot: 28 → 14 ms on every run that reads it)."""
    if len(payload) >= _LONG:
        return hmac.digest(key, payload, "sha256")
    return hashlib.blake2b(payload, key=key, digest_size=_MAC_SIZE,
                           person=b"committee-cache").digest()


def _sealer(key: bytes, size: int) -> hmac.HMAC | Any:
    """``_mac`` of a payload of ``size`` bytes fed piece by piece (``update``, ``digest``)."""
    if size >= _LONG:
        return hmac.new(key, digestmod="sha256")
    return hashlib.blake2b(key=key, digest_size=_MAC_SIZE, person=b"committee-cache")


def _open_sealed(path: Path, key: bytes) -> sqlite3.Connection | None:
    """The database in a sealed file, or None when it is missing, foreign or corrupt."""
    return _database(_read_sealed(path, key))


def _read_sealed(path: Path, key: bytes) -> memoryview | None:
    """The payload of a sealed file, or None when it is missing, foreign, tampered, truncated
    or sealed with another key (reading and checking release Python's lock: a thread can)."""
    sealed = _read_private(path)
    if sealed is None or not sealed.startswith(MAGIC):
        return None
    mac = sealed[len(MAGIC):len(MAGIC) + _MAC_SIZE]
    payload = memoryview(sealed)[len(MAGIC) + _MAC_SIZE:]  # (tens of megabytes: not copied)
    return payload if secrets.compare_digest(mac, _mac(key, payload)) else None


_Reading = tuple[threading.Thread, list[memoryview | None]]


def finish_writes() -> None:
    """Wait for the cache writes begun in threads (``Cache.later``, ``committee_cli.background``):
    a change waits before it lets go of the registry's lock, a run reading the cache before it
    reads."""
    background.finish()


def _reading(path: Path, key: bytes) -> _Reading:
    """``_read_sealed`` begun in a thread (its result, once joined, in the list; none when it
    failed: the caller finds nothing and rebuilds)."""
    read: list[memoryview | None] = []

    def run() -> None:
        with contextlib.suppress(Exception):
            read.append(_read_sealed(path, key))

    thread = threading.Thread(target=run, name="committee-cache-read", daemon=True)
    thread.start()
    return thread, read


def _database(payload: memoryview | None) -> sqlite3.Connection | None:
    """The database a sealed file holds (None: none, or not one of ours)."""
    if payload is None:
        return None
    try:
        db = sqlite3.connect(":memory:")
        db.deserialize(payload)
        rows = dict(db.execute("SELECT name, value FROM meta"))
    except (sqlite3.Error, ValueError, OverflowError, MemoryError):
        return None
    if rows.get("namespace") != NAMESPACE:
        db.close()
        return None
    return db


def _seal(path: Path, key: bytes, meta: dict[str, str],
          fill: Callable[[sqlite3.Connection], None]) -> None:
    """Build a database (``_SCHEMA``, ``meta``, then the rows ``fill`` inserts) in a private
    scratch file beside ``path``, then write it to ``path`` sealed, atomically. Neither the
    database nor its sealed copy is ever held in memory whole (a national registry's records
    are 20 MB and more: cold ``validate``'s peak). Never an error: a cache is optional."""
    scratch: Path | None = None
    try:
        scratch = write_temp(path, b"", 0o600, fsync=False)
        db = sqlite3.connect(scratch, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=OFF")  # (a scratch file: never read if cut short)
            db.execute("PRAGMA synchronous=OFF")
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
            db.executemany("INSERT INTO meta VALUES (?, ?)",
                           [("namespace", NAMESPACE), *meta.items()])
            fill(db)
            db.execute("COMMIT")
        finally:
            db.close()
        with open(scratch, "rb") as built:
            sealer = _sealer(key, os.fstat(built.fileno()).st_size)
            for chunk in iter(functools.partial(built.read, _CHUNK), b""):
                sealer.update(chunk)
            built.seek(0)
            replace_file(path, itertools.chain((MAGIC + sealer.digest(),),
                                               iter(functools.partial(built.read, _CHUNK), b"")),
                         0o600, fsync=False)
    except (OSError, sqlite3.Error, MemoryError):
        pass  # a cache that cannot be written is only a slower next run
    finally:
        if scratch is not None:
            discard(scratch)


# --- what is stored ---------------------------------------------------------------------------


# the JSON text each problem read back came from, and back: a run writes back most of the
# problems it read (the last result, the rules' kept ones), each then taken as it was, not
# encoded again; and reads most of them twice (the last result, then the rules' kept ones),
# parsed once
_TEXTS: dict[Problem, str] = {}
_PARSED: dict[str, Problem] = {}


def problem_json(problem: Problem) -> str:
    """A problem as JSON text (read back by ``problems_from_json``)."""
    text = _TEXTS.get(problem)
    return text if text is not None else _problem_json(problem)


def problems_from_json(texts: Sequence[str]) -> list[Problem]:
    """Problems from ``problem_json`` texts, parsed as one JSON array (a national registry's
    last result holds thousands of warnings: one parse, not one per warning); ValueError or
    TypeError when one is not a problem."""
    parsed = _PARSED
    new = [text for text in texts if text not in parsed]
    if new:
        with built_in_bulk():  # (thousands of warnings, kept for the run)
            items = json.loads("[" + ",".join(new) + "]")
            if len(items) != len(new):
                raise ValueError("not one problem per text")
            for text, item in zip(new, items, strict=True):
                problem = parsed[text] = _checked(item)
                _TEXTS[problem] = text
    return [parsed[text] for text in texts]


def _problem_json(problem: Problem) -> str:
    return json.dumps([problem.code, problem.message, problem.file, problem.line,
                       problem.column, list(problem.path), problem.severity],
                      ensure_ascii=False)


_SEVERITIES = frozenset({"error", "warning"})
_PATH_PART = (str, int)


def _checked(item: Any) -> Problem:
    """A problem from its JSON list, each part of the type it must be (a national result holds
    thousands: checked by ``type``, no generator a problem)."""
    code, message, file, line, column, path, severity = item
    if not (type(code) is str and type(message) is str and type(file) is str
            and type(path) is list and severity in _SEVERITIES
            and (line is None or type(line) is int) and (column is None or type(column) is int)):
        raise ValueError("not a problem")
    for part in path:
        if type(part) not in _PATH_PART:
            raise ValueError("not a problem")
    return Problem(code, message, file, line, column, tuple(path), severity)



@dataclass(frozen=True)
class Snapshot:
    """The records of one registry state, with each file's content key."""

    state_key: bytes
    files: PackedFiles
    registry: Any
    problems: list[Problem]

    @property
    def keys(self) -> dict[str, bytes]:
        """Each file's content key."""
        return self.files.keys


@functools.cache
def models_digest() -> str:
    """A digest of the record models' source: a snapshot's records are built when first asked
    for, too late to fall back, so one kept by other models (a development build whose version
    did not move) is not read at all."""
    state = hashlib.blake2b(digest_size=16)
    for module in (records_module, registry_module):  # the records, and what they cite
        try:
            state.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            return ""
    return state.hexdigest()


def _snapshot_meta(snapshot: Snapshot) -> dict[str, str]:
    return {"state_key": snapshot.state_key.hex(),
            "config": snapshot.registry.config.model_dump_json(), "models": models_digest()}


def _write_snapshot(snapshot: Snapshot, db: sqlite3.Connection) -> None:
    """A snapshot's rows, one kind at a time (each kind's JSON built, inserted and let go)."""
    registry: Registry = snapshot.registry
    db.execute("INSERT INTO files VALUES (?, ?)", (snapshot.files.names, snapshot.files.values))
    for kind in KINDS:
        db.execute("INSERT INTO kind VALUES (?, ?, ?, ?, ?, ?)", _packed_kind(registry, kind))
    db.executemany("INSERT INTO problem VALUES (?, ?)",
                   ((p.file, problem_json(p)) for p in snapshot.problems))


def _packed_kind(registry: Registry, kind: str
                 ) -> tuple[str, str, bytes, bytearray, str | None, str]:
    """One kind's row: its ids, where each record's JSON ends, the JSON one record after the
    other, (seats, regulations, tasks) the decisions each cites, and the id fields kept
    beside them (model.registry.KEPT_FIELDS)."""
    table = registry.table(kind)
    ids = list(table)
    records, ends = bytearray(), array("Q")  # (not a list of parts joined: one copy, not two)
    for record_id in ids:
        records += record_json(table, record_id)
        ends.append(len(records))
    events = "\1".join(events_text(found) for _, found in registry.cited_by(kind)) \
        if kind in EVENT_KINDS else None
    fields = {name: "\0".join(value or "" for _, value in registry.column(kind, name))
              for name in KEPT_FIELDS.get(kind, ())}
    return kind, "\0".join(ids), ends.tobytes(), records, events, json.dumps(fields)


def record_json(table: MutableMapping[str, Any], record_id: str) -> bytes:
    """A record's JSON, as the snapshot keeps it (a record not built yet is not built)."""
    kept = table.kept_json(record_id) if isinstance(table, Table) else None
    if kept is not None:
        return kept
    record = table[record_id]  # (defaults left out: read back, a field gets its default again)
    return record.__pydantic_serializer__.to_json(  # type: ignore[no-any-return]
        record, exclude_defaults=True)


# records of a model rebuilt from the snapshot by its field types before its validator is made
TRUSTED_FIRST = 128


def _builder(model: Any) -> Callable[[bytes], Any]:
    """What builds a record of ``model`` from its kept JSON. The first ``TRUSTED_FIRST`` are
    rebuilt by the model's field types (``model/trusted.py``: the JSON is the sealed snapshot's,
    written by these models of records they validated), then the model's validator is made
    (``defer_build``: 1 to 7 ms a model) and builds the rest, about three times as fast a
    record: rendering a decision builds forty records of eight models and makes no validator,
    a run that builds thousands makes each once."""
    trusted = trusted_builder(model)
    validate: Callable[[bytes], Any] | None = None
    built = 0

    def build(raw: bytes) -> Any:
        nonlocal validate, built
        if validate is None:
            built += 1
            if built <= TRUSTED_FIRST:
                return trusted(raw)
            validate = model.__pydantic_validator__.validate_json
        return validate(raw)

    return build


def _read_snapshot(db: sqlite3.Connection) -> Snapshot:
    """The snapshot's records stay JSON until a record is asked for (model.registry.Table)."""
    meta = dict(db.execute("SELECT name, value FROM meta"))
    if meta.get("models") != models_digest():
        raise ValueError("kept by other record models")
    ((paths, packed_keys),) = db.execute("SELECT paths, keys FROM files")
    files = PackedFiles.read(paths, packed_keys)
    registry = Registry(config=trusted_builder(RegistryConfig)(meta["config"]))
    with built_in_bulk():  # hundreds of thousands of objects, none of them garbage
        ids: dict[str, list[str]] = {}
        for kind, id_text, ends_raw, records, events, field_text in db.execute(
                "SELECT kind, ids, ends, records, events, fields FROM kind"):
            model = KINDS[kind][1]
            ids[kind] = id_text.split("\0") if id_text else []
            ends = array("Q")
            ends.frombytes(ends_raw)
            cites = events.split("\1") if events and ids[kind] else []
            kept = json.loads(field_text)
            fields = {name: kept[name].split("\0") if ids[kind] else []
                      for name in KEPT_FIELDS.get(kind, ())}
            if len(ends) != len(ids[kind]) or (ends and ends[-1] != len(records)) \
                    or (kind in EVENT_KINDS and len(cites) != len(ids[kind])) \
                    or any(len(values) != len(ids[kind]) for values in fields.values()):
                raise ValueError("a kind's records and their places do not agree")
            items: dict[str, Any] = dict(zip(ids[kind], range(len(ids[kind])), strict=True))
            registry.table_set(kind, Table(_builder(model), items,
                                           Packed(records, ends, cites, fields), len(items)))
        if ids.keys() != KINDS.keys():
            raise ValueError("a kind missing")
        registry.files = RecordFiles(ids, {kind: folder for kind, (folder, _) in KINDS.items()})
    problems = problems_from_json([text for (text,) in db.execute("SELECT problem FROM problem")])
    return Snapshot(bytes.fromhex(meta["state_key"]), files, registry, problems)


@dataclass
class Cache:
    """The last validation result and the last built records of a registry, by state.

    ``result`` is small (the problems of one state); ``records`` holds the records and each
    file's content hash, so that a later state re-reads only the files whose hash changed.
    """

    path: Path | None
    key: bytes = b""
    result_key: bytes = b""
    result: list[Problem] | None = None
    result_listing: bytes = b""  # names the files' state exactly (store/gitlisting.py), or b""
    result_count: int = 0  # how many registry files that state has
    result_dirty: bool = False
    named_dirty: bool = False  # only the listing's name (and count) of the same result changed
    _snapshot: Snapshot | None = None
    _snapshot_read: bool = False
    _prefetch: _Reading | None = None
    _blobs: dict[str, _Reading] = field(default_factory=dict)  # named data being read
    files: dict[str, bytes] | None = None  # the content keys of the state being read
    _result_db: sqlite3.Connection | None = None

    @classmethod
    def open(cls, registry_root: Path) -> Cache:
        """The cache of one registry folder (empty when missing, unreadable or stale)."""
        finish_writes()
        root = cache_root()
        if root is None or not _private_folder(root):
            return cls(None)
        key = _key(root)
        # problems are kept in the run's language
        folder_key = f"{registry_root.resolve()}\0{current_language()}"
        folder = root / hashlib.sha256(folder_key.encode()).hexdigest()[:32]
        if key is None or not _private_folder(folder):
            return cls(None)
        cache = cls(folder, key)
        db = _open_sealed(folder / "result", key)
        if db is not None:
            try:
                meta = dict(db.execute("SELECT name, value FROM meta"))
                problems = problems_from_json(
                    [text for (text,) in db.execute("SELECT problem FROM problem")])
                cache.result_key, cache.result = bytes.fromhex(meta["state_key"]), problems
                cache.result_listing = bytes.fromhex(meta.get("listing", ""))
                cache.result_count = int(meta.get("count", "0"))
                cache._read_name()
                cache._result_db, db = db, None
            except (sqlite3.Error, KeyError, ValueError, TypeError):
                cache.result_key, cache.result = b"", None
            finally:
                if db is not None:
                    db.close()
        return cache

    def result_files(self) -> dict[str, bytes]:
        """The content key of each file of the state whose problems ``result`` holds ({} when
        unknown), so that positions found then serve files unchanged since."""
        if self._result_db is None:
            return {}
        try:
            rows = dict(self._result_db.execute("SELECT path, blob_id FROM file"))
        except sqlite3.Error:
            return {}
        return {rel: key for rel, key in rows.items()
                if isinstance(rel, str) and isinstance(key, bytes)}

    def snapshot(self) -> Snapshot | None:
        """The records of the last state built, if any (read once)."""
        if not self._snapshot_read:
            self._snapshot_read = True
            db = None
            if self._prefetch is not None:
                thread, read = self._prefetch
                self._prefetch = None
                thread.join()
                db = _database(read[0] if read else None)
            elif self.path is not None:
                db = _open_sealed(self.path / "records", self.key)
            if db is not None:
                try:
                    self._snapshot = _read_snapshot(db)
                except Exception:  # whatever is wrong in a cache: rebuild it
                    self._snapshot = None
                finally:
                    db.close()
        return self._snapshot

    def prefetch_snapshot(self) -> None:
        """Start reading and checking the snapshot in a thread of its own (reading a file and
        computing a checksum let Python run meanwhile): a run that will build the records
        lists the registry's files while the snapshot's 20 MB are read. ``snapshot`` waits
        for it."""
        if self.path is None or self._snapshot_read or self._prefetch is not None:
            return
        finish_writes()  # (never read ahead what this run is still writing)
        self._prefetch = _reading(self.path / "records", self.key)

    def remember_snapshot(self, state_key: bytes, files: PackedFiles | None, registry: Any,
                          problems: list[Problem]) -> None:
        """Keep the records of this state for the next run (written at once); ``files``: the
        content key of each file (None: a repository of SHA-256 object names, which keeps no
        snapshot: every run parses)."""
        self._snapshot_read = True
        self._snapshot = None if files is None else Snapshot(state_key, files, registry,
                                                             list(problems))
        if self.path is not None and self._snapshot is not None:
            _seal(self.path / "records", self.key, _snapshot_meta(self._snapshot),
                  functools.partial(_write_snapshot, self._snapshot))
            _remove_old_files(self.path)

    def remember_result(self, key: bytes, problems: list[Problem], listing: bytes = b"",
                        count: int = 0) -> None:
        """Remember the problems of a whole registry state (and, when ``listing`` names that
        state exactly, the name and how many files it has)."""
        if (key, problems) != (self.result_key, self.result):
            self.result_key, self.result = key, problems
            self.result_listing, self.result_count = listing, count
            self.result_dirty = True
        elif (listing, count) != (self.result_listing, self.result_count):
            self.result_listing, self.result_count = listing, count
            self.named_dirty = True  # (the same problems: only their state's name is written)

    def _read_name(self) -> None:
        """The name of the result's state written after the result (``NAMED_FILE``), when it
        names this result's state."""
        payload = self.read_blob(NAMED_FILE)
        try:
            named = json.loads(payload) if payload is not None else None
            if isinstance(named, dict) and named.get("state_key") == self.result_key.hex():
                self.result_listing = bytes.fromhex(str(named["listing"]))
                self.result_count = int(named["count"])
        except (ValueError, KeyError, TypeError):
            pass  # (the result's own name stands)

    def read_blob(self, name: str) -> bytes | None:
        """A named, sealed piece of data of this registry's cache (None: missing, foreign,
        tampered or corrupt, all alike: the caller rebuilds it)."""
        if self.path is None:
            return None
        finish_writes()
        prefetched = self._blobs.pop(name, None)
        if prefetched is not None:
            thread, read = prefetched
            thread.join()
            return bytes(read[0]) if read and read[0] is not None else None
        payload = _read_sealed(self.path / name, self.key)
        return bytes(payload) if payload is not None else None

    def later(self, write: Callable[[], None]) -> None:
        """Run ``write`` (checksums and writes of cache files, which let Python run meanwhile)
        in a thread of its own; ``finish_writes`` waits for it, as does the end of the
        process. A write that fails is only a slower next run, as any cache write."""
        background.start(write, "committee-cache-write")

    def prefetch_blob(self, name: str) -> None:
        """Start reading and checking a named piece of data in a thread of its own, for a
        ``read_blob`` later in the run (as ``prefetch_snapshot``)."""
        if self.path is not None and name not in self._blobs:
            finish_writes()  # (never read ahead what this run is still writing)
            self._blobs[name] = _reading(self.path / name, self.key)

    def write_blob(self, name: str, payload: bytes) -> None:
        """Keep a named piece of data (bytes, never code), sealed with the cache's key."""
        if self.path is None:
            return
        with contextlib.suppress(OSError):
            replace_file(self.path / name, (MAGIC + _mac(self.key, payload), payload), 0o600,
                         fsync=False)

    def save(self) -> None:
        """Write the validation result if it changed (not one naming a file whose name is not
        UTF-8: such a registry is reported, R010, and checked afresh each run)."""
        if self.path is not None and self.named_dirty and not self.result_dirty \
                and self.result is not None:
            # a state named anew (the first run after a change lists it): a few bytes beside
            # the result, not its thousands of problems written again
            self.write_blob(NAMED_FILE, json.dumps({
                "state_key": self.result_key.hex(), "listing": self.result_listing.hex(),
                "count": self.result_count}).encode("ascii"))
            self.named_dirty = False
        if self.path is not None and self.result_dirty and self.result is not None:
            self.named_dirty = False
            if any(not p.file.isascii() and not _utf8(p.file) for p in self.result):
                self.result_dirty = False
                return
            with contextlib.suppress(OSError):
                (self.path / NAMED_FILE).unlink()  # (the new result carries its own name)
            result, files = self.result, self.files

            def fill(db: sqlite3.Connection) -> None:
                db.executemany("INSERT INTO problem VALUES (?, ?)",
                               ((p.file, problem_json(p)) for p in result))
                if files is not None:  # only the files with a problem (where positions are kept)
                    db.executemany("INSERT INTO file VALUES (?, ?)",
                                   [(rel, files[rel]) for rel in sorted({p.file for p in result})
                                    if rel in files])

            _seal(self.path / "result", self.key,
                  {"state_key": self.result_key.hex(), "listing": self.result_listing.hex(),
                   "count": str(self.result_count)}, fill)
            self.result_dirty = False


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _remove_old_files(folder: Path) -> None:
    """Pickles of earlier versions (never read) and temp files of killed runs."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith((".pickle", TEMP_SUFFIX)) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


# --- shared with the derived index (store/index.py) -------------------------------------------


def registry_cache_folder(registry_root: Path) -> tuple[Path, bytes] | None:
    """The private cache folder of one registry (the one ``Cache.open`` uses) and the key that
    seals what is in it; None when caching is off or the folder is refused."""
    root = cache_root()
    if root is None or not _private_folder(root):
        return None
    key = _key(root)
    folder_key = f"{registry_root.resolve()}\0{current_language()}"
    folder = root / hashlib.sha256(folder_key.encode()).hexdigest()[:32]
    if key is None or not _private_folder(folder):
        return None
    return folder, key


def keyed_mac(key: bytes, payload: bytes | memoryview) -> bytes:
    """The cache's keyed checksum of some bytes (what seals every cache file)."""
    return _mac(key, payload)
