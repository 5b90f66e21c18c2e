"""Running the rules over a loaded registry, and against a base revision.

Incremental validation: the problems of every rule whose scope is "record" or "committee"
(``committee_cli.rules.base.Scope``) are kept in the cache with the content key of every file
and the committee each file belongs to. The next state re-runs such a rule only over the
records its scope says can have changed problems: the changed files (record scope), or the
committees that own a changed file or cite a changed decision (committee scope); the other
problems come from the kept results. A "kinds" rule (it reads only the kinds it names) keeps
its problems whole while no file of those kinds changed. A change to ``registry.yaml`` or (for
committee scope) to a record that belongs to no committee runs the rule over everything again.
"registry" rules always run over the whole registry. The answer is the same as a full run
(``tests/test_incremental.py`` compares the two on random sequences of changes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from committee_cli.errors import Problem
from committee_cli.model.records import CONFIG_FILE, KINDS
from committee_cli.model.registry import Registry
from committee_cli.rules.base import Rule
from committee_cli.rules.catalogue import rule_catalogue
from committee_cli.store.cache import NAMESPACE, Cache, problem_from_json, problem_json
from committee_cli.store.loader import LoadResult

_BLOB = "rule-results"
_OWNED = ("decision", "seat", "regulation", "task")  # kinds with a `committee` field
Owners = dict[str, str | None]  # file -> the committee it belongs to (None: no committee)


@dataclass
class _Kept:
    """The per-rule problems of an earlier state, with the files' keys and owners then."""

    keys: dict[str, str]
    owners: Owners
    problems: dict[str, list[Problem]]


def _owners(reg: Registry) -> Owners:
    owners: Owners = {}
    for (kind, record_id), rel in reg.files.items():
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


def _read_kept(cache: Cache | None, incremental: list[Rule]) -> _Kept | None:
    payload = cache.read_blob(_BLOB) if cache is not None else None
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        if data["signature"] != _signature(incremental):
            return None
        return _Kept(dict(data["keys"]), dict(data["owners"]),
                     {code: [problem_from_json(t) for t in texts]
                      for code, texts in data["problems"].items()})
    except (ValueError, KeyError, TypeError):
        return None  # whatever is wrong in a cache: run everything


def _keep(cache: Cache | None, incremental: list[Rule], keys: dict[str, str], owners: Owners,
          problems: dict[str, list[Problem]]) -> None:
    if cache is None:
        return
    data = {"signature": _signature(incremental), "keys": keys, "owners": owners,
            "problems": {code: [problem_json(p) for p in found]
                         for code, found in problems.items()}}
    cache.write_blob(_BLOB, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _part(reg: Registry, keep: dict[str, set[str] | None]) -> Registry:
    """A registry holding, of each kind, the records whose ids ``keep`` names (None: all)."""
    part = Registry(config=reg.config, files=reg.files)
    for kind in KINDS:
        wanted = keep.get(kind, set())
        table = reg.table(kind)
        part.table_set(kind, dict(table) if wanted is None
                       else {rid: table[rid] for rid in wanted if rid in table})
    return part


def _ids(reg: Registry, rels: set[str]) -> dict[str, set[str] | None]:
    wanted: dict[str, set[str] | None] = {kind: set() for kind in KINDS}
    for (kind, record_id), rel in reg.files.items():
        if rel in rels:
            found = wanted[kind]
            assert found is not None
            found.add(record_id)
    return wanted


def _committee_part(reg: Registry, affected: set[str]) -> Registry:
    """The records of the ``affected`` committees, every decision and every shared record."""
    keep: dict[str, set[str] | None] = {kind: None for kind in KINDS}
    keep["committee"] = affected & set(reg.committees)
    for kind in ("seat", "regulation", "task"):
        keep[kind] = {rid for rid, record in reg.table(kind).items()
                      if getattr(record, "committee", None) in affected}
    return _part(reg, keep)


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


def check(result: LoadResult) -> list[Problem]:
    """Run every registry rule (not the base-revision ones) and return new problems, re-running
    record and committee rules only where the change since the cached results can matter."""
    reg = result.registry
    rules = [rule for rule in rule_catalogue() if rule.check is not None]
    incremental = [rule for rule in rules if rule.scope != "registry"]
    cache = result.cache
    keys = {rel: key.hex() for rel, key in result.keys.items()}
    kept = _read_kept(cache, incremental) if incremental else None
    owners = _owners(reg) if incremental and cache is not None else {}
    changed: set[str] = set()
    affected: set[str] | None = None
    if kept is not None:
        changed = {rel for rel in keys.keys() | kept.keys.keys()
                   if keys.get(rel) != kept.keys.get(rel)}
        if CONFIG_FILE in changed or len(changed) * 4 > len(keys):
            kept = None  # registry.yaml, or most files: run everything
        else:
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
        elif rule.scope == "record":
            if record_part is None:
                record_part = _part(reg, _ids(reg, changed))
            problems = [p for p in kept.problems[rule.code] if p.file not in changed]
            problems += [p for p in rule.check(record_part) if p.file in changed]
        else:
            assert affected is not None
            if committee_part is None:
                committee_part = _committee_part(reg, affected)
            problems = [p for p in kept.problems[rule.code]
                        if kept.owners.get(p.file) not in affected]
            problems += [p for p in rule.check(committee_part) if owners.get(p.file) in affected]
        if rule.scope != "registry":
            per_rule[rule.code] = problems
        found.extend(problems)
    if incremental and cache is not None:
        _keep(cache, incremental, keys, owners, per_rule)
    return found


def check_revision(base: Registry, head: Registry) -> list[Problem]:
    """Run the rules that compare ``head`` with its ``base`` revision (R2xx), unlocated."""
    found: list[Problem] = []
    for rule in rule_catalogue():
        if rule.check_base is not None:
            found.extend(rule.check_base(base, head))
    return found


def validate(result: LoadResult) -> list[Problem]:
    """All problems of a loaded registry (load and rules), located and sorted."""
    problems = result.problems + check(result)
    located = result.locate(problems)
    unique = list(dict.fromkeys(located))
    return sorted(unique, key=Problem.sort_key)
