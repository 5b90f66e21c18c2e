"""A unit of work on a registry: lock it, load it, edit files round-trip, validate the result,
then write every touched file at once (or none).

Every amendment goes through :func:`run_change`: the use case (a function of the
:class:`UnitOfWork`) edits the YAML documents of the records it changes, keeping comments, key
order and quoting; the result is loaded as a whole (the registry with the pending texts laid
over it) and validated; only when it has no errors is it written with the store's
all-or-nothing transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filelock
from filelock import FileLock, Timeout
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from committee_cli.errors import CommitteeError, ExitCode, Problem, RegistryInvalid, UsageError
from committee_cli.i18n import N_, gettext_, tr
from committee_cli.model.records import (
    CONFIG_FILE,
    FOLDER_KIND,
    ID_MAX_LENGTH,
    KINDS,
    Record,
    RegistryConfig,
)
from committee_cli.model.registry import Registry, copy_files, copy_table
from committee_cli.rules import validate
from committee_cli.rules.base import did_you_mean
from committee_cli.services import gitcommit
from committee_cli.services.ids import check_id
from committee_cli.services.validation import (
    errors_only,
    merged,
    open_checked,
    read_ahead,
    remember_written,
    signed_problems,
)
from committee_cli.store import DirSource, LoadResult, OverlaySource, yamlio
from committee_cli.store.cache import finish_writes
from committee_cli.store.canonical import canonical_text, editor_header
from committee_cli.store.gitstart import start_early
from committee_cli.store.gitstart import take as take_early
from committee_cli.store.sweep import SweepMemory
from committee_cli.store.transaction import LOCK_FILE, OWNER_FILE, recover, write_files
from committee_cli.vietnamese import nfc

DEFAULT_LOCK_TIMEOUT = 10.0
LOCK_TIMEOUT_ENV = "COMMITTEE_LOCK_TIMEOUT"

_TABLE_NAMES = ("organisations", "people", "legal_bases", "decisions", "committees", "seats",
                "regulations", "tasks")
_KIND_WORD = {"organisation": N_("organisation"), "person": N_("person"),
              "legal-basis": N_("legal basis"), "decision": N_("decision"),
              "committee": N_("committee"), "seat": N_("seat"), "regulation": N_("regulation"),
              "task": N_("task")}


# --- the lock ----------------------------------------------------------------------------------


def lock_timeout() -> float:
    """Seconds to wait for another run's lock: ``COMMITTEE_LOCK_TIMEOUT``, else 10."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(tr("{lock_timeout_env}={raw!r} is not a number of seconds",
                            lock_timeout_env=LOCK_TIMEOUT_ENV, raw=raw)) from None
    return max(0.0, value)


