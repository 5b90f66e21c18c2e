"""Load a registry from a source into records, collecting every problem with its position."""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from committee_cli.bulk import built_in_bulk
from committee_cli.errors import Problem
from committee_cli.i18n import tr
from committee_cli.model.compact import Compactor
from committee_cli.model.records import (
    CONFIG_FILE,
    FOLDER_KIND,
    ID_MAX_LENGTH,
    KINDS,
    SAFE_ID,
    SCHEMA_VERSION,
    Record,
    RegistryConfig,
)
from committee_cli.model.registry import Registry, copy_files, copy_table
from committee_cli.store.cache import Cache
from committee_cli.store.gitindex import blob_key
from committee_cli.store.packed import PackedFiles
from committee_cli.store.source import Source
from committee_cli.vietnamese import slugify

READ_ATTEMPTS = 4  # a registry changed while it is read is read again, this often at most
PARALLEL_FROM = 4000  # files to parse before they are parsed on every processor (store/parallel.py)


class LazyTexts(Mapping[str, str]):
    """The decoded text of each registry file, read again from the source only when asked."""

    def __init__(self, source: Source, paths: list[str]) -> None:
        self._source = source
        self._paths = set(paths)
        self._texts: dict[str, str] = {}

    def __getitem__(self, rel: str) -> str:
        if rel not in self._paths:
            raise KeyError(rel)
        if rel not in self._texts:
            from committee_cli.store import yamlio  # (a warm run parses nothing)

            try:
                self._texts[rel] = yamlio.decode(self._source.read(rel), rel)
            except (OSError, yamlio.YamlProblem):
                self._texts[rel] = ""
        return self._texts[rel]

    def __contains__(self, rel: object) -> bool:
        return rel in self._paths

    def changed(self, source: Source, changes: Mapping[str, object | None]) -> LazyTexts:
        """These files with ``changes`` (a file's new content, or None: gone), read from
        ``source``: the paths copied and changed, not sorted and gathered again."""
        texts = LazyTexts(source, [])
        texts._paths = set(self._paths)
        for rel, text in changes.items():
            if text is None:
                texts._paths.discard(rel)
            else:
                texts._paths.add(rel)
        return texts

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


class LazyRaws(Mapping[str, bytes]):
    """The bytes of the registry files, read from the source only when a file is parsed.

    Files whose content key git vouched for are not read until asked; a file read here is
    hashed again, and a key that no longer matches (the file changed since git was asked) is
    corrected in ``keys`` and noted in ``moved``, so a state is never cached under a key its
    bytes do not have."""

    def __init__(self, source: Source, keys: dict[str, bytes], read: dict[str, bytes]) -> None:
        self._source = source
        self._keys = keys
        self._read = read
        self.moved = False
        self.altered = False  # a key corrected or dropped since listing (the state key moves)

    def __getitem__(self, rel: str) -> bytes:
        raw = self._read.get(rel)
        if raw is None:
            if rel not in self._keys:
                raise KeyError(rel)
            try:
                raw = self._source.read(rel)
            except OSError:
                # unreadable (or gone since it was listed): reported as unreadable, a problem
                # that is part of the state's key, so the answer is cached for that state only
                del self._keys[rel]
                self.altered = True
                raise
            key = blob_key(raw)
            if key != self._keys[rel]:
                self._keys[rel], self.moved, self.altered = key, True, True
        return raw

    def forget(self) -> None:
        """Drop the bytes read while listing, so every file is read again from the source."""
        self._read.clear()
        self.moved = False

    def __contains__(self, rel: object) -> bool:
        return rel in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _unreadable(rel: str, exc: OSError) -> Problem:
    return Problem("R002", tr("cannot read the file: {strerror}", strerror=exc.strerror or exc),
                   rel)


_SNAPSHOT_DRIFT = 50  # changed files re-read from an old snapshot before a new one is written


