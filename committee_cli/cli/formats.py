"""Output formats that are files rather than text: xlsx (always to --out) and ics/JSON bytes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from committee_cli.cli.base import registry_dir
from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.queries import open_registry


def write_out(data: bytes, out: Path | None) -> None:
    """Write ``data`` to ``out`` (atomically: a temporary file renamed), or to stdout."""
    if out is None or str(out) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from committee_cli.render.service import write_file  # jinja2 and templates: only for --out

    write_file(out, data)  # the one atomic writer of output files (render.service)
    typer.echo(tr("wrote {path}", path=out), err=True)


def emit_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], title: str,
              out: Path | None) -> None:
    """A query's rows as an Excel workbook written to ``out`` (never to a terminal)."""
    from committee_cli.interchange.xlsx import workbook_bytes

    if out is None or str(out) == "-":
        raise UsageError(tr("--format xlsx writes a workbook: give the file with --out FILE.xlsx"))
    write_out(workbook_bytes(rows, columns, title), out)


def emit_ics(ctx: typer.Context, task_ids: list[str], todo: bool, out: Path | None) -> None:
    """The tasks' deadlines as iCalendar, SEQUENCE from the git history of their files."""
    from committee_cli.interchange.ics import calendar, deadline_moves

    root = registry_dir(ctx)
    reg = open_registry(root)
    moves = deadline_moves(root, {tid: reg.file_of("task", tid) for tid in task_ids})
    write_out(calendar(reg, task_ids, moves=moves, todo=todo), out)
