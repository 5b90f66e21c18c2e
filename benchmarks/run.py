"""Time committee-cli at national scale against the floors of issue 17, all in one run.

Every figure is a whole process (as a user runs it), the median of several runs, next to its
floor measured in the same run: ``git status --porcelain`` in the same repository (the
generated registry is committed in a git repository first), a bare script that parses the
same files with libyaml (``yaml.load(..., Loader=CSafeLoader)``), and a one-command Typer app
for start-up and for the sample registry. Peak memory is each process's maximum resident set.
Each ratio to git status or to the Typer app is to that floor run again beside the measure, one
run just before each of its runs (``floor_runs_s`` in the JSON): a shared machine's speed drifts
over the minutes a run takes. Prints every row with its ratio, target and ✔/✘; writes JSON only
to a path you pass.

    python benchmarks/run.py [--scale default|medium|small] [--runs N] [--json PATH] [--keep DIR]
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
    cpu: list[float] = field(default_factory=list)  # CPU seconds (user + system) of each run
    peak_mb: float = 0.0
    floor: str = "parse"
    target: float | None = None
    note: str = ""
    row: str = ""  # the row of issue 17's target table this measure answers ('' for none)
    floor_seconds: list[float] = field(default_factory=list)  # the floor's runs, interleaved
    floor_cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


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


def _measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak MB, CPU seconds) of one whole process."""
    elapsed, _, out = run_once([sys.executable, str(HERE / "peak.py"), *cmd], env)
    lines = out.strip().splitlines()
    cpu = [float(line.split()[1]) for line in lines[-2:-1] if line.startswith("cpu ")]
    return elapsed, float(lines[-1]) if lines else 0.0, cpu[0] if cpu else float("nan")


def timed(cmd: list[str], env: dict[str, str], runs: int, before: object = None,
          paired: list[str] | None = None) -> tuple[list[float], float, list[float],
                                                     list[float], list[float]]:
    """Wall seconds, the peak memory and the CPU seconds of ``cmd`` over ``runs`` runs, and the
    wall and CPU seconds of the ``paired`` floor, run just before each run of ``cmd`` (on a
    shared machine whose speed drifts, a ratio of two figures taken minutes apart says little)."""
    times: list[float] = []
    cpu: list[float] = []
    floor_times: list[float] = []
    floor_cpu: list[float] = []
    peak = 0.0
    for _ in range(runs):
        if callable(before):
            before()
        if paired is not None:
            elapsed, _, used = _measured(paired, env)
            floor_times.append(elapsed)
            floor_cpu.append(used)
        elapsed, top, used = _measured(cmd, env)
        peak = max(peak, top)
        cpu.append(used)
        times.append(elapsed)
    return times, peak, cpu, floor_times, floor_cpu


SAMPLE = HERE.parent / "registry"
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.gov.vn",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.gov.vn"}


def git(repo: Path, *args: str) -> None:
    """Run git in the benchmark's repository (failing loudly)."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False,
                          env=dict(os.environ, **GIT_ENV))
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.decode()[-2000:]}")


def commit_all(repo: Path, message: str) -> None:
    """Commit the whole work tree, as a secretariat does after a change."""
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message)


def make_repo(repo: Path) -> None:
    """A fresh git repository at ``repo`` (its registry is committed by the caller)."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")


def verdict(value: float, target: float | None) -> str:
    """✔ or ✘ against a target ('' without one; a missing value fails)."""
    if target is None:
        return ""
    return "✔" if value == value and value <= target else "✘"