@dataclass
class LoadResult:
    """A registry read from a source: every file's content key (its git blob id, from git's
    index where git vouches for the file, else hashed here) and, on first use of ``registry``
    or ``problems``, its records. Files are read and parsed one at a time and each is
    validated into its record at once, so parsed YAML never piles up. With a cached snapshot of
    an earlier state, only the files whose key changed are read and parsed; a run that finds
    its answer in the cache by ``state_key`` reads nothing more."""

    raws: Mapping[str, bytes]
    keys: dict[str, bytes]
    read_problems: list[Problem] = field(default_factory=list)
    texts: Mapping[str, str] = field(default_factory=dict)
    cache: Cache | None = None
    keep_data: bool = False
    state_key: bytes = b""  # hash of every file's path and content hash
    _data: dict[str, Any] = field(default_factory=dict)
    _registry: Registry | None = None
    _file_problems: list[Problem] = field(default_factory=list)
    reused: int = 0  # files whose records came from the cache, not parsed
    _positions: dict[tuple[str, tuple[str | int, ...], bool], tuple[int, int | None]] | None = \
        None
    _packed: PackedFiles | None = None

    def packed_keys(self) -> PackedFiles | None:
        """``keys`` packed in path order (None: a key not of 20 bytes), found once per state
        (forgotten when reading corrects a key)."""
        if self._packed is None:
            self._packed = PackedFiles.of(self.keys)
        return self._packed

    def _build(self) -> Registry:
        if self._registry is not None:
            return self._registry
        snapshot = self.cache.snapshot() if self.cache is not None and not self.keep_data else None
        listed = len(self.read_problems)  # what listing found; reading may add "cannot read"
        current = self.packed_keys() if snapshot is not None else None
        changed = None if snapshot is None or current is None else snapshot.files.changed(current)
        if snapshot is not None and changed is not None and CONFIG_FILE in self.keys \
                and CONFIG_FILE not in changed:
            changes: dict[str, bytes | None] = {}
            problems = []
            for rel in sorted(changed):
                if rel not in self.keys:
                    continue  # (gone since the snapshot)
                try:
                    changes[rel] = self.raws[rel]
                except OSError as exc:  # part of the state (its key): never cached alone
                    self.read_problems.append(_unreadable(rel, exc))
                    changes[rel] = None
            changes.update({rel: None for rel in changed if rel not in self.keys})
            registry, derived = _derive(snapshot.registry, snapshot.problems, changes)
            problems.extend(derived)
            self.reused = len(self.keys) - len(changes)
        else:
            registry, problems = self._parse_all()
        attempts = 1
        while isinstance(self.raws, LazyRaws) and self.raws.moved and attempts < READ_ATTEMPTS:
            # a change landed while the files git vouched for were read: read every file again
            # now, so that the records are those of one state, never a mix of two
            attempts += 1
            self.reused = 0
            self.raws.forget()
            del self.read_problems[listed:]
            registry, problems = self._parse_all()
        if isinstance(self.raws, LazyRaws) and (self.raws.altered
                                                or len(self.read_problems) != listed):
            self._packed = None  # (a key corrected or dropped while reading)
            self.state_key = _state_key(self.packed_keys(), self.keys, self.read_problems)
        self._registry, self._file_problems, self.raws = registry, problems, {}
        if self.cache is not None and (snapshot is None
                                       or len(self.keys) - self.reused > _SNAPSHOT_DRIFT):
            # rewritten only when many files changed since it: a few changed files cost
            # less to re-read each run than a new snapshot costs to write
            self.cache.remember_snapshot(self.state_key, self.packed_keys(), registry, problems)
        return registry

    def _parse_all(self) -> tuple[Registry, list[Problem]]:
        problems: list[Problem] = []
        with built_in_bulk():  # many long-lived objects (YAML-FACTS: up to 2.8x)
            config_data = None
            if CONFIG_FILE in self.raws:
                try:
                    config_raw = self.raws[CONFIG_FILE]
                except OSError as exc:
                    self.read_problems.append(_unreadable(CONFIG_FILE, exc))
                else:
                    _, config_data, config_problems = parse_file(CONFIG_FILE, config_raw)
                    problems.extend(config_problems)
                if self.keep_data:
                    self._data[CONFIG_FILE] = config_data
            registry = Registry(config=_config(config_data, problems))
            compactor = Compactor()  # (held at once, the records share what they hold alike)
            for rel, data, file_problems in self._parsed([r for r in self.raws
                                                          if r != CONFIG_FILE]):
                problems.extend(file_problems)
                if self.keep_data:
                    self._data[rel] = data
                if data is not None:
                    _add_record(registry, rel, data, problems, compactor)
        return registry, problems

    def _parsed(self, names: list[str]) -> Iterator[tuple[str, Any, list[Problem]]]:
        """Each readable file of ``names`` parsed, in order (a file that cannot be read is
        noted in ``read_problems``, in order too); many files on every processor
        (``store/parallel.py``)."""
        workers = _jobs() if len(names) >= PARALLEL_FROM else 1
        if workers < 2:
            for rel in names:
                try:
                    raw = self.raws[rel]
                except OSError as exc:
                    self.read_problems.append(_unreadable(rel, exc))
                    continue
                yield rel, *parse_file(rel, raw)[1:]
            return
        from committee_cli.store.parallel import parse_files  # (only a cold parse of many files)

        yield from parse_files(names, self.raws.__getitem__, parse_file, workers,
                               lambda rel, exc: self.read_problems.append(_unreadable(rel, exc)))

    @property
    def registry(self) -> Registry:
        """The records, by kind and id."""
        return self._build()

    @property
    def problems(self) -> list[Problem]:
        """Problems met reading the files and validating each record."""
        self._build()
        return self.read_problems + self._file_problems

    @property
    def data(self) -> dict[str, Any]:
        """Parsed YAML by file (kept only with ``keep_data``)."""
        self._build()
        return self._data

    def with_changes(self, source: Source, changes: Mapping[str, str | None]) -> LoadResult:
        """This registry with some files replaced or deleted, re-reading only those files."""
        base = self._build()
        if CONFIG_FILE in changes:
            return load(source)
        raw_changes = {rel: None if text is None else text.encode("utf-8")
                       for rel, text in changes.items()}
        registry, problems = _derive(base, self._file_problems, raw_changes)
        keys = dict(self.keys)
        changed_keys = {rel: None if raw is None else blob_key(raw)
                        for rel, raw in raw_changes.items()}
        for rel, key in changed_keys.items():
            keys.pop(rel, None)
            if key is not None:
                keys[rel] = key
        read = [p for p in self.read_problems if p.file not in changes]
        before = self.packed_keys()
        packed = before.changed_by(changed_keys) if before is not None else None
        if packed is None or len(packed) != len(keys):
            packed = PackedFiles.of(keys)
        # (the files as listed are the files keyed, but for one unreadable: gathered anew)
        texts = self.texts.changed(source, raw_changes) \
            if isinstance(self.texts, LazyTexts) and len(self.texts) == len(self.keys) \
            else LazyTexts(source, sorted(keys))
        result = LoadResult({}, keys, read, texts, self.cache,
                            state_key=_state_key(packed, keys, read), _packed=packed)
        result._registry, result._file_problems = registry, problems
        return result

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """Give every problem that has a path but no line its line and column."""
        from committee_cli.store import yamlio

        located = list(problems)
        unplaced: dict[str, list[int]] = {}  # file -> the problems of it still to place
        known = self._known_positions()
        for index, problem in enumerate(problems):
            if problem.line is None and problem.file in self.texts:
                seen = known.get((problem.file, problem.path, problem.code == "R012"))
                if seen is not None:
                    located[index] = problem.located(*seen)
                else:
                    unplaced.setdefault(problem.file, []).append(index)
        for rel, indexes in unplaced.items():  # one parse per file, however many problems,
            locator = yamlio.Locator(self.texts[rel])  # and one file's nodes held at a time
            for index in indexes:
                problem = problems[index]
                pos = locator(problem.path, key=problem.code == "R012")
                if pos is not None:
                    located[index] = problem.located(pos.line, pos.column)
        return located

    def _known_positions(self) -> dict[tuple[str, tuple[str | int, ...], bool],
                                         tuple[int, int | None]]:
        """Positions the cached result found in files whose content has not changed since
        (found once: a position holds while its file's content key does)."""
        cache = self.cache
        if cache is None or not cache.result:
            return {}
        if self._positions is None:
            then = cache.result_files()
            self._positions = {
                (p.file, p.path, p.code == "R012"): (p.line, p.column) for p in cache.result
                if p.line is not None and p.path and then.get(p.file) is not None
                and then.get(p.file) == self.keys.get(p.file)}
        return self._positions


