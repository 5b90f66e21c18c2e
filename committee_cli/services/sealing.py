"""Sealing signed decisions by what they state (docs/signed-decisions.md).

A signature of scheme 2 keeps the sha256 of the decision's facts (:mod:`committee_cli.queries.
content`): every name, title, member line, duty, article, legal basis, issuer and signer its
document states, as of its date. The registry stays the single source: only the fingerprint is
stored in YAML. To say *which* fact changed, the signed facts are found again in the cache
(kept by fingerprint whenever they were seen to match) or recomputed from git (HEAD, or the
commit that wrote the fingerprint). Each signed decision's current fingerprint is cached, keyed
by the content hashes of the records it was computed from, so a validate after a small edit
recomputes only the decisions whose inputs changed; and the files of the state it was last
checked in, so that a run after a change of a few seats, people or decisions looks only at the
decisions that read one of them or are cited by one (docs/performance.md).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from committee_cli.errors import CommitteeError, ExitCode, Problem, UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import CONFIG_FILE, FOLDER_KIND, Decision, Signature
from committee_cli.model.registry import Registry, record_events
from committee_cli.queries.content import (
    SCHEME,
    Citing,
    Fact,
    FactChange,
    Origin,
    citing_of,
    compare_facts,
    content_facts,
    decision_content,
    fingerprint_facts,
)
from committee_cli.rules import signed_rules
from committee_cli.rules.registry_rules import fingerprint as file_fingerprint
from committee_cli.store import GitSource, LoadResult, load
from committee_cli.store.cache import NAMESPACE, Cache
from committee_cli.store.packed import PackedFiles
from committee_cli.store.source import git
from committee_cli.vietnamese import short_citation

Pairs = list[tuple[str, Any]]

# --- the cache of facts ---------------------------------------------------------------------


def _encode(found: list[Fact]) -> bytes:
    rows = [[f.path, f.value, f.origin.kind, f.origin.id, list(f.origin.path)] for f in found]
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"), 1)


def _decode(blob: bytes) -> list[Fact]:
    rows = json.loads(zlib.decompress(blob).decode("utf-8"))
    return [Fact(path, value, Origin(kind, rid, tuple(at))) for path, value, kind, rid, at in rows]


class FactsStore:
    """Per registry (sealed in its cache, as JSON: data, never code): each signed decision's last
    fingerprint with the content hashes of its inputs, and signed facts by fingerprint (kept
    apart and read only when asked for: most runs only compare fingerprints).

    With them, the state they were checked in (``basis``: every file's content key, packed,
    kept apart and named by its digest) and the signed decisions whose fingerprint matched
    then (``matched``). Each decision's inputs (``reads``) name every record its facts read and
    every record citing it, so the decisions a change can reach are found from the files that
    changed since the basis."""

    NAME = "signed-facts"
    SEALED = "signed-facts-sealed"
    BASIS = "signed-facts-basis"
    # what a decision's inputs name: 2, the records its facts read, itself and every record
    # citing it (an earlier store named only the first: its decisions are computed again)
    DEPS = 2
    # 2: a line of JSON, then a line for each decision (id, key, value, reads: tab-separated;
    # ids, keys, fingerprints and what a decision read hold no tab or newline), not one JSON
    # object of every decision (a national registry's 3,000 are parsed in a fifth of the time)
    FORMAT = 2

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        # each decision: the key of its inputs, what it read ("kind\0id\0…", sorted), its value
        self.current: dict[str, tuple[bytes, str, str]] = {}
        self.matched: set[str] = set()
        self._basis_digest = ""
        self._basis: PackedFiles | None = None
        self._sealed: dict[str, bytes] | None = None
        self.dirty = False
        self._sealed_dirty = False
        blob = cache.read_blob(self.NAME) if cache is not None else None
        if blob is None:
            return
        try:
            head, _, rest = blob.decode("utf-8").partition("\n")
            stored = json.loads(head)
            if stored.get("namespace") == NAMESPACE and stored.get("deps") == self.DEPS \
                    and stored.get("format") == self.FORMAT:
                current: dict[str, tuple[bytes, str, str]] = {}
                for line in rest.split("\n") if rest else []:
                    did, key, value, reads = line.split("\t", 3)
                    current[did] = (bytes.fromhex(key), reads, value)
                self.current = current
                self.matched = set(stored["matched"])
                self._basis_digest = str(stored["basis"])
        except (ValueError, KeyError, TypeError, AttributeError):
            self.current, self.matched, self._basis_digest = {}, set(), ""

    def basis(self) -> PackedFiles | None:
        """The files of the state ``current`` and ``matched`` were checked in (None: unknown)."""
        if not self._basis_digest or self.cache is None:
            return None
        blob = self.cache.read_blob(self.BASIS)
        if blob is None or _digest(blob) != self._basis_digest or len(blob) < 8:
            return None
        size = int.from_bytes(blob[:8], "big")
        try:
            return PackedFiles.read(blob[8:8 + size], blob[8 + size:])
        except ValueError:
            return None

    def checked_in(self, files: PackedFiles | None) -> None:
        """Note the state this run checked (None: one whose keys cannot be packed)."""
        self._basis = files
        self.dirty = True

    @property
    def sealed(self) -> dict[str, bytes]:
        """The compressed facts of each fingerprint seen (read on first use)."""
        if self._sealed is None:
            self._sealed = {}
            blob = self.cache.read_blob(self.SEALED) if self.cache is not None else None
            try:
                stored = json.loads(blob.decode("utf-8")) if blob is not None else {}
                if stored.get("namespace") == NAMESPACE:
                    self._sealed = {fp: base64.b64decode(data)
                                    for fp, data in stored["sealed"].items()}
            except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
                self._sealed = {}
        return self._sealed

    @classmethod
    def read_ahead(cls, cache: Cache) -> None:
        """Start reading the store in threads (``Cache.prefetch_blob``), for a check later in
        the run: a change reads it after its use case and the rules."""
        cache.prefetch_blob(cls.NAME)
        cache.prefetch_blob(cls.BASIS)

    @classmethod
    def of(cls, root: Path | None) -> FactsStore:
        """The store of a registry folder (empty, unsaved, when caching is off)."""
        return cls(Cache.open(root) if root is not None else None)

    def signed(self, fingerprint: str) -> list[Fact] | None:
        """The facts a fingerprint was taken of, when seen before."""
        blob = self.sealed.get(fingerprint)
        return _decode(blob) if blob is not None else None

    def remember(self, fingerprint: str, found: list[Fact]) -> None:
        """Keep the facts of a fingerprint (once)."""
        if fingerprint not in self.sealed:
            self.sealed[fingerprint] = _encode(found)
            self._sealed_dirty = True

    def save(self) -> None:
        """Write what changed (a failure is only a slower next run: the basis is written
        first and named by its digest, so a store whose basis was not written has none)."""
        if self.cache is None:
            return
        if self.dirty:
            cache, basis, known = self.cache, self._basis, self._basis_digest
            matched = sorted(self.matched)
            lines = "\n".join([f"{did}\t{key.hex()}\t{value}\t{reads}"
                               for did, (key, reads, value) in self.current.items()])

            def write() -> None:  # (the basis first: a store whose basis is not written has none)
                digest = ""
                if basis is not None:
                    blob = len(basis.names).to_bytes(8, "big") + basis.names + basis.values
                    digest = _digest(blob)
                    if digest != known:
                        cache.write_blob(self.BASIS, blob)
                head = json.dumps({"namespace": NAMESPACE, "deps": self.DEPS,
                                   "format": self.FORMAT, "basis": digest, "matched": matched},
                                  ensure_ascii=False)
                cache.write_blob(self.NAME, (head + "\n" + lines if lines else head)
                                 .encode("utf-8"))

            cache.later(write)  # (hashing and writing megabytes: done while the run goes on)
            self.dirty = False
        if self._sealed_dirty and self._sealed is not None:
            data = {"namespace": NAMESPACE,
                    "sealed": {fp: base64.b64encode(blob).decode("ascii")
                               for fp, blob in self._sealed.items()}}
            self.cache.write_blob(self.SEALED, json.dumps(data).encode("utf-8"))
            self._sealed_dirty = False


def _digest(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def _rel(reg: Registry, kind: str, rid: str) -> str:
    if kind == "registry":
        return CONFIG_FILE
    return reg.file_of(kind, rid) or f"{kind}:{rid}"


def reads_text(reads: Iterable[tuple[str, str]]) -> str:
    """What a decision's facts read (kind and id of each record, sorted), as one text."""
    return "\0".join(f"{kind}\0{rid}" for kind, rid in reads)


