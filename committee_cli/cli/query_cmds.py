"""Commands that answer questions at any date: show, members, duties, tasks, decisions, person, history."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

import typer

from committee_cli.cli.base import app, registry_dir

if TYPE_CHECKING:
    from committee_cli.model.registry import Registry


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"


class MemberOrder(str, Enum):
    protocol = "protocol"
    name = "name"


class TaskStatus(str, Enum):
    open = "open"
    in_progress = "in-progress"
    done = "done"
    cancelled = "cancelled"


# --- options shared by the query commands ----------------------------------------------------


def _format_option() -> Any:
    return typer.Option(QueryFormat.table, "--format", "-f",
                        help="table (rich in a terminal, plain when piped), json, csv or yaml; "
                        "JSON shapes: docs/queries.md.")


def _as_of_option(default: str = "today") -> Any:
    return typer.Option(None, "--as-of", metavar="DATE", show_default=False,
                        help=f"The date asked about, 2021-08-30 or 30/8/2021 (default: {default}).")


def _committee_argument(default: str = "the only committee without a parent") -> Any:
    return typer.Argument(None, show_default=False, metavar="COMMITTEE",
                          help=f"Committee id, name or short name (default: {default}).")


def _date(text: str | None, option: str = "--as-of") -> date | None:
    """Parse a date option; a bad date is a usage error naming the option."""
    if text is None:
        return None
    from committee_cli.errors import UsageError
    from committee_cli.vietnamese import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _registry(ctx: typer.Context) -> Registry:
    from committee_cli.queries import open_registry

    return open_registry(registry_dir(ctx))


def _emit(rows: list[dict[str, Any]], columns: list[tuple[str, str]], fmt: QueryFormat,
          title: str, document: dict[str, Any], csv_keys: list[str] | None = None) -> None:
    """Print rows as a table, or as CSV headed by field names, or the documented document."""
    from committee_cli.cli.output import print_rows

    if fmt is QueryFormat.csv:
        columns = [(key, key) for key in csv_keys or [key for key, _ in columns]]
    print_rows(rows, columns, fmt.value, title=title, document=document)


def _keys(record_type: type) -> list[str]:
    """The field names of a result dataclass: the CSV columns of its rows."""
    from dataclasses import fields

    return [f.name for f in fields(record_type)]


# --- commands ----------------------------------------------------------------------------------


@app.command()
def show(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option(),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Overview of a committee: parent, standing body, seal, seats by role, tasks, latest decision.

    Example: committee show "Ban Chỉ đạo" --as-of 30/8/2021
    """
    from committee_cli.queries import overview
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    ov = overview(_registry(ctx), committee, when)
    seats = ov.seats
    latest = ov.latest_decision
    fields: list[tuple[str, Any]] = [
        ("Committee", f"{ov.committee.name} ({ov.committee.id})"),
        ("Short name", ov.short_name),
        ("Organisation", ov.organisation.name),
        ("Parent committee", ov.parent.name if ov.parent else None),
        ("Working groups", [w.name for w in ov.working_groups]),
        ("Standing body", ov.standing_body["name"] if ov.standing_body else None),
        ("Uses the seal of", ov.seal.name if ov.seal else "(no seal)"),
        ("Working mode", ov.working_mode),
        ("Regulation issued by", ov.regulation_issuer.name if ov.regulation_issuer else None),
        ("Established", _event_text(ov.established)),
        ("Dissolved", _event_text(ov.dissolved)),
        (f"Seats on {short_date(when)}", f"{seats.total}" + (" (" + ", ".join(
            f"{r.role_name} {r.count}" for r in seats.by_role) + ")" if seats.by_role else "")),
        ("Duties in force", ov.duties_in_force),
        ("Tasks", f"{ov.tasks.open} open, {ov.tasks.overdue} overdue"),
        ("Latest decision", f"{latest['citation']} ({short_date(latest['date'])}): "
                            f"{latest['subject']}" if latest else None),
        ("Draft decisions", ov.drafts),
    ]
    rows = [{"field": k, "value": v} for k, v in fields]
    _emit(rows, [("field", "Field"), ("value", "Value")], fmt, ov.committee.name, ov.as_dict())