def _read_owner(root: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((root / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _owner_text(owner: Mapping[str, Any]) -> str:
    command = str(owner.get("command", ""))
    if len(command) > 120:  # a long --registry path: keep the start and what it was doing
        command = command[:40] + "…" + command[-79:]
    return (tr("process {pid} on {host} since {since}", pid=owner.get("pid"), host=owner.get("host"),
               since=owner.get("since"))
            + (f" (`{command}`)" if command else ""))


def _owner_is_dead(owner: Mapping[str, Any]) -> bool:
    pid = owner.get("pid")
    return (owner.get("host") == socket.gethostname() and isinstance(pid, int)
            and not _process_running(pid))


def _locked_message(root: Path, waited: float) -> str:
    lock_path = root / LOCK_FILE
    owner = _read_owner(root)
    if owner is None:
        return (tr("another process holds the registry lock {lock_path} (waited {waited:g} s): "
                   "try again when it has finished; if no committee run is active, delete that "
                   "file and try again", lock_path=lock_path, waited=waited))
    if _owner_is_dead(owner):
        return (tr("the registry lock {lock_path} is held, but the run that recorded it "
                   "({owner_text}) is no longer running: the lock is stale. If no other "
                   "committee run is active (e.g. on another machine sharing this folder), "
                   "delete {lock_path} and {owner_file} and try again", lock_path=lock_path,
                   owner_text=_owner_text(owner), owner_file=root / OWNER_FILE))
    return (tr("another committee run holds the registry lock: {owner_text}; waited {waited:g} "
               "s: try again when it has finished (or raise {lock_timeout_env})",
               owner_text=_owner_text(owner), waited=waited, lock_timeout_env=LOCK_TIMEOUT_ENV))


@contextmanager
def registry_lock(root: Path, timeout: float | None = None) -> Iterator[list[str]]:
    """Hold the registry's lock file while the block runs; yield notes for the user.

    A second run waits up to ``timeout`` seconds, then fails with ExitCode.LOCKED naming the
    holder. The lock is an OS file lock, released by the kernel when its holder dies; the
    holder's record (``.committee.lock.owner``) left by a killed run is detected and cleared.
    Both files exist only while a run holds the lock.
    """
    wait = lock_timeout() if timeout is None else timeout
    notes: list[str] = []
    keep_out_of_git_status(root)
    lock = FileLock(str(root / LOCK_FILE), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise CommitteeError(_locked_message(root, wait), ExitCode.LOCKED) from None
    except OSError as exc:
        raise CommitteeError(tr("cannot create the lock file {path}: {strerror}",
                                path=root / LOCK_FILE, strerror=exc.strerror or exc), ExitCode.IO) from None
    try:
        stale = _read_owner(root)
        if stale is not None:
            notes.append(tr("cleared a stale lock record left by {owner_text}, which did not "
                            "finish", owner_text=_owner_text(stale)))
        record = {"pid": os.getpid(), "host": socket.gethostname(),
                  "since": dt.datetime.now().isoformat(timespec="seconds"),
                  "command": " ".join(["committee", *sys.argv[1:]])}
        _write_owner(root / OWNER_FILE, json.dumps(record))
        yield notes
    finally:
        with contextlib.suppress(OSError):
            (root / OWNER_FILE).unlink()
        if filelock.has_fcntl:
            # Removed while still held, so that no run outside the lock ever sees a missing
            # file; a waiter that locked the removed file notices it and locks the new one
            # (filelock >= 4.3). The registry folder thus carries no lock file between runs.
            with contextlib.suppress(OSError):
                (root / LOCK_FILE).unlink()
        lock.release()


def _git_common_dir(start: Path) -> Path | None:
    """The git folder (shared by every worktree) of the repository holding ``start``."""
    for folder in (start.resolve(), *start.resolve().parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not text.startswith("gitdir:"):
                return None
            git_dir = (folder / text.removeprefix("gitdir:").strip()).resolve()
            try:
                common = (git_dir / "commondir").read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return git_dir
            return (git_dir / common).resolve()
    return None


def keep_out_of_git_status(root: Path) -> None:
    """List the lock files in the repository's ``info/exclude`` (once), so that the records
    a killed run leaves never show in ``git status`` nor get committed."""
    git_dir = _git_common_dir(root)
    if git_dir is None:
        return
    exclude = git_dir / "info" / "exclude"
    try:
        known = exclude.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        known = []
    except (OSError, UnicodeDecodeError):
        return
    missing = [name for name in (LOCK_FILE, OWNER_FILE) if name not in known]
    if not missing:
        return
    lines = "".join(f"{name}\n" for name in missing)
    if known and known[-1].strip():
        lines = "\n" + lines
    with contextlib.suppress(OSError):
        exclude.parent.mkdir(exist_ok=True)
        fd = os.open(exclude, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write("# committee-cli lock records\n" + lines if not known else lines)


def _write_owner(path: Path, text: str) -> None:
    """Write the lock holder's record without following a symlink planted in its place."""
    with contextlib.suppress(OSError):
        if path.is_symlink():
            path.unlink()  # removes the link, never what it points to
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)


# --- round-trip editing helpers --------------------------------------------------------------


def to_node(value: Any) -> Any:
    """Plain data as round-trip YAML nodes (maps and lists in block style, NFC text, no nulls)."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            if item is None or item == []:
                continue
            node[key] = to_node(item)
        return node
    if isinstance(value, list | tuple):
        seq = CommentedSeq()
        seq.extend(to_node(item) for item in value)
        return seq
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day)  # a shared object would become an alias
    return value


def _comment_slot(container: Any, key: Any) -> tuple[dict[Any, Any], Any, int]:
    """Where ruamel keeps the comment that follows the last line of ``container[key]``."""
    value = container[key]
    if isinstance(value, CommentedMap) and len(value):
        return _comment_slot(value, list(value.keys())[-1])
    if isinstance(value, CommentedSeq) and len(value):
        return _comment_slot(value, len(value) - 1)
    index = 2 if isinstance(container, CommentedMap) else 0
    return container.ca.items, key, index


def _take_trailing(container: Any, key: Any) -> str:
    """Detach the whole-line comments and blank lines that follow ``container[key]``."""
    items, slot_key, index = _comment_slot(container, key)
    entry = items.get(slot_key)
    token = entry[index] if entry else None
    if not isinstance(token, CommentToken):
        return ""
    head, _, rest = token.value.partition("\n")
    if not rest:
        return ""
    if head.strip():
        token.value = head + "\n"
    else:
        entry[index] = None  # type: ignore[index]  # entry holds the token found above
    return rest


def _give_trailing(container: Any, key: Any, rest: str) -> None:
    """Attach detached trailing lines after the last line of ``container[key]``."""
    if not rest:
        return
    items, slot_key, index = _comment_slot(container, key)
    entry = items.setdefault(slot_key, [None, None, None, None])
    token = entry[index]
    if isinstance(token, CommentToken):
        token.value = token.value + rest
    else:
        entry[index] = CommentToken("\n" + rest, CommentMark(0), None)


def set_field(node: CommentedMap, key: str, value: Any, model: type[Record]) -> None:
    """Set (or, with None, remove) a field, placing a new key where the canonical order puts it.

    Comments that stood between the previous key and the next one stay before the next one.
    """
    if value is None:
        if key in node:
            keys = list(node.keys())
            position = keys.index(key)
            rest = _take_trailing(node, key)
            del node[key]
            if position > 0:
                _give_trailing(node, keys[position - 1], rest)
        return
    value = to_node(value)
    if key in node:
        if isinstance(node[key], CommentedMap | CommentedSeq):
            rest = _take_trailing(node, key)
            node[key] = value
            _give_trailing(node, key, rest)
        else:
            node[key] = value
        return
    order = list(model.model_fields)
    rank = {name: i for i, name in enumerate(order)}
    keys = list(node.keys())
    mine = rank.get(key, len(rank))
    position = sum(1 for k in keys if rank.get(k, len(rank)) <= mine)
    rest = _take_trailing(node, keys[position - 1]) if position > 0 else ""
    node.insert(position, key, value)
    _give_trailing(node, key, rest)


def insert_item(seq: CommentedSeq, index: int, item: Any) -> None:
    """Insert a list item; comments between the previous item and the next stay with the next."""
    index = min(index, len(seq))
    rest = _take_trailing(seq, index - 1) if index > 0 else ""
    seq.insert(index, to_node(item))
    _give_trailing(seq, index, rest)


# --- the unit of work ----------------------------------------------------------------------


class UnitOfWork:
    """The registry as loaded, and the file edits a use case makes to it (not yet written).

    :attr:`registry` shows the pending edits, so several use cases can make one change (for
    example add a person and give them a seat, written together or not at all).
    """

    def __init__(self, root: Path, loaded: LoadResult, problems: list[Problem]) -> None:
        self.root = root
        self.loaded = loaded
        self.problems = problems
        self.created: list[str] = []
        # steps run once the use case is applied (by key), e.g. recording a --force-signed change
        self.finishing: dict[str, Callable[[UnitOfWork], None]] = {}
        self._docs: dict[str, Any] = {}
        self._texts: dict[str, str] = {}  # new files given as final text (see add_texts)
        self._added: set[str] = set()
        self._deleted: set[str] = set()
        self._view: tuple[tuple[tuple[str, str | None], ...], Registry] = ((), loaded.registry)

    @property
    def registry(self) -> Registry:
        """The registry with this change's edits so far."""
        pending = tuple(self.changes().items())
        if pending != self._view[0]:
            self._view = (pending, self._apply_view(dict(pending)))
        return self._view[1]

    def _apply_view(self, pending: Mapping[str, str | None]) -> Registry:
        base = self.loaded.registry
        view = dataclasses.replace(base, files=copy_files(base.files), _index={}, **{
            name: copy_table(getattr(base, name)) for name in _TABLE_NAMES})  # type: ignore[arg-type]
        for rel, text in pending.items():
            if rel == CONFIG_FILE:
                with contextlib.suppress(ValueError, yamlio.YamlProblem):
                    view.config = RegistryConfig.model_validate(yamlio.load_text(text or "", rel))
                continue
            kind = FOLDER_KIND[rel.split("/", 1)[0]]
            record_id = rel.split("/", 1)[1][:-len(".yaml")]
            if text is None:
                view.table(kind).pop(record_id, None)
                view.files.pop((kind, record_id), None)
                continue
            try:
                record = KINDS[kind][1].model_validate(yamlio.load_text(text or "", rel))
            except (ValueError, yamlio.YamlProblem):
                continue  # the final validation reports it
            view.table(kind)[record_id] = record
            view.files[(kind, record_id)] = rel
        return view

    def get(self, kind: str, record_id: str) -> Any:
        """A record by id; an unknown id is a usage error with a did-you-mean."""
        table = self.registry.table(kind)
        if record_id not in table:
            word = gettext_(_KIND_WORD[kind])
            rel = f"{KINDS[kind][0]}/{record_id}.yaml"
            if rel in self.loaded.texts:
                raise UsageError(tr("the {word} file {rel} has errors: fix them first "
                                    "(`committee validate`)", word=word, rel=rel))
            raise UsageError(tr("no {word} '{record_id}'{suggestion}", word=word,
                                record_id=record_id, suggestion=did_you_mean(record_id, table)))
        return table[record_id]

    def edit(self, kind: str, record_id: str) -> CommentedMap:
        """The round-trip YAML document of a record, for editing in place."""
        rel = f"{KINDS[kind][0]}/{record_id}.yaml"
        if rel in self._texts:  # a new file handed over as text (a bulk import)
            self._docs[rel] = yamlio.load_round_trip(self._texts.pop(rel))
        elif rel not in self._docs and record_id not in self.loaded.registry.table(kind):
            self.get(kind, record_id)  # (the pending view costs a dump of every edited file)
        if rel not in self._docs:
            self._docs[rel] = yamlio.load_round_trip(self.loaded.texts[rel])
        document: CommentedMap = self._docs[rel]
        return document

    def edit_config(self) -> CommentedMap:
        """The round-trip YAML document of ``registry.yaml``, for editing in place."""
        if CONFIG_FILE not in self._docs:
            self._docs[CONFIG_FILE] = yamlio.load_round_trip(self.loaded.texts[CONFIG_FILE])
        document: CommentedMap = self._docs[CONFIG_FILE]
        return document

    def delete(self, kind: str, record_id: str) -> str:
        """Remove a record's file with this change; return its registry-relative path."""
        self.get(kind, record_id)
        rel = f"{KINDS[kind][0]}/{record_id}.yaml"
        self._docs.pop(rel, None)
        self._deleted.add(rel)
        return rel

    def taken(self, kind: str, record_id: str) -> bool:
        """True when a record of that id exists, is being created, or its file exists."""
        check_id(record_id)  # before any file name is made of it
        rel = f"{KINDS[kind][0]}/{record_id}.yaml"
        return (record_id in self.registry.table(kind) or rel in self._docs
                or rel in self.loaded.texts or (self.root / rel).exists())

    def free_id(self, kind: str, base: str) -> str:
        """``base``, or ``base-2``, ``base-3`` … whichever is free (cut to fit an id)."""
        if len(base) > ID_MAX_LENGTH - 4:
            base = base[:ID_MAX_LENGTH - 4].rsplit("-", 1)[0] or base[:ID_MAX_LENGTH - 4]
        candidate, n = base, 1
        while self.taken(kind, candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def create(self, kind: str, record_id: str, data: Mapping[str, Any]) -> str:
        """Add a new record file in the canonical layout; return its registry-relative path."""
        check_id(record_id)
        if self.taken(kind, record_id):
            raise UsageError(tr("a {kind_word} '{record_id}' already exists",
                                kind_word=gettext_(_KIND_WORD[kind]), record_id=record_id))
        folder = KINDS[kind][0]
        rel = f"{folder}/{record_id}.yaml"
        text = canonical_text(rel, yamlio.dump_round_trip(to_node(data)))
        header = self.root / "schema" / f"{kind}.schema.json"
        if header.is_file():
            text = editor_header(kind) + text
        self._added.add(rel)
        self._docs[rel] = yamlio.load_round_trip(text)
        self.created.append(record_id)
        return rel

    def add_texts(self, texts: Mapping[str, str], created: list[str]) -> None:
        """New record files given as their final canonical text, for bulk imports whose ids
        the caller has checked free (``create`` checks each id against the whole view)."""
        for rel, text in texts.items():
            self._texts[rel] = text
            self._added.add(rel)
        self.created.extend(created)

    def changes(self) -> dict[str, str | None]:
        """Every file this change writes, with its new text (only files that differ)."""
        result: dict[str, str | None] = {rel: None for rel in sorted(self._deleted)}
        for rel, document in sorted(self._docs.items()):
            text = yamlio.dump_round_trip(document)
            if rel in self._added or text != self.loaded.texts[rel]:
                result[rel] = text
        result.update(self._texts)
        return dict(sorted(result.items()))

    def is_new(self, rel: str) -> bool:
        """True when this change creates the file."""
        return rel in self._added

    def diff(self, changes: Mapping[str, str | None] | None = None) -> str:
        """The unified diff of the pending change, as ``git diff`` would show it."""
        pending = self.changes() if changes is None else changes
        chunks: list[str] = []
        for rel, text in pending.items():
            old = None if rel in self._added else self.loaded.texts.get(rel)
            chunks.extend(difflib.unified_diff(
                (old or "").splitlines(keepends=True), (text or "").splitlines(keepends=True),
                fromfile=f"a/{rel}" if old is not None else "/dev/null",
                tofile=f"b/{rel}" if text is not None else "/dev/null"))
        return "".join(chunks)


# --- running a change ------------------------------------------------------------------------


@dataclass
class ChangeResult:
    """What a change did (or, in a dry run, would do)."""

    summary: str
    files: dict[str, str] = field(default_factory=dict)  # rel -> "added" | "modified"
    diff: str = ""
    written: bool = False
    created: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    commit: str | None = None


Apply = Callable[[UnitOfWork], str]


def unsealed_warnings(signed: list[Problem]) -> list[Problem]:
    """R130 on the result of a change (of ``signed_problems``), as warnings: the change is
    written (a correction is recorded after it with `committee decision correct`), and the
    amendment says at once which signed decision no longer states what it was signed with;
    `validate` fails until then."""
    return [dataclasses.replace(p, severity="warning") for p in signed if p.code == "R130"]


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    return (problem.code, problem.file, problem.message)


def _check_writable(root: Path, changes: Mapping[str, str | None]) -> None:
    for rel in changes:
        target = root / rel
        for path in (target, target.parent):
            if not path.exists():
                continue
            mode = path.stat().st_mode
            if not os.access(path, os.W_OK) or not mode & 0o222:
                what = "folder" if path.is_dir() else "file"
                name = path.relative_to(root).as_posix() if path != root else str(root)
                raise CommitteeError(
                    tr("the registry {what} {name} is read-only: make it writable (chmod u+w) "
                       "and run again; nothing was written", what=what, name=name), ExitCode.IO)


def _write(root: Path, changes: Mapping[str, str | None]) -> None:
    _check_writable(root, changes)
    try:
        write_files(root, changes)
    except OSError as exc:
        name = exc.filename or ""
        with contextlib.suppress(ValueError, TypeError):
            name = Path(name).resolve().relative_to(root.resolve()).as_posix()
        raise CommitteeError(tr("cannot write {name}: {strerror}; if part of the change was "
                                "written, the next run finishes it", name=name or 'the registry',
                                strerror=exc.strerror or exc),
                             ExitCode.IO) from None


def run_change(root: Path, apply: Apply, *, dry_run: bool = False, commit: bool = False,
               timeout: float | None = None) -> ChangeResult:
    """Lock, load, apply one use case, validate the result and write it (all or nothing).

    Errors in the result (not warnings) refuse the change with RegistryInvalid; nothing is
    written. With ``dry_run`` the diff is returned and nothing is written; with ``commit`` the
    touched files are committed to git with the use case's summary as the message.
    """
    root = Path(root)
    if not (root / "registry.yaml").is_file():
        raise UsageError(tr("{root} is not a registry (no registry.yaml): pass --registry DIR",
                            root=root))
    with registry_lock(root, timeout) as notes:
        # git compares the files with its index while this run recovers and opens the cache
        # (the listing takes the view when it opens the folder; one that anything moves after
        # it began, as finishing a change does, is not used: store/gitstart.py)
        start_early(root, one_thread=False)
        try:
            return _run_locked(root, apply, notes, dry_run, commit)
        finally:
            untaken = take_early(root)
            if untaken is not None:
                untaken.close()
            finish_writes()  # (what the run keeps in the cache, written before the lock goes)


def _run_locked(root: Path, apply: Apply, notes: list[str], dry_run: bool,
                commit: bool) -> ChangeResult:
    """``run_change`` under the registry's lock."""
    sweeps = SweepMemory(root)  # (folders whose times have not moved since found clean)
    if recover(root, sweeps):
        notes.append(tr("finished a change that an earlier run left half-written"))
    sweeps.save()
    if commit and not dry_run:
        gitcommit.check_repository(root)  # git could commit it: checked before anything
    loaded, before = open_checked(root)  # records and problems cached by content
    read_ahead(loaded)  # (what the signed decisions' check reads, read during the use case)
    uow = UnitOfWork(root, loaded, before)
    summary = apply(uow)
    for finish in uow.finishing.values():
        finish(uow)
    changes = uow.changes()
    result = ChangeResult(summary=summary, created=list(uow.created), notes=notes)
    if not changes:
        return result
    # the result: the loaded records with only the changed files read again
    overlay = loaded.with_changes(OverlaySource(DirSource(root), changes), changes)
    after = validate(overlay, keep=not dry_run)  # (a dry run's state is never on disk)
    errors = errors_only(after)
    state = after  # what `validate` will say of the result once it is written
    if not errors:  # what signed decisions state, told at once (validate says it as an error)
        signed = signed_problems(overlay, root, loaded.cache)
        state = merged(after, signed)
        after = after + unsealed_warnings(signed)
    if errors:
        known = {_problem_key(p) for p in errors_only(before)}
        fresh = [p for p in errors if _problem_key(p) not in known]
        message = (tr("the change would leave the registry invalid ({count} error(s)); "
                      "nothing was written", count=len(fresh))) if fresh else (
            tr("the registry already has errors: fix them first (`committee validate`); "
               "nothing was written"))
        raise RegistryInvalid(fresh or errors, message)
    seen = {_problem_key(p) for p in before}
    result.warnings = [p for p in after if _problem_key(p) not in seen]
    result.files = {rel: ("added" if uow.is_new(rel) else
                          "deleted" if text is None else "modified")
                    for rel, text in changes.items()}
    result.diff = uow.diff(changes)
    if dry_run:
        return result
    if commit:
        gitcommit.check_ready(root, list(changes), summary)
    _write(root, changes)
    result.written = True
    remember_written(root, overlay, state)  # the next run of this state reads its problems
    if commit:
        result.commit = gitcommit.commit(root, list(changes), summary)
    return result
