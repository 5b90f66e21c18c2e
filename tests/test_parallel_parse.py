"""A cold parse of many files on several processes (store/parallel.py) gives exactly what one
process gives: the same problems, in the same order, and the same answers, whatever the files
hold (bad YAML, text not in NFC, bytes that are not UTF-8, a file that cannot be read), and
when the workers cannot start or die."""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from committee_cli.store import loader, parallel
from committee_cli.store.source import DirSource
from tests.conftest import ROOT, Run
from tests.git_helpers import git

sys.path.insert(0, str(ROOT))
from benchmarks.generate import Scale, generate

pytestmark = [pytest.mark.skipif(sys.platform != "linux",
                                 reason="worker processes are forked on Linux only"),
              pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

PARENT = os.getpid()
UNREADABLE = {"seats/bcd-0001-03.yaml", "tasks/bcd-0012-t20.yaml"}  # (root reads any file)
real_read = DirSource.read
real_part = parallel._parse_part


def _read_but_two(self: DirSource, rel: str) -> bytes:
    if rel in UNREADABLE:
        raise PermissionError(13, "Permission denied", rel)
    return real_read(self, rel)


def _noted_part(parse: parallel.Parse, part: Any) -> list[parallel.Parsed]:
    """A worker's chunk, the worker noted by its process id (a file in ``PIDS``)."""
    (Path(os.environ["PIDS"]) / str(os.getpid())).touch()
    return real_part(parse, part)


def _dying_part(parse: parallel.Parse, part: Any) -> list[parallel.Parsed]:
    if os.getpid() != PARENT:
        os._exit(3)  # (a worker killed: the pool breaks)
    return real_part(parse, part)


class NoPool:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "registry"
    generate(root, Scale.named("small"))
    people = sorted((root / "people").glob("*.yaml"))
    tasks = sorted((root / "tasks").glob("*.yaml"))
    # bad YAML early, text not in NFC in the middle, bytes not UTF-8 late
    people[0].write_text(people[0].read_text(encoding="utf-8") + "note: [không đóng\n",
                         encoding="utf-8")
    middle = people[len(people) // 2]
    middle.write_text(unicodedata.normalize("NFD", middle.read_text(encoding="utf-8")),
                      encoding="utf-8")
    tasks[-2].write_bytes(tasks[-2].read_bytes() + b"note: \xff\xfe\n")
    return root


@pytest.fixture
def registry(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"  # (in git, a file is first read when it is parsed)
    root = repo / "registry"
    shutil.copytree(generated, root)
    for args in (["init", "-q"], ["add", "-A"]):
        git(repo, *args)
    git(repo, "-c", "user.email=t@example.gov.vn", "-c", "user.name=t", "commit", "-q", "-m", "a")
    monkeypatch.setenv("COMMITTEE_CACHE", "off")  # (every run parses every file)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10)
    monkeypatch.setattr(parallel, "CHUNK", 7)  # (many chunks, many rounds of handing out)
    monkeypatch.setattr(DirSource, "read", _read_but_two)
    return root


def _answers(cli: Run, registry: Path, monkeypatch: pytest.MonkeyPatch,
             jobs: str) -> list[tuple[int, str]]:
    monkeypatch.setenv("COMMITTEE_JOBS", jobs)
    runs = [cli("validate", "--format", "json", registry=registry),
            cli("members", "bcd-0007", "--format", "json", registry=registry),
            cli("tasks", "--format", "json", registry=registry)]
    return [(run.exit_code, run.stdout) for run in runs]


def test_more_processes_give_what_one_gives(cli: Run, registry: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("PIDS", str(pids))
    monkeypatch.setattr(parallel, "_parse_part", _noted_part)
    one = _answers(cli, registry, monkeypatch, "1")
    assert list(pids.iterdir()) == []  # (one process: no worker)
    validated = one[0][1]
    assert one[0][0] == 1
    for code in ("R001", "R002", "R003"):
        assert f'"{code}"' in validated, code
    for rel in UNREADABLE:
        assert rel in validated
    for jobs in ("2", "3"):
        assert _answers(cli, registry, monkeypatch, jobs) == one, jobs
    workers = {int(p.name) for p in pids.iterdir()}
    assert workers and PARENT not in workers and os.getpid() not in workers


def test_workers_that_cannot_start_or_die_cost_only_time(cli: Run, registry: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    one = _answers(cli, registry, monkeypatch, "1")
    monkeypatch.setattr(parallel, "_parse_part", _dying_part)
    assert _answers(cli, registry, monkeypatch, "2") == one
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", NoPool)
    assert _answers(cli, registry, monkeypatch, "2") == one


@pytest.mark.parametrize(("value", "jobs"), [("3", 3), ("1", 1), ("0", 1), ("x", 1), ("-2", 1),
                                             ("٣", 1)])
def test_the_jobs_setting(cli: Run, monkeypatch: pytest.MonkeyPatch, sample: Path, value: str,
                          jobs: int) -> None:
    monkeypatch.setenv("COMMITTEE_JOBS", value)
    assert parallel.jobs() == jobs
    doctor = cli("doctor", registry=sample)
    line = next(line for line in doctor.stdout.splitlines() if " jobs " in f" {line} ")
    if jobs == 1 and value != "1":
        assert "warn" in line and value in line
        assert "set COMMITTEE_JOBS to a whole number" in doctor.stdout
    else:
        assert "ok" in line