def _suggest(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return tr(" (did you mean '{word}'?)", word=close[0]) if close else ""


def _model_problems(exc: ValidationError, model: type[Record], rel: str) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        dotted = ".".join(str(p) for p in loc) or "(file)"
        kind = error["type"]
        if kind == "extra_forbidden":
            sub = _submodel(model, loc[:-1])
            fields = list(sub.model_fields) if sub else []
            message = (tr("unknown field '{loc}'{suggest}; allowed here: {fields}", loc=loc[-1],
                          suggest=_suggest(str(loc[-1]), fields), fields=', '.join(fields)))
            problems.append(Problem("R012", message, rel, path=loc))
        elif kind == "missing":
            problems.append(Problem("R013", tr("missing required field '{dotted}': add it",
                                               dotted=dotted), rel,
                                    path=loc[:-1] or loc))
        else:
            value = error.get("input")
            shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
            if len(shown) > 60:
                shown = shown[:57] + "..."
            problems.append(Problem(
                "R014", tr("'{dotted}': {error} (got {shown})", dotted=dotted, error=error['msg'],
                           shown=shown), rel, path=loc))
    return problems


def _submodel(model: type[Record], loc: tuple[Any, ...]) -> type[Record] | None:
    """The model class at ``loc`` inside ``model`` (walking lists and nested records)."""
    current: type[Record] | None = model
    for step in loc:
        if isinstance(step, int):
            continue
        if current is None:
            return None
        current = current.field_record(str(step))
    return current


def parse_file(rel: str, raw: bytes) -> tuple[str, Any, list[Problem]]:
    """Decode and parse one file: (text, data or None, problems)."""
    from committee_cli.store import yamlio

    try:
        text = yamlio.decode(raw, rel)
    except yamlio.YamlProblem as exc:
        return "", None, [exc.problem]
    problems = [
        Problem("R003", tr("text is not in Unicode NFC ('{snippet}'): run `committee fmt`",
                           snippet=snippet),
                rel, line, col)
        for line, col, snippet in yamlio.non_nfc_lines(text)
    ]
    try:
        data = yamlio.load_text(text, rel)
    except yamlio.YamlProblem as exc:
        return text, None, [*problems, exc.problem]
    if not isinstance(data, dict):
        what = tr("empty") if data is None else tr("a {type}, not a mapping",
                                                   type=type(data).__name__)
        problems.append(Problem("R009", tr("the file is {what}: a registry file holds one record "
                                           "as a mapping of fields", what=what), rel, 1, 1))
        return text, None, problems
    return text, data, problems


def _jobs() -> int:
    from committee_cli.store.parallel import jobs  # (only a cold parse of many files)

    return jobs()


def _config(config_data: Any, problems: list[Problem]) -> RegistryConfig:
    config: RegistryConfig | None = None
    if isinstance(config_data, dict):
        version = config_data.get("schema_version")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            problems.append(Problem(
                "R015", tr("schema_version {version} is newer than this committee-cli reads "
                           "({schema_version}): upgrade committee-cli", version=version,
                           schema_version=SCHEMA_VERSION), CONFIG_FILE,
                path=("schema_version",)))
        elif isinstance(version, int) and version < 1:
            problems.append(Problem("R015", tr("schema_version {version} is not valid: use "
                                               "{schema_version}", version=version,
                                               schema_version=SCHEMA_VERSION), CONFIG_FILE,
                                    path=("schema_version",)))
        try:
            config = RegistryConfig.model_validate(config_data)
        except ValidationError as exc:
            problems.extend(_model_problems(exc, RegistryConfig, CONFIG_FILE))
    return config or RegistryConfig(schema_version=SCHEMA_VERSION, name="(unnamed registry)")


def _add_record(registry: Registry, rel: str, data: Any, problems: list[Problem],
                compactor: Compactor | None = None) -> None:
    folder, name = rel.split("/", 1)
    kind = FOLDER_KIND[folder]
    model = KINDS[kind][1]
    record_id = name[:-len(".yaml")]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_model_problems(exc, model, rel))
        return
    if compactor is not None:
        compactor.record(record)
    registry.table(kind)[record_id] = record
    registry.files[(kind, record_id)] = rel