def _event_text(event: dict[str, Any] | None) -> str | None:
    if event is None:
        return None
    from committee_cli.vietnamese import short_date

    when = short_date(event["date"]) if event["date"] else "?"
    return f"{when} ({event['citation']})"


@app.command()
def members(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option(),
    role: str | None = typer.Option(None, "--role", metavar="ROLE",
                                    help="Only this role (id or name, e.g. uy-vien or "
                                    "\"Ủy viên\")."),
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT",
                                    help="Only seats of this unit (organisation id, name or "
                                    "abbreviation)."),
    sort: MemberOrder = typer.Option(MemberOrder.protocol, "--sort",
                                     help="protocol order, or by name (given name first, "
                                     "Vietnamese alphabetical order)."),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Seats held on a date: role, member (or post), title and unit then, since when, by which decision.

    Example: committee members --as-of 2021-08-30 --role "Ủy viên" --format json
    """
    from committee_cli.queries import Member
    from committee_cli.queries import members as list_members
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = list_members(_registry(ctx), committee, when, role=role, unit=unit, sort=sort.value)
    rows = [{"n": n, **m.as_dict()} for n, m in enumerate(found.seats, start=1)]
    columns = [("n", "#"), ("role_name", "Role"), ("holder", "Member"), ("title", "Title"),
               ("unit_name", "Unit"), ("since", "Since"), ("citation", "Decision")]
    title = f"{found.committee.name}: {len(rows)} seat(s) on {short_date(when)}"
    _emit(rows, columns, fmt, title, found.as_dict(), _keys(Member))


@app.command()
def duties(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option(),
    all_: bool = typer.Option(False, "--all", help="Every duty ever recorded, ended ones too."),
    fmt: QueryFormat = _format_option(),
) -> None:
    """The committee's duties in force on a date, with the decision that gave each.

    Example: committee duties --as-of 30/8/2021
    """
    from committee_cli.queries import DutyRow
    from committee_cli.queries import duties as list_duties
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = list_duties(_registry(ctx), committee, when, include_ended=all_)
    rows = [d.as_dict() for d in found.duties]
    columns = [("number", "#"), ("text", "Duty"), ("since", "Since"), ("citation", "Decision")]
    if all_:
        columns += [("until", "Until"), ("end_citation", "Ended by")]
    title = f"{found.committee.name}: {len(rows)} duties on {short_date(when)}"
    _emit(rows, columns, fmt, title, found.as_dict(), _keys(DutyRow))


@app.command()
def decisions(
    ctx: typer.Context,
    committee: str | None = _committee_argument("every decision in the registry"),
    as_of: str | None = _as_of_option("every date"),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Decisions in date order (of one committee, or all), up to a date: number, kind, status, subject.

    Example: committee decisions bcd-cpdt --format csv
    """
    from committee_cli.queries import DecisionRow
    from committee_cli.queries import decisions as list_decisions

    found = list_decisions(_registry(ctx), committee, _date(as_of))
    rows = [d.as_dict() for d in found.decisions]
    columns = [("citation", "Decision"), ("effective", "Date"), ("kind", "Kind"),
               ("status", "Status"), ("subject", "Subject"), ("signer_name", "Signer")]
    scope = found.committee.name if found.committee else "All committees"
    _emit(rows, columns, fmt, f"{scope}: {len(rows)} decision(s)", found.as_dict(),
          _keys(DecisionRow))


