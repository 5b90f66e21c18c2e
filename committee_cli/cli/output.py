"""Printing results: problems (text/json/github) and query rows (table/json/csv/yaml)."""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from committee_cli.errors import Problem


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps_json(data: Any) -> str:
    """JSON as the CLI prints it: UTF-8 text, indented, dates as ISO strings."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None,
                   fmt: str = "text", registry_label: str = "") -> None:
    """Print problems grouped by file (text), as a JSON list, or as GitHub annotations."""
    out = stream or sys.stdout
    if fmt == "json":
        out.write(dumps_json([p.as_dict() for p in problems]) + "\n")
        return
    if fmt == "github":
        for p in problems:
            where = f"file={_gh(p.file, registry_label)}"
            if p.line:
                where += f",line={p.line}"
            if p.column:
                where += f",col={p.column}"
            level = "warning" if p.severity == "warning" else "error"
            message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.write(f"::{level} {where},title={p.code}::{p.code} {message}\n")
        return
    from committee_cli.cli.base import is_terminal
    from committee_cli.i18n import tr

    colour = is_terminal(out)
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        grouped[p.file].append(p)
    for file, items in grouped.items():
        label = file or tr("(registry)")
        out.write((f"\x1b[1m{label}\x1b[0m" if colour else label) + "\n")
        for p in items:
            where = f"{p.line}:{p.column or 1}" if p.line else "-"
            tag = p.code if not colour else (
                f"\x1b[33m{p.code}\x1b[0m" if p.severity == "warning" else f"\x1b[31m{p.code}\x1b[0m")
            level = tr("warning") if p.severity == "warning" else tr("error")
            out.write(f"  {where:>8}  {tag} {level}: {p.message}\n")


def busy(text: str) -> Any:
    """A spinner with ``text`` on stderr while a long step runs, only in a terminal (it vanishes
    when done, and is never drawn into a pipe or a log)."""
    from contextlib import nullcontext

    from committee_cli.cli.base import is_terminal

    if not is_terminal(sys.stderr):
        return nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def _gh(file: str, registry_label: str) -> str:
    if not registry_label or registry_label in (".", ""):
        return file
    return f"{registry_label.rstrip('/')}/{file}"


def print_rows(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str,
               title: str | None = None, stream: TextIO | None = None,
               document: Any = None) -> None:
    """Print query rows: a table (rich in a terminal, plain when piped), JSON, CSV or YAML.

    ``columns`` maps row keys to headings for table and CSV; JSON and YAML print ``document``
    when given (the documented shape), else the rows.
    """
    out = stream or sys.stdout
    payload = rows if document is None else document
    if fmt == "json":
        out.write(dumps_json(payload) + "\n")
    elif fmt == "yaml":
        from committee_cli.store.yamlio import dump_round_trip

        out.write(dump_round_trip(json.loads(dumps_json(payload))))
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([heading for _, heading in columns])
        for row in rows:
            writer.writerow([_cell(row.get(key)) for key, _ in columns])
    else:
        from committee_cli.cli.base import is_terminal

        if is_terminal(out):
            from rich.console import Console
            from rich.table import Table

            table = Table(title=title, header_style="bold")
            for _, heading in columns:
                table.add_column(heading)
            for row in rows:
                table.add_row(*[_cell(row.get(key)) for key, _ in columns])
            Console(file=out).print(table)
        else:
            if title:
                out.write(title + "\n")
            _plain_table(out, [[h for _, h in columns]]
                         + [[_cell(row.get(k)) for k, _ in columns] for row in rows])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        from committee_cli.vietnamese import short_date

        return short_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _plain_table(out: TextIO, grid: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in grid) for i in range(len(grid[0]))]
    for n, row in enumerate(grid):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                  + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