def _derive(base: Registry, base_problems: list[Problem],
            changes: Mapping[str, bytes | None]) -> tuple[Registry, list[Problem]]:
    """A registry like ``base`` with the records of the changed files parsed again (None:
    the file is gone). Problems of unchanged files are kept; the changed files' are new."""
    registry = Registry(config=base.config, files=copy_files(base.files))
    for kind in KINDS:
        registry.table_set(kind, copy_table(base.table(kind)))
    problems = [p for p in base_problems if p.file not in changes]
    for rel, raw in changes.items():
        folder, name = rel.split("/", 1)
        kind, record_id = FOLDER_KIND[folder], name[:-len(".yaml")]
        registry.table(kind).pop(record_id, None)
        registry.files.pop((kind, record_id), None)
        if raw is None:
            continue
        _, data, file_problems = parse_file(rel, raw)
        problems.extend(file_problems)
        if data is not None:
            _add_record(registry, rel, data, problems)
    return registry, problems


def _state_key(packed: PackedFiles | None, keys: Mapping[str, bytes],
               read_problems: list[Problem]) -> bytes:
    """A digest of every file's path and content key (``packed``, else ``keys``), and of what
    could not be read."""
    if packed is not None:
        state = hashlib.blake2b(packed.names, digest_size=16, person=b"packed")
        state.update(packed.values)
    else:
        state = hashlib.blake2b(b"".join([os.fsencode(rel) + b"\0" + keys[rel]
                                          for rel in sorted(keys)]), digest_size=16)
    state.update(repr([(p.code, p.file) for p in read_problems]).encode())
    return state.digest()


