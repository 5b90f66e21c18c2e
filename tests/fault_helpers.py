"""Helpers for the kill and concurrency tests: child ``committee`` processes with the fault hook
(tests/fault_hook/sitecustomize.py) loaded, and snapshots of a registry folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from committee_cli.store import DirSource
from tests.conftest import ROOT, SAMPLE, Run

HOOK = Path(__file__).resolve().parent / "fault_hook"
TEMP_NAME = re.compile(r"\.[A-Za-z0-9_]{8}\.tmp\b")  # mkstemp's random part

DRAFT = ("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number", "1050",
         "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--signer", "pham-thi-thanh-tra",
         "--subject", "Về việc kiện toàn Ban Chỉ đạo")


def committee(root: Path, *args: str) -> list[str]:
    """The argument list of ``python -m committee_cli --registry ROOT ARGS``."""
    return ["-m", "committee_cli", "--registry", str(root), *args]


def hooked_env(root: Path, log: Path, **extra: str) -> dict[str, str]:
    """The environment of a child with the fault hook watching ``root``."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join((str(HOOK), str(ROOT))),
            "COMMITTEE_FAULT_ROOT": str(root), "COMMITTEE_FAULT_LOG": str(log),
            "COMMITTEE_LOCK_TIMEOUT": "60", **extra}


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``python ARGS``."""
    return subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@dataclass
class Child:
    """One finished child run: how it ended and the write points it logged."""

    returncode: int
    pid: int
    points: list[str]
    stdout: str
    stderr: str
    orphan: int | None = None  # a helper that kept the killed run's lock


def read_log(log: Path) -> list[str]:
    """The lines a hooked child logged, temp names made stable."""
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return [TEMP_NAME.sub(".XXXXXXXX.tmp", line) for line in text.splitlines()]


def finish(child: subprocess.Popen[str], log: Path) -> Child:
    """Wait for a child and collect what it did."""
    out, err = child.communicate(timeout=120)
    assert child.returncode != 70, f"exit 70 (a bug in committee-cli): {err}"
    lines = read_log(log)
    points = [line.split("\t", 1)[1] for line in lines if "\t" in line]
    orphans = [int(line.split()[1]) for line in lines if line.startswith("orphan ")]
    return Child(child.returncode, child.pid, points, out, err, orphans[0] if orphans else None)


def run_hooked(args: list[str], root: Path, log: Path, **extra: str) -> Child:
    """Run ``python ARGS`` with the fault hook on ``root`` and wait for it."""
    return finish(spawn(args, hooked_env(root, log, **extra)), log)


def disk(root: Path) -> dict[str, bytes]:
    """Every file under the folder, hidden ones included, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def seen(root: Path) -> dict[str, bytes]:
    """The registry as every command reads it."""
    source = DirSource(root)
    return {rel: source.read(rel) for rel in source.paths()}


def base_registry(cli: Run, target: Path) -> Path:
    """The sample with a draft decision 1050 and a new person, ready to be amended."""
    shutil.copytree(SAMPLE, target)
    assert cli(*DRAFT, registry=target).exit_code == 0
    assert cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
               registry=target).exit_code == 0
    return target
