"""Incremental validation equals a full run: after every step of random sequences of changes
(amendments through the CLI, hand edits, renames, deletions, commits, branch switches and
stashes in git), ``validate`` with the cache (record and committee rules re-run only where the
change can matter) gives the same problems as a cold run without any cache, and the queries
the same answers."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Set
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from committee_cli.errors import Problem
from committee_cli.model.registry import Registry
from committee_cli.rules import rule_catalogue, run
from committee_cli.rules.base import Rule
from committee_cli.store.packed import PackedFiles
from tests.conftest import ROOT, Run, command_script
from tests.git_helpers import commit_all, make_repo

sys.path.insert(0, str(ROOT))
from benchmarks.generate import Scale, generate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ACTIONS = ("role", "person", "cite", "redate-cited", "decision-date", "task-done", "delete", "rename", "copy",
           "amend", "commit", "branch", "stash", "pop")
# edits of what signed decisions state (their facts: names, legal bases, duties, units)
SIGNED_ACTIONS = (*ACTIONS, "name", "basis", "duty", "unit")
Step = tuple[str, int]
steps = st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 10_000)), min_size=1,
                 max_size=6)


def _files(registry: Path, folder: str) -> list[Path]:
    return sorted((registry / folder).glob("*.yaml"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")


def _quiet_git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.gov.vn", "-c",
                    "user.name=t", *args], capture_output=True, check=False)


def apply(cli: Run, registry: Path, step: Step) -> None:
    """One change to the registry (a step that does not apply is a no-op)."""
    action, seed = step
    repo = registry.parent
    seats, decisions = _files(registry, "seats"), _files(registry, "decisions")
    people, tasks = _files(registry, "people"), _files(registry, "tasks")

    def pick(items: list[Path]) -> Path | None:
        return items[seed % len(items)] if items else None

    seat = pick(seats)
    if action == "role" and seat:
        roles = ["truong-ban", "pho-truong-ban", "uy-vien", "thu-ky", "khong-co"]
        _edit(seat, r"^role: .*$", f"role: {roles[seed % len(roles)]}")
    elif action == "person" and seat and people:
        _edit(seat, r"^person: .*$", f"person: {people[seed // 7 % len(people)].stem}")
    elif action == "cite" and seat and decisions:
        _edit(seat, r"^  decision: .*$", f"  decision: {decisions[seed // 7 % len(decisions)].stem}")
    elif action == "redate-cited" and seat:
        cited = re.search(r"^  decision: (.*)$", seat.read_text(encoding="utf-8"), re.M)
        target = registry / "decisions" / f"{cited.group(1)}.yaml" if cited else None
        if target is not None and target.exists():
            day = f"20{21 + seed % 4}-12-2{seed % 10}"
            _edit(target, r"^date: .*$", f"date: {day}")
            _edit(target, r"^  date: .*$", f"  date: {day}")  # the signature's date
    elif action == "decision-date" and decisions:
        day = f"20{19 + seed % 5}-0{1 + seed % 9}-1{seed % 10}"
        _edit(pick(decisions), r"^date: .*$", f"date: {day}")  # type: ignore[arg-type]
    elif action == "task-done" and tasks:
        _edit(pick(tasks), r"^status: .*$", "status: done")  # type: ignore[arg-type]
    elif action == "delete":
        victim = pick(seats + decisions + people + tasks)
        if victim:
            victim.unlink()
    elif action == "rename" and seat:
        seat.rename(seat.with_name(f"{seat.stem}-r{seed % 3}.yaml"))
    elif action == "copy" and seat:
        shutil.copy(seat, seat.with_name(f"{seat.stem}-c{seed % 3}.yaml"))
    elif action == "amend" and seat:
        committee = seat.read_text(encoding="utf-8").split("\n", 1)[0].split(": ", 1)[-1]
        made = cli("decision", "new", "-c", committee, "--kind", "change-members", "--number",
                   str(900 + seed % 90), "--symbol", "QĐ-BT", "--date", "2023-01-10",
                   "--subject", "Về việc thay đổi thành viên", "--signer",
                   people[0].stem if people else "x", registry=registry)
        draft = made.stdout.strip().splitlines()[-1].strip() if made.exit_code == 0 else ""
        if draft and people:
            cli("amend", "seat", "replace", seat.stem, "--person",
                people[seed % len(people)].stem, "--decision", draft, registry=registry)
    elif action == "commit":
        _quiet_git(repo, "add", "-A")
        _quiet_git(repo, "commit", "-q", "-m", "step")
    elif action == "branch":
        _quiet_git(repo, "add", "-A")
        _quiet_git(repo, "commit", "-q", "-m", "before switching")
        current = subprocess.run(["git", "-C", str(repo), "branch", "--show-current"],
                                 capture_output=True, text=True, check=False).stdout.strip()
        if current == "main":
            _quiet_git(repo, "checkout", "-q", "-B", "other")
            _edit(pick(seats) or registry / "registry.yaml", r"^order: .*$", "order: 99")
            _quiet_git(repo, "commit", "-q", "-am", "on other")
        _quiet_git(repo, "checkout", "-q", "main" if current != "main" else "other")
    elif action == "name" and people:
        _edit(pick(people), r"^name: (.*)$", rf"name: \1 {'Anh' if seed % 2 else 'Em'}")  # type: ignore[arg-type]
    elif action == "basis" and (bases := _files(registry, "legal-bases")):
        _edit(pick(bases), r"^title: .*$", f"title: văn bản số {seed % 7}")  # type: ignore[arg-type]
    elif action == "duty" and (committees := _files(registry, "committees")):
        _edit(pick(committees), r"^    text: .*$", f"    text: Nhiệm vụ đổi số {seed % 5}")  # type: ignore[arg-type]
    elif action == "unit" and (units := _files(registry, "organisations")):
        _edit(pick(units), r"^name: .*$", f"name: Văn phòng số {seed % 3}")  # type: ignore[arg-type]
    elif action == "stash":
        _quiet_git(repo, "stash", "-q", "-u")
    elif action == "pop":
        _quiet_git(repo, "stash", "pop", "-q")


def answers(cli: Run, registry: Path) -> tuple[object, ...]:
    validated = cli("validate", "--format", "json", registry=registry)
    members = cli("members", "bcd-0002", "--format", "json", registry=registry)
    return validated.exit_code, validated.stdout, members.exit_code, members.stdout


def full_run(cli: Run, registry: Path) -> tuple[object, ...]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMMITTEE_CACHE", "off")
        return answers(cli, registry)


def make_registry(folder: Path, cli: Run | None = None) -> Path:
    """A git repository holding a generated registry of three committees, committed (with
    ``cli``: its signatures then upgraded to scheme 2, sealing each decision's facts)."""
    registry = make_repo(folder)
    shutil.rmtree(registry)
    generate(registry, Scale(committees=3))
    commit_all(registry, "registry")
    if cli is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("COMMITTEE_CACHE", "off")
            assert cli("migrate", registry=registry).exit_code == 0
        commit_all(registry, "migrate")
    return registry


def test_some_rules_are_incremental() -> None:
    scopes = {rule.code: rule.scope for rule in rule_catalogue()}
    assert {"record", "committee", "kinds", "ids", "registry"} <= set(scopes.values())
    assert scopes["R101"] == "ids" and scopes["R103"] == "committee"
    assert scopes["R142"] == scopes["R118"] == scopes["R128"] == "kinds"
    assert rule_catalogue()[0].reads == ()
    assert all((rule.check_records is not None) == (rule.scope == "ids")
               for rule in rule_catalogue())
    assert all(bool(rule.reads) == (rule.scope == "kinds") for rule in rule_catalogue())


def test_a_kinds_rule_keeps_its_problems_until_a_file_of_its_kinds_changes(cli: Run,
                                                                           tmp_path: Path) -> None:
    """R142 reads only people: its warning is kept from the cache while seats and decisions
    change, and follows a change to a person at once (equal to a full run at every step)."""
    registry = make_registry(tmp_path)
    people = _files(registry, "people")
    for person in people[:2]:
        _edit(person, r"^name: .*$", "name: Nguyễn Văn Cao" if person == people[0]
              else "name: NGUYỄN VĂN CAO")
    before = answers(cli, registry)
    assert '"R142"' in str(before[1]) and before == full_run(cli, registry)
    _edit(registry / "seats" / "bcd-0002-03.yaml", r"^order: .*$", "order: 7")
    _edit(_files(registry, "decisions")[0], r"^subject: .*$", "subject: Về việc khác")
    kept = answers(cli, registry)
    assert '"R142"' in str(kept[1]) and kept == full_run(cli, registry)
    _edit(people[1], r"^name: .*$", "name: Trần Thị Bình")
    after = answers(cli, registry)
    assert '"R142"' not in str(after[1]) and after == full_run(cli, registry)


def _count_checks(monkeypatch: pytest.MonkeyPatch, code: str) -> list[object]:
    """Record each run of rule ``code`` over the whole registry (None) or over some records."""
    calls: list[object] = []
    real = run.rule_catalogue

    def counted() -> list[Rule]:
        rules = []
        for found in real():
            if found.code == code and found.check_records is not None:
                some = found.check_records

                def whole(reg: Registry) -> Iterable[Problem]:
                    calls.append(None)
                    return some(reg, None)  # noqa: B023 (one rule is wrapped)

                def part(reg: Registry, only: Mapping[str, Set[str]] | None) -> Iterable[Problem]:
                    calls.append({k: sorted(v) for k, v in (only or {}).items() if v})
                    return some(reg, only)  # noqa: B023

                found = dataclasses.replace(found, check=whole, check_records=part)
            rules.append(found)
        return rules

    monkeypatch.setattr(run, "rule_catalogue", counted)
    return calls


def test_a_dry_run_keeps_no_results_of_a_state_never_written(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An amendment's dry run checks its result but keeps nothing of it: the next `validate`
    finds the registry as it was, checks no reference again, and says what a full run says;
    the same amendment written keeps its results for the run after it."""
    registry = make_registry(tmp_path)
    made = cli("decision", "new", "-c", "bcd-0002", "--kind", "change-members", "--number",
               "990", "--symbol", "QĐ-B0002", "--date", "2023-01-10", "--subject",
               "Về việc thay đổi thành viên", "--signer", "p0002-00", registry=registry)
    assert made.exit_code == 0, made.output
    draft = made.stdout.strip().splitlines()[-1].strip()
    assert answers(cli, registry) == full_run(cli, registry)
    calls = _count_checks(monkeypatch, "R101")
    amend = ("amend", "seat", "replace", "bcd-0002-16", "--person", "p0002-19", "--decision",
             draft)
    assert cli(*amend, "--dry-run", registry=registry).exit_code == 0
    _edit(registry / "seats" / "bcd-0003-04.yaml", r"^order: .*$", "order: 9")
    del calls[:]
    validated = cli("validate", "--format", "json", registry=registry)
    # compared with the last state that kept its results, only the file edited since
    assert calls == [{"seat": ["bcd-0003-04"]}], calls
    assert (validated.exit_code, validated.stdout) == full_run(cli, registry)[:2]
    assert cli(*amend, registry=registry).exit_code == 0
    del calls[:]
    assert answers(cli, registry) == full_run(cli, registry)
    assert calls == [None]  # only the run without cache: the written state's answer was kept


def test_references_are_checked_again_only_where_they_can_change(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """R101 (scope "ids"): a change checks again the changed record and those with a broken
    reference; a record that goes away checks every record; equal to a full run each time."""
    registry = make_registry(tmp_path)
    seat, other = registry / "seats" / "bcd-0002-03.yaml", registry / "seats" / "bcd-0003-04.yaml"
    assert answers(cli, registry) == full_run(cli, registry)
    calls = _count_checks(monkeypatch, "R101")

    def step() -> str:
        del calls[:]
        got = answers(cli, registry)
        assert got == full_run(cli, registry)
        del calls[-1:]  # (the run without cache)
        return str(got[1])

    _edit(seat, r"^person: .*$", "person: nguyen-van-moi")
    assert "'nguyen-van-moi'" in step() and calls == [{"seat": ["bcd-0002-03"]}]
    _edit(other, r"^order: .*$", "order: 9")  # the broken one is checked again, not the others
    assert "'nguyen-van-moi'" in step()
    assert calls == [{"seat": ["bcd-0002-03", "bcd-0003-04"]}]
    person = registry / "people" / "nguyen-van-moi.yaml"
    person.write_text("name: Nguyễn Văn Mới\nhonorific: Ông\n", encoding="utf-8")
    assert "no person 'nguyen-van-moi'" not in step()  # a record added mends the reference
    assert calls == [{"person": ["nguyen-van-moi"], "seat": ["bcd-0002-03"]}]
    person.write_text("name: Nguyễn Văn Mới\nbogus: 1\n", encoding="utf-8")
    assert "no person 'nguyen-van-moi'" in step() and calls == [None]  # no longer a record
    person.unlink()
    _edit(seat, r"^person: .*$", "person: p0002-03")
    assert "R101" not in step() and calls == [None]  # a file deleted


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=steps)
# the head seat of bcd-0002 cites a decision of bcd-0003, whose date then moves: bcd-0002's
# problems change although none of its files did
@example(sequence=[("cite", 175), ("redate-cited", 175)])
def test_incremental_equals_full_run(cli: Run, sequence: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        registry = make_registry(Path(folder))
        assert answers(cli, registry) == full_run(cli, registry)  # warms the cache
        for step in sequence:
            apply(cli, registry, step)
            assert answers(cli, registry) == full_run(cli, registry), step


@settings(max_examples=2, deadline=None, derandomize=True,  # (and the two examples below)
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(st.tuples(st.sampled_from(SIGNED_ACTIONS), st.integers(0, 10_000)),
                         min_size=1, max_size=6))
# a signed decision's facts change through a person, a legal basis, a duty and a unit (the
# last two: no decision is told from the files alone, every one is looked at)
@example(sequence=[("name", 4), ("basis", 1), ("duty", 2), ("unit", 5)])
# an amendment cites a draft; a seat that a signed decision started is deleted, then another
# cites that decision, then the change is stashed and brought back
@example(sequence=[("amend", 3), ("delete", 2), ("cite", 40), ("stash", 0), ("pop", 0)])
# a seat of bcd-0002 started by qd-0002-2020 now cites qd-0002-2021: a signed decision whose
# inputs never named that seat is reached only because the seat cites it now
@example(sequence=[("cite", 32)])
def test_incremental_equals_full_run_with_signed_facts(cli: Run, sequence: list[Step]) -> None:
    """With every signature of scheme 2, the signed decisions a change cannot reach are not
    looked at again (services.sealing.reached): the problems are still a full run's."""
    with tempfile.TemporaryDirectory() as folder:
        registry = make_registry(Path(folder), cli)
        assert answers(cli, registry) == full_run(cli, registry)  # warms the cache
        for step in sequence:
            apply(cli, registry, step)
            assert answers(cli, registry) == full_run(cli, registry), step


def test_a_change_looks_again_only_at_the_signed_decisions_it_reaches(
        cli: Run, tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After one seat changed, `validate` keys again the inputs of the signed decisions that
    read it or cite it, not those of every signed decision; after a committee changed (its
    duties, the committees under it), or with the store's basis gone, every one of them."""
    from committee_cli.services import sealing

    registry = make_registry(tmp_path, cli)
    assert answers(cli, registry) == full_run(cli, registry)  # warms the cache
    signed = {path.stem for path in _files(registry, "decisions")
              if "scheme: 2" in path.read_text(encoding="utf-8")}
    keyed: list[str] = []
    key = sealing._Inputs.key

    def traced_key(self: sealing._Inputs, decision_id: str, reads: str) -> bytes:
        keyed.append(decision_id)
        return key(self, decision_id, reads)

    monkeypatch.setattr(sealing._Inputs, "key", traced_key)

    def keyed_warm() -> set[str]:
        """The decisions a warm run keyed (it must answer as a run without any cache)."""
        keyed.clear()
        warm = answers(cli, registry)
        found = set(keyed)
        assert warm == full_run(cli, registry)
        return found

    seat = registry / "seats" / "bcd-0002-03.yaml"
    started = re.search(r"^start:\n  decision: (.*)$", seat.read_text(encoding="utf-8"), re.M)
    assert started is not None and started.group(1) in signed
    _edit(seat, r"^order: .*$", "order: 7")
    found = keyed_warm()
    assert started.group(1) in found and len(found) < len(signed) // 2, (found, signed)
    assert keyed_warm() == set()  # nothing changed since

    _edit(registry / "committees" / "bcd-0001.yaml", r"^    text: .*$", "    text: Nhiệm vụ khác")
    assert keyed_warm() == signed

    (basis,) = private_cache.rglob(sealing.FactsStore.BASIS)
    basis.write_bytes(basis.read_bytes()[:-1])  # its seal no longer matches: no basis
    _edit(seat, r"^order: .*$", "order: 8")
    assert keyed_warm() == signed


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(st.tuples(st.sampled_from(SIGNED_ACTIONS), st.integers(0, 10_000)),
                         min_size=1, max_size=12))
def test_incremental_equals_full_run_with_signed_facts_long(cli: Run,
                                                            sequence: list[Step]) -> None:
    test_incremental_equals_full_run_with_signed_facts.hypothesis.inner_test(  # type: ignore[attr-defined]
        cli, sequence)


@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 10_000)),
                         min_size=1, max_size=14))
