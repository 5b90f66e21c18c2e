"""Faults: a multi-file change killed at every point of its write, two runs at once, a held lock,
and a lock left by a killed run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from committee_cli.store import DirSource
from committee_cli.store.transaction import LOCK_FILE, OWNER_FILE
from tests.amend_helpers import copy_sample
from tests.conftest import ROOT, Run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX processes and signals")

# A change of four files (one new person, two seats edited, one new seat), made from Python,
# with os.replace / os.fsync / os.unlink counted while the transaction writes: at the chosen
# call the process dies on the spot (os._exit), as a power cut or a kill -9 would.
CRASH_SCRIPT = textwrap.dedent("""
    import os, sys, threading
    from pathlib import Path
    from committee_cli.services import amend, decisions, unit_of_work

    root, crash_at = Path(sys.argv[1]), int(sys.argv[2])
    state = {"armed": False, "calls": 0}

    def counted(real):
        def call(*args, **kwargs):
            # (the transaction's own calls: the cache's files written meanwhile in a thread,
            # committee_cli/background.py, are not the registry's)
            if state["armed"] and threading.current_thread() is threading.main_thread():
                state["calls"] += 1
                if state["calls"] == crash_at:
                    os._exit(17)
            return real(*args, **kwargs)
        return call

    os.replace, os.fsync, os.unlink = (counted(os.replace), counted(os.fsync),
                                       counted(os.unlink))
    real_write = unit_of_work.write_files

    def armed_write(*args, **kwargs):
        state["armed"] = True
        real_write(*args, **kwargs)
        state["armed"] = False

    unit_of_work.write_files = armed_write

    def change(uow):
        amend.add_person(uow, name="Nguyễn Văn A", honorific="Ông")
        amend.replace_seat(uow, "bcd-cpdt-05", person="nguyen-van-a", decision="qd-1050-2022")
        return amend.end_seat(uow, "bcd-cpdt-16", decision="qd-1050-2022")

    result = unit_of_work.run_change(root, change)
    assert sorted(result.files) == ["people/nguyen-van-a.yaml", "seats/bcd-cpdt-05.yaml",
                                    "seats/bcd-cpdt-16.yaml", "seats/bcd-cpdt-17.yaml"]
    print(state["calls"])
