"""The content-hash cache: never trusted without the hash, invalidated exactly as it must be."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from committee_cli import background
from committee_cli.store import cache as cache_module
from committee_cli.store import loader
from committee_cli.store.cache import Cache
from tests.conftest import Run


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file the loader parses."""
    seen: list[str] = []
    real = loader.parse_file

    def counting(rel: str, raw: bytes):  # type: ignore[no-untyped-def]
        seen.append(rel)
        return real(rel, raw)

    monkeypatch.setattr(loader, "parse_file", counting)
    return seen


def test_second_run_parses_nothing_and_answers_the_same(cli: Run, sample: Path,
                                                         parses: list[str]) -> None:
    first = cli("validate", "--format", "json", registry=sample)
    assert len(parses) == 42
    parses.clear()
    second = cli("validate", "--format", "json", registry=sample)
    assert parses == [] and second.stdout == first.stdout and second.exit_code == 0


def test_edit_with_same_size_and_mtime_is_still_seen(cli: Run, sample: Path,
                                                     parses: list[str]) -> None:
    cli("validate", registry=sample)
    path = sample / "seats" / "bcd-cpdt-05.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("order: 5", "order: x"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # stat says nothing changed
    parses.clear()
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1 and '"R014"' in result.stdout
    assert parses == ["seats/bcd-cpdt-05.yaml"]  # exactly the changed file is parsed again


def test_rename_and_delete_invalidate(cli: Run, sample: Path) -> None:
    assert cli("validate", registry=sample).exit_code == 0
    (sample / "people" / "truong-hai-long.yaml").rename(sample / "people" / "truong-long.yaml")
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1 and "truong-hai-long" in result.stdout
    (sample / "people" / "truong-long.yaml").rename(sample / "people" / "truong-hai-long.yaml")
    assert cli("validate", registry=sample).exit_code == 0
    (sample / "organisations" / "bnv-vp.yaml").unlink()
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1 and '"R101"' in result.stdout


def test_package_version_change_discards_the_cache(cli: Run, sample: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   parses: list[str]) -> None:
    cli("validate", registry=sample)
    assert Cache.open(sample).result is not None
    monkeypatch.setattr(cache_module, "NAMESPACE", "committee-cli 99.0 schema 1")
    assert Cache.open(sample).result is None
    parses.clear()
    assert cli("validate", registry=sample).exit_code == 0
    assert len(parses) == 42


def test_corrupt_cache_is_ignored(cli: Run, sample: Path, private_cache: Path) -> None:
    cli("validate", registry=sample)
    for item in (p for p in private_cache.rglob("*") if p.is_file() and p.name != "key"):
        item.write_bytes(b"not a pickle")
    assert cli("validate", registry=sample).exit_code == 0


def test_cache_off(cli: Run, sample: Path, monkeypatch: pytest.MonkeyPatch,
                   private_cache: Path) -> None:
    monkeypatch.setenv("COMMITTEE_CACHE", "off")
    assert cli("validate", registry=sample).exit_code == 0
    assert not list(private_cache.rglob("*"))


def test_a_problem_read_back_is_written_again_as_the_text_it_came_from() -> None:
    # a run writes back most of the problems it read (the last result, the rules' kept ones):
    # each is taken as read, not encoded again (here the text escapes its Vietnamese letters,
    # which the encoder never does, so an encoded one would differ)
    text = '["R201", "Th\\u00e0nh vi\\u00ean", "seats/a.yaml", 3, 5, ["person"], "warning"]'
    (problem,) = cache_module.problems_from_json([text])
    assert problem.message == "Thành viên"
    assert cache_module.problem_json(problem) == text
    fresh = problem.located(4, 1)  # a problem not read back is encoded
    assert cache_module.problem_json(fresh) == (
        '["R201", "Thành viên", "seats/a.yaml", 4, 1, ["person"], "warning"]')
    assert cache_module.problems_from_json([cache_module.problem_json(fresh)]) == [fresh]


def test_a_problem_text_read_twice_is_parsed_once() -> None:
    # a run reads most problems twice (the last result, then the rules' kept ones): the second
    # read takes the problem the first one built; a text not seen before is parsed and checked
    text = '["R301", "Hết hạn", "tasks/t.yaml", null, null, [], "warning"]'
    first = cache_module.problems_from_json([text])
    again = cache_module.problems_from_json([text, text])
    assert again[0] is first[0] and again[1] is first[0]
    with pytest.raises(ValueError):
        cache_module.problems_from_json([text, '["R301", "x", "t", null, null, [], "fatal"]'])


