"""Parsing many registry files on more than one processor: the cold start of a large registry.

Parsing is most of a cold ``validate`` (about 5 of 9 s on the benchmark's national registry of
75,000 files) and each file parses alone, so when there are many files to parse
(``PARALLEL_FROM`` in ``store/loader.py``) they are cut into chunks of ``CHUNK`` files, dealt
in turn to worker processes (forked, so they start with this process's modules and settings,
the message language among them) and to this process, which also reads every file and builds
the records, so it keeps one chunk in ``2 × workers - 1``. Workers are handed their chunks a
few at a time ahead of need (``AHEAD``), so only those few are held at once, never the
registry. What comes back is data only, each file's parsed mapping and its problems, taken in
file order: exactly what parsing them here would give. A worker that cannot start or fails (no
``fork`` on this system, a process limit, a worker killed) costs nothing but time: its files
are parsed here.

``COMMITTEE_JOBS`` sets how many processes parse (``1``: this process only); by default, the
processors this process may run on, at most ``MAX_JOBS``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from committee_cli.errors import Problem

MAX_JOBS = 4
JOBS_ENV = "COMMITTEE_JOBS"
CHUNK = 250  # files a worker parses at a time
AHEAD = 2  # chunks each worker is handed before they are needed

Parse = Callable[[str, bytes], tuple[str, Any, list[Problem]]]
Parsed = tuple[str, Any, list[Problem]]  # a file's path, its data (or None), its problems
Read = Callable[[str], bytes]  # a file's bytes, or OSError
Item = tuple[str, "bytes | OSError"]  # a file read, or why it could not be


def jobs() -> int:
    """How many processes parse: ``COMMITTEE_JOBS`` (a whole number ≥ 1), else the processors
    this process may use, at most ``MAX_JOBS``; 1 where processes cannot be forked."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # (macOS and Windows start workers by spawning a fresh interpreter: too slow)
    raw = os.environ.get(JOBS_ENV, "").strip()
    if raw:
        return int(raw) if bad_setting() is None else 1  # (doctor reports a bad one)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(MAX_JOBS, available))


def bad_setting() -> str | None:
    """``COMMITTEE_JOBS`` when it is set but not a whole number ≥ 1 (a parse never fails on
    it: it parses in one process, and ``doctor`` says so)."""
    raw = os.environ.get(JOBS_ENV, "").strip()
    if not raw or (raw.isdigit() and raw.isascii() and int(raw) >= 1):
        return None
    return raw


def parse_files(names: Sequence[str], read: Read, parse: Parse, workers: int,
                unreadable: Callable[[str, OSError], None]) -> Iterator[Parsed]:
    """Each file of ``names`` that ``read`` can read, parsed by ``parse``, in order, on
    ``workers`` processes; ``unreadable`` is told of each file that cannot be read, in order
    too."""
    chunks = [names[start:start + CHUNK] for start in range(0, len(names), CHUNK)]
    cycle = 2 * workers - 1  # (of each cycle of chunks, this process parses the first)
    pool = _pool(workers - 1)
    handed: dict[int, tuple[list[Item], Future[list[Parsed]] | None]] = {}
    upto = 0  # chunks below this one are handed out or this process's
    try:
        for index, chunk in enumerate(chunks):
            while pool is not None and upto < min(len(chunks), index + AHEAD * cycle):
                if upto % cycle:
                    items = _read_all(chunks[upto], read)
                    handed[upto] = (items, _submit(pool, parse, items))
                upto += 1
            if index in handed:
                items, future = handed.pop(index)
                answers: Iterator[Parsed] | None = iter(_collected(parse, items, future))
            else:
                items, answers = _read_all(chunk, read), None
            for rel, raw in items:
                if isinstance(raw, OSError):
                    unreadable(rel, raw)
                elif answers is not None:
                    yield next(answers)
                else:
                    yield (rel, *parse(rel, raw)[1:])
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _pool(size: int) -> ProcessPoolExecutor | None:
    if size < 1:
        return None
    try:
        return ProcessPoolExecutor(max_workers=size,
                                   mp_context=multiprocessing.get_context("fork"))
    except (OSError, RuntimeError, ValueError):  # (no worker can start: all parsed here)
        return None


def _read_all(chunk: Sequence[str], read: Read) -> list[Item]:
    items: list[Item] = []
    for rel in chunk:
        try:
            items.append((rel, read(rel)))
        except OSError as exc:
            items.append((rel, exc))
    return items


def _readable(items: list[Item]) -> list[tuple[str, bytes]]:
    return [(rel, raw) for rel, raw in items if not isinstance(raw, OSError)]


def _submit(pool: ProcessPoolExecutor, parse: Parse,
            items: list[Item]) -> Future[list[Parsed]] | None:
    try:
        return pool.submit(_parse_part, parse, _readable(items))
    except (OSError, RuntimeError):  # (a broken pool: this chunk is parsed here)
        return None


def _parse_part(parse: Parse, part: Sequence[tuple[str, bytes]]) -> list[Parsed]:
    """A worker's chunk: each file parsed, its text left out (nobody reads it back)."""
    return [(rel, *parse(rel, raw)[1:]) for rel, raw in part]


def _collected(parse: Parse, items: list[Item],
               future: Future[list[Parsed]] | None) -> list[Parsed]:
    """A worker's answer; its files parsed here when it has none (it failed or never ran)."""
    part = _readable(items)
    if future is not None:
        try:
            answer = future.result()
        except Exception:  # (a broken pool, a killed worker, an answer that does not pickle)
            answer = None
        if answer is not None and len(answer) == len(part):
            return answer
    return _parse_part(parse, part)
