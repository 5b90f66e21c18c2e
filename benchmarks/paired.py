"""Before and after, paired process by process: the same commands of two source trees of
committee-cli, alternated run by run on one generated registry committed in git, next to
``git status --porcelain`` of the same run. On a shared, noisy machine the pairing (and the
CPU seconds) say more than two separate runs of ``run.py``.

    python benchmarks/paired.py --before DIR [--after DIR] [--scale medium] [--runs 5]
        [--json PATH]

DIR is a source tree (e.g. ``git archive <commit> | tar -x -C DIR``); each side runs
``python -m committee_cli`` with that tree first on its path, each with its own cache and its
own compiled-bytecode folder (so that neither compiles its modules at every run). The queries
and ``validate`` are compared with ``git status``, the sample registry's commands with the
one-command Typer app, ``--help`` and ``--version`` with the app's, each floor run in the same
alternation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import Scale, generate  # noqa: E402
from benchmarks.run import SAMPLE, commit_all, make_repo, run_once  # noqa: E402


def sample(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one whole process started in ``cwd``."""
    here = Path.cwd()
    os.chdir(cwd)
    try:
        elapsed, _, out = run_once([sys.executable, str(HERE / "peak.py"), *cmd], env)
    finally:
        os.chdir(here)
    lines = out.strip().splitlines()
    return elapsed, float(lines[-2].split()[1]), float(lines[-1])


def main() -> None:
    """Generate and commit a registry; time each command before and after, alternately."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=HERE.parent)
    parser.add_argument("--scale", default="medium", choices=["default", "medium", "small"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="committee-paired-"))
    repo = work / "repo"
    make_repo(repo)
    scale = Scale.named(args.scale)
    generate(repo / "registry", scale)
    commit_all(repo, "registry")
    mid = f"bcd-{max(1, scale.committees // 2):04d}"
    sides = {"before": args.before.resolve(), "after": args.after.resolve()}
    envs = {side: dict(os.environ, PYTHONPATH=str(tree), PYTHONPYCACHEPREFIX=str(work / f"pyc-{side}"),
                       COMMITTEE_CACHE_DIR=str(work / f"cache-{side}"))
            for side, tree in sides.items()}
    for env in envs.values():
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    sample_repo = work / "sample-repo"
    make_repo(sample_repo)
    shutil.copytree(SAMPLE, sample_repo / "registry")
    commit_all(sample_repo, "sample")
    base = [sys.executable, "-m", "committee_cli", "--registry", str(repo / "registry")]
    seat = repo / "registry" / "seats" / f"{mid}-16.yaml"
    original = seat.read_text(encoding="utf-8")
    small = [sys.executable, "-m", "committee_cli", "--registry", str(sample_repo / "registry")]
    app = [sys.executable, str(HERE / "floor_typer.py")]
    floors = {"git status": ["git", "--no-optional-locks", "-C", str(repo), "status",
                             "--porcelain"],
              "app": [*app, "hello"], "app --help": [*app, "--help"],
              "app --version": [*app, "--version"]}
    commands = {  # name: (command, floor)
        "validate, nothing changed": ([*base, "validate"], "git status"),
        "validate, one file changed": ([*base, "validate"], "git status"),
        f"members {mid}": ([*base, "members", mid], "git status"),
        f"person p{mid[4:]}-03": ([*base, "person", f"p{mid[4:]}-03"], "git status"),
        f"show {mid}": ([*base, "show", mid], "git status"),
        f"tasks {mid} --overdue": ([*base, "tasks", mid, "--overdue"], "git status"),
        "sample: members bcd-cpdt": ([*small, "members", "bcd-cpdt"], "app"),
        "sample: validate": ([*small, "validate"], "app"),
        "--help": ([sys.executable, "-m", "committee_cli", "--help"], "app --help"),
        "--version": ([sys.executable, "-m", "committee_cli", "--version"], "app --version"),
    }
    for side in sides:  # warm both caches
        for cmd, _ in commands.values():
            sample(cmd, envs[side], sides[side])
    results: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    floor_runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in floors}
    for name, (cmd, floor_name) in commands.items():
        results[name] = {side: [] for side in sides}
        for n in range(args.runs):
            floor_runs[floor_name].append(sample(floors[floor_name], envs["after"], repo))
            for side in sides:
                if name.endswith("one file changed"):
                    seat.write_text(original + f"# {side} {n}\n", encoding="utf-8")
                results[name][side].append(sample(cmd, envs[side], sides[side]))
        seat.write_text(original, encoding="utf-8")
        for side in sides:
            sample([*base, "validate"], envs[side], sides[side])

    def med(runs: list[tuple[float, float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    floor_report: dict[str, dict[str, float]] = {}
    for name, runs in floor_runs.items():
        if runs:
            print(f"floor {name}: {med(runs, 0):.3f} s wall, {med(runs, 1):.3f} s CPU "
                  f"({len(runs)} runs, interleaved)")
            floor_report[name] = {"wall_s": med(runs, 0), "cpu_s": med(runs, 1)}
    report: dict[str, object] = {"scale": args.scale, "runs": args.runs, "floors": floor_report}
    print(f"{'measure':<30} {'before s':>9} {'after s':>8} {'after/before':>12} "
          f"{'×floor before':>13} {'×floor after':>12} {'MB before':>9} {'MB after':>8}")
    for name, by_side in results.items():
        b, a = by_side["before"], by_side["after"]
        floor_wall = med(floor_runs[commands[name][1]], 0)
        print(f"{name:<30} {med(b, 0):9.3f} {med(a, 0):8.3f} {med(a, 0) / med(b, 0):12.3f} "
              f"{med(b, 0) / floor_wall:13.2f} {med(a, 0) / floor_wall:12.2f} "
              f"{max(r[2] for r in b):9.0f} {max(r[2] for r in a):8.0f}")
        report[name] = {"floor": commands[name][1],
                        **{side: {"wall_s": med(r, 0), "cpu_s": med(r, 1),
                                  "peak_mb": max(x[2] for x in r)} for side, r in by_side.items()}}
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
