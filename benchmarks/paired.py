"""Before and after, paired process by process: the same commands of two source trees of
committee-cli, alternated run by run on one generated registry committed in git, next to
``git status --porcelain`` of the same run. On a shared, noisy machine the pairing (and the
CPU seconds) say more than two separate runs of ``run.py``.

    python benchmarks/paired.py --before DIR [--after DIR] [--scale medium] [--runs 5]
        [--json PATH]

DIR is a source tree (e.g. ``git archive <commit> | tar -x -C DIR``); each side runs
``python -m committee_cli`` with that tree first on its path, each with its own cache.
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
from benchmarks.run import commit_all, make_repo, run_once  # noqa: E402


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
    envs = {side: dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1",
                       COMMITTEE_CACHE_DIR=str(work / f"cache-{side}"))
            for side, tree in sides.items()}
    base = [sys.executable, "-m", "committee_cli", "--registry", str(repo / "registry")]
    seat = repo / "registry" / "seats" / f"{mid}-16.yaml"
    original = seat.read_text(encoding="utf-8")
    for side in sides:  # warm both caches
        sample([*base, "validate"], envs[side], sides[side])
        sample([*base, "members", mid], envs[side], sides[side])
    commands = {
        "validate, nothing changed": [*base, "validate"],
        "validate, one file changed": [*base, "validate"],
        f"members {mid}": [*base, "members", mid],
        f"show {mid}": [*base, "show", mid],
    }
    results: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    floor: list[tuple[float, float, float]] = []
    for name, cmd in commands.items():
        results[name] = {side: [] for side in sides}
        for n in range(args.runs):
            floor.append(sample(["git", "-C", str(repo), "status", "--porcelain"], envs["after"],
                                repo))
            for side in sides:
                if name.endswith("one file changed"):
                    seat.write_text(original + f"# {side} {n}\n", encoding="utf-8")
                results[name][side].append(sample(cmd, envs[side], sides[side]))
        seat.write_text(original, encoding="utf-8")
        for side in sides:
            sample([*base, "validate"], envs[side], sides[side])

    def med(runs: list[tuple[float, float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    git_wall, git_cpu = med(floor, 0), med(floor, 1)
    print(f"git status --porcelain: {git_wall:.3f} s wall, {git_cpu:.3f} s CPU "
          f"({len(floor)} runs, interleaved)")
    print(f"{'measure':<30} {'before s':>9} {'after s':>8} {'before CPU':>11} {'after CPU':>10} "
          f"{'×git (after)':>12} {'MB before':>9} {'MB after':>8}")
    report: dict[str, object] = {"scale": args.scale, "runs": args.runs,
                                 "git_status": {"wall_s": git_wall, "cpu_s": git_cpu}}
    for name, by_side in results.items():
        b, a = by_side["before"], by_side["after"]
        print(f"{name:<30} {med(b, 0):9.3f} {med(a, 0):8.3f} {med(b, 1):11.3f} {med(a, 1):10.3f} "
              f"{med(a, 0) / git_wall:12.2f} {max(r[2] for r in b):9.0f} "
              f"{max(r[2] for r in a):8.0f}")
        report[name] = {side: {"wall_s": med(r, 0), "cpu_s": med(r, 1),
                               "peak_mb": max(x[2] for x in r)} for side, r in by_side.items()}
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