class _Inputs:
    """The content hashes a decision's facts depend on, for the per-decision cache."""

    def __init__(self, reg: Registry, keys: Mapping[str, bytes]) -> None:
        self.reg = reg
        self.keys = keys
        self.children: dict[str, list[str]] = {}
        for cid, parent in sorted(reg.column("committee", "parent")):  # (none built)
            if parent:
                self.children.setdefault(parent, []).append(cid)
        self.units: dict[str, list[str]] = {}  # organisations under each (a new unit counts)
        for oid, parents in sorted(reg.column("organisation", "parents")):
            for parent in (parents or "").split():
                self.units.setdefault(parent, []).append(oid)

    def key(self, decision_id: str, reads: str) -> bytes:
        """The key of a decision's inputs: what it read (``reads_text``), what cites it, the
        committees under its committee and the units under its issuer."""
        parts = reads.split("\0") if reads else []
        files, keys = self.reg.files, self.keys
        state = hashlib.blake2b(b"".join([decision_id.encode(), *(
            keys.get(CONFIG_FILE if kind == "registry"
                     else files.get((kind, rid)) or f"{kind}:{rid}", b"-" + kind.encode())
            for kind, rid in zip(parts[::2], parts[1::2], strict=True))]), digest_size=16)
        state.update(repr(citing_of(self.reg, decision_id)).encode())
        decision = self.reg.decisions[decision_id]
        state.update(repr(self.children.get(decision.committee or "", [])).encode())
        state.update(repr(self.units.get(decision.issuer, [])).encode())
        return state.digest()


