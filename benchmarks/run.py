"""Time committee-cli at national scale against the parsing and start-up floors.

Every figure is a whole process (as a user runs it), the median of several runs, next to its
floor measured in the same run: a bare script that parses the same files with libyaml
(``yaml.load(..., Loader=CSafeLoader)``), and a one-command Typer app for start-up. Peak memory
is each process's maximum resident set. Prints a table and writes JSON.

    python benchmarks/run.py [--scale default|medium|small] [--runs N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import Scale, generate  # noqa: E402

COMMITTEE = [sys.executable, "-m", "committee_cli"]


@dataclass
class Measure:
    """One benchmarked command: its runs, floor and target."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    floor: str = "parse"
    target: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def run_once(cmd: list[str], env: dict[str, str],
             stdout: int = subprocess.DEVNULL) -> tuple[float, float, str]:
    """Run a whole process; return (seconds, peak MB, stdout text)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    # the child's own peak resident set, read from its rusage when it is reaped
    peak = 0.0
    try:
        usage = os.wait4(proc.pid, 0)[2]  # already reaped by communicate: falls to except
        peak = usage.ru_maxrss / 1024
    except ChildProcessError:
        pass
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    del stdout
    return elapsed, peak, out.decode("utf-8", "replace")


def timed(cmd: list[str], env: dict[str, str], runs: int, before: object = None) -> tuple[list[float], float]:
    """Median-ready timings and the peak memory of ``cmd`` over ``runs`` runs."""
    times: list[float] = []
    peak = 0.0
    for _ in range(runs):
        if callable(before):
            before()
        wrapped = [sys.executable, str(HERE / "peak.py"), *cmd]
        elapsed, _, out = run_once(wrapped, env)
        peak = max(peak, float(out.strip().splitlines()[-1]) if out.strip() else 0.0)
        times.append(elapsed)
    return times, peak


def main() -> None:
    """Generate the registry, run every measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["default", "medium", "small"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results.json"))
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="committee-bench-"))
    registry = args.keep or workdir / "registry"
    cache_dir = workdir / "cache"
    env = dict(os.environ, COMMITTEE_CACHE_DIR=str(cache_dir), PYTHONDONTWRITEBYTECODE="1")
    env.pop("COMMITTEE_REGISTRY", None)
    scale = Scale.named(args.scale)
    t0 = time.perf_counter()
    counts = generate(registry, scale)
    size = sum(p.stat().st_size for p in registry.rglob("*.yaml"))
    print(f"registry: {', '.join(f'{v:,} {k}' for k, v in counts.items())}; {size / 1e6:.1f} MB "
          f"of YAML in {sum(1 for _ in registry.rglob('*.yaml')):,} files "
          f"(generated in {time.perf_counter() - t0:.1f} s)", flush=True)
    base = [*COMMITTEE, "--registry", str(registry)]
    n = max(1, scale.committees // 2)
    mid = f"bcd-{n:04d}"
    runs = args.runs

    def clear_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    measures: list[Measure] = []

    def add(name: str, cmd: list[str], floor: str = "parse", target: float | None = None,
            before: object = None, note: str = "", runs_: int | None = None) -> Measure:
        times, peak = timed(cmd, env, runs_ or runs, before)
        m = Measure(name, times, peak, floor, target, note)
        measures.append(m)
        print(f"  {name:<34} {m.median:7.3f} s", flush=True)
        return m

    floor_parse = add("floor: libyaml parse (CSafeLoader)",
                      [sys.executable, str(HERE / "floor_parse.py"), str(registry)], "self")
    floor_help = add("floor: minimal Typer app --help",
                     [sys.executable, str(HERE / "floor_typer.py"), "--help"], "self")
    floor_version = add("floor: minimal Typer app --version",
                        [sys.executable, str(HERE / "floor_typer.py"), "--version"], "self")
    cold_validate = add("validate (cold: no cache)", [*base, "validate"], target=1.5,
                        before=clear_cache)
    add("validate (nothing changed)", [*base, "validate"], target=0.2)
    seat_file = registry / "seats" / f"{mid}-16.yaml"
    original = seat_file.read_text(encoding="utf-8")
    flip = {"n": 0}

    def change_one_file() -> None:
        flip["n"] += 1
        seat_file.write_text(original + f"# edit {flip['n']}\n", encoding="utf-8")

    add("validate (one file changed)", [*base, "validate"], before=change_one_file)
    seat_file.write_text(original, encoding="utf-8")
    run_once([*base, "validate"], env)  # warm the cache again
    warm_validate = add("validate (warm, for amend)", [*base, "validate"])
    # signed-text checks (issue 14): upgrade every signature to scheme 2 (the decision's facts),
    # then the same two validates; each compared with its measure above (scheme 1, no facts)
    one_changed = measures[-2]
    t1 = time.perf_counter()
    run_once([*base, "migrate"], env)
    print(f"  (migrate to scheme 2: {time.perf_counter() - t1:.1f} s)", flush=True)
    run_once([*base, "validate"], env)  # computes every signed decision's facts once
    add("validate, warm, after signed-text checks", [*base, "validate"], floor="warm validate",
        target=1.3)
    add("validate (one file changed), signed-text", [*base, "validate"], floor="one changed",
        before=change_one_file)
    seat_file.write_text(original, encoding="utf-8")
    run_once([*base, "validate"], env)
    add("members COMMITTEE", [*base, "members", mid], target=0.3)
    add("person QUERY", [*base, "person", f"p{n:04d}-03"], target=0.3)
    add("tasks --overdue", [*base, "tasks", "--overdue", "--format", "json"])
    add("render decision (md)", [*base, "render", "decision", f"qd-{n:04d}-2020", "--format", "md",
                                 "--out", str(workdir / "decision.md")])
    site_dir = workdir / "site"
    add("site --downloads md (whole registry)", [*base, "site", "--out", str(site_dir),
                                                 "--downloads", "md"],
        floor="cold validate", target=2.0, before=lambda: shutil.rmtree(site_dir, True), runs_=1)
    add("site (docx + md downloads)", [*base, "site", "--out", str(site_dir), "--downloads",
                                       "md,docx"],
        floor="cold validate", before=lambda: shutil.rmtree(site_dir, True), runs_=1)
    # amendments: a draft decision per committee, then replace its free post seat
    drafts: list[tuple[int, str]] = []
    for k in range(1, runs + 2):
        c = k * max(1, scale.committees // (runs + 2))
        _, _, out = run_once([*base, "decision", "new", "-c", f"bcd-{c:04d}", "--kind",
                              "change-members", "--number", "990", "--symbol", f"QĐ-B{c:04d}",
                              "--date", "2023-01-10", "--subject", "Về việc thay đổi thành viên",
                              "--signer", f"p{c:04d}-00"], env)
        drafts.append((c, out.strip().splitlines()[-1].strip()))
    c0, d0 = drafts[0]
    add("amend seat replace --dry-run", [*base, "amend", "seat", "replace", f"bcd-{c0:04d}-16",
                                         "--person", f"p{c0:04d}-19", "--decision", d0,
                                         "--dry-run"], floor="warm validate", target=1.2)
    queue = list(drafts[1:])
    real = Measure("amend seat replace", floor="warm validate", target=1.2)
    for _ in range(runs):
        c, d = queue.pop(0)
        times, peak = timed([*base, "amend", "seat", "replace", f"bcd-{c:04d}-16", "--person",
                             f"p{c:04d}-19", "--decision", d], env, 1)
        real.seconds += times
        real.peak_mb = max(real.peak_mb, peak)
    measures.append(real)
    print(f"  {real.name:<34} {real.median:7.3f} s", flush=True)
    add("committee --help", [*COMMITTEE, "--help"], floor="help", target=1.2)
    add("committee --version", [*COMMITTEE, "--version"], floor="version", target=1.2)

    floors = {"parse": floor_parse.median, "help": floor_help.median,
              "cold validate": cold_validate.median,
              "version": floor_version.median, "warm validate": warm_validate.median,
              "one changed": one_changed.median,
              "self": float("nan")}
    rows = []
    print()
    print(f"{'measure':<36} {'median s':>9} {'floor':>14} {'ratio':>7} {'target':>7} {'peak MB':>8}")
    for m in measures:
        floor = floors[m.floor]
        ratio = m.median / floor if m.floor != "self" else float("nan")
        ok = "" if m.target is None else ("ok" if ratio <= m.target else "MISSED")
        target = f"≤{m.target}" if m.target else ""
        print(f"{m.name:<36} {m.median:9.3f} {m.floor:>14} {ratio:7.2f} {target:>7} "
              f"{m.peak_mb:8.0f} {ok}")
        rows.append({"name": m.name, "median_s": m.median, "runs_s": m.seconds, "floor": m.floor,
                     "ratio": None if ratio != ratio else ratio, "target": m.target,
                     "peak_mb": m.peak_mb, "met": None if m.target is None else ratio <= m.target})
    peak_validate = max(m.peak_mb for m in measures if m.name.startswith("validate"))
    print(f"\npeak memory of validate {peak_validate:.0f} MB = {peak_validate * 1e6 / size:.1f}x "
          f"the registry's {size / 1e6:.1f} MB on disk (target ≤ 8x)")
    report = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count()},
              "scale": args.scale, "counts": counts, "yaml_bytes": size, "runs": runs,
              "measures": rows, "peak_validate_mb": peak_validate,
              "memory_ratio": peak_validate * 1e6 / size}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