""")

DRAFT = ("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number", "1050",
         "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--signer", "pham-thi-thanh-tra",
         "--subject", "Về việc kiện toàn Ban Chỉ đạo")
# Any amendment run (even a dry run) first finishes or drops an interrupted change.
NEXT_DRAFT = (*DRAFT[:7], "1051", *DRAFT[8:])


def _python(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False, timeout=120, **kwargs)  # type: ignore[call-overload, no-any-return]


def _state(root: Path) -> dict[str, bytes]:
    source = DirSource(root)
    return {rel: source.read(rel) for rel in source.paths()}


def _leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*"))


def test_a_write_killed_at_every_point_leaves_before_or_after(cli: Run, tmp_path: Path) -> None:
    base = copy_sample(tmp_path / "base")
    assert cli(*DRAFT, registry=base).exit_code == 0
    before = _state(base)
    full = tmp_path / "full"
    shutil.copytree(base, full)
    finished = _python("-c", CRASH_SCRIPT, str(full), "0")
    assert finished.returncode == 0, finished.stderr
    points = int(finished.stdout.strip())
    after = _state(full)
    assert points >= 8 and after != before
    outcomes = set()
    for crash_at in range(1, points + 1):
        root = tmp_path / f"crash-{crash_at}"
        shutil.copytree(base, root)
        crashed = _python("-c", CRASH_SCRIPT, str(root), str(crash_at))
        assert crashed.returncode == 17, (crash_at, crashed.stderr)
        # The next run finishes (or drops) the interrupted change before doing anything.
        nxt = cli(*NEXT_DRAFT, "--dry-run", registry=root)
        assert nxt.exit_code == 0, nxt.output
        state = _state(root)
        assert state in (before, after), crash_at
        outcomes.add("after" if state == after else "before")
        assert _leftovers(root) == [], crash_at
        checked = cli("validate", registry=root)
        assert checked.exit_code == 0, checked.output
    assert outcomes == {"before", "after"}


def test_an_os_error_after_the_journal_is_finished_by_the_next_run(
        cli: Run, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(*DRAFT, registry=sample).exit_code == 0
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str, dst: str) -> None:
        if str(dst).startswith(str(sample)):  # renames in the registry, not in a cache
            calls["n"] += 1
            if calls["n"] == 3:  # the journal is in place, one file renamed, this one fails
                raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    failed = cli("amend", "seat", "replace", "bcd-cpdt-05", "--post", "Đại diện lãnh đạo",
                 "--unit", "bnv-vpc", "--decision", "qd-1050-2022", registry=sample)
    monkeypatch.setattr(os, "replace", real_replace)
    assert failed.exit_code == 4, failed.output
    assert "No space left on device; if part of the change was written, the next run " \
        "finishes it" in failed.stderr
    nxt = cli(*NEXT_DRAFT, "--dry-run", registry=sample)
    assert nxt.exit_code == 0, nxt.output
    assert "finished a change that an earlier run left half-written" in nxt.stderr
    assert "end:" in (sample / "seats" / "bcd-cpdt-05.yaml").read_text(encoding="utf-8")
    assert (sample / "seats" / "bcd-cpdt-17.yaml").exists()
    assert _leftovers(sample) == []
    assert cli("validate", registry=sample).exit_code == 0


def test_a_failed_write_names_the_file(cli: Run, sample: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(*DRAFT, registry=sample).exit_code == 0
    before = _state(sample)
    import committee_cli.store.transaction as transaction

    def no_space(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device", str(sample / "seats" / "bcd-cpdt-16.yaml"))

    monkeypatch.setattr(transaction, "_prepare", no_space)
    result = cli("amend", "seat", "end", "bcd-cpdt-16", "-d", "qd-1050-2022", registry=sample)
    assert result.exit_code == 4
    assert "cannot write seats/bcd-cpdt-16.yaml: No space left on device" in result.stderr
    assert _state(sample) == before


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMITTEE_LOCK_TIMEOUT": "60"}
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def test_concurrent_runs_both_land_or_one_is_refused(cli: Run, sample: Path) -> None:
    assert cli(*DRAFT, registry=sample).exit_code == 0
    for name in ("Nguyễn Văn A", "Nguyễn Văn B", "Nguyễn Văn C"):
        assert cli("amend", "person", "add", "--name", name, "--honorific", "Ông",
                   registry=sample).exit_code == 0
    cmd = ["-m", "committee_cli", "--registry", str(sample), "amend", "seat"]
    adders = [_spawn(*cmd, "add", "bcd-cpdt", "--role", "uy-vien", "--post",
                     f"Chuyên viên {n}", "--unit", "bnv-vpc", "-d", "qd-1050-2022")
              for n in range(4)]
    replacers = [_spawn(*cmd, "replace", "bcd-cpdt-05", "--person", person, "-d",
                        "qd-1050-2022") for person in ("nguyen-van-a", "nguyen-van-b",
                                                       "nguyen-van-c")]
    added = [(*p.communicate(timeout=120), p.returncode) for p in adders]
    replaced = [(*p.communicate(timeout=120), p.returncode) for p in replacers]
    assert all(code == 0 for _, _, code in added), added
    assert sorted(code for _, _, code in replaced) == [0, 2, 2], replaced
    assert all("already ended" in err for _, err, code in replaced if code == 2)
    seats = sorted(p.stem for p in (sample / "seats").glob("*.yaml"))
    assert seats == [f"bcd-cpdt-{n:02d}" for n in range(1, 22)]  # 16 + 4 added + 1 replacement
    posts = {(sample / "seats" / f"{s}.yaml").read_text(encoding="utf-8").split("post: ")[1]
             .split("\n")[0] for s in seats[16:] if "post: " in
             (sample / "seats" / f"{s}.yaml").read_text(encoding="utf-8")}
    assert posts == {f"Chuyên viên {n}" for n in range(4)}
    assert cli("validate", registry=sample).exit_code == 0
    assert _leftovers(sample) == []


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from committee_cli.services.unit_of_work import registry_lock
    with registry_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(60)
""")


def test_a_held_lock_times_out_and_a_killed_holder_is_cleared(
        cli: Run, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = _spawn("-c", HOLDER, str(sample))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("COMMITTEE_LOCK_TIMEOUT", "0.3")
        locked = cli(*DRAFT, registry=sample)
        assert locked.exit_code == 3, locked.output
        assert f"another committee run holds the registry lock: process {holder.pid}" \
            in locked.stderr
        assert not (sample / "decisions" / "qd-1050-2022.yaml").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert (sample / OWNER_FILE).exists()  # the killed run could not clean up
    result = cli(*DRAFT, registry=sample)
    assert result.exit_code == 0, result.output
    assert f"cleared a stale lock record left by process {holder.pid}" in result.stderr
    assert _leftovers(sample) == []


def test_a_stale_record_on_a_held_lock_says_what_to_do(
        cli: Run, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    import json
    import socket

    (sample / OWNER_FILE).write_text(json.dumps({
        "pid": dead_pid, "host": socket.gethostname(), "since": "2022-03-01T09:00:00",
        "command": "committee amend seat end bcd-cpdt-05"}), encoding="utf-8")
    raw = _spawn("-c", "import sys, time, filelock\n"
                 f"lock = filelock.FileLock({str(sample / LOCK_FILE)!r}); lock.acquire()\n"
                 "print('held', flush=True); time.sleep(60)")
    try:
        assert raw.stdout is not None and raw.stdout.readline().strip() == "held"
        monkeypatch.setenv("COMMITTEE_LOCK_TIMEOUT", "0.2")
        result = cli(*DRAFT, registry=sample)
        assert result.exit_code == 3
        assert f"(process {dead_pid} on" in result.stderr
        assert "is no longer running: the lock is stale" in result.stderr
        assert f"delete {sample / LOCK_FILE}" in result.stderr
    finally:
        raw.send_signal(signal.SIGKILL)
        raw.wait(timeout=30)
