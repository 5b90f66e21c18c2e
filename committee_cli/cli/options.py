"""Options that several commands take, declared once: --as-of, --format (of query results), the
committee argument, and the parsing of a date option."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import typer

from committee_cli.cli.complete import complete_committee
from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.vietnamese import parse_date


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    xlsx = "xlsx"
    ics = "ics"


def format_option() -> Any:
    """``--format`` of a query: table, json, csv or yaml."""
    return typer.Option(QueryFormat.table, "--format", "-f",
                        help="table (rich in a terminal, plain when piped), json, csv or yaml; "
                        "xlsx with --out FILE; ics (tasks only). JSON shapes: docs/queries.md.")


def out_option() -> Any:
    """``--out FILE`` of a query: where a file format (xlsx, ics) is written."""
    return typer.Option(None, "--out", "-o", metavar="FILE", show_default=False,
                        help="Write to FILE (needed by --format xlsx); default: stdout.")


def as_of_option(default: str = "today", help: str | None = None) -> Any:
    """``--as-of DATE``: the date asked about."""
    return typer.Option(None, "--as-of", metavar="DATE", show_default=False,
                        help=help or f"The date asked about, 2021-08-30 or 30/8/2021 (default: "
                        f"{default}).")


def committee_argument(default: str = "the only committee without a parent",
                       help: str | None = None) -> Any:
    """The optional COMMITTEE argument (id, name or short name)."""
    return typer.Argument(None, show_default=False, metavar="COMMITTEE",
                          autocompletion=complete_committee,
                          help=help or f"Committee id, name or short name (default: {default}).")


def parse_date_option(text: str | None, option: str = "--as-of") -> date | None:
    """Parse a date option; a bad date is a usage error naming the option."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(tr("{option}: {problem}", option=option, problem=exc)) from None
