"""`committee tasks --format ics`: all-day events with stable UIDs; SEQUENCE follows the deadline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest

from tests.conftest import ROOT, Run

FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"


def _calendar(cli: Run, registry: Path, *args: str) -> icalendar.Calendar:
    result = cli("tasks", "--as-of", "2021-10-01", "--format", "ics", *args, registry=registry)
    assert result.exit_code == 0, result.output
    return icalendar.Calendar.from_ical(result.stdout_bytes if hasattr(result, "stdout_bytes")
                                        else result.stdout.encode("utf-8"))


def _events(cal: icalendar.Calendar, kind: str = "VEVENT") -> dict[str, icalendar.cal.Component]:
    return {str(e["uid"]): e for e in cal.walk(kind)}


@pytest.fixture
def tracked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture registry committed to a fresh git repository."""
    for key, value in (("GIT_AUTHOR_NAME", "Văn thư"), ("GIT_AUTHOR_EMAIL", "vt@example.gov.vn"),
                       ("GIT_COMMITTER_NAME", "Văn thư"),
                       ("GIT_COMMITTER_EMAIL", "vt@example.gov.vn"),
                       ("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))):
        monkeypatch.setenv(key, value)
    (tmp_path / "gitconfig").write_text("[commit]\n\tgpgsign = false\n", encoding="utf-8")
    registry = tmp_path / "repo" / "registry"
    shutil.copytree(FIXTURE, registry)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "sổ đăng ký"]):
        subprocess.run(["git", *args], cwd=registry.parent, check=True)
    return registry


def test_each_deadline_is_an_all_day_event_with_a_reminder(cli: Run) -> None:
    cal = _calendar(cli, FIXTURE)
    events = _events(cal)
    assert len(events) == 4  # the tasks assigned by 1/10/2021 (one more is assigned in 2022)
    training = next(e for uid, e in events.items() if uid.startswith("ke-hoach-2021-dao-tao@"))
    start = training["dtstart"].dt
    assert str(start) == "2021-10-15" and str(training["dtend"].dt) == "2021-10-16"
    assert training["dtstart"].params.get("VALUE") == "DATE" or not hasattr(start, "hour")
    assert "Chủ trì: Vụ Tổ chức cán bộ" in str(training["description"])
    assert int(training["sequence"]) == 0
    alarms = training.walk("VALARM")
    assert alarms and str(alarms[0]["trigger"].dt) == "-7 days, 0:00:00"
    coordinated = next(e for uid, e in events.items() if uid.startswith("xay-dung-quy-che@"))
    assert "Phối hợp: Vụ Pháp chế" in str(coordinated["description"])


def test_uids_are_stable_across_runs_and_todo_is_an_option(cli: Run) -> None:
    first = cli("tasks", "--as-of", "2021-10-01", "--format", "ics", registry=FIXTURE).stdout
    second = cli("tasks", "--as-of", "2021-10-01", "--format", "ics", registry=FIXTURE).stdout
    assert first == second
    todos = _events(_calendar(cli, FIXTURE, "--ics-todo"), "VTODO")
    assert set(todos) == set(_events(_calendar(cli, FIXTURE)))
    assert all("due" in t for t in todos.values())


def test_sequence_rises_when_a_decision_moves_the_deadline(cli: Run, tracked: Path) -> None:
    before = _events(_calendar(cli, tracked))
    uid = next(u for u in before if u.startswith("ke-hoach-2021-dao-tao@"))
    assert int(before[uid]["sequence"]) == 0
    moved = cli("amend", "task", "update", "ke-hoach-2021-dao-tao", "--deadline", "2021-11-30",
                "--commit", registry=tracked)
    assert moved.exit_code == 0, moved.output
    after = _events(_calendar(cli, tracked))
    assert uid in after and int(after[uid]["sequence"]) == 1
    assert str(after[uid]["dtstart"].dt) == "2021-11-30"
    others = [u for u in before if u != uid]
    assert all(int(after[u]["sequence"]) == 0 for u in others)


def test_ics_is_only_for_tasks(cli: Run) -> None:
    result = cli("members", "--format", "ics", registry=FIXTURE)
    assert result.exit_code == 2 and "tasks" in result.stderr
