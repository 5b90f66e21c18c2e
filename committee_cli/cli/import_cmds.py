"""``committee import docx|csv|xlsx``: adopt decisions from Word, people and seats from tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from committee_cli.cli.amend_cmds import _report, _target
from committee_cli.cli.base import CHANGE, app
from committee_cli.cli.complete import complete_committee, complete_decision
from committee_cli.cli.options import parse_date_option
from committee_cli.errors import ExitCode
from committee_cli.i18n import tr
from committee_cli.interchange.docx_reader import read_decision
from committee_cli.interchange.tables import read_table
from committee_cli.services.imports import ImportPlan, import_decision, role_names
from committee_cli.services.table_import import import_rows, plan_rows
from committee_cli.services.unit_of_work import run_change
from committee_cli.services.validation import open_registry

import_app = typer.Typer(help="Adopt existing records: a decision from Word, people and seats "
                         "from a CSV or Excel table, a package another system sent (edXML).",
                         no_args_is_help=True)
app.add_typer(import_app, name="import", rich_help_panel=CHANGE)

DRY = typer.Option(False, "--dry-run", help="Print the plan (and the files it would write); "
                   "write nothing.")


def _print_unread(unread: Sequence[object]) -> None:
    for item in unread:
        where = getattr(item, "index", 0)
        typer.echo(tr("not read (paragraph {index}): {text}: {reason}", index=where or "-",
                      text=getattr(item, "text", ""), reason=getattr(item, "reason", "")),
                   err=True)


@import_app.command("docx")
def import_docx(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The decision, .docx (or .doc when "
                                "LibreOffice is installed)."),
    committee: str | None = typer.Option(None, "--committee", "-c", metavar="COMMITTEE",
                                         autocompletion=complete_committee,
                                         help="The committee it concerns (default: the one it "
                                         "names, created when the registry lacks it)."),
    date: str | None = typer.Option(None, "--date", metavar="DATE", help="The date of a draft "
                                    "that leaves its date blank (ngày … tháng … năm …)."),
    dry_run: bool = DRY,
) -> None:
    """Read a Quyết định from Word and record it: issuer, units, people, seats, the decision.

    Reads the number, symbol, date, place, issuer, subject, căn cứ, the member list (one line
    per member, or grouped by role; Word's automatic numbering too), the duties and the signer.
    People are matched to existing ones by name (tone marks and case do not matter); a name
    that matches several people is reported, never guessed. A numbered document without a
    DỰ THẢO box is recorded as signed; a draft (no number, a blank day) as a draft, dated
    the first of the month it prints, or --date. A change of members is applied as
    `amend seat add|end|replace|role` would record it. Everything is written at once, or
    nothing; paragraphs that could not be read are listed with their number.

    Example: committee import docx qd-913-2021.docx --dry-run
    """

    root = _target(ctx)
    config = open_registry(root).registry.config
    doc = read_decision(file, role_names(config))
    when = parse_date_option(date, "--date")
    plan = ImportPlan()
    result = run_change(root, lambda uow: import_decision(uow, doc, plan, committee, when),
                        dry_run=dry_run)
    for step in plan.steps:
        typer.echo(f"  {step}", err=not dry_run)
    _print_unread(plan.unread)
    _report(result, dry_run, print_id=False)


def _table(ctx: typer.Context, file: Path, kind: str, committee: str | None,
           decision: str | None, skip_bad: bool, dry_run: bool) -> None:

    root = _target(ctx)
    table = read_table(file, kind)
    plan = plan_rows(root, table, committee=committee, decision=decision)
    for problem in plan.problems:
        sys.stderr.write(f"{problem}\n")
    if plan.problems and not skip_bad:
        typer.echo(tr("{count} problem(s) in {file}; nothing was written (fix them, or pass "
                      "--skip-bad to import the good rows)", count=len(plan.problems), file=file),
                   err=True)
        raise typer.Exit(int(ExitCode.PROBLEMS))
    if plan.skipped:
        typer.echo(tr("skipped rows: {rows}", rows=", ".join(str(r) for r in plan.skipped)),
                   err=True)
    result = run_change(root, lambda uow: import_rows(uow, plan), dry_run=dry_run)
    _report(result, dry_run, print_id=False)


_COMMITTEE = typer.Option(None, "--committee", "-c", metavar="COMMITTEE",
                          autocompletion=complete_committee,
                          help="Committee of rows that name none (id, name or short name).")
_DECISION = typer.Option(None, "--decision", "-d", metavar="ID", autocompletion=complete_decision,
                         help="Decision that starts the seats of rows that name none.")
_SKIP = typer.Option(False, "--skip-bad", help="Import the good rows and list the bad ones "
                     "(default: nothing is written unless every row is good).")


@import_app.command("csv")
def import_csv(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A UTF-8 CSV file with a header row."),
    committee: str | None = _COMMITTEE,
    decision: str | None = _DECISION,
    skip_bad: bool = _SKIP,
    dry_run: bool = DRY,
) -> None:
    """Import people (and their seats) from a CSV table; columns in docs/import-export.md.

    Headers may be English or Vietnamese ("Họ và tên", "Danh xưng", "Chức vụ", "Đơn vị",
    "Vai trò", "Thứ tự", "Từ ngày", "Ban", "Quyết định"). Every bad cell is reported with its row
    and column; nothing is written unless all rows are good (or --skip-bad).

    Example: committee import csv thanh-vien.csv --committee bcd-cpdt --decision qd-913-2021
    """
    _table(ctx, file, "csv", committee, decision, skip_bad, dry_run)


@import_app.command("xlsx")
def import_xlsx(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="An Excel workbook; its first sheet "
                                "is read, header in row 1."),
    committee: str | None = _COMMITTEE,
    decision: str | None = _DECISION,
    skip_bad: bool = _SKIP,
    dry_run: bool = DRY,
) -> None:
    """Import people (and their seats) from an Excel sheet; the same columns as `import csv`.

    Needs openpyxl (pip install 'committee-cli[xlsx]'). Dates may be Excel dates or text
    (2021-08-30, 30/8/2021); formula cells are refused.

    Example: committee import xlsx thanh-vien.xlsx --committee bcd-cpdt --decision qd-913-2021
    """
    _table(ctx, file, "xlsx", committee, decision, skip_bad, dry_run)