@app.command()
def tasks(
    ctx: typer.Context,
    committee: str | None = _committee_argument("every committee"),
    as_of: str | None = _as_of_option(),
    lead: str | None = typer.Option(None, "--lead", metavar="X", help="Led by this person (id or name) or "
                                    "unit (id, name or abbreviation)."),
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT", help="Led or coordinated by this unit."),
    status: TaskStatus | None = typer.Option(None, "--status", help="Only tasks in this status "
                                             "on the date."),
    overdue: bool = typer.Option(False, "--overdue", help="Only tasks past their deadline on "
                                 "the date and not done or cancelled."),
    due_before: str | None = typer.Option(None, "--due-before", metavar="DATE",
                                          help="Only tasks whose deadline is before DATE."),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Tasks assigned by a date, their status then and whether they are overdue (derived).

    Example: committee tasks --overdue --as-of 1/7/2022
    """
    from committee_cli.queries import TaskRow
    from committee_cli.queries import tasks as list_tasks
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = list_tasks(_registry(ctx), committee, when, lead=lead, unit=unit,
                       status=status.value if status else None, overdue=overdue,
                       due_before=_date(due_before, "--due-before"))
    rows = [{**t.as_dict(), "state": t.status + (", overdue" if t.overdue else "")}
            for t in found.tasks]
    columns = [("task", "Task"), ("title", "Title"), ("lead_name", "Lead"),
               ("deadline", "Deadline"), ("state", "Status"), ("citation", "Assigned by")]
    if found.committee is None:
        columns.insert(1, ("committee", "Committee"))
    scope = found.committee.name if found.committee else "All committees"
    _emit(rows, columns, fmt, f"{scope}: {len(rows)} task(s) on {short_date(when)}",
          found.as_dict(), _keys(TaskRow))


@app.command()
def person(
    ctx: typer.Context,
    query: str = typer.Argument(..., metavar="QUERY", help="Id or (part of) the name; case, tone marks and "
                                "Unicode form do not matter: \"truong hai long\"."),
    as_of: str | None = _as_of_option(),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Every seat, position and task of a person over time, and which hold on a date.

    Example: committee person "truong hai long"
    """
    from committee_cli.queries import person as find_person
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = find_person(_registry(ctx), query, when)
    rows: list[dict[str, Any]] = []
    for p in found.people:
        facts: list[tuple[str, str, date | None, date | None, str | None, str]] = [
            ("position", f"{pos.title}, {pos.organisation_name}", pos.since, pos.until, None,
             "current" if pos.current else _past_or_future(pos.since, when))
            for pos in p.positions]
        facts += [("seat", f"{seat.role_name}, {seat.committee_name}", seat.since, seat.until,
                   " → ".join(c for c in (seat.citation, seat.end_citation) if c),
                   "held" if seat.held else _past_or_future(seat.since, when))
                  for seat in p.seats]
        facts += [("task", task.title, task.assigned, task.deadline, task.citation,
                   task.status + (", overdue" if task.overdue else "")) for task in p.tasks]
        rows += [{"person_id": p.person, "person": p.display, "kind": kind, "what": what,
                  "from": since, "until": until, "decision": decision, "state": state}
                 for kind, what, since, until, decision, state in facts]
    if len(found.people) > 1 and fmt is QueryFormat.table:
        typer.echo(f"{len(found.people)} people match '{found.query}': "
                   f"{', '.join(f'{p.display} ({p.person})' for p in found.people)}; "
                   "give more of the name or the id to see one", err=True)
    columns = [("person", "Person"), ("kind", "Kind"), ("what", "What"), ("from", "From"),
               ("until", "Until / deadline"), ("decision", "Decision"), ("state", "State")]
    title = f"{', '.join(p.display for p in found.people)} on {short_date(when)}"
    _emit(rows, columns, fmt, title, found.as_dict(),
          ["person_id", "person", "kind", "what", "from", "until", "decision", "state"])


def _past_or_future(since: date | None, when: date) -> str:
    return "future" if since is not None and since > when else "ended"


@app.command()
def history(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option("everything recorded"),
    fmt: QueryFormat = _format_option(),
) -> None:
    """The committee's decisions in date order and what each changed: seats, duties, regulation, tasks.

    Example: committee history --as-of 2022-12-31
    """
    from committee_cli.queries import history as committee_history

    found = committee_history(_registry(ctx), committee, _date(as_of))
    rows: list[dict[str, Any]] = []
    for entry in found.decisions:
        for change in entry.changes or [None]:
            rows.append({"date": change.date if change else entry.date,
                         "decision": entry.citation, "decision_id": entry.decision,
                         "status": entry.status, "change": change.change if change else None,
                         "id": change.id if change else None,
                         "text": change.text if change else "(no recorded change)"})
    columns = [("date", "Date"), ("decision", "Decision"), ("text", "Change")]
    _emit(rows, columns, fmt, f"{found.committee.name}: {len(found.decisions)} decision(s)",
          found.as_dict(), ["date", "decision_id", "decision", "status", "change", "id", "text"])
