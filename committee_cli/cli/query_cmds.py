"""Commands that answer questions at any date: show, members, duties, tasks, decisions, person, history.

Each asks committee_cli.queries and prints what committee_cli.cli.present makes of the answer.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from committee_cli import queries
from committee_cli.cli.base import LOOK_UP, app, registry_dir, several
from committee_cli.cli.complete import complete_organisation, complete_person
from committee_cli.cli.env import environment
from committee_cli.cli.options import (
    QueryFormat,
    as_of_option,
    committee_argument,
    format_option,
    out_option,
)
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.cli.present import (
    Table,
    decisions_table,
    duties_table,
    history_table,
    members_table,
    new_registry_table,
    overview_table,
    person_table,
    several_people,
    tasks_table,
)
from committee_cli.cli.rows import print_rows
from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.queries.indexed import (
    members_registry,
    overview_registry,
    person_registry,
    tasks_registry,
)

__all__ = ["QueryFormat"]


class MemberOrder(str, Enum):
    protocol = "protocol"
    name = "name"


class TaskStatus(str, Enum):
    open = "open"
    in_progress = "in-progress"
    done = "done"
    cancelled = "cancelled"


def _registry(ctx: typer.Context) -> Registry:
    return queries.open_registry(registry_dir(ctx))


def _emit(ctx: typer.Context, table: Table, fmt: QueryFormat, out: Path | None = None) -> None:
    """Print a presented answer as a table, or as CSV headed by field names, or the document;
    an Excel workbook goes to ``--out``."""
    if fmt in (QueryFormat.xlsx, QueryFormat.ics):
        if fmt is QueryFormat.ics:
            raise UsageError(tr("--format ics is for `committee tasks`"))
        keys = table.csv_keys or [key for key, _ in table.columns]
        from committee_cli.cli.formats import emit_xlsx  # (only for xlsx)

        emit_xlsx(table.rows, [(key, key) for key in keys], table.title, out)
        return
    if out is not None:
        raise UsageError(tr("--out goes with --format xlsx or ics; redirect other formats"))
    columns = table.columns
    if fmt is QueryFormat.csv:
        columns = [(key, key) for key in table.csv_keys or [key for key, _ in columns]]
    print_rows(table.rows, columns, fmt.value, title=table.title, document=table.document,
               env=environment(ctx))


# --- commands ----------------------------------------------------------------------------------


@app.command(rich_help_panel=LOOK_UP)
def show(
    ctx: typer.Context,
    committee: str | None = committee_argument(),
    as_of: str | None = as_of_option(),
    fmt: QueryFormat = format_option(),
) -> None:
    """Overview of a committee: parent, standing body, seal, seats by role, tasks, latest decision.

    Everything is as it stood on the --as-of date: seats held then, duties in force, tasks open
    or overdue. The committee may be named by id, name or short name; with one top-level
    committee in the registry it may be left out.

    Example: committee show "Ban Chỉ đạo" --as-of 30/8/2021
    """
    when = _date(as_of) or environment(ctx).today
    reg = overview_registry(registry_dir(ctx), committee)
    if committee is None and not reg.committees:  # a new registry: its issuing body
        _emit(ctx, new_registry_table(reg, when), fmt)
        return
    _emit(ctx, overview_table(queries.overview(reg, committee, when), when), fmt)




@app.command(rich_help_panel=LOOK_UP)
def members(
    ctx: typer.Context,
    committee: str | None = committee_argument(),
    as_of: str | None = as_of_option(),
    role: str | None = typer.Option(None, "--role", metavar="ROLE",
                                    help="Only this role (id or name, e.g. uy-vien or "
                                    "\"Ủy viên\")."),
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT", autocompletion=complete_organisation,
                                    help="Only seats of this unit (organisation id, name or "
                                    "abbreviation)."),
    sort: MemberOrder = typer.Option(MemberOrder.protocol, "--sort",
                                     help="protocol order, or by name (given name first, "
                                     "Vietnamese alphabetical order)."),
    fmt: QueryFormat = format_option(),
    out: Path | None = out_option(),
) -> None:
    """Seats held on a date: role, member (or post), title and unit then, since when, by which decision.

    Lists the seats in protocol order (Trưởng ban, Phó Trưởng ban, Ủy viên …) or by name. The
    title shown is the one the person held on that date. A seat that names a post and no person
    shows the post.

    Example: committee members --as-of 2021-08-30 --role "Ủy viên" --format json
    """
    when = _date(as_of) or environment(ctx).today
    reg = members_registry(registry_dir(ctx), committee, unit=unit)
    found = queries.members(reg, committee, when, role=role, unit=unit, sort=sort.value)
    _emit(ctx, members_table(found, when), fmt, out)


@app.command(rich_help_panel=LOOK_UP)
def duties(
    ctx: typer.Context,
    committee: str | None = committee_argument(),
    as_of: str | None = as_of_option(),
    all_: bool = typer.Option(False, "--all", help="Every duty ever recorded, ended ones too."),
    fmt: QueryFormat = format_option(),
) -> None:
    """The committee's duties in force on a date, with the decision that gave each.

    A duty amended by a later decision shows its wording in force on the date; --all lists every
    wording ever recorded, with the decision that ended it.

    Example: committee duties --as-of 30/8/2021
    """
    when = _date(as_of) or environment(ctx).today
    found = queries.duties(_registry(ctx), committee, when, include_ended=all_)
    _emit(ctx, duties_table(found, when, include_ended=all_), fmt)


@app.command(rich_help_panel=LOOK_UP)
def decisions(
    ctx: typer.Context,
    committee: str | None = committee_argument("every decision in the registry"),
    as_of: str | None = as_of_option("every date"),
    fmt: QueryFormat = format_option(),
    out: Path | None = out_option(),
) -> None:
    """Decisions in date order (of one committee, or all), up to a date: number, kind, status, subject.

    Drafts are listed too, with their status, so that the secretariat sees what is waiting to be
    signed. The ids in the first column are what `render decision` and `decision sign` take.

    Example: committee decisions bcd-cpdt --format csv
    """
    _emit(ctx, decisions_table(queries.decisions(_registry(ctx), committee, _date(as_of))), fmt,
          out)


@app.command(rich_help_panel=LOOK_UP)
def tasks(
    ctx: typer.Context,
    committee: str | None = committee_argument("every committee"),
    as_of: str | None = as_of_option(),
    lead: str | None = typer.Option(None, "--lead", metavar="X", help="Led by this person (id or name) or "
                                    "unit (id, name or abbreviation)."),
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT", help="Led or coordinated by this unit."),
    status: TaskStatus | None = typer.Option(None, "--status", help="Only tasks in this status "
                                             "on the date."),
    overdue: bool = typer.Option(False, "--overdue", help="Only tasks past their deadline on "
                                 "the date and not done or cancelled."),
    due_before: str | None = typer.Option(None, "--due-before", metavar="DATE",
                                          help="Only tasks whose deadline is before DATE."),
    fmt: QueryFormat = format_option(),
    out: Path | None = out_option(),
    ics_todo: bool = typer.Option(False, "--ics-todo", help="With --format ics: VTODO items "
                                  "instead of all-day events (Google Calendar and Outlook show "
                                  "only events)."),
) -> None:
    """Tasks assigned by a date, their status then and whether they are overdue (derived).

    A task is overdue when its deadline has passed on the date and it is neither done nor
    cancelled; nobody records "overdue" by hand. Filter by lead, unit, status or deadline.

    Example: committee tasks --overdue --as-of 1/7/2022
    """
    when = _date(as_of) or environment(ctx).today
    try:
        before = _date(due_before, "--due-before")
    except UsageError:
        _registry(ctx)  # a registry that does not load is reported first, as it always was
        raise
    reg = tasks_registry(registry_dir(ctx), committee, when, lead=lead, unit=unit,
                         overdue=overdue, due_before=before)
    found = queries.tasks(reg, committee, when, lead=lead, unit=unit,
                       status=status.value if status else None, overdue=overdue,
                       due_before=before)
    if fmt is QueryFormat.ics:
        from committee_cli.cli.formats import emit_ics  # (only for ics)

        emit_ics(ctx, [t.task for t in found.tasks], ics_todo, out)
        return
    _emit(ctx, tasks_table(found, when), fmt, out)




@app.command(rich_help_panel=LOOK_UP)
def person(
    ctx: typer.Context,
    query: str = typer.Argument(..., metavar="QUERY", autocompletion=complete_person,
                                help="Id or (part of) the name; case, tone marks and "
                                "Unicode form do not matter: \"truong hai long\"."),
    as_of: str | None = as_of_option(),
    fmt: QueryFormat = format_option(),
    out: Path | None = out_option(),
) -> None:
    """Every seat, position and task of a person over time, and which hold on a date.

    Search by id or by any part of the name, without caring about tone marks or capitals. When
    several people match, all are shown and their ids are listed so you can pick one.

    Example: committee person "truong hai long"
    """
    env = environment(ctx)
    when = _date(as_of) or env.today
    if several(ctx):  # --registry repeated, or a registries.yaml
        from committee_cli.cli.export_cmds import person_across  # (across registries)

        person_across(ctx, query, when, fmt.value, out)
        return
    found = queries.person(person_registry(registry_dir(ctx), query), query, when)
    table = person_table(found, when, in_words=fmt is QueryFormat.table)
    note = several_people(found)
    if note and fmt is QueryFormat.table:
        env.stderr.write(note + "\n")
    _emit(ctx, table, fmt, out)






@app.command(rich_help_panel=LOOK_UP)
def history(
    ctx: typer.Context,
    committee: str | None = committee_argument(),
    as_of: str | None = as_of_option("everything recorded"),
    fmt: QueryFormat = format_option(),
) -> None:
    """The committee's decisions in date order and what each changed: seats, duties, regulation, tasks.

    Reads like the committee's record book: each decision, then one line per change it made
    (a member replaced, a duty amended, a task assigned). The change lines are in Vietnamese,
    as the decisions are.

    Example: committee history --as-of 2022-12-31
    """
    _emit(ctx, history_table(queries.history(_registry(ctx), committee, _date(as_of))), fmt)