def _citing_records(citing: Citing) -> set[tuple[str, str]]:
    """The records citing a decision (kind, id)."""
    return {*(("seat", sid) for sid in (*citing.seats_started, *citing.seats_ended)),
            *(("committee", cid) for cid, _ in (*citing.duties_started, *citing.duties_ended)),
            *(("regulation", rid) for rid in citing.regulations),
            *(("task", tid) for tid in citing.tasks)}


def reached(reg: Registry, store: FactsStore, changed: set[str]) -> set[str] | None:
    """The decisions whose inputs a change of the files ``changed`` (since the store's basis)
    can have reached: those whose inputs name a record of a changed file, and those a record
    of a changed file cites now. None when that cannot be told from the files alone: the
    registry's settings, a committee (its duties and the committees under one) or an
    organisation (the units under one) changed, or a file that is no record's."""
    names: list[str] = []
    found: set[str] = set()
    for rel in changed:
        folder, _, name = rel.partition("/")
        kind = FOLDER_KIND.get(folder)
        if kind is None or kind in ("committee", "organisation") or "/" in name \
                or not name.endswith(".yaml"):
            return None
        record_id = name[:-len(".yaml")]
        names.append(f"\0{kind}\0{record_id}\0")
        if kind == "decision":
            found.add(record_id)
        record = reg.table(kind).get(record_id)
        if record is not None:
            found.update(decision for decision, _ in record_events(kind, record))
    if names:
        for did, (_, reads, _) in store.current.items():
            text = f"\0{reads}\0"
            if any(name in text for name in names):
                found.add(did)
    return found


def current_fingerprint(reg: Registry, decision_id: str, inputs: _Inputs | None = None,
                        store: FactsStore | None = None) -> tuple[str, list[Fact] | None]:
    """The scheme-2 fingerprint of a decision's facts now (from the cache when its inputs are
    unchanged), and the facts when they were computed."""
    if inputs is not None and store is not None:
        cached = store.current.get(decision_id)
        if cached is not None and inputs.key(decision_id, cached[1]) == cached[0]:
            return cached[2], None
    content = decision_content(reg, decision_id)
    found = content_facts(content)
    value = fingerprint_facts([(f.path, f.value) for f in found])
    if inputs is not None and store is not None:
        reads = reads_text(sorted(content.reads | {("decision", decision_id)}
                                  | _citing_records(citing_of(reg, decision_id))))
        store.current[decision_id] = (inputs.key(decision_id, reads), reads, value)
        store.dirty = True
    return value, found


def facts_now(reg: Registry, decision_id: str) -> list[Fact]:
    """A decision's facts in this registry."""
    return content_facts(decision_content(reg, decision_id))


# --- finding the signed facts again -----------------------------------------------------------