def build_registry(parsed: dict[str, Any], problems: list[Problem]) -> Registry:
    """Validate parsed files into records; append model problems."""
    registry = Registry(config=_config(parsed.get(CONFIG_FILE), problems))
    for rel, data in parsed.items():
        if rel != CONFIG_FILE and data is not None:
            _add_record(registry, rel, data, problems)
    return registry


def load(source: Source, cache: Cache | None = None, keep_data: bool = False) -> LoadResult:
    """Know every file of a registry by its content key; records are built on first use.

    In a git work tree the keys of the files git vouches for come from git's index (nothing
    read); every other file is read and hashed. With a cache, only files whose key differs
    from the cached snapshot are read and parsed.
    """
    unchanged = getattr(source, "unchanged", None)
    for _ in range(READ_ATTEMPTS):
        paths, raws, keys, problems = _read_all(source)
        if unchanged is None or unchanged():
            break  # else a change was committed while we read: read again, so as not to mix
    if cache is not None:
        cache.files = keys  # a result remembered for this state keeps its files' keys
    given = getattr(source, "packed_keys", None)  # (a kept listing holds them packed)
    packed = given() if given is not None else None
    if packed is None or len(packed) != len(keys):
        packed = PackedFiles.of(keys)
    return LoadResult(LazyRaws(source, keys, raws), keys, problems, LazyTexts(source, paths),
                      cache, keep_data, _state_key(packed, keys, problems), _packed=packed)


def _read_all(source: Source) -> tuple[list[str], dict[str, bytes], dict[str, bytes],
                                       list[Problem]]:
    """List every file and key it (from git where it can say, else read and hashed):
    (paths, the bytes of the files read, content keys, problems)."""
    problems: list[Problem] = []
    raws: dict[str, bytes] = {}
    keys: dict[str, bytes] = {}
    paths = source.paths()
    if CONFIG_FILE not in paths:
        problems.append(Problem(
            "R010", tr("no {config_file} here: this folder is not a registry (create one with "
                       "`committee init DIR`, or pass --registry)", config_file=CONFIG_FILE),
            CONFIG_FILE))
    for rel in source.stray():
        problems.append(Problem("R010", tr("not a registry file (only <id>.yaml files belong in "
                                           "the registry folders): move or remove it"), rel))
    # a listing kept from an earlier run names only files with safe ids (store/gitlisting.py)
    recalled = getattr(source, "recalled", False)
    for rel in [] if recalled else paths:
        if rel != CONFIG_FILE:
            stem = rel.split("/", 1)[1][:-len(".yaml")]
            if len(stem) > ID_MAX_LENGTH:
                problems.append(Problem(
                    "R011", tr("the id '{start}…' has {length} characters: an id holds at most "
                               "{limit}; rename the file", start=stem[:20], length=len(stem),
                               limit=ID_MAX_LENGTH), rel))
                continue
            if not SAFE_ID.match(stem):
                problems.append(Problem(
                    "R011", tr("'{stem}' is not a safe id: use lower-case ASCII letters, digits "
                               "and single hyphens (e.g. '{safe}')", stem=stem, safe=_safe(stem)),
                    rel))
                continue
        keys[rel] = b""
    blob_keys = getattr(source, "blob_keys", None)
    if recalled and blob_keys is not None:
        # the kept listing keys some of ``paths`` (each once, in order): all of them when it
        # keys as many
        known = blob_keys(paths)
        if known is not None and len(known) == len(paths):
            return paths, raws, known, problems  # (every file keyed by the kept listing)
        keys = dict.fromkeys(paths, b"")
    else:
        if recalled:
            keys = dict.fromkeys(paths, b"")
        known = blob_keys(list(keys)) if blob_keys is not None else None
        if known is not None and len(known) == len(keys) and known.keys() == keys.keys():
            return paths, raws, known, problems  # (every file keyed by git or the kept listing)
    for rel in keys:
        blob = known.get(rel) if known is not None else None
        if blob is not None:
            keys[rel] = blob
            continue
        try:
            raw = source.read(rel)
        except OSError as exc:
            problems.append(_unreadable(rel, exc))
            continue
        raws[rel], keys[rel] = raw, blob_key(raw)
    for rel in [rel for rel, key in keys.items() if not key]:
        del keys[rel]
    return paths, raws, keys, problems


def _safe(stem: str) -> str:
    return slugify(stem) or "x"
