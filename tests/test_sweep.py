"""A change sweeps for temp files only the folders whose times moved since a sweep found none
in them (``store/sweep.py``); whatever a killed run left is still removed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from committee_cli.store import gitlisting, transaction
from committee_cli.store.cache import registry_cache_folder
from committee_cli.store.sweep import SWEPT_FILE, SweepMemory
from tests.conftest import Run

FOLDERS = {".", "committees", "decisions", "legal-bases", "organisations", "people", "seats",
           "tasks"}  # (the sample has no regulations folder)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch, sample: Path) -> list[str]:
    """The folders each recover lists, by name; every folder settled (not too recent)."""
    monkeypatch.setattr(gitlisting, "_now_ns",
                        lambda: time.time_ns() + 10 * gitlisting.RACY_COARSE_NS)
    seen: list[str] = []
    real = transaction._temp_files

    def counted(folder: Path) -> list[str]:
        seen.append("." if folder == sample else folder.name)
        return real(folder)

    monkeypatch.setattr(transaction, "_temp_files", counted)
    return seen


def _add_person(cli: Run, sample: Path, name: str) -> None:
    result = cli("amend", "person", "add", "--name", name, "--honorific", "Ông", registry=sample)
    assert result.exit_code == 0, result.stderr


def test_a_change_lists_only_the_folders_that_moved(cli: Run, sample: Path,
                                                    listed: list[str]) -> None:
    _add_person(cli, sample, "Nguyễn Văn An")
    assert set(listed) >= FOLDERS  # nothing known yet: every folder
    listed.clear()
    _add_person(cli, sample, "Nguyễn Văn Bình")
    # the registry folder (the lock files move its times) and the folder the last change wrote
    assert sorted(listed) == [".", "people"]
    listed.clear()
    _add_person(cli, sample, "Nguyễn Văn Cường")
    assert sorted(listed) == [".", "people"]


def test_a_temp_file_left_after_a_clean_sweep_is_still_removed(cli: Run, sample: Path,
                                                               listed: list[str]) -> None:
    _add_person(cli, sample, "Nguyễn Văn An")
    left = sample / "seats" / ".bcd-cpdt-05.yaml.abcd1234.tmp"  # as a killed run leaves one
    left.write_text("x", encoding="utf-8")
    listed.clear()
    _add_person(cli, sample, "Nguyễn Văn Bình")
    assert "seats" in listed and not left.exists()


def test_a_folder_changed_too_recently_is_swept_again(sample: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Within a tick of a coarse clock a folder can change without its times moving: one that
    changed just before it was swept is not kept as clean."""
    (sample / "tasks" / "fresh.yaml").write_text("x: 1\n", encoding="utf-8")  # moves its times
    memory = SweepMemory(sample)
    transaction.recover(sample, memory)
    assert "tasks" not in memory.clean and "seats" not in memory.clean  # (the copy is new too)
    monkeypatch.setattr(gitlisting, "_now_ns",
                        lambda: time.time_ns() + 10 * gitlisting.RACY_COARSE_NS)
    memory = SweepMemory(sample)
    transaction.recover(sample, memory)
    assert {"tasks", "seats"} <= set(memory.clean)


@pytest.mark.parametrize("damage", ["flip", "foreign", "empty"])
def test_a_damaged_memory_means_every_folder_is_swept(cli: Run, sample: Path, listed: list[str],
                                                      damage: str) -> None:
    _add_person(cli, sample, "Nguyễn Văn An")
    place = registry_cache_folder(sample)
    assert place is not None
    kept = place[0] / SWEPT_FILE
    data = bytearray(kept.read_bytes())
    if damage == "flip":
        data[-2] ^= 1
    elif damage == "foreign":
        data[:5] = b"XXXXX"
    else:
        data = bytearray()
    kept.write_bytes(bytes(data))
    listed.clear()
    _add_person(cli, sample, "Nguyễn Văn Bình")
    assert set(listed) >= FOLDERS