class _GitHistory:
    """Registries at git revisions, loaded at most once each, for recomputing signed facts."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.loaded: dict[str, Registry | None] = {}

    def registry(self, rev: str) -> Registry | None:
        if self.root is None:
            return None
        if rev not in self.loaded:
            try:
                self.loaded[rev] = load(GitSource(self.root, rev)).registry
            except CommitteeError:
                self.loaded[rev] = None
        return self.loaded[rev]

    def writer_of(self, reg: Registry, decision_id: str, fingerprint: str) -> str | None:
        """The commit that wrote ``fingerprint`` into the decision's file."""
        if self.root is None:
            return None
        rel = reg.file_of("decision", decision_id)
        try:
            out = git(self.root, "log", "-1", "--format=%H", f"-S{fingerprint}", "--", rel)
        except CommitteeError:
            return None
        return out.decode().strip() or None

    def facts(self, reg: Registry, decision_id: str, fingerprint: str) -> list[Fact] | None:
        """The facts that gave ``fingerprint``, recomputed at HEAD or at the signing commit."""
        revisions = ["HEAD"]
        writer = self.writer_of(reg, decision_id, fingerprint)
        if writer:
            revisions.append(writer)
        for rev in revisions:
            old = self.registry(rev)
            if old is None or decision_id not in old.decisions:
                continue
            found = facts_now(old, decision_id)
            if fingerprint_facts([(f.path, f.value) for f in found]) == fingerprint:
                return found
        return None


def signed_facts(reg: Registry, decision_id: str, fingerprint: str, store: FactsStore,
                 history: _GitHistory) -> list[Fact] | None:
    """The facts a decision was signed with: from the cache, else recomputed from git."""
    found = store.signed(fingerprint)
    if found is None:
        found = history.facts(reg, decision_id, fingerprint)
        if found is not None:
            store.remember(fingerprint, found)
    return found


# --- the checks ----------------------------------------------------------------------------------


def _citation(dec: Decision) -> str:
    return short_citation(dec.number, dec.symbol)


def _grouped(changes: list[FactChange]) -> list[tuple[Origin | None, list[FactChange]]]:
    """Changes by the record field they were read from; origins whose changes are only
    renumbered lines come last (they follow from another edit)."""
    groups: dict[tuple[str, str] | None, list[FactChange]] = {}
    first: dict[tuple[str, str] | None, Origin | None] = {}
    for change in changes:
        key = (change.origin.kind, change.origin.id) if change.origin else None
        groups.setdefault(key, []).append(change)
        first.setdefault(key, change.origin)
    ordered = sorted(groups, key=lambda k: all(c.path.endswith(".line") for c in groups[k]))
    return [(first[k], groups[k]) for k in ordered]


def _located(reg: Registry, origin: Origin | None, decision_id: str
             ) -> tuple[str, tuple[str | int, ...]]:
    if origin is None:
        return reg.file_of("decision", decision_id), ("signature", "fingerprint")
    return _rel(reg, origin.kind, origin.id), origin.path


MAX_PROBLEMS_PER_DECISION = 3


def unsealed_problems(reg: Registry, decision_id: str, before: list[Fact] | None,
                      now: list[Fact], *, commit: Callable[[str], str] | None = None
                      ) -> list[Problem]:
    """R130 (or, with ``commit``, R131) for a decision whose facts differ from ``before``:
    one problem per record whose edit changed a fact, at that record's field."""
    dec = reg.decisions[decision_id]
    if before is None:
        return [signed_rules.facts_unknown(decision_id, _citation(dec),
                                           reg.file_of("decision", decision_id))]
    changes = compare_facts([(f.path, f.value) for f in before], now,
                            {f.path: f.origin for f in before})
    problems: list[Problem] = []
    for origin, group in _grouped(changes)[:MAX_PROBLEMS_PER_DECISION]:
        file, path = _located(reg, origin, decision_id)
        rows = [(c.path, c.before, c.after) for c in group]
        if commit is None:
            problems.append(signed_rules.facts_changed(decision_id, _citation(dec), rows, file,
                                                       path))
        else:
            problems.append(signed_rules.changed_since_base(decision_id, _citation(dec), rows,
                                                            file, path, commit(file)))
    return problems


