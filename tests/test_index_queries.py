"""The derived index (store/index.py) answers `members`, `person`, `show` and `tasks` exactly as a
full load does, and stays so after amendments, hand edits, deletions, renames, a branch switch
and a stash; a corrupt, foreign or tampered index is ignored and rebuilt; it holds no pickle."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import Scale, generate
from committee_cli.errors import UsageError
from committee_cli.model.registry import Registry
from committee_cli.queries import members, overview, person, tasks
from committee_cli.queries.indexed import (
    members_registry,
    members_subset,
    overview_registry,
    overview_subset,
    person_registry,
    person_subset,
    tasks_registry,
    tasks_subset,
)
from committee_cli.store import RegistryStore
from committee_cli.store.cache import models_digest
from committee_cli.store.index import FORMAT, INDEX_FILE, RegistryIndex, open_index
from tests.conftest import Run
from tests.git_helpers import commit_all, git, make_repo


def _full(root: Path) -> Registry:
    return RegistryStore(root, use_cache=False).load_readable().registry


def _dates(reg: Registry) -> list[date]:
    """A few dates that matter: the first and the last decision, the day before each, later."""
    known = sorted({d for did in reg.decisions if (d := reg.decision_date(did)) is not None})
    picked = {known[0], known[0] - timedelta(days=1), known[-1], known[len(known) // 2],
              known[-1] + timedelta(days=400)}
    return sorted(picked)


def _answer(query: Any, reg: Registry | Callable[[], Registry], *args: Any, **kwargs: Any) -> Any:
    """The answer as a dict, or the usage error (``reg`` may be made here, as it may raise)."""
    try:
        return query(reg if isinstance(reg, Registry) else reg(), *args, **kwargs).as_dict()
    except UsageError as exc:
        return ("usage", str(exc))


def _people_queries(reg: Registry) -> list[str]:
    ids = sorted(reg.people)
    chosen = ids[:: max(1, len(ids) // 4)][:4]
    queries = [*chosen, *(reg.people[pid].name for pid in chosen)]
    return [*queries, reg.people[chosen[0]].name.split()[-1].lower(), "không có ai tên này"]


def _compare(root: Path, thorough: bool = False) -> None:
    """Every answer from the index equals the answer from a full load (caching off): for every
    committee, on a few dates (``thorough``: more dates, filters and people)."""
    full = _full(root)
    index = open_index(root)
    assert index is not None, "the index is not in use"
    try:
        _compare_with(index, root, full, thorough)
    finally:
        index.close()
    # the way the commands take, opening the index each time
    cid = sorted(full.committees)[0]
    when = _dates(full)[-1]
    assert _answer(members, members_registry(root, cid), cid, when) \
        == _answer(members, full, cid, when)
    assert _answer(overview, overview_registry(root, cid), cid, when) \
        == _answer(overview, full, cid, when)
    assert _answer(tasks, tasks_registry(root, None, when, overdue=True), None, when,
                   overdue=True) == _answer(tasks, full, None, when, overdue=True)
    for query in (sorted(full.people)[0], "không có ai tên này"):
        assert _answer(person, partial(person_registry, root, query), query, when) \
            == _answer(person, full, query, when)
    assert _answer(members, members_registry(root, "no-such"), "no-such", when) \
        == _answer(members, full, "no-such", when)


def _compare_with(index: RegistryIndex, root: Path, full: Registry, thorough: bool) -> None:
    dates = _dates(full)
    for when in dates if thorough else dates[1::2]:
        for cid in sorted(full.committees):
            units = sorted({s.unit for s in full.seats_of(cid).values() if s.unit})[:1]
            variants = ({}, {"sort": "name"}, {"role": "uy-vien"}, *({"unit": u} for u in units))
            for kwargs in variants if thorough else variants[:1]:
                subset = members_subset(index, cid, unit=kwargs.get("unit"))
                assert _answer(members, subset, cid, when, **kwargs) \
                    == _answer(members, full, cid, when, **kwargs), (cid, when, kwargs)
            assert _answer(overview, overview_subset(index, cid), cid, when) \
                == _answer(overview, full, cid, when), (cid, when)
            assert _answer(tasks, tasks_subset(index, cid, when), cid, when) \
                == _answer(tasks, full, cid, when), (cid, when)
        for kwargs in ({"overdue": True}, {"due_before": when}, {"status": "open"}):
            subset = tasks_subset(index, None, when, overdue=bool(kwargs.get("overdue")),
                                  due_before=kwargs.get("due_before"))
            assert _answer(tasks, subset, None, when, **kwargs) \
                == _answer(tasks, full, None, when, **kwargs), (when, kwargs)
        queries = _people_queries(full)
        for query in queries if thorough else queries[::3]:
            assert _answer(person, partial(person_subset, index, query), query, when) \
                == _answer(person, full, query, when), (query, when)


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "registry"
    generate(root, Scale.named("small"))
    return root


@pytest.fixture
def generated_repo(generated: Path, tmp_path: Path) -> Path:
    root = make_repo(tmp_path)  # a repository of ours, then the generated registry in it
    shutil.rmtree(root)
    shutil.copytree(generated, root)
    commit_all(root, "generated")
    return root


def _first(root: Path, folder: str) -> Path:
    return sorted((root / folder).glob("*.yaml"))[0]


def _hand_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _person_name(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise AssertionError(path)


def _steps(root: Path) -> Iterator[str]:
    """Change the registry by hand and through git, yielding after each step."""
    person_file = _first(root, "people")
    name = _person_name(person_file)
    _hand_edit(person_file, name, name[:-1] + ("a" if name[-1] != "a" else "b"))  # same size
    yield "hand edit"
    task = _first(root, "tasks")
    task.unlink()
    yield "deletion"
    seat = _first(root, "seats")
    seat.rename(seat.with_name("doi-ten-" + seat.name))
    yield "rename of a seat"
    person_file.rename(person_file.with_name("doi-ten-" + person_file.name))
    yield "rename of a person (seats now name a missing person)"
    commit_all(root, "edits")
    git(root.parent, "checkout", "-q", "-b", "other", "HEAD~1")
    yield "checkout of another branch"
    committee = _first(root, "committees")
    _hand_edit(committee, "name:", "name: Đổi")
    commit_all(root, "renamed committee")
    git(root.parent, "checkout", "-q", "main")
    yield "checkout back"
    _hand_edit(_first(root, "organisations"), "name:", "name: Tạm")
    yield "edit before stash"
    git(root.parent, "stash", "-q")
    yield "stash"
    git(root.parent, "stash", "pop", "-q")
    yield "stash pop"


def test_the_index_answers_as_a_full_load_on_the_sample(cli: Run, sample_repo: Path) -> None:
    _compare(sample_repo, thorough=True)
    for args in (("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number",
                  "1050", "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--subject",
                  "Về việc kiện toàn", "--signer", "pham-thi-thanh-tra"),
                 ("amend", "seat", "end", "bcd-cpdt-07", "-d", "qd-1050-2022", "--on",
                  "2022-03-01"),
                 ("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông")):
        result = cli(*args, registry=sample_repo)
        assert result.exit_code == 0, result.output
        _compare(sample_repo)
    for step in _steps(sample_repo):
        assert step and _compare(sample_repo) is None


def test_the_index_answers_as_a_full_load_on_a_generated_registry(generated_repo: Path) -> None:
    _compare(generated_repo, thorough=True)
    subset = members_registry(generated_repo, "bcd-0001")
    full = _full(generated_repo)
    # only what the answer needs is built: the seats of one committee and their people
    assert 0 < len(subset.seats) < len(full.seats) / 5
    assert 0 < len(subset.people) < len(full.people) / 5
    assert not subset.tasks and not subset.regulations and not subset.legal_bases
    for step in _steps(generated_repo):
        assert step and _compare(generated_repo) is None


def test_outside_git_the_index_hashes_the_files(generated: Path, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(generated, root)
    _compare(root)
    _hand_edit(_first(root, "committees"), "name:", "name: Mới")
    _compare(root)


_FORMATS = ("table", "json", "csv", "yaml")


def _outputs(cli: Run, root: Path) -> list[tuple[int, str]]:
    runs = []
    for fmt in _FORMATS:
        for args in (("members", "bcd-cpdt"), ("members", "--as-of", "2021-08-30", "--sort",
                                                "name"),
                     ("show", "bcd-cpdt", "--as-of", "1/1/2022"), ("tasks", "bcd-cpdt"),
                     ("tasks", "--overdue", "--as-of", "2022-07-01"), ("person", "long"),
                     ("person", "truong hai long", "--as-of", "2021-08-30"),
                     ("members", "khong-co")):
            result = cli(*args, "--format", fmt, registry=root)
            runs.append((result.exit_code, result.stdout + result.stderr))
    return runs


def test_the_printed_answers_are_byte_identical(cli: Run, sample: Path, private_cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = _outputs(cli, sample)
    assert list(private_cache.glob(f"*/{INDEX_FILE}")), "the index is not in use"
    monkeypatch.setenv("COMMITTEE_CACHE", "off")
    assert _outputs(cli, sample) == indexed


def test_xlsx_from_the_index_holds_the_same_cells(cli: Run, sample: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the [xlsx] extra (openpyxl) is missing")

    def cells(name: str) -> list[Any]:
        out = tmp_path / name
        result = cli("members", "bcd-cpdt", "--format", "xlsx", "--out", str(out),
                     registry=sample)
        assert result.exit_code == 0, result.output
        sheet = openpyxl.load_workbook(out).active
        return [[c.value for c in row] for row in sheet.iter_rows()]

    indexed = cells("indexed.xlsx")
    monkeypatch.setenv("COMMITTEE_CACHE", "off")
    assert cells("full.xlsx") == indexed and len(indexed) > 3


def test_a_person_asked_for_by_id_reads_no_other_name(cli: Run, sample: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pid = sorted(p.stem for p in (sample / "people").glob("*.yaml"))[0]
    assert cli("person", "long", registry=sample).exit_code == 0  # the index built
    by_name = cli("person", pid, "--format", "json", registry=sample)

    def every_name(self: RegistryIndex) -> dict[str, str]:
        raise AssertionError("an id was looked up among every name")

    monkeypatch.setattr(RegistryIndex, "names", every_name)
    by_id = cli("person", pid, "--format", "json", registry=sample)
    assert by_id.exit_code == 0, by_id.output
    assert by_id.stdout == by_name.stdout and pid in by_id.stdout
    monkeypatch.undo()
    assert cli("person", "khong-co-ai", registry=sample).exit_code == 2  # a name still searches


def test_caching_off_builds_no_index(cli: Run, sample: Path, private_cache: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_CACHE", "off")
    assert cli("members", "bcd-cpdt", registry=sample).exit_code == 0
    assert open_index(sample) is None
    assert not list(private_cache.rglob(INDEX_FILE))


@pytest.mark.parametrize(("name", "text"), [("broken.yaml", "name: [\n"),
                                            ("Tên Lạ.yaml", "name: X\nhonorific: Ông\n"),
                                            ("broken.txt", "stray")])
def test_a_registry_that_does_not_load_is_reported_as_before(
        cli: Run, sample: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> None:
    assert cli("members", "bcd-cpdt", registry=sample).exit_code == 0  # index built
    (sample / "people" / name).write_text(text, encoding="utf-8")
    indexed = [cli(*args, registry=sample) for args in (("members", "bcd-cpdt"), ("person", "x"))]
    assert open_index(sample) is None
    monkeypatch.setenv("COMMITTEE_CACHE", "off")
    full = [cli(*args, registry=sample) for args in (("members", "bcd-cpdt"), ("person", "x"))]
    assert [(r.exit_code, r.output) for r in indexed] == [(r.exit_code, r.output) for r in full]
    assert indexed[0].exit_code == 1 and name in indexed[0].output


def _index_file(private_cache: Path) -> Path:
    (found,) = private_cache.glob(f"*/{INDEX_FILE}")
    return found


def _is_ours(path: Path) -> bool:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() is not None
    finally:
        db.close()


def test_a_corrupt_or_foreign_index_is_ignored_and_rebuilt(
        cli: Run, sample: Path, private_cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    clean = cli("members", "bcd-cpdt", registry=sample).stdout
    index = _index_file(private_cache)
    good = index.read_bytes()
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    foreign = tmp_path / "foreign.sqlite"
    other = sqlite3.connect(foreign)
    other.execute("CREATE TABLE meta(name, value, mac)")
    other.execute("INSERT INTO meta VALUES ('format', ?, x'00')", (FORMAT,))
    other.commit()
    other.close()
    for junk in (b"", b"\xff" * 5000, pickle.dumps(Payload()), good[: len(good) // 2],
                 foreign.read_bytes()):
        index.write_bytes(junk)
        assert cli("members", "bcd-cpdt", registry=sample).stdout == clean
        assert _is_ours(index)  # rebuilt
    assert not marker.exists()
    monkeypatch.setenv("COMMITTEE_CACHE_KEY", "another key")  # sealed with another key
    assert cli("members", "bcd-cpdt", registry=sample).stdout == clean
    index.unlink()
    os.symlink(tmp_path / "nowhere", index)  # a link is never followed
    assert cli("members", "bcd-cpdt", registry=sample).stdout == clean
    assert not (tmp_path / "nowhere").exists()


def _format(index: Path) -> str:
    db = sqlite3.connect(index)
    try:
        return str(db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()[0])
    finally:
        db.close()


def test_an_index_of_other_record_models_is_built_again(
        cli: Run, sample: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are rebuilt from the index's JSON by the models' field types, not validated
    (``model/trusted.py``): an index the record models did not write is never read."""
    clean = cli("members", "bcd-cpdt", registry=sample).stdout
    index = _index_file(private_cache)
    assert _format(index) == f"{FORMAT} {models_digest()}"
    monkeypatch.setattr("committee_cli.store.index.models_digest", lambda: "other models")
    assert cli("members", "bcd-cpdt", registry=sample).stdout == clean
    assert _format(index) == f"{FORMAT} other models"