def test_data_read_ahead_in_a_thread_is_what_reading_then_finds(
        cli: Run, sample: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> None:
    """The snapshot and a named piece of data read ahead in a thread (while the files are
    listed) are what reading them then gives; tampered, or a read that failed, they are found
    missing alike, and the registry is parsed again (the same problems)."""
    first = cli("validate", "--format", "json", registry=sample)
    cli("members", "bcd-cpdt", registry=sample)  # (keeps the snapshot)
    plain = Cache.open(sample)
    snapshot = plain.snapshot()
    assert snapshot is not None
    ahead = Cache.open(sample)
    ahead.prefetch_snapshot()
    ahead.prefetch_blob("rule-results")
    read_ahead = ahead.snapshot()
    assert read_ahead is not None and read_ahead.files == snapshot.files
    assert read_ahead.registry.seats.keys() == snapshot.registry.seats.keys()
    assert ahead.read_blob("rule-results") == plain.read_blob("rule-results") is not None
    assert plain.path is not None and plain.path.is_relative_to(private_cache)
    records = plain.path / "records"
    sealed = bytearray(records.read_bytes())
    sealed[-1] ^= 1
    records.write_bytes(bytes(sealed))
    tampered = Cache.open(sample)
    tampered.prefetch_snapshot()
    assert tampered.snapshot() is None
    failed = Cache.open(sample)
    with monkeypatch.context() as patched:
        patched.setattr(cache_module, "_read_sealed", lambda path, key: 1 / 0)
        failed.prefetch_blob("rule-results")
        assert failed.read_blob("rule-results") is None
    assert cli("render", "decision", "qd-913-2021", "--format", "md",
               registry=sample).exit_code == 0  # (reads ahead the snapshot it finds tampered)
    assert cli("validate", "--format", "json", registry=sample).stdout == first.stdout


def test_a_write_begun_in_a_thread_is_read_back_and_waited_for(
        cli: Run, sample: Path, private_cache: Path) -> None:
    """What a run writes to the cache in a thread (``Cache.later``: the signed facts' store
    while a change writes its files) is what the next read finds: reading, opening the cache
    again and ``finish_writes`` wait for it; a write that fails is only nothing written."""
    cli("validate", registry=sample)
    cache = Cache.open(sample)
    started = threading.Event()

    def slow() -> None:
        started.set()
        time.sleep(0.2)
        cache.write_blob("written-later", b"data")

    cache.later(slow)
    cache.later(lambda: 1 / 0)  # (fails: nothing written, nothing raised)
    started.wait()
    assert cache.read_blob("written-later") == b"data"
    cache.later(lambda: cache.write_blob("opened-after", b"more"))
    assert Cache.open(sample).read_blob("opened-after") == b"more"
    cache.write_blob("read-ahead", b"old")

    def rewrite() -> None:
        time.sleep(0.2)
        cache.write_blob("read-ahead", b"new")

    cache.later(rewrite)
    cache.prefetch_blob("read-ahead")  # (waits for the write: never reads ahead the old data)
    assert cache.read_blob("read-ahead") == b"new"
    cache_module.finish_writes()
    assert background.pending() == 0


def test_a_snapshot_is_sealed_without_being_held_in_memory_whole(tmp_path: Path) -> None:
    """The snapshot's database is built in a scratch file and sealed a piece at a time: while it
    is written, Python never holds the database (nor each kind's JSON twice), so cold
    ``validate`` of a national registry peaks lower; what is written reads back the same."""
    import sys
    import tracemalloc

    from committee_cli.store.source import DirSource

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.generate import Scale, generate

    root = tmp_path / "registry"
    generate(root, Scale(committees=80, tasks_per_committee=4))
    cache = Cache.open(root)
    result = loader.load(DirSource(root), cache)
    registry = result.registry  # (built, and its snapshot written)
    assert cache.path is not None
    sealed = cache.path / "records"
    first = sealed.read_bytes()
    sealed.unlink()
    tracemalloc.start()
    try:
        cache.remember_snapshot(result.state_key, result.packed_keys(), registry,
                                result.problems)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sealed.read_bytes() == first and len(first) > 1_000_000
    assert peak < len(first) * 0.75, (peak, len(first))  # (held whole: above 1.0)
    assert [p.name for p in cache.path.iterdir() if p.name.endswith(".tmp")] == []
    again = Cache.open(root).snapshot()
    assert again is not None and again.state_key == result.state_key
    assert sorted(again.registry.table("seat")) == sorted(registry.table("seat"))


def test_a_seal_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    """A database that cannot be built is not written, its scratch file is removed, and the
    run goes on (a cache is optional)."""
    import sqlite3

    def broken(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO meta VALUES ('namespace', 'again')")  # (taken: fails)

    cache_module._seal(tmp_path / "records", b"k" * 32, {}, broken)
    assert list(tmp_path.iterdir()) == []
    cache_module._seal(tmp_path / "records", b"k" * 32, {"state_key": "00"}, lambda db: None)
    payload = cache_module._read_sealed(tmp_path / "records", b"k" * 32)
    assert payload is not None and [p.name for p in tmp_path.iterdir()] == ["records"]
    assert cache_module._read_sealed(tmp_path / "records", b"j" * 32) is None