def check_signed(result: LoadResult, root: Path | None, cache: Cache | None) -> list[Problem]:
    """R130, R132, R133 over every signed decision of a loaded registry (unlocated).

    A decision whose fingerprint matched in the state the store was last checked in, and
    which no changed file since can reach (``reached``), is not looked at again: after an
    amendment, the few decisions that read or are cited by its seats are."""
    reg = result.registry
    store = FactsStore(cache)
    inputs: _Inputs | None = None  # (none needed while every signature is of scheme 1)
    history = _GitHistory(root)
    files = result.packed_keys()
    basis = store.basis() if files is not None else None
    changed = basis.changed(files) if basis is not None and files is not None else None
    again = reached(reg, store, changed) if changed is not None else None
    matched: set[str] = set()
    # which decisions are signed, and by which scheme, is kept beside each record: a decision
    # signed by scheme 1 is reported without building it
    problems = signed_rules.old_schemes(reg)
    for did, sealed in sorted(reg.column("decision", "sealed")):
        if sealed is None or sealed == "1":
            continue
        if again is not None and did not in again and did in store.matched:
            matched.add(did)  # (neither its signature nor any of its inputs changed)
            continue
        file = reg.file_of("decision", did)
        dec = reg.decisions[did]
        sig = dec.signature
        if sig is None:  # (never: "sealed" is kept from the record itself)
            continue
        if sig.scheme > SCHEME:
            problems.append(signed_rules.unknown_scheme(did, sig.scheme, SCHEME, file))
            continue
        inputs = inputs or _Inputs(reg, result.keys)
        seen = store.current.get(did)
        value, found = current_fingerprint(reg, did, inputs, store)
        if value == sig.fingerprint:
            matched.add(did)
            if found is not None and (seen is None or seen[2] != value):
                store.remember(value, found)  # (facts already kept when this was last seen)
            continue
        now = found if found is not None else facts_now(reg, did)
        before = signed_facts(reg, did, sig.fingerprint, store, history)
        problems.extend(unsealed_problems(reg, did, before, now))
    if files is None:  # (keys that cannot be packed: no basis, and none of an earlier state)
        if store.dirty:
            store.checked_in(None)
    elif changed is None or changed or matched != store.matched:
        store.matched = matched
        store.checked_in(files)
    store.save()
    return problems


def refuse_unsealed(reg: Registry, decision_id: str, root: Path | None) -> None:
    """Refuse (exit 1) to render a signed decision whose facts no longer match its signature."""
    dec = reg.decisions.get(decision_id)
    if dec is None or dec.status != "signed" or dec.signature is None \
            or dec.signature.scheme < SCHEME:
        return
    now = facts_now(reg, decision_id)
    if fingerprint_facts([(f.path, f.value) for f in now]) == dec.signature.fingerprint:
        return
    store = FactsStore.of(root)
    before = signed_facts(reg, decision_id, dec.signature.fingerprint, store,
                          _GitHistory(root))
    store.save()
    problems = unsealed_problems(reg, decision_id, before, now)
    lines = [f"{p.file}: {p.code} {p.message}" for p in problems]
    raise CommitteeError(tr("refusing to render signed decision '{decision}': its facts no "
                            "longer match what was signed (pass --current-data to render the "
                            "registry as it is now, or --rev REV for the signed document)",
                            decision=decision_id) + "\n" + "\n".join(lines), ExitCode.PROBLEMS)


# --- against a base revision -------------------------------------------------------------------


def extends(base: Signature, head: Signature) -> bool:
    """True when ``head`` is ``base`` with only history appended (an upgrade or corrections)."""
    return head.extends(base)


def _commit_of(root: Path, base_rev: str) -> Callable[[str], str]:
    def commit(rel: str) -> str:
        try:
            pending = git(root, "status", "--porcelain", "--", rel).decode().strip()
        except CommitteeError:
            pending = ""
        if pending:
            return tr("in {file}, not yet committed", file=rel)
        try:
            out = git(root, "log", "-1", "--format=%h %s", f"{base_rev}..HEAD", "--", rel)
        except CommitteeError:
            out = b""
        text = out.decode("utf-8", "replace").strip()
        return tr("in {file}, commit {commit}", file=rel, commit=text) if text else \
            tr("in {file}", file=rel)
    return commit


