"""Real ``committee`` processes at once on one registry, their interleaving made certain by the
fault hook (tests/fault_hook): the first run is paused at a chosen write point while holding the
lock, and the second starts then.

tests/test_amend_faults.py::test_concurrent_runs_both_land_or_one_is_refused already runs seven
amendments at once and lets the scheduler interleave them; these tests pin the interleavings
that matter: a run that waits, a run that cannot wait, two edits of one file, `fmt` against an
amendment, and readers in the middle of a write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run
from tests.fault_helpers import (
    base_registry,
    committee,
    disk,
    finish,
    hooked_env,
    read_log,
    spawn,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(),
                                reason="POSIX processes and /proc/self/fd")

PAUSE = "2"
REPLACE = ("amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
           "qd-1050-2022")
ROLE = ("amend", "seat", "role", "bcd-cpdt-03", "--role", "pho-truong-ban", "-d",
        "qd-1050-2022")


# long enough that a second process started under a loaded machine (two test workers, a
# helper's build) still finds the first one holding the lock
LONG_PAUSE = "10"


def start_paused(root: Path, log: Path, args: tuple[str, ...], pause_on: str,
                 pause: str = PAUSE) -> subprocess.Popen[str]:
    """Start ``committee ARGS`` and return once it is paused before a write point matching
    ``pause_on``."""
    child = spawn(committee(root, *args), hooked_env(root, log, COMMITTEE_PAUSE_ON=pause_on,
                                                     COMMITTEE_PAUSE_SECONDS=pause))
    deadline = time.monotonic() + 60
    while "paused" not in read_log(log):
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the first run never reached its pause"
        time.sleep(0.02)
    return child


def run(root: Path, *args: str, timeout: str = "60") -> subprocess.CompletedProcess[str]:
    """Run ``committee ARGS`` in a fresh process (no hook), waiting up to ``timeout`` s for the lock."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMMITTEE_LOCK_TIMEOUT": timeout}
    return subprocess.run([sys.executable, *committee(root, *args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_second_amendment_waits_for_the_first_and_both_land(cli: Run, tmp_path: Path) -> None:
    root = base_registry(cli, tmp_path / "registry")
    first = start_paused(root, tmp_path / "first.log", REPLACE, r"-> \.committee-journal\.json")
    started = time.monotonic()
    second = run(root, *ROLE)
    waited = time.monotonic() - started
    done = finish(first, tmp_path / "first.log")
    assert done.returncode == 0, done.stderr
    assert second.returncode == 0, second.stderr
    assert waited >= float(PAUSE) * 0.8  # it waited for the lock, then loaded the first's result
    seats = {p.stem: p.read_text(encoding="utf-8") for p in (root / "seats").glob("*.yaml")}
    assert "end:\n  decision: qd-1050-2022" in seats["bcd-cpdt-05"]
    assert "end:\n  decision: qd-1050-2022" in seats["bcd-cpdt-03"]
    assert "person: nguyen-van-a" in seats["bcd-cpdt-17"]
    assert "role: pho-truong-ban" in seats["bcd-cpdt-18"]  # numbered after the first's seat
    assert cli("validate", registry=root).exit_code == 0


def test_an_amendment_that_cannot_wait_is_refused_naming_the_holder(cli: Run,
                                                                     tmp_path: Path) -> None:
    root = base_registry(cli, tmp_path / "registry")
    first = start_paused(root, tmp_path / "first.log", REPLACE, r"-> \.committee-journal\.json",
                         pause=LONG_PAUSE)
    second = run(root, *ROLE, timeout="0.3")
    done = finish(first, tmp_path / "first.log")
    assert done.returncode == 0, done.stderr
    assert second.returncode == 3, second.stderr
    assert f"another committee run holds the registry lock: process {first.pid}" in second.stderr
    assert "amend seat replace" in second.stderr  # the holder's command
    assert "try again when it has finished" in second.stderr
    after_first = disk(root)
    assert "role: pho-truong-ban" not in after_first["seats/bcd-cpdt-17.yaml"].decode()
    assert not (root / "seats" / "bcd-cpdt-18.yaml").exists()
    again = run(root, *ROLE)  # nothing of the refused run was left behind to get in the way
    assert again.returncode == 0, again.stderr


def test_two_edits_of_one_file_at_once_both_land(cli: Run, tmp_path: Path) -> None:
    root = base_registry(cli, tmp_path / "registry")
    first = start_paused(root, tmp_path / "first.log",
                         ("amend", "person", "update", "nguyen-van-a", "--note", "Ghi chú A"),
                         r"^open people/\.nguyen-van-a\.yaml\.")
    second = run(root, "amend", "person", "update", "nguyen-van-a", "--title", "Vụ trưởng",
                 "--organisation", "bnv-vpc", "--since", "2022-01-01")
    done = finish(first, tmp_path / "first.log")
    assert done.returncode == 0 and second.returncode == 0, (done.stderr, second.stderr)
    text = (root / "people" / "nguyen-van-a.yaml").read_text(encoding="utf-8")
    assert "note: Ghi chú A" in text and "title: Vụ trưởng" in text


def test_fmt_during_an_amendment_never_overwrites_it(cli: Run, tmp_path: Path) -> None:
    """`fmt` holds the lock from reading to writing: an amendment made meanwhile waits, and its
    edit of a file that `fmt` rewrites is not lost."""
    root = base_registry(cli, tmp_path / "registry")
    seat = root / "seats" / "bcd-cpdt-05.yaml"
    text = seat.read_text(encoding="utf-8")
    seat.write_text(text.replace("start:\n  decision:", "start:\n      decision:"),
                    encoding="utf-8")  # valid, but not canonical: fmt rewrites it
    assert cli("validate", registry=root).exit_code == 0
    formatter = start_paused(root, tmp_path / "fmt.log", ("fmt",), r"^open seats/\.bcd-cpdt-05")
    amended = run(root, *REPLACE)
    done = finish(formatter, tmp_path / "fmt.log")
    assert done.returncode == 0, done.stderr
    assert amended.returncode == 0, amended.stderr
    text = seat.read_text(encoding="utf-8")
    assert "end:\n  decision: qd-1050-2022" in text  # the amendment is there …
    assert "start:\n  decision: qd-913-2021" in text  # … in the formatted file
    assert cli("validate", registry=root).exit_code == 0
    assert cli("fmt", "--check", registry=root).exit_code == 0


def test_readers_in_the_middle_of_a_write_see_it_finished(cli: Run, tmp_path: Path) -> None:
    """Paused between its two renames, a change is already what `validate` and the queries of
    other processes see: the seat it ends has its successor."""
    root = base_registry(cli, tmp_path / "registry")
    writer = start_paused(root, tmp_path / "writer.log", REPLACE,
                          r"-> seats/bcd-cpdt-17\.yaml$")
    try:
        assert b"end:" in (root / "seats" / "bcd-cpdt-05.yaml").read_bytes()  # renamed …
        assert not (root / "seats" / "bcd-cpdt-17.yaml").exists()  # … its successor not yet
        checked = run(root, "validate")
        members = run(root, "members", "--as-of", "2022-03-01", "--format", "json")
    finally:
        done = finish(writer, tmp_path / "writer.log")
    assert done.returncode == 0, done.stderr
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert members.returncode == 0, members.stderr
    holders = {s["seat"]: s["person"] for s in json.loads(members.stdout)["seats"]}
    assert holders.get("bcd-cpdt-17") == "nguyen-van-a" and "bcd-cpdt-05" not in holders
    assert len(holders) == 16


def test_a_read_overtaken_by_a_whole_change_is_read_again(sample: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A change committed and finished while a reader is between two files (the reader saw the
    first file before it, would see the second after it) makes the reader read again."""
    from committee_cli.store import DirSource, load
    from committee_cli.store.transaction import write_files

    first, second = "organisations/bnv.yaml", "seats/bcd-cpdt-05.yaml"
    new = {rel: (sample / rel).read_text(encoding="utf-8") + "# changed\n" for rel in (first, second)}
    real_read = DirSource.read
    overtaken = []

    def read(self: DirSource, rel: str) -> bytes:
        if rel.startswith("people/") and not overtaken:
            overtaken.append(rel)
            write_files(sample, new)  # the whole change, between the reader's two files
        return real_read(self, rel)

    monkeypatch.setattr(DirSource, "read", read)
    loaded = load(DirSource(sample))
    assert overtaken
    assert {rel: loaded.raws[rel].decode() for rel in new} == new
