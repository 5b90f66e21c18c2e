"""`make bench SCALE=small` as a smoke test: every measure runs; no timing is asserted."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

TARGET_ROWS = {
    "warm one-committee query vs git status", "peak memory of those queries",
    "warm validate, nothing changed, vs git status",
    "validate after one file changed vs git status",
    "amend seat replace (written, all rules) vs git status", "cold validate vs libyaml parse",
    "peak memory of cold validate vs registry bytes",
    "sample registry: members, validate vs a one-command Typer app",
    "sample registry: render decision --format docx vs the app",
    "--help, --version vs the same app",
}


def test_benchmark_runs_at_small_scale(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "small",
                           "--runs", "1", "--json", str(out)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    names = {m["name"] for m in report["measures"]}
    for expected in ("floor: git status --porcelain", "floor: libyaml parse (CSafeLoader)",
                     "floor: one-command Typer app", "validate, cold (no cache)",
                     "validate, nothing changed", "validate, one file changed",
                     "members COMMITTEE", "person QUERY", "show COMMITTEE",
                     "tasks COMMITTEE --overdue", "render decision (md)",
                     "amend seat replace --dry-run", "amend seat replace (written)",
                     "committee --help", "committee --version", "sample: members bcd-cpdt",
                     "sample: validate", "sample: render decision --format docx"):
        assert expected in names
    assert all(m["median_s"] > 0 for m in report["measures"])
    # every row of issue 17's target table, each with its floor, ratio, target and verdict
    rows = {m["row"] for m in report["measures"] if m["row"]} | {m["row"] for m in report["memory"]}
    assert rows == TARGET_ROWS
    for m in report["measures"]:
        if m["row"]:
            assert m["floor_s"] > 0 and m["ratio"] > 0 and m["target"] > 0
            assert isinstance(m["met"], bool)
    assert all(isinstance(m["met"], bool) and m["value"] > 0 for m in report["memory"])
    # a ratio to git status or to the app is to that floor run beside the measure, run by run
    paired = [m for m in report["measures"]
              if m["floor"] in ("git status", "app", "help", "version")]
    assert paired and all(len(m["floor_runs_s"]) == len(m["runs_s"]) for m in paired)
    for m in paired:
        assert m["floor_s"] == statistics.median(m["floor_runs_s"])
        assert m["ratio"] == m["median_s"] / m["floor_s"]
    assert report["counts"]["committees"] == 12
    assert "peak MB" in done.stdout and ("✔" in done.stdout or "✘" in done.stdout)


def test_generator_is_deterministic_and_valid(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import Scale, generate

    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, Scale(committees=3))
    generate(b, Scale(committees=3))
    files = sorted(p.relative_to(a) for p in a.rglob("*.yaml"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.yaml"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    done = subprocess.run([sys.executable, "-m", "committee_cli", "--registry", str(a), "validate"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