def test_a_tampered_record_never_changes_an_answer(cli: Run, sample: Path,
                                                   private_cache: Path) -> None:
    clean = cli("members", "bcd-cpdt", registry=sample).stdout
    assert "Trương Hải Long" in clean
    index = _index_file(private_cache)
    db = sqlite3.connect(index)
    changed = db.execute("UPDATE record SET json = replace(json, 'Trương Hải Long', "
                         "'Trương Hải Lang') WHERE kind = 'person' AND id = 'truong-hai-long'"
                         ).rowcount
    db.commit()
    db.close()
    assert changed == 1
    assert cli("members", "bcd-cpdt", registry=sample).stdout == clean  # read whole instead
    assert cli("members", "bcd-cpdt", registry=sample).stdout == clean  # from the rebuilt index
    assert open_index(sample) is not None


def test_the_index_holds_json_and_no_pickle(cli: Run, sample: Path, private_cache: Path) -> None:
    assert cli("members", "bcd-cpdt", registry=sample).exit_code == 0
    index = _index_file(private_cache)
    assert index.read_bytes().startswith(b"SQLite format 3\0")
    assert oct(index.stat().st_mode & 0o777) == "0o600"
    assert oct(index.parent.stat().st_mode & 0o777) == "0o700"
    db = sqlite3.connect(index)
    rows = db.execute("SELECT json FROM record").fetchall()
    db.close()
    assert len(rows) > 30 and all(isinstance(json.loads(text), dict) for (text,) in rows)
    source = (Path(__file__).parent.parent / "committee_cli" / "store" / "index.py").read_text(
        encoding="utf-8")
    assert "pickle" not in source