def test_incremental_equals_full_run_long(cli: Run, sequence: list[Step]) -> None:
    test_incremental_equals_full_run.hypothesis.inner_test(cli, sequence)  # type: ignore[attr-defined]



def test_a_lookalike_seated_twice_stays_reported_after_a_change_elsewhere(cli: Run,
                                                                        tmp_path: Path) -> None:
    """R143 is a committee rule: its problem on one committee is kept while another changes."""
    registry = make_registry(tmp_path)
    people = [re.search(r"^person: (.*)$", (registry / "seats" / f"bcd-0001-0{n}.yaml")
                        .read_text(encoding="utf-8"), re.M) for n in (1, 2)]
    for found, name in zip(people, ("Nguyễn Văn Cao", "Nguyễn Văn C\u0430\u043e"), strict=True):
        assert found is not None  # (the second name's "ao" is Cyrillic)
        _edit(registry / "people" / f"{found.group(1)}.yaml", r"^name: .*$", f"name: {name}")
    before = answers(cli, registry)
    assert '"R143"' in str(before[1]) and before == full_run(cli, registry)
    _edit(registry / "seats" / "bcd-0002-03.yaml", r"^order: .*$", "order: 7")
    after = answers(cli, registry)
    assert '"R143"' in str(after[1]) and after == full_run(cli, registry)


