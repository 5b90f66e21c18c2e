"""SIGKILL real ``committee`` processes at every write point of three multi-file amendments.

Each child process is ``python -m committee_cli …`` (or, for a change composed of several use
cases, a Python process calling the library's ``run_change``) with ``tests/fault_hook`` on its
PYTHONPATH: its ``sitecustomize`` numbers every call that changes the registry folder on disk
(open for writing, fsync, rename, unlink, chmod, mkdir) and sends the process SIGKILL just
before the chosen one. After each kill:

- what every reader sees (``DirSource``, so ``validate``, the queries and ``render``) is, byte
  for byte, the registry before or after the change, and it validates;
- no temp file is read by ``validate`` or reported as a stray file;
- the next change command clears the killed run's lock record with a note, finishes or drops
  the interrupted change, and leaves on disk exactly what the reader saw, with no leftovers.
"""

from __future__ import annotations

import os
import shutil
import signal
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from committee_cli.store import DirSource
from committee_cli.store.transaction import JOURNAL, LOCK_FILE, OWNER_FILE
from tests.conftest import Run
from tests.fault_helpers import Child, base_registry, disk, run_hooked, seen

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(),
                                reason="POSIX signals and /proc/self/fd")

# decision new + person add + seat replace, written as one change through the Python API
COMPOSED = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from committee_cli.services import amend, decisions, unit_of_work

    def change(uow):
        decisions.new_decision(uow, kind="change-members", symbol="QĐ-BNV", number=1051,
                               date=dt.date(2022, 4, 1), committee="bcd-cpdt",
                               signer="pham-thi-thanh-tra", subject="Về việc kiện toàn Ban Chỉ đạo")
        amend.add_person(uow, name="Lê Văn Bình", honorific="Ông")
        return amend.replace_seat(uow, "bcd-cpdt-07", person="le-van-binh", decision="qd-1051-2022")

    result = unit_of_work.run_change(Path(sys.argv[1]), change)
    print(sorted(result.files))
