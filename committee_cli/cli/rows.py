"""Printing query rows: a table (rich in a terminal, plain when piped), JSON, CSV or YAML."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from committee_cli.cli.env import Environment
from committee_cli.cli.output import dumps_json
from committee_cli.vietnamese import short_date


def print_rows(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str,
               title: str | None = None, stream: TextIO | None = None,
               document: Any = None, env: Environment | None = None) -> None:
    """Print query rows: a table (rich in a terminal, plain when piped), JSON, CSV or YAML.

    ``columns`` maps row keys to headings for table and CSV; JSON and YAML print ``document``
    when given (the documented shape), else the rows.
    """
    env = env or Environment()
    out = stream or env.stdout
    payload = rows if document is None else document
    if fmt == "json":
        out.write(dumps_json(payload) + "\n")
    elif fmt == "yaml":
        from committee_cli.store.yamlio import dump_round_trip  # (ruamel.yaml: --format yaml)

        out.write(dump_round_trip(json.loads(dumps_json(payload))))
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([heading for _, heading in columns])
        for row in rows:
            writer.writerow([_cell(row.get(key)) for key, _ in columns])
    elif env.is_terminal(out):
        _rich_table(out, rows, columns, title)
    else:
        if title:
            out.write(title + "\n")
        _plain_table(out, [[h for _, h in columns]]
                     + [[_cell(row.get(k)) for k, _ in columns] for row in rows])


def _rich_table(out: TextIO, rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
                title: str | None) -> None:
    # rich costs ~0.1 s to import and draws only at a terminal: a piped run never loads it
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, header_style="bold")
    for _, heading in columns:
        table.add_column(heading)
    for row in rows:
        table.add_row(*[_cell(row.get(key)) for key, _ in columns])
    Console(file=out).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
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
