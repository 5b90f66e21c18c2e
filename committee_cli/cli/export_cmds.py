"""``committee export popolo``, ``committee report seats`` and `person` across several registries."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from committee_cli.cli.base import PRODUCE, State, app, registry_dir
from committee_cli.cli.formats import emit_xlsx, write_out
from committee_cli.cli.options import parse_date_option
from committee_cli.cli.output import dumps_json
from committee_cli.cli.rows import print_rows
from committee_cli.i18n import tr
from committee_cli.interchange.popolo import popolo
from committee_cli.queries import open_registry
from committee_cli.queries.across import open_all, seat_counts
from committee_cli.queries.across import person_across as find

export_app = typer.Typer(help="Export the registry to open standards (Popolo JSON), and a signed "
                         "decision as an edXML package for another system.", no_args_is_help=True)
report_app = typer.Typer(help="Reports across one or several registries.", no_args_is_help=True)
app.add_typer(export_app, name="export", rich_help_panel=PRODUCE)
app.add_typer(report_app, name="report", rich_help_panel=PRODUCE)


def _as_of(text: str | None) -> date | None:
    return parse_date_option(text)


def registries(ctx: typer.Context) -> list[Path]:
    """Every registry the command line names (``--registry`` repeated, a registries.yaml), or
    the one registry of this run."""
    state: State = ctx.find_root().obj or State()
    return list(state.registries) or [registry_dir(ctx)]


@export_app.command("popolo")
def export_popolo(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE", help="Only the "
                                     "memberships held on DATE (default: the whole history)."),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="FILE",
                                    help="Write to FILE (default: stdout)."),
) -> None:
    """Persons, organizations, posts and memberships as Popolo JSON, each membership citing its decision.

    Committees and bodies are organizations; each seat is a post and, held by a person, a
    membership with role, start and end dates, whose sources name the decisions that started
    and ended it (urn:committee-cli:decision:ID). docs/import-export.md describes the mapping.

    Example: committee export popolo --as-of 30/8/2021 --out popolo.json
    """

    document = popolo(open_registry(registry_dir(ctx)), _as_of(as_of))
    write_out((dumps_json(document) + "\n").encode("utf-8"), out)


class ReportFormat(str, Enum):
    md = "md"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


@report_app.command("seats")
def report_seats(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE",
                                     help="The date asked about (default: today)."),
    fmt: ReportFormat = typer.Option(ReportFormat.md, "--format", "-f",
                                     help="md (a Markdown table), csv, json, or xlsx with --out."),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="FILE",
                                    help="Write to FILE (needed by xlsx)."),
) -> None:
    """People by the number of seats they hold on a date, across every registry named.

    Give several registries with --registry A --registry B (before the command), or a
    registries.yaml; the same person in two registries (same name, whatever the tone marks)
    is counted once, with all their seats.

    Example: committee --registry bo-a --registry tinh-b report seats --as-of 1/1/2024
    """

    when = _as_of(as_of) or date.today()
    counts = seat_counts(open_all(registries(ctx)), when)
    rows = [{"name": c.display, "seats": c.seats, "registries": c.registries,
             "committees": "; ".join(c.committees)} for c in counts]
    columns = [("name", tr("Person")), ("seats", tr("Seats")),
               ("registries", tr("Registries")), ("committees", tr("Committees"))]
    title = tr("Seats held on {date}", date=when.isoformat())
    if fmt is ReportFormat.xlsx:
        emit_xlsx(rows, columns, title, out)
        return
    if fmt is ReportFormat.json:
        text = dumps_json({"as_of": when, "people": [c.as_dict() for c in counts]}) + "\n"
    elif fmt is ReportFormat.csv:

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        writer.writerows([[row[key] for key, _ in columns] for row in rows])
        text = buffer.getvalue()
    else:
        text = _markdown(title, rows, columns)
    write_out(text.encode("utf-8"), out)


def _markdown(title: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|")

    lines = [f"# {title}", "", "| " + " | ".join(h for _, h in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(row[k]) for k, _ in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def person_across(ctx: typer.Context, query: str, when: date, fmt: str, out: Path | None) -> None:
    """`committee person` over several registries: every seat of the people matched, by registry."""

    found = find(open_all(registries(ctx)), query, when)
    rows = [{"person": p.display, "registry": s.registry, "person_id": s.person,
             "committee": s.committee_name, "organisation": s.organisation,
             "role": s.role_name, "from": s.since, "until": s.until, "decision": s.citation,
             "state": "held" if s.held else ("future" if s.since and s.since > when else "ended")}
            for p in found for s in p.seats]
    columns = [("person", tr("Person")), ("registry", tr("Registry")),
               ("committee", tr("Committee")), ("role", tr("Role")), ("from", tr("From")),
               ("until", tr("Until")), ("decision", tr("Decision")), ("state", tr("State"))]
    title = tr("{people} on {date}", people=", ".join(p.display for p in found),
               date=when.isoformat())
    if fmt == "xlsx":
        emit_xlsx(rows, columns, title, out)
        return
    if fmt in ("csv",):
        columns = [(key, key) for key in ("person", "registry", "person_id", "committee",
                                          "organisation", "role", "from", "until", "decision",
                                          "state")]
    document = {"as_of": when, "people": [p.as_dict() for p in found]}
    print_rows(rows, columns, fmt if fmt in ("json", "csv", "yaml") else "table", title=title,
               stream=sys.stdout, document=document)
