"""The derived index never answers from two states: a file that changes between being listed
and being indexed, or another run indexing another state between this run's refresh and its
reading, make the query load the registry whole (store/index.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from committee_cli.store import index as index_module
from committee_cli.store import source as source_module
from committee_cli.store.cache import registry_cache_folder
from committee_cli.store.index import INDEX_FILE, open_index
from tests.conftest import Run
from tests.git_helpers import make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SEAT = "seats/bcd-cpdt-05.yaml"


def _indexed(cli: Run, tmp_path: Path) -> Path:
    registry = make_repo(tmp_path)
    assert cli("members", "bcd-cpdt", registry=registry).exit_code == 0  # builds the index
    index = open_index(registry)
    assert index is not None
    index.close()
    return registry


def test_a_file_changed_after_it_was_listed_is_not_indexed(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = _indexed(cli, tmp_path)
    seat = registry / SEAT
    seat.write_text(seat.read_text(encoding="utf-8").replace("order: 5", "order: 6"),
                    encoding="utf-8")
    real = source_module.DirSource.read

    def moving(self: source_module.DirSource, rel: str) -> bytes:
        data = real(self, rel)
        return data.replace(b"order: 6", b"order: 7") if rel == SEAT else data  # moved since

    monkeypatch.setattr(source_module.DirSource, "read", moving)
    assert open_index(registry) is None
    monkeypatch.setattr(source_module.DirSource, "read", real)
    index = open_index(registry)  # nothing of the mixed state was kept
    assert index is not None
    assert index.records("seat", ["bcd-cpdt-05"])["bcd-cpdt-05"].order == 6
    index.close()


class _OtherRunCommits:
    """A connection through which, right after this run's refresh commits, another run
    records another state of the registry."""

    def __init__(self, db: sqlite3.Connection, path: Path, key: bytes) -> None:
        self.db, self.path, self.key = db, path, key

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        cursor = self.db.execute(sql, *args)
        if sql == "COMMIT":
            other = sqlite3.connect(self.path, isolation_level=None)
            index_module._set_meta(other, self.key, "state", "0" * 64)
            other.close()
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def test_another_run_indexing_meanwhile_is_not_read_as_this_state(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = _indexed(cli, tmp_path)
    seat = registry / SEAT
    seat.write_text(seat.read_text(encoding="utf-8") + "# ghi chú\n", encoding="utf-8")
    place = registry_cache_folder(registry)
    assert place is not None
    real = index_module._connect

    def connect(path: Path, key: bytes) -> Any:
        db = real(path, key)
        return None if db is None else _OtherRunCommits(db, place[0] / INDEX_FILE, key)

    monkeypatch.setattr(index_module, "_connect", connect)
    assert open_index(registry) is None
    result = cli("members", "bcd-cpdt", "--format", "json", registry=registry)
    monkeypatch.setattr(index_module, "_connect", real)
    assert result.exit_code == 0
    assert result.stdout == cli("members", "bcd-cpdt", "--format", "json",
                                registry=registry).stdout