def test_a_new_index_takes_its_records_from_the_records_cache(cli: Run, generated_repo: Path,
                                                              private_cache: Path) -> None:
    assert cli("validate", registry=generated_repo).exit_code in (0, 1)  # records cached
    assert not list(private_cache.glob(f"*/{INDEX_FILE}"))
    _hand_edit(_first(generated_repo, "people"), "name:", "name: Mới")  # one file differs
    _compare(generated_repo, thorough=True)
    db = sqlite3.connect(_index_file(private_cache))
    (count,) = db.execute("SELECT count(*) FROM record").fetchone()
    db.close()
    assert count == len(_full(generated_repo).seats) + sum(
        len(_full(generated_repo).table(kind)) for kind in ("person", "committee", "task",
                                                            "decision", "organisation",
                                                            "legal-basis", "regulation"))


def _read_plans(index: RegistryIndex, reads: Callable[[], object]) -> list[tuple[str, str]]:
    """Each SELECT that ``reads`` runs on the index, with SQLite's plan for it."""
    statements: list[str] = []
    index.db.set_trace_callback(statements.append)
    try:
        reads()
    finally:
        index.db.set_trace_callback(None)
    return [(s, " ".join(row[3] for row in index.db.execute(f"EXPLAIN QUERY PLAN {s}")))
            for s in statements if s.lstrip().upper().startswith("SELECT")]