""")


@dataclass(frozen=True)
class Amendment:
    """A multi-file change and the files it writes."""

    name: str
    args: tuple[str, ...]  # after `python`; {root} is the registry
    files: tuple[str, ...]


AMENDMENTS = [
    Amendment("seat-replace", ("-m", "committee_cli", "--registry", "{root}", "amend", "seat",
                               "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
                               "qd-1050-2022"),
              ("seats/bcd-cpdt-05.yaml", "seats/bcd-cpdt-17.yaml")),
    Amendment("seat-role", ("-m", "committee_cli", "--registry", "{root}", "amend", "seat",
                            "role", "bcd-cpdt-03", "--role", "pho-truong-ban", "-d",
                            "qd-1050-2022"),
              ("seats/bcd-cpdt-03.yaml", "seats/bcd-cpdt-17.yaml")),
    Amendment("decision-person-seat", ("-c", COMPOSED, "{root}"),
              ("decisions/qd-1051-2022.yaml", "people/le-van-binh.yaml",
               "seats/bcd-cpdt-07.yaml", "seats/bcd-cpdt-17.yaml")),
]


def run_child(amendment: Amendment, root: Path, kill_at: int, log: Path, **extra: str) -> Child:
    """Run the amendment on ``root`` in a fresh process, killed before write point ``kill_at``."""
    args = [a.replace("{root}", str(root)) for a in amendment.args]
    return run_hooked(args, root, log, COMMITTEE_KILL_AT=str(kill_at), **extra)


@pytest.mark.parametrize("amendment", AMENDMENTS, ids=[a.name for a in AMENDMENTS])
def test_killed_at_every_write_point_the_registry_is_before_or_after(
        cli: Run, tmp_path: Path, amendment: Amendment) -> None:
    base = base_registry(cli, tmp_path / "base")
    before = disk(base)
    full = tmp_path / "full"
    shutil.copytree(base, full)
    finished = run_child(amendment, full, 0, tmp_path / "full.log")
    assert finished.returncode == 0, finished.stderr
    after = disk(full)
    assert sorted(rel for rel in after if after[rel] != before.get(rel)) == sorted(amendment.files)
    points = finished.points
    commit_point = next(i for i, p in enumerate(points, 1) if p.endswith(f"-> {JOURNAL}"))
    # the log covers the whole transaction: each file's temp write, fsync and rename, the journal
    for rel in amendment.files:
        folder, name = rel.split("/")
        assert any(p.startswith(f"open {folder}/.{name}.") for p in points), rel
        assert any(p.startswith(f"fsync {folder}/.{name}.") for p in points), rel
        assert any(p.endswith(f"-> {rel}") for p in points[commit_point:]), rel
    assert f"unlink {JOURNAL}" in points and f"unlink {OWNER_FILE}" in points

    def kill(n: int) -> tuple[int, Path, Child]:
        root = tmp_path / f"kill-{n}"
        shutil.copytree(base, root)
        return n, root, run_child(amendment, root, n, tmp_path / f"kill-{n}.log")

    with ThreadPoolExecutor(max_workers=2) as pool:
        killed = list(pool.map(kill, range(1, len(points) + 1)))
    for n, root, child in killed:
        where = f"killed before write point {n} ({points[n - 1]})"
        assert child.returncode == -signal.SIGKILL, (where, child.stderr)
        assert child.points == points[:n], where
        view = seen(root)
        assert view == (before if n <= commit_point else after), where
        assert DirSource(root).stray() == [], where
        checked = cli("validate", registry=root)
        assert checked.exit_code == 0, (where, checked.output)
        left_owner = (root / OWNER_FILE).exists()
        if left_owner:
            assert f'"pid": {child.pid}' in (root / OWNER_FILE).read_text(encoding="utf-8")
        started = time.monotonic()
        nxt = cli("amend", "person", "add", "--name", "Trần Văn Cường", "--honorific", "Ông",
                  "--dry-run", registry=root)
        assert nxt.exit_code == 0, (where, nxt.output)
        assert time.monotonic() - started < 10, where  # the kernel released the dead run's lock
        if left_owner:
            assert f"note: cleared a stale lock record left by process {child.pid}" \
                in nxt.stderr, where
        if commit_point < n <= points.index(f"unlink {JOURNAL}"):
            assert "note: finished a change that an earlier run left half-written" \
                in nxt.stderr, where
        assert disk(root) == view, where  # what readers saw is what the next run leaves


def test_a_lock_still_held_after_its_run_was_killed_says_how_to_clear_it(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The killed run's lock outlives it (a process it started keeps the file open): the next
    run times out naming the dead holder, and doing what the message says clears it."""
    amendment = AMENDMENTS[0]
    root = base_registry(cli, tmp_path / "registry")
    probe = tmp_path / "probe"
    shutil.copytree(root, probe)
    points = run_child(amendment, probe, 0, tmp_path / "probe.log").points
    first_rename = next(i for i, p in enumerate(points, 1) if p.endswith(f"-> {amendment.files[0]}"))
    child = run_child(amendment, root, first_rename, tmp_path / "kill.log",
                      COMMITTEE_KILL_KEEP_LOCK="1")
    assert child.returncode == -signal.SIGKILL and child.orphan is not None, child.stderr
    try:
        monkeypatch.setenv("COMMITTEE_LOCK_TIMEOUT", "0.3")
        locked = cli("amend", "person", "add", "--name", "Trần Văn Cường", "--honorific", "Ông",
                     registry=root)
        assert locked.exit_code == 3, locked.output
        assert f"(process {child.pid} on" in locked.stderr
        assert "is no longer running: the lock is stale" in locked.stderr
        lock, owner = root / LOCK_FILE, root / OWNER_FILE
        assert f"delete {lock} and {owner} and try again" in locked.stderr
        assert not (root / "people" / "tran-van-cuong.yaml").exists()
        lock.unlink()  # as the message says
        owner.unlink()
        cleared = cli("amend", "person", "add", "--name", "Trần Văn Cường", "--honorific", "Ông",
                      registry=root)
        assert cleared.exit_code == 0, cleared.output
        assert "note: finished a change that an earlier run left half-written" in cleared.stderr
    finally:
        os.kill(child.orphan, signal.SIGKILL)
    after = disk(probe)
    assert {rel: data for rel, data in disk(root).items()
            if rel != "people/tran-van-cuong.yaml"} == after
    assert cli("validate", registry=root).exit_code == 0


def test_fmt_after_a_kill_finishes_the_change_before_formatting(cli: Run, tmp_path: Path) -> None:
    amendment = AMENDMENTS[0]
    root = base_registry(cli, tmp_path / "registry")
    probe = tmp_path / "probe"
    shutil.copytree(root, probe)
    points = run_child(amendment, probe, 0, tmp_path / "probe.log").points
    first_rename = next(i for i, p in enumerate(points, 1) if p.endswith(f"-> {amendment.files[0]}"))
    child = run_child(amendment, root, first_rename, tmp_path / "kill.log")
    assert child.returncode == -signal.SIGKILL
    assert (root / JOURNAL).exists()
    formatted = cli("fmt", registry=root)
    assert formatted.exit_code == 0, formatted.output
    assert "note: finished a change that an earlier run left half-written" in formatted.stderr
    assert f"note: cleared a stale lock record left by process {child.pid}" in formatted.stderr
    assert disk(root) == disk(probe)  # finished, nothing left over, nothing else to format
