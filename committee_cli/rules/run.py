"""Running the rules over a loaded registry, and against a base revision.

Incremental validation: the problems of every rule whose scope is "record" or "committee"
(``committee_cli.rules.base.Scope``) are kept in the cache with the content key of every file
and the committee each file belongs to. The next state re-runs such a rule only over the
records its scope says can have changed problems: the changed files (record scope), or the
committees that own a changed file or cite a changed decision (committee scope); the other
problems come from the kept results. A "kinds" rule (it reads only the kinds it names) keeps
its problems whole while no file of those kinds changed. An "ids" rule (references: a record's
problems depend on it and on which records exist) checks again the changed records and those
that had a problem, unless a record went away (a file deleted, or no longer a valid record).
A change to ``registry.yaml`` or (for committee scope) to a record that belongs to no committee
runs the rule over everything again.
"registry" rules always run over the whole registry. The answer is the same as a full run
(``tests/test_incremental.py`` compares the two on random sequences of changes).
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass

from committee_cli.errors import Problem
from committee_cli.model.records import CONFIG_FILE, KINDS
from committee_cli.model.registry import Registry
from committee_cli.rules.base import Rule
from committee_cli.rules.catalogue import rule_catalogue
from committee_cli.store.cache import NAMESPACE, Cache, problem_json, problems_from_json
from committee_cli.store.loader import LoadResult
from committee_cli.store.packed import KEY_SIZE, PackedFiles, pack_paths, unpack_paths

KEPT_RESULTS = _BLOB = "rule-results"  # the cache's name for the rules' kept results
_FORMAT = 2  # the problems as lines of JSON after the files (1: quoted in the head)
_SPLICED = 64  # changed files beyond which the kept owners are packed anew, not spliced
_OWNED = ("decision", "seat", "regulation", "task")  # kinds with a `committee` field
Owners = dict[str, str | None]  # file -> the committee it belongs to (None: no committee)


@dataclass
class _Kept:
    """The per-rule problems of an earlier state, with the files' keys and owners then
    (``owned``: each file's owner, packed in path order); a kept problem is written again as
    the text it was read from (``store.cache.problem_json``)."""

    files: PackedFiles
    owned: bytes
    problems: dict[str, list[Problem]]

    @functools.cached_property
    def owners(self) -> Owners:
        """The committee each file belonged to then."""
        return dict(zip(self.files.paths, [owner or None for owner in unpack_paths(self.owned)],
                        strict=True))


def _owners(reg: Registry, kept: _Kept | None = None, changed: set[str] | None = None) -> Owners:
    """The committee each file belongs to; a file unchanged since ``kept`` keeps its owner then
    (it holds the same record)."""
    if kept is not None and changed is not None:
        # a file unchanged holds the same record; only files of records are kept (a file that
        # holds no record changed, or is still without one: it has no owner either way)
        owners = dict(kept.owners)
        for rel in changed:
            owners.pop(rel, None)
        records = [(found, rel) for rel in changed if (found := _record_of(reg, rel))]
    else:
        owners, records = {}, list(reg.files.items())
    for (kind, record_id), rel in records:
        if kind == "committee":
            owners[rel] = record_id
        elif kind in _OWNED:
            record = reg.table(kind).get(record_id)
            owners[rel] = getattr(record, "committee", None)
        else:
            owners[rel] = None
    return owners


def _signature(rules: Iterable[Rule]) -> list[str]:
    return [NAMESPACE, *(f"{r.code}:{r.scope}:{','.join(r.reads)}" for r in rules)]


def _touches(changed: set[str], kinds: tuple[str, ...]) -> bool:
    """Whether a changed file is a record of one of ``kinds``."""
    folders = tuple(KINDS[kind][0] + "/" for kind in kinds)
    return any(rel.startswith(folders) for rel in changed)


# The kept results: a line of JSON (the signature, how many problems each rule has, the byte
# lengths of what follows), then every file's path NUL-joined in path order, its owner
# likewise ("" for none), its 20-byte content key one after another, and each problem's JSON
# text on a line, rule after rule: a national registry's 75,000 keys and owners are neither
# written nor read as JSON, nor its thousands of warnings quoted into it.


def _read_kept(cache: Cache | None, incremental: list[Rule]) -> _Kept | None:
    payload = cache.read_blob(_BLOB) if cache is not None else None
    if payload is None:
        return None
    try:
        head_end = payload.index(b"\n")
        head = json.loads(payload[:head_end])
        if head["signature"] != _signature(incremental) or head.get("format") != _FORMAT:
            return None
        count, names_size, owners_size = int(head["count"]), int(head["names"]), int(head["owners"])
        start = head_end + 1
        names = payload[start:start + names_size]
        owned = payload[start + names_size:start + names_size + owners_size]
        values_end = start + names_size + owners_size + count * KEY_SIZE
        files = PackedFiles.read(names, payload[start + names_size + owners_size:values_end])
        if len(files) != count or (owned.count(b"\0") + 1 if count else 0) != count:
            return None
        text = payload[values_end:].decode("utf-8", "surrogateescape")
        texts = text.split("\n") if text else []
        counts = {str(code): int(found) for code, found in dict(head["problems"]).items()}
        if sum(counts.values()) != len(texts):
            return None
        problems, at = {}, 0
        for code, found in counts.items():
            problems[code] = problems_from_json(texts[at:at + found])
            at += found
        return _Kept(files, owned, problems)
    except (ValueError, KeyError, TypeError):
        return None  # whatever is wrong in a cache: run everything


def _keep(cache: Cache, incremental: list[Rule], files: PackedFiles, owners: Owners,
          problems: dict[str, list[Problem]], kept: _Kept | None, changed: set[str]) -> None:
    if kept is not None and kept.files.names == files.names \
            and all(owners.get(rel) == kept.owners.get(rel) for rel in changed):
        owned = kept.owned  # the same files, each with the same owner
    else:
        owned = _owned_spliced(kept, files, owners, changed) \
            or pack_paths(owners.get(rel) or "" for rel in files.paths)
    head = {"signature": _signature(incremental), "format": _FORMAT, "count": len(files),
            "names": len(files.names), "owners": len(owned),
            "problems": {code: len(found) for code, found in problems.items()}}
    # each problem's JSON text on a line of its own (JSON text holds no raw newline), after
    # the files: the thousands of warnings of a national registry are not quoted into JSON
    texts = "\n".join([problem_json(p) for found in problems.values() for p in found])
    cache.write_blob(_BLOB, b"".join([json.dumps(head).encode("ascii"), b"\n", files.names,
                                      owned, files.values, texts.encode("utf-8", "surrogateescape")]))


def _owned_spliced(kept: _Kept | None, files: PackedFiles, owners: Owners,
                   changed: set[str]) -> bytes | None:
    """The owners of ``files`` packed as ``_keep`` packs them, from the kept ones with the few
    ``changed`` files set, added or removed (a file unchanged keeps its owner); None when
    there is nothing kept, many files changed, or the result does not line up with ``files``
    (then they are packed anew)."""
    if kept is None or not len(kept.files) or len(changed) > _SPLICED:
        return None
    paths, parts, listed = list(kept.files.paths), kept.owned.split(b"\0"), files.paths
    for rel in sorted(changed):
        index = bisect.bisect_left(paths, rel)
        present = index < len(paths) and paths[index] == rel
        at = bisect.bisect_left(listed, rel)
        owner = pack_paths([owners.get(rel) or ""])
        if not (at < len(listed) and listed[at] == rel):  # gone
            if present:
                del paths[index], parts[index]
        elif present:
            parts[index] = owner
        else:
            paths.insert(index, rel)
            parts.insert(index, owner)
    return b"\0".join(parts) if paths == files.paths and paths else None


def _part(reg: Registry, keep: dict[str, set[str] | None]) -> Registry:
    """A registry holding, of each kind, the records whose ids ``keep`` names (None: all)."""
    part = Registry(config=reg.config, files=reg.files)
    for kind in KINDS:
        wanted = keep.get(kind, set())
        table = reg.table(kind)
        part.table_set(kind, table if wanted is None  # (rules read, never write, a registry)
                       else {rid: table[rid] for rid in sorted(wanted) if rid in table})
    return part


_FOLDER_KINDS = {folder: kind for kind, (folder, _) in KINDS.items()}


def _record_of(reg: Registry, rel: str) -> tuple[str, str] | None:
    """The (kind, id) of the record a file holds now (None: it holds none)."""
    folder, _, name = rel.partition("/")
    kind, record_id = _FOLDER_KINDS.get(folder), name[:-len(".yaml")]
    if kind is None or record_id not in reg.table(kind) \
            or reg.files.get((kind, record_id)) != rel:
        return None
    return kind, record_id


def _ids(reg: Registry, rels: set[str]) -> dict[str, set[str] | None]:
    wanted: dict[str, set[str] | None] = {kind: set() for kind in KINDS}
    for rel in rels:
        if found := _record_of(reg, rel):
            ids = wanted[found[0]]
            assert ids is not None
            ids.add(found[1])
    return wanted


def _records_of(reg: Registry, rels: set[str]) -> dict[str, set[str]] | None:
    """The records the files hold now, by kind (None: one of them holds no record)."""
    wanted: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for rel in rels:
        found = _record_of(reg, rel)
        if found is None:
            return None
        wanted[found[0]].add(found[1])
    return wanted


def _committee_part(reg: Registry, affected: set[str], owners: Owners) -> Registry:
    """The records of the ``affected`` committees, every decision and every shared record
    (found by the files' owners: no other committee's record is built)."""
    keep: dict[str, set[str] | None] = {kind: None for kind in KINDS}
    keep["committee"] = affected & reg.committees.keys()
    kept: dict[str, set[str]] = {kind: set() for kind in ("seat", "regulation", "task")}
    # (the few files those committees own, found by owner: not every record's file looked up)
    for rel in [rel for rel, owner in owners.items() if owner in affected]:
        found = _record_of(reg, rel)
        if found is not None and found[0] in kept:
            kept[found[0]].add(found[1])
    keep.update(kept)
    part = _part(reg, keep)
    part.focus = frozenset(affected)
    return part


def _affected(reg: Registry, kept: _Kept, changed: set[str], owners: Owners) -> set[str] | None:
    """The committees whose committee-scope problems may differ (None: every committee)."""
    affected: set[str] = set()
    for rel in changed:
        for owner_map in (kept.owners, owners):
            if rel in owner_map:
                owner = owner_map[rel]
                if owner is None:
                    return None  # a record of no committee changed
                affected.add(owner)
    changed_decisions = {rel.split("/", 1)[1][:-len(".yaml")] for rel in changed
                         if rel.startswith(KINDS["decision"][0] + "/")}
    if changed_decisions:  # a committee's own life: established and dissolved by decisions
        for cid, com in reg.committees.items():
            for event in (com.established, com.dissolved):
                if event is not None and event.decision in changed_decisions:
                    affected.add(cid)
    for decision_id in changed_decisions:
        for kind, record_id, _ in reg.events_citing(decision_id):
            if kind == "duty" or kind == "committee":
                affected.add(record_id.split("/", 1)[0])
            else:
                record = reg.table(kind).get(record_id)
                committee = getattr(record, "committee", None)
                if committee is not None:
                    affected.add(committee)
    return affected


def check(result: LoadResult, keep: bool = True) -> list[Problem]:
    """Run every registry rule (not the base-revision ones) and return new problems, re-running
    record and committee rules only where the change since the cached results can matter
    (``keep``: keep the results for the next state; not for a state never written, such as
    a dry run's, whose files the next run would find changed back)."""
    reg = result.registry
    rules = [rule for rule in rule_catalogue() if rule.check is not None]
    incremental = [rule for rule in rules if rule.scope != "registry"]
    files = result.packed_keys()
    cache = result.cache if files is not None else None  # (SHA-256 keys: nothing kept)
    read = _read_kept(cache, incremental) if incremental else None
    kept = read
    changed: set[str] = set()
    affected: set[str] | None = None
    if kept is not None and files is not None:
        changed = files.changed(kept.files)
        if kept.files.names == files.names:
            kept.files = files  # (the same paths: unpacked once, not once each)
        else:
            kept.files = files.twin(kept.files)  # (the state changed: its paths unpacked)
        if CONFIG_FILE in changed or len(changed) * 4 > len(files):
            kept = None  # registry.yaml, or most files: run everything
    owners = _owners(reg, kept, changed) if incremental and cache is not None else {}
    if kept is not None:
        affected = _affected(reg, kept, changed, owners)
    found: list[Problem] = []
    per_rule: dict[str, list[Problem]] = {}
    record_part: Registry | None = None
    committee_part: Registry | None = None
    for rule in rules:
        assert rule.check is not None
        if kept is None or rule.scope == "registry" or rule.code not in kept.problems or (
                rule.scope == "committee" and affected is None):
            problems = list(rule.check(reg))
        elif rule.scope == "kinds":
            problems = list(rule.check(reg)) if _touches(changed, rule.reads) \
                else list(kept.problems[rule.code])
        elif rule.scope == "ids":
            assert rule.check_records is not None
            again = _records_of(reg, changed | {p.file for p in kept.problems[rule.code]})
            problems = list(rule.check(reg) if again is None
                            else rule.check_records(reg, again))
        elif rule.scope == "record":
            if record_part is None:
                record_part = _part(reg, _ids(reg, changed))
            problems = [p for p in kept.problems[rule.code] if p.file not in changed]
            problems += [p for p in rule.check(record_part) if p.file in changed]
        else:
            assert affected is not None
            if committee_part is None:
                committee_part = _committee_part(reg, affected, owners)
            problems = [p for p in kept.problems[rule.code]
                        if kept.owners.get(p.file) not in affected]
            problems += [p for p in rule.check(committee_part) if owners.get(p.file) in affected]
        if rule.scope != "registry":
            per_rule[rule.code] = problems
        found.extend(problems)
    if keep and incremental and cache is not None and files is not None:
        _keep(cache, incremental, files, owners, per_rule, read, changed)
    return found


def check_revision(base: Registry, head: Registry) -> list[Problem]:
    """Run the rules that compare ``head`` with its ``base`` revision (R2xx), unlocated."""
    found: list[Problem] = []
    for rule in rule_catalogue():
        if rule.check_base is not None:
            found.extend(rule.check_base(base, head))
    return found


def validate(result: LoadResult, keep: bool = True) -> list[Problem]:
    """All problems of a loaded registry (load and rules), located and sorted (``keep``: as
    for ``check``)."""
    problems = result.problems + check(result, keep)
    located = result.locate(problems)
    unique = list(dict.fromkeys(located))
    return sorted(unique, key=Problem.sort_key)
