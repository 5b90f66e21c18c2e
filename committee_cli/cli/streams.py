"""The standard streams of a ``committee`` process, made safe before any command runs.

- A closed standard stream (``committee members >&-``) is opened on the null device, so that a
  file the run opens later never takes its number and receives output meant for the terminal
  (git does the same).
- Output is UTF-8 whatever the locale says (``LC_ALL=C``, ``PYTHONIOENCODING=ascii``): every
  name is Vietnamese, and a terminal that cannot show UTF-8 shows replacement marks rather than
  the run failing (docs/guarantees.md, section 8, says how to set a UTF-8 terminal).
- A reader that goes away (``committee members | head -1``) ends the run quietly with exit
  code 141 (128 + SIGPIPE), as a shell reports for ``git log | head -1``; what was already
  written stays written.

Called once from ``main()``; in-process callers (tests) keep their own streams.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import io
import os
import sys
from typing import Any

EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for git when its reader left


_READER_GONE: list[int] = []  # the descriptors whose reader went away during this run


class PipeClosed(SystemExit):
    """The reader of standard output went away: end the run quietly."""

    def __init__(self) -> None:
        super().__init__(EXIT_PIPE_CLOSED)


class _GuardedOutput(io.RawIOBase):
    """File descriptor 1 (or 2): a write to a pipe whose reader left ends the run quietly."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self._gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        try:
            return os.isatty(self._fd)
        except OSError:
            return False

    def write(self, data: Any) -> int:
        view = memoryview(data)
        if self._gone:
            return len(view)
        try:
            return os.write(self._fd, view)
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.EINVAL):
                raise
            self._gone = True
            _READER_GONE.append(self._fd)
            _point_at_null(self._fd)  # later writes (at exit) go nowhere, silently
            raise PipeClosed() from None

    def close(self) -> None:  # the descriptor belongs to the process, not to this object
        self._gone = True
        super().close()


def _point_at_null(fd: int) -> None:
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        if null != fd:
            os.close(null)


def _open_missing_descriptors() -> None:
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)


def _text_stream(fd: int, errors: str, line_buffering: bool,
                 write_through: bool) -> io.TextIOWrapper:
    raw = _GuardedOutput(fd)
    buffered: Any = raw if write_through else io.BufferedWriter(raw)
    return io.TextIOWrapper(buffered, encoding="utf-8", errors=errors,
                            line_buffering=line_buffering, write_through=write_through)


def prepare_streams() -> None:
    """Make the standard streams safe for this process (see the module's documentation)."""
    _open_missing_descriptors()
    for name, fd in (("stdout", 1), ("stderr", 2)):
        current = getattr(sys, name)
        line_buffering = bool(getattr(current, "line_buffering", False)) or name == "stderr"
        if current is not None:
            with contextlib.suppress(OSError, ValueError):
                current.flush()
        unbuffered = bool(os.environ.get("PYTHONUNBUFFERED")) or bool(
            getattr(current, "write_through", False))  # as Python set it up (python -u)
        setattr(sys, name, _text_stream(fd, "backslashreplace", line_buffering, unbuffered))
    atexit.register(_flush_at_exit)  # registered first, so it runs after every other handler
    if sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    elif (getattr(sys.stdin, "encoding", "utf-8") or "").lower().replace("-", "") != "utf8":
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]


def _flush_at_exit() -> None:
    """Write what is still buffered; a reader gone at any time ends the run with 141 (Python
    discards an error of its own last flush, so the exit code is decided here)."""
    with contextlib.suppress(OSError, ValueError, AttributeError, PipeClosed):
        sys.stdout.flush()
    if _READER_GONE:
        with contextlib.suppress(OSError, ValueError, AttributeError, PipeClosed):
            sys.stderr.flush()
        os._exit(EXIT_PIPE_CLOSED)
