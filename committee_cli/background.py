"""Work a run hands to threads of its own (writing cache files, whose checksums and writes let
Python run meanwhile), and waiting for it: a change waits before it lets go of the registry's
lock, every command before it returns (so a library caller, a test, finds what it wrote), the
cache before it is read again, and the process at its end (the threads are not daemons)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

_PENDING: list[threading.Thread] = []


def start(work: Callable[[], None], name: str) -> None:
    """Run ``work`` in a thread; what it raises is dropped (a cache write that fails is only a
    slower next run)."""
    def run() -> None:
        with contextlib.suppress(Exception):
            work()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    _PENDING.append(thread)


def finish() -> None:
    """Wait for every piece of work ``start`` began."""
    while _PENDING:
        _PENDING.pop().join()


def pending() -> int:
    """How many pieces of work may still run."""
    return len(_PENDING)