def main() -> None:
    """Generate and commit the registry, run every measure, print the table (and the JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["default", "medium", "small"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None,
                        help="write the results here (nothing is written without it)")
    parser.add_argument("--keep", type=Path, help="make the git repository here and keep it")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="committee-bench-"))
    repo = args.keep or workdir / "repo"
    registry = repo / "registry"
    cache_dir = workdir / "cache"
    # Python's compiled bytecode is kept (as an installed package has it), but in the work
    # folder, never beside the project's sources; compiled once before anything is measured.
    env = dict(os.environ, COMMITTEE_CACHE_DIR=str(cache_dir),
               PYTHONPYCACHEPREFIX=str(workdir / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "committee_cli"),
                    str(HERE)], env=env, check=False, capture_output=True)
    env.pop("COMMITTEE_REGISTRY", None)
    scale = Scale.named(args.scale)
    t0 = time.perf_counter()
    make_repo(repo)
    counts = generate(registry, scale)
    size = sum(p.stat().st_size for p in registry.rglob("*.yaml"))
    commit_all(repo, "registry")
    print(f"registry: {', '.join(f'{v:,} {k}' for k, v in counts.items())}; {size / 1e6:.1f} MB "
          f"of YAML in {sum(1 for _ in registry.rglob('*.yaml')):,} files, committed in git "
          f"(generated in {time.perf_counter() - t0:.1f} s)", flush=True)
    base = [*COMMITTEE, "--registry", str(registry)]
    n = max(1, scale.committees // 2)
    mid = f"bcd-{n:04d}"
    runs = args.runs

    def clear_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    measures: list[Measure] = []

    # floors run again beside each measure, one run before each of its runs (git status with
    # no optional locks: it then never rewrites the index, which would move the listing's key)
    paired_floors = {
        "git status": ["git", "--no-optional-locks", "-C", str(repo), "status", "--porcelain"],
        "app": [sys.executable, str(HERE / "floor_typer.py"), "hello"],
        "help": [sys.executable, str(HERE / "floor_typer.py"), "--help"],
        "version": [sys.executable, str(HERE / "floor_typer.py"), "--version"],
    }

    def add(name: str, cmd: list[str], floor: str = "parse", target: float | None = None,
            before: object = None, note: str = "", runs_: int | None = None,
            row: str = "") -> Measure:
        times, peak, cpu, floor_times, floor_cpu = timed(cmd, env, runs_ or runs, before,
                                                         paired_floors.get(floor))
        m = Measure(name, times, cpu, peak, floor, target, note, row, floor_times, floor_cpu)
        measures.append(m)
        print(f"  {name:<44} {m.median:7.3f} s {m.median_cpu:7.3f} s CPU {m.peak_mb:6.0f} MB",
              flush=True)
        return m

    git_status = add("floor: git status --porcelain", ["git", "-C", str(repo), "status",
                                                      "--porcelain"], "self")
    floor_parse = add("floor: libyaml parse (CSafeLoader)",
                      [sys.executable, str(HERE / "floor_parse.py"), str(registry)], "self")
    floor_app = add("floor: one-command Typer app", [sys.executable, str(HERE / "floor_typer.py"),
                                                     "hello"], "self")
    floor_help = add("floor: one-command Typer app --help",
                     [sys.executable, str(HERE / "floor_typer.py"), "--help"], "self")
    floor_version = add("floor: one-command Typer app --version",
                        [sys.executable, str(HERE / "floor_typer.py"), "--version"], "self")
    cold_validate = add("validate, cold (no cache)", [*base, "validate"], target=1.2,
                        before=clear_cache, row="cold validate vs libyaml parse")
    add("validate, nothing changed", [*base, "validate"], floor="git status", target=2.0,
        row="warm validate, nothing changed, vs git status")
    seat_file = registry / "seats" / f"{mid}-16.yaml"
    original = seat_file.read_text(encoding="utf-8")
    flip = {"n": 0}

    def change_one_file() -> None:
        flip["n"] += 1
        seat_file.write_text(original + f"# edit {flip['n']}\n", encoding="utf-8")

    one_changed = add("validate, one file changed", [*base, "validate"], floor="git status",
                      target=4.0, before=change_one_file,
                      row="validate after one file changed vs git status")
    seat_file.write_text(original, encoding="utf-8")
    run_once([*base, "validate"], env)  # warm the cache again
    warm_validate = add("validate, warm (reference)", [*base, "validate"], floor="git status")
    # signed-text checks (issue 14): upgrade every signature to scheme 2 (the decision's facts),
    # commit, then the same two validates; each compared with its measure above (scheme 1)
    t1 = time.perf_counter()
    run_once([*base, "migrate"], env)
    commit_all(repo, "migrate")
    print(f"  (migrate to scheme 2 and commit: {time.perf_counter() - t1:.1f} s)", flush=True)
    run_once([*base, "validate"], env)  # computes every signed decision's facts once
    add("validate, warm, after signed-text checks", [*base, "validate"], floor="warm validate",
        target=1.3)
    add("validate, one file changed, signed-text", [*base, "validate"], floor="one changed",
        before=change_one_file)
    seat_file.write_text(original, encoding="utf-8")
    run_once([*base, "validate"], env)
    run_once([*base, "members", mid], env)  # the records of this state are cached once
    one = "warm one-committee query vs git status"
    queries = [
        add("members COMMITTEE", [*base, "members", mid], floor="git status", target=2.0, row=one),
        add("person QUERY", [*base, "person", f"p{n:04d}-03"], floor="git status", target=2.0,
            row=one),
        add("show COMMITTEE", [*base, "show", mid], floor="git status", target=2.0, row=one),
        add("tasks COMMITTEE --overdue", [*base, "tasks", mid, "--overdue"], floor="git status",
            target=2.0, row=one),
    ]
    add("tasks --overdue (every committee, JSON)", [*base, "tasks", "--overdue", "--format",
                                                    "json"], floor="git status")
    add("render decision (md)", [*base, "render", "decision", f"qd-{n:04d}-2020", "--format", "md",
                                 "--out", str(workdir / "decision.md")], floor="git status")
    site_dir = workdir / "site"
    add("site --downloads md (whole registry)", [*base, "site", "--out", str(site_dir),
                                                 "--downloads", "md"],
        floor="cold validate", target=2.0, before=lambda: shutil.rmtree(site_dir, True), runs_=1)
    # amendments: a draft decision per committee (committed), then replace its free post seat
    drafts: list[tuple[int, str]] = []
    for k in range(1, runs + 2):
        c = k * max(1, scale.committees // (runs + 2))
        _, _, out = run_once([*base, "decision", "new", "-c", f"bcd-{c:04d}", "--kind",
                              "change-members", "--number", "990", "--symbol", f"QĐ-B{c:04d}",
                              "--date", "2023-01-10", "--subject", "Về việc thay đổi thành viên",
                              "--signer", f"p{c:04d}-00"], env)
        drafts.append((c, out.strip().splitlines()[-1].strip()))
    commit_all(repo, "drafts")
    run_once([*base, "validate"], env)
    c0, d0 = drafts[0]
    add("amend seat replace --dry-run", [*base, "amend", "seat", "replace", f"bcd-{c0:04d}-16",
                                         "--person", f"p{c0:04d}-19", "--decision", d0,
                                         "--dry-run"], floor="git status")
    queue = list(drafts[1:])
    real = Measure("amend seat replace (written)", floor="git status", target=5.0,
                   row="amend seat replace (written, all rules) vs git status")
    for _ in range(runs):
        c, d = queue.pop(0)
        times, peak, cpu, floor_times, floor_cpu = timed(
            [*base, "amend", "seat", "replace", f"bcd-{c:04d}-16", "--person", f"p{c:04d}-19",
             "--decision", d], env, 1, paired=paired_floors["git status"])
        real.seconds += times
        real.cpu += cpu
        real.floor_seconds += floor_times
        real.floor_cpu += floor_cpu
        real.peak_mb = max(real.peak_mb, peak)
    measures.append(real)
    print(f"  {real.name:<44} {real.median:7.3f} s {real.peak_mb:6.0f} MB", flush=True)
    # the start-up rows take a tenth of a second or so: more runs, so that one of the machine's
    # pauses does not move their median (their ratios are within a few hundredths of 1.1)
    cheap = max(runs, 11)
    add("committee --help", [*COMMITTEE, "--help"], floor="help", target=1.1,
        row="--help, --version vs the same app", runs_=cheap)
    add("committee --version", [*COMMITTEE, "--version"], floor="version", target=1.1,
        row="--help, --version vs the same app", runs_=cheap)
    # the 42-file sample registry, in its own repository, against the one-command app
    sample_repo = workdir / "sample-repo"
    make_repo(sample_repo)
    shutil.copytree(SAMPLE, sample_repo / "registry")
    commit_all(sample_repo, "sample")
    small = [*COMMITTEE, "--registry", str(sample_repo / "registry")]
    run_once([*small, "validate"], env)
    run_once([*small, "members", "bcd-cpdt"], env)
    app_row = "sample registry: members, validate vs a one-command Typer app"
    add("sample: members bcd-cpdt", [*small, "members", "bcd-cpdt"], floor="app", target=1.3,
        row=app_row, runs_=cheap)
    add("sample: validate", [*small, "validate"], floor="app", target=1.3, row=app_row,
        runs_=cheap)
    add("sample: render decision --format docx", [*small, "render", "decision", "qd-913-2021",
                                                  "--format", "docx", "--out",
                                                  str(workdir / "decision.docx")],
        floor="app", target=2.0, row="sample registry: render decision --format docx vs the app",
        runs_=cheap)

    floors = {"parse": floor_parse.median, "help": floor_help.median, "app": floor_app.median,
              "cold validate": cold_validate.median, "git status": git_status.median,
              "version": floor_version.median, "warm validate": warm_validate.median,
              "one changed": one_changed.median, "self": float("nan")}
    named = {"parse": floor_parse, "help": floor_help, "app": floor_app,
             "cold validate": cold_validate, "git status": git_status, "version": floor_version,
             "warm validate": warm_validate, "one changed": one_changed}
    cpu_floors = {key: m.median_cpu for key, m in named.items()}
    rows = []
    print()
    print(f"{'measure':<46} {'median s':>9} {'floor':>12} {'floor s':>8} {'ratio':>7} "
          f"{'target':>7}    {'peak MB':>8} {'CPU s':>7} {'CPU ratio':>9}")
    for m in measures:
        floor = statistics.median(m.floor_seconds) if m.floor_seconds else floors[m.floor]
        ratio = m.median / floor if m.floor != "self" else float("nan")
        met = verdict(ratio, m.target)
        target = f"≤ {m.target:g}×" if m.target else ""
        shown = f"{ratio:7.2f}" if ratio == ratio else " " * 7
        floor_s = f"{floor:8.3f}" if floor == floor else " " * 8
        cpu_floor = (statistics.median(m.floor_cpu) if m.floor_cpu
                     else cpu_floors.get(m.floor, float("nan")))
        cpu_ratio = m.median_cpu / cpu_floor if cpu_floor == cpu_floor else float("nan")
        cpu_shown = f"{cpu_ratio:9.2f}" if cpu_ratio == cpu_ratio else " " * 9
        print(f"{m.name:<46} {m.median:9.3f} {m.floor if m.floor != 'self' else '':>12} "
              f"{floor_s} {shown} {target:>7} {met:1}  {m.peak_mb:8.0f} {m.median_cpu:7.3f} "
              f"{cpu_shown}")
        rows.append({"name": m.name, "median_s": m.median, "runs_s": m.seconds, "floor": m.floor,
                     "floor_s": None if floor != floor else floor,
                     "floor_runs_s": m.floor_seconds,
                     "ratio": None if ratio != ratio else ratio, "target": m.target,
                     "peak_mb": m.peak_mb, "row": m.row, "cpu_s": m.cpu,
                     "median_cpu_s": None if m.median_cpu != m.median_cpu else m.median_cpu,
                     "cpu_ratio": None if cpu_ratio != cpu_ratio else cpu_ratio,
                     "met": None if m.target is None else met == "✔"})
    query_peak = max(m.peak_mb for m in queries)
    validate_ratio = cold_validate.peak_mb * 1e6 / size
    memory = [
        {"name": "peak memory of the one-committee queries", "row": "peak memory of those queries",
         "value": query_peak, "unit": "MB", "target": 64.0, "met": query_peak <= 64.0},
        {"name": "peak memory of cold validate / registry bytes",
         "row": "peak memory of cold validate vs registry bytes", "value": validate_ratio,
         "unit": "×", "peak_mb": cold_validate.peak_mb, "target": 8.0,
         "met": validate_ratio <= 8.0},
    ]
    print()
    print(f"peak memory of members/person/show/tasks: {query_peak:.0f} MB (target ≤ 64 MB) "
          f"{verdict(query_peak, 64.0)}")
    print(f"peak memory of cold validate: {cold_validate.peak_mb:.0f} MB = {validate_ratio:.1f}× "
          f"the registry's {size / 1e6:.1f} MB on disk (target ≤ 8×) "
          f"{verdict(validate_ratio, 8.0)}")
    report = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count()},
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "scale": args.scale, "counts": counts, "yaml_bytes": size, "runs": runs,
              "measures": rows, "memory": memory}
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        print(f"wrote {args.json}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