def check_against_base(base: Registry, head: Registry, root: Path, base_rev: str
                       ) -> list[Problem]:
    """R131 and R134: what the change under review did to decisions signed on the base."""
    problems: list[Problem] = []
    commit = _commit_of(root, base_rev)
    for did, was in sorted(base.decisions.items()):
        now = head.decisions.get(did)
        if was.status != "signed" or was.signature is None or now is None \
                or now.status != "signed" or now.signature is None:
            continue
        if not extends(was.signature, now.signature):
            problems.append(signed_rules.history_rewritten(did, head.file_of("decision", did)))
            continue
        if now.signature.scheme < SCHEME:
            continue
        head_facts = facts_now(head, did)
        value = fingerprint_facts([(f.path, f.value) for f in head_facts])
        if value == now.signature.fingerprint:
            continue  # unchanged, or changed and acknowledged by a correction
        base_facts = facts_now(base, did)
        if [(f.path, f.value) for f in base_facts] == [(f.path, f.value) for f in head_facts]:
            continue  # already so on the base: not this change's doing
        problems.extend(unsealed_problems(head, did, base_facts, head_facts, commit=commit))
    return problems


# --- signing, correcting, upgrading ---------------------------------------------------------------


def seal(reg: Registry, decision_id: str, root: Path | None) -> str:
    """The scheme-2 fingerprint of a decision's facts in ``reg``, kept in the cache."""
    found = facts_now(reg, decision_id)
    value = fingerprint_facts([(f.path, f.value) for f in found])
    store = FactsStore.of(root)
    store.remember(value, found)
    store.save()
    return value


@dataclasses.dataclass(frozen=True)
class Correction:
    """What ``decision correct`` records: the facts changed and the new fingerprint."""

    decision: str
    changes: list[FactChange]
    fingerprint: str
    previous: str


def correction(reg: Registry, decision_id: str, root: Path | None,
               before: Registry | None = None) -> Correction:
    """The acknowledged change of a signed decision's facts (UsageError when there is none);
    ``before``: a registry whose facts of the decision may be the signed ones."""
    dec = reg.decisions[decision_id]
    sig = dec.signature
    if dec.status != "signed" or sig is None:
        raise UsageError(tr("decision '{decision}' is not signed: a draft is edited, not "
                            "corrected", decision=decision_id))
    if sig.scheme < SCHEME:
        raise UsageError(tr("decision '{decision}' is signed under fingerprint scheme "
                            "{scheme}: run `committee migrate` first", decision=decision_id,
                            scheme=sig.scheme))
    now = facts_now(reg, decision_id)
    value = fingerprint_facts([(f.path, f.value) for f in now])
    if value == sig.fingerprint:
        raise UsageError(tr("decision '{decision}' still states what was signed: there is "
                            "nothing to correct (make the edit first, then record it)",
                            decision=decision_id))
    store = FactsStore.of(root)
    signed = None
    if before is not None and decision_id in before.decisions:
        candidate = facts_now(before, decision_id)
        if fingerprint_facts([(f.path, f.value) for f in candidate]) == sig.fingerprint:
            signed = candidate
    if signed is None:
        signed = signed_facts(reg, decision_id, sig.fingerprint, store, _GitHistory(root))
    if signed is None:
        raise UsageError(tr("the facts decision '{decision}' was signed with are not at hand "
                            "(no cached copy, no git history holding them): cannot tell what "
                            "the correction changes", decision=decision_id))
    store.remember(value, now)
    store.save()
    changes = compare_facts([(f.path, f.value) for f in signed], now,
                            {f.path: f.origin for f in signed})
    return Correction(decision_id, changes, value, sig.fingerprint)


def correction_record(found: Correction, reason: str, on: dt.date) -> dict[str, Any]:
    """The YAML of a correction entry."""
    return {"date": on, "reason": reason,
            "changes": [{"fact": c.path, "before": c.before, "after": c.after}
                        for c in found.changes],
            "fingerprint": found.fingerprint}


def upgrade(reg: Registry, decision_id: str, store: FactsStore | None = None) -> str | None:
    """The scheme-2 fingerprint for a scheme-1 signature that still holds (its facts kept in
    ``store``); None when the decision is not signed under scheme 1. A scheme-1 signature that
    no longer matches its file is refused: upgrading it would seal an edit silently."""
    dec = reg.decisions[decision_id]
    sig = dec.signature
    if dec.status != "signed" or sig is None or sig.scheme != 1:
        return None
    if file_fingerprint(dec) != sig.fingerprint:
        raise CommitteeError(tr("decision '{decision}' was edited after it was signed (its "
                                "scheme-1 fingerprint no longer matches): undo the edit before "
                                "`committee migrate`, which would otherwise seal it silently",
                                decision=decision_id), ExitCode.PROBLEMS)
    found = facts_now(reg, decision_id)
    value = fingerprint_facts([(f.path, f.value) for f in found])
    if store is not None:
        store.remember(value, found)
    return value