def test_an_invisible_character_stays_reported_while_other_files_change(cli: Run,
                                                                       tmp_path: Path) -> None:
    """R140 and R141 are record rules: a problem of one decision is kept from the cache while
    other files change, and goes when the decision is mended."""
    registry = make_registry(tmp_path)
    decision = _files(registry, "decisions")[0]
    subject = re.search(r"^subject: (.*)$", decision.read_text(encoding="utf-8"), re.M)
    assert subject is not None
    _edit(decision, r"^subject: .*$", "subject: " + subject.group(1).replace(" ", " \u200b", 1))
    _edit(_files(registry, "people")[0], r"^name: .*$", "name: Nguyễn V\u0103n C\u0430o")
    before = answers(cli, registry)
    assert '"R140"' in str(before[1]) and '"R141"' in str(before[1])
    assert before == full_run(cli, registry)
    _edit(registry / "seats" / "bcd-0002-03.yaml", r"^order: .*$", "order: 7")
    after = answers(cli, registry)
    assert '"R140"' in str(after[1]) and '"R141"' in str(after[1])
    assert after == full_run(cli, registry)
    _edit(decision, r"^subject: .*$", f"subject: {subject.group(1)}")
    mended = answers(cli, registry)
    assert '"R140"' not in str(mended[1]) and mended == full_run(cli, registry)


