"""A full disk: the write fails naming the file, exit 4, nothing temporary is left and the
registry is as before (a real process on a small tmpfs; skipped when it cannot be mounted)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.amend_helpers import snapshot
from tests.conftest import SAMPLE
from tests.fault_helpers import DRAFT
from tests.hostile_helpers import run_committee


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> None:
    """Take every free block of the file system (leaving nothing for a new file)."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_files(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*") if p.name.endswith(".tmp") or "journal" in p.name]


def test_a_full_disk_names_the_file_and_leaves_nothing(small_disk: Path, tmp_path: Path) -> None:
    root = small_disk / "registry"
    shutil.copytree(SAMPLE, root)
    cache = tmp_path / "cache"  # on the real disk: only the registry's disk is full
    env = {"COMMITTEE_CACHE_DIR": str(cache)}
    assert run_committee(*DRAFT, registry=root, env=env).returncode == 0
    _fill(small_disk)
    before = snapshot(root)
    for args in (("amend", "seat", "replace", "bcd-cpdt-05", "--post", "Đại diện lãnh đạo",
                  "--unit", "bnv-vpc", "--decision", "qd-1050-2022"),
                 (*DRAFT[:7], "1051", *DRAFT[8:])):
        done = run_committee(*args, registry=root, env=env)
        message = done.stderr.decode("utf-8")
        assert done.returncode == 4, message
        assert "No space left on device" in message and ".yaml" in message, message
        assert "cannot write seats/" in message or "cannot write decisions/" in message \
            or "lock" in message, message
        assert snapshot(root) == before
        assert _temp_files(root) == [], _temp_files(root)
    os.unlink(small_disk / "filler")
    assert run_committee("validate", registry=root, env=env).returncode == 0


def test_a_full_disk_under_the_cache_is_only_a_slower_run(small_disk: Path) -> None:
    root = small_disk.parent / "registry"
    shutil.copytree(SAMPLE, root)
    cache = small_disk / "cache"
    _fill(small_disk)
    env = {"COMMITTEE_CACHE_DIR": str(cache)}
    for _ in range(2):
        done = run_committee("members", "bcd-cpdt", registry=root, env=env)
        assert done.returncode == 0 and done.stderr == b"", done.stderr
    assert [p for p in cache.rglob("*") if p.name.endswith(".tmp")] == []