def test_one_committees_records_are_read_by_its_index_not_by_kind(generated: Path) -> None:
    """A committee's seats, tasks and overdue tasks are looked up by the (kind, committee) index:
    an ORDER BY id or a deadline bound made SQLite walk every record of the kind instead (25,000
    seats for one committee's 25 on the national registry)."""
    index = open_index(generated)
    assert index is not None
    try:
        cid = sorted(p.stem for p in (generated / "committees").glob("*.yaml"))[0]
        found: dict[str, Any] = {}
        plans = _read_plans(index, lambda: found.update(
            seats=index.of_committee("seat", cid), due=index.due_before(date(2100, 1, 1), cid)))
        seats, due = found["seats"], found["due"]
        assert seats and list(seats) == sorted(seats) and list(due) == sorted(due)
        assert len(plans) == 2
        for statement, plan in plans:
            assert "record_committee" in plan, (statement, plan)
    finally:
        index.close()


def test_links_are_looked_up_by_their_target(generated: Path) -> None:
    """The seats a person holds (and those that replaced them, the tasks they lead) are found
    by the (rel, target) index: SQLite chose the (kind, id) index for ``kind = ?`` and walked
    every seat's link instead (25,000 on the national registry, about 3 ms a lookup)."""
    index = open_index(generated)
    assert index is not None
    try:
        pid = sorted(p.stem for p in (generated / "people").glob("*.yaml"))[0]
        held: set[str] = set()
        ((read, plan),) = _read_plans(index, lambda: held.update(
            index.linked("seat", "person", [pid])))
        assert held
        assert "link_target" in plan, (read, plan)
    finally:
        index.close()
