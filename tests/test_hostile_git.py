"""Writes in a git work tree: lock records never show in ``git status``; ``--commit`` checks git
before writing; a run killed at any step of ``--commit`` is explained by the next one; a journal
or temp file committed to git is a validation error in the work tree and at the revision
(real processes)."""

from __future__ import annotations

import os
import shlex
import stat
import time
from pathlib import Path

import pytest

from tests.amend_helpers import git, git_repo, snapshot
from tests.conftest import Run
from tests.fault_helpers import DRAFT, run_hooked
from tests.hostile_helpers import run_committee

REPLACE = ("amend", "seat", "replace", "bcd-cpdt-05", "--post", "Đại diện lãnh đạo", "--unit",
           "bnv-vpc", "--decision", "qd-1050-2022", "--commit")
LOCKS = (".committee.lock", ".committee.lock.owner")


def _status(repo: Path) -> str:
    return git(repo, "status", "--porcelain", "--untracked-files=all")


def _repo(cli: Run, tmp_path: Path) -> tuple[Path, Path]:
    repo = tmp_path / "repo"
    root = git_repo(repo)
    assert cli(*DRAFT, "--commit", registry=root).exit_code == 0
    return repo, root


def _finish_as_told(repo: Path, message: str) -> None:
    """Run the commands the interrupted-commit message gives, as a user would."""
    finish = message.split("To finish it: ", 1)[1].split("; to drop it", 1)[0]
    for command in finish.split(" && "):
        git(repo, *shlex.split(command)[1:])
    note = message.split("Then delete ", 1)[1].split("; nothing was written", 1)[0]
    os.unlink(note)


@pytest.mark.parametrize("steps", ["key steps", pytest.param("every step", marks=pytest.mark.slow)])
def test_a_kill_at_every_step_of_commit_is_explained_by_the_next_run(cli: Run, tmp_path: Path,
                                                                      steps: str) -> None:
    repo, root = _repo(cli, tmp_path)
    args = ["-m", "committee_cli", "--registry", str(root), *REPLACE]
    done = run_hooked(args, repo, tmp_path / "full.log", COMMITTEE_KILL_AT="0")
    assert done.returncode == 0, done.stderr
    points = done.points
    note = next(i for i, p in enumerate(points, 1) if "committee-commit.json" in p)
    journal = next(i for i, p in enumerate(points, 1) if p.endswith("-> registry/.committee-journal.json"))
    chosen = range(1, len(points) + 1) if steps == "every step" else sorted(
        {1, note, note + 1, journal, journal + 1, len(points)})
    base = git(repo, "rev-parse", "HEAD~1").strip()
    outcomes = set()
    for kill_at in chosen:
        git(repo, "reset", "-q", "--hard", base)
        git(repo, "clean", "-qfdx")
        (repo / ".git" / "committee-commit.json").unlink(missing_ok=True)
        killed = run_hooked(args, repo, tmp_path / f"kill-{kill_at}.log",
                            COMMITTEE_KILL_AT=str(kill_at))
        assert killed.returncode == -9, (kill_at, killed.stderr)
        assert not any(lock in _status(repo) for lock in LOCKS), (kill_at, _status(repo))
        again = cli(*REPLACE, registry=root)
        message = again.stderr
        if again.exit_code == 5 and "earlier `--commit` run was stopped" in message:
            outcomes.add("explained")
            _finish_as_told(repo, message)
            assert _status(repo) == "", (kill_at, _status(repo))
        else:
            # before anything was written (or after the commit): the next run goes on
            outcomes.add("clean")
            assert again.exit_code in (0, 2), (kill_at, again.exit_code, message)
        assert not any(lock in _status(repo) for lock in LOCKS)
        assert cli("validate", registry=root).exit_code == 0
    assert outcomes == {"explained", "clean"}


def test_a_kill_between_add_and_commit_says_what_is_staged(cli: Run, tmp_path: Path) -> None:
    repo, root = _repo(cli, tmp_path)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nkill -9 $(ps -o ppid= -p $PPID)\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    killed = run_committee(*REPLACE, registry=root, check_exit=False)
    assert killed.returncode == -9
    for _ in range(100):  # git itself ends on its own, removing its index.lock
        if not (repo / ".git" / "index.lock").exists():
            break
        time.sleep(0.1)
    hook.unlink()
    assert "registry/seats/bcd-cpdt-05.yaml" in git(repo, "diff", "--cached", "--name-only")
    assert not any(lock in _status(repo) for lock in LOCKS)
    again = run_committee(*REPLACE, registry=root)
    message = again.stderr.decode("utf-8")
    assert again.returncode == 5, message
    assert "staged now: registry/seats/bcd-cpdt-05.yaml" in message
    _finish_as_told(repo, message)
    assert _status(repo) == ""
    assert "thay Ủy viên" in git(repo, "log", "-1", "--format=%s")


def test_a_stale_index_lock_is_found_before_writing(cli: Run, tmp_path: Path) -> None:
    repo, root = _repo(cli, tmp_path)
    (repo / ".git" / "index.lock").write_text("", encoding="utf-8")
    before = snapshot(root)
    result = run_committee(*REPLACE, registry=root)
    message = result.stderr.decode("utf-8")
    assert result.returncode == 5 and "index.lock exists" in message, message
    assert "nothing was written" in message and snapshot(root) == before


def test_a_committed_journal_is_an_error_in_the_work_tree_and_at_the_revision(
        cli: Run, tmp_path: Path) -> None:
    repo, root = _repo(cli, tmp_path)
    seat = root / "seats" / "bcd-cpdt-05.yaml"
    temp = seat.with_name(".bcd-cpdt-05.yaml.abcdefgh.tmp")
    temp.write_text(seat.read_text(encoding="utf-8").replace("order: 5", "order: 6"),
                    encoding="utf-8")
    (root / ".committee-journal.json").write_text(
        '{"seats/bcd-cpdt-05.yaml": "seats/.bcd-cpdt-05.yaml.abcdefgh.tmp"}', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "by mistake")
    checked = run_committee("validate", "--format", "json", registry=root)
    out = checked.stdout.decode("utf-8")
    assert checked.returncode == 1 and '"R010"' in out and "committed to git" in out, out
    assert ".committee-journal.json" in out and ".bcd-cpdt-05.yaml.abcdefgh.tmp" in out
    rendered = run_committee("render", "decision", "qd-913-2021", "--rev", "HEAD",
                             registry=root)
    message = rendered.stderr.decode("utf-8") + rendered.stdout.decode("utf-8")
    assert rendered.returncode == 1 and "R010" in message and "committed to git" in message
    assert ".committee-journal.json" in message and ".bcd-cpdt-05.yaml.abcdefgh.tmp" in message
    before = snapshot(root)
    amended = run_committee(*REPLACE[:-1], registry=root)
    assert amended.returncode == 4 and "is committed to git" in amended.stderr.decode("utf-8")
    assert snapshot(root) == before  # never applied
