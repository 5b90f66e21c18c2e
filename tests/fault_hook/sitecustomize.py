"""Loaded at start-up by the child processes of the kill and concurrency tests (PYTHONPATH).

With ``COMMITTEE_FAULT_ROOT`` set, every call that changes that registry folder on disk or makes
a change there durable (os.open for writing, os.fsync of a file or folder in it, os.replace /
rename, os.unlink / remove, os.chmod, os.mkdir) is a numbered write point, logged to
``COMMITTEE_FAULT_LOG`` as ``N<TAB>what`` before it runs. Then:

- ``COMMITTEE_KILL_AT=N``: the process sends itself SIGKILL just before write point N, as
  ``kill -9`` or a power cut would stop it (0: run to the end). With
  ``COMMITTEE_KILL_KEEP_LOCK=1`` it first starts a helper that inherits the registry lock and
  keeps it for a minute, so the lock outlives the run recorded as its holder.
- ``COMMITTEE_PAUSE_ON=REGEX``: before the first write point whose label matches, it logs
  ``paused`` and sleeps ``COMMITTEE_PAUSE_SECONDS`` (default 3), holding whatever it holds.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _keep_lock(real_root: str) -> int:
    """Start ``sleep 60`` holding this process's descriptors of the registry lock; its pid."""
    lock = os.path.join(real_root, ".committee.lock")
    fds = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}") == lock:
                fds.append(int(name))
        except OSError:
            continue
    helper = subprocess.Popen(["sleep", "60"], pass_fds=fds, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    return helper.pid


def _install(root: str, log_path: str) -> None:
    kill_at = int(os.environ.get("COMMITTEE_KILL_AT", "0"))
    keep_lock = os.environ.get("COMMITTEE_KILL_KEEP_LOCK") == "1"
    pause_on = os.environ.get("COMMITTEE_PAUSE_ON")
    pause_pattern = re.compile(pause_on) if pause_on else None
    pause_seconds = float(os.environ.get("COMMITTEE_PAUSE_SECONDS", "3"))
    real = {name: getattr(os, name) for name in (
        "open", "fsync", "replace", "rename", "unlink", "remove", "chmod", "mkdir")}
    log = real["open"](log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    real_root = os.path.realpath(root)
    prefix = os.path.join(real_root, "")
    state = {"count": 0, "paused": False}

    def where(path: Any) -> str | None:
        """The path relative to the registry ('.' for the folder itself), None outside it."""
        if isinstance(path, int):
            return None
        full = os.path.realpath(os.fsdecode(path))
        if full == real_root:
            return "."
        return full[len(prefix):] if full.startswith(prefix) else None

    def point(label: str) -> None:
        state["count"] += 1
        os.write(log, f"{state['count']}\t{label}\n".encode())
        if pause_pattern is not None and not state["paused"] and pause_pattern.search(label):
            state["paused"] = True
            os.write(log, b"paused\n")
            time.sleep(pause_seconds)
        if state["count"] == kill_at:
            if keep_lock:
                os.write(log, f"orphan {_keep_lock(real_root)}\n".encode())
            os.write(log, b"killed\n")
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(name: str, check: Callable[..., str | None]) -> None:
        call = real[name]

        def hooked(*args: Any, **kwargs: Any) -> Any:
            label = check(*args, **kwargs)
            if label is not None:
                point(label)
            return call(*args, **kwargs)

        setattr(os, name, hooked)

    def on_open(path: Any, flags: int, *_: Any, **__: Any) -> str | None:
        rel = where(path) if flags & _WRITE_FLAGS else None
        return None if rel is None else f"open {rel}"

    def on_fsync(fd: Any) -> str | None:
        number = fd if isinstance(fd, int) else fd.fileno()
        try:
            rel = where(os.readlink(f"/proc/self/fd/{number}"))
        except OSError:
            return None
        return None if rel is None else f"fsync {rel}"

    def on_two(src: Any, dst: Any, *_: Any, **__: Any) -> str | None:
        old, new = where(src), where(dst)
        return None if old is None and new is None else f"rename {old or src} -> {new or dst}"

    def on_one(verb: str) -> Callable[..., str | None]:
        def check(path: Any, *_: Any, **__: Any) -> str | None:
            rel = where(path)
            return None if rel is None else f"{verb} {rel}"
        return check

    wrap("open", on_open)
    wrap("fsync", on_fsync)
    wrap("replace", on_two)
    wrap("rename", on_two)
    wrap("unlink", on_one("unlink"))
    wrap("remove", on_one("unlink"))
    wrap("chmod", on_one("chmod"))
    wrap("mkdir", on_one("mkdir"))


if os.environ.get("COMMITTEE_FAULT_ROOT"):
    _install(os.environ["COMMITTEE_FAULT_ROOT"], os.environ["COMMITTEE_FAULT_LOG"])