class _Blobs:
    """A cache that keeps blobs in memory (what ``rules.run`` reads and writes)."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def read_blob(self, name: str) -> bytes | None:
        return self.blobs.get(name)

    def write_blob(self, name: str, payload: bytes) -> None:
        self.blobs[name] = payload


def test_kept_rule_results_read_back_as_written_and_a_broken_one_is_ignored() -> None:
    """The kept results (a JSON line, then the paths, owners and keys as bytes, then each
    problem's JSON on a line) read back exactly, a name that is not UTF-8 and a message with a
    newline included; any inconsistency means running every rule."""
    cache = _Blobs()
    rules = [rule for rule in rule_catalogue() if rule.check is not None and rule.scope != "registry"]
    keys = {"seats/a.yaml": b"\x01" * 20, "people/b\udcff.yaml": b"\x02" * 20,
            "registry.yaml": b"\x03" * 20}
    owners: dict[str, str | None] = {"seats/a.yaml": "bcd-x", "people/b\udcff.yaml": None,
                                     "registry.yaml": None}
    found = {"R107": [Problem("R107", "một chỗ ngồi", "seats/a.yaml", 2, 1, ("person",)),
                      Problem("R107", "hai\ndòng\u2028", "seats/a.yaml", severity="warning")],
             "R110": [], "R103": [Problem("R103", "ba", "people/b\udcff.yaml", path=(0, "x"))]}
    files = PackedFiles.of(keys)
    assert files is not None
    run._keep(cache, rules, files, owners, found, None, set())  # type: ignore[arg-type]
    kept = run._read_kept(cache, rules)  # type: ignore[arg-type]
    assert kept is not None
    assert (kept.files.keys, kept.owners, kept.problems) == (keys, owners, found)
    owners["seats/a.yaml"] = "bcd-y"  # a file's owner moved: the owners are written anew
    run._keep(cache, rules, files, owners, found, kept, {"seats/a.yaml"})  # type: ignore[arg-type]
    again = run._read_kept(cache, rules)  # type: ignore[arg-type]
    assert again is not None and again.owners == owners
    payload = cache.blobs["rule-results"]
    for broken in (payload[:-1], payload + b"\0", payload.replace(b'"count": 3', b'"count": 2'),
                   b"not json\n" + payload):
        cache.blobs["rule-results"] = broken
        assert run._read_kept(cache, rules) is None  # type: ignore[arg-type]
    cache.blobs["rule-results"] = payload
    assert run._read_kept(cache, rules[1:]) is None  # another set of rules


def test_validate_after_a_written_amendment_reads_its_problems_from_the_change(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An amendment validates its result before writing it: the next `validate` of that state
    runs no rule, and says what a run without any cache says."""
    registry = make_registry(tmp_path)
    people = _files(registry, "people")
    made = cli("decision", "new", "-c", "bcd-0001", "--kind", "change-members", "--number",
               "950", "--symbol", "QĐ-BT", "--date", "2023-01-10", "--subject",
               "Về việc thay đổi thành viên", "--signer", people[0].stem, registry=registry)
    draft = made.stdout.strip().splitlines()[-1].strip()
    assert made.exit_code == 0 and draft
    assert cli("validate", registry=registry).exit_code in (0, 1)
    changed = cli("amend", "seat", "replace", "bcd-0001-16", "--person", "p0001-19",
                  "--decision", draft, registry=registry)  # (as the benchmark does)
    assert changed.exit_code == 0, changed.output
    checks: list[object] = []
    real = run.check
    monkeypatch.setattr(run, "check",
                        lambda result, *rest: checks.append(result) or real(result, *rest))
    warm = answers(cli, registry)
    assert checks == []
    assert warm == full_run(cli, registry) and checks  # (a run without cache checks)


_BUILT_RECORDS = command_script("""
from committee_cli.store import loader
tables = []
derive = loader._derive
def derived(*args):
    registry, problems = derive(*args)
    tables.append(registry)
    return registry, problems
loader._derive = derived
""", """
print(json.dumps({kind: [len(reg.table(kind)), reg.table(kind).built()]
                  for reg in tables for kind in ("seat", "person", "task", "decision", "committee",
                                                 "organisation")}))
""")


def test_a_change_builds_only_the_records_it_reads(cli: Run, tmp_path: Path) -> None:
    """The records read back from the snapshot stay JSON until asked for: after one seat
    changed, `validate` builds the seats, tasks and decisions of its committee, the people it
    looks at, and no other (model.registry.Table), and says what a run without any cache says."""
    registry = make_registry(tmp_path)
    assert answers(cli, registry) == full_run(cli, registry)  # warms the cache
    _edit(registry / "seats" / "bcd-0002-03.yaml", r"^order: .*$", "order: 7")
    done = subprocess.run([sys.executable, "-c", _BUILT_RECORDS, "--registry", str(registry),
                           "validate"], capture_output=True, text=True, check=True, cwd=ROOT)
    built = json.loads(done.stdout.splitlines()[-1])
    seats, people, tasks = built["seat"], built["person"], built["task"]
    assert 0 < seats[1] <= seats[0] // 2 and people[1] < people[0] and tasks[1] <= tasks[0] // 2
    decisions = built["decision"]  # the committee's own (R110 looks at no other: Registry.focus)
    assert 0 < decisions[1] <= decisions[0] // 2, decisions
    assert answers(cli, registry) == full_run(cli, registry)


def test_signed_facts_after_a_change_build_no_other_committee_or_unit(cli: Run,
                                                                    tmp_path: Path) -> None:
    """With every signature of scheme 2, the decisions one seat's change reaches are checked
    from what the snapshot keeps beside each record (each committee's parent and the decisions
    of its duties, each unit's parents): no other committee, and only the units they name, is
    built."""
    registry = make_registry(tmp_path, cli)
    assert answers(cli, registry) == full_run(cli, registry)  # warms the cache
    _edit(registry / "seats" / "bcd-0002-03.yaml", r"^order: .*$", "order: 7")
    done = subprocess.run([sys.executable, "-c", _BUILT_RECORDS, "--registry", str(registry),
                           "validate"], capture_output=True, text=True, check=True, cwd=ROOT)
    built = json.loads(done.stdout.splitlines()[-1])
    committees, units = built["committee"], built["organisation"]
    assert committees[1] == 1 < committees[0], committees  # its own
    assert 0 < units[1] <= units[0] // 2, units
    assert answers(cli, registry) == full_run(cli, registry)
