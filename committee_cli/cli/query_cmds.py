"""Commands that answer questions at any date: show, members, duties, tasks, decisions, person, history."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

import typer

from committee_cli.cli.base import LOOK_UP, app, registry_dir
from committee_cli.cli.complete import complete_committee, complete_organisation, complete_person
from committee_cli.i18n import tr

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
                          autocompletion=complete_committee,
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
        raise UsageError(tr("{option}: {problem}", option=option, problem=exc)) from None


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


@app.command(rich_help_panel=LOOK_UP)
def show(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option(),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Overview of a committee: parent, standing body, seal, seats by role, tasks, latest decision.

    Everything is as it stood on the --as-of date: seats held then, duties in force, tasks open
    or overdue. The committee may be named by id, name or short name; with one top-level
    committee in the registry it may be left out.

    Example: committee show "Ban Chỉ đạo" --as-of 30/8/2021
    """
    from committee_cli.queries import overview
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    ov = overview(_registry(ctx), committee, when)
    seats = ov.seats
    latest = ov.latest_decision
    fields: list[tuple[str, Any]] = [
        (tr("Committee"), f"{ov.committee.name} ({ov.committee.id})"),
        (tr("Short name"), ov.short_name),
        (tr("Organisation"), ov.organisation.name),
        (tr("Parent committee"), ov.parent.name if ov.parent else None),
        (tr("Working groups"), [w.name for w in ov.working_groups]),
        (tr("Standing body"), ov.standing_body["name"] if ov.standing_body else None),
        (tr("Uses the seal of"), ov.seal.name if ov.seal else tr("(no seal)")),
        (tr("Working mode"), ov.working_mode),
        (tr("Regulation issued by"), ov.regulation_issuer.name if ov.regulation_issuer else None),
        (tr("Established"), _event_text(ov.established)),
        (tr("Dissolved"), _event_text(ov.dissolved)),
        (tr("Seats on {date}", date=short_date(when)), f"{seats.total}" + (" (" + ", ".join(
            f"{r.role_name} {r.count}" for r in seats.by_role) + ")" if seats.by_role else "")),
        (tr("Duties in force"), ov.duties_in_force),
        (tr("Tasks"), tr("{open} open, {overdue} overdue", open=ov.tasks.open,
                         overdue=ov.tasks.overdue)),
        (tr("Latest decision"), f"{latest['citation']} ({short_date(latest['date'])}): "
                                f"{latest['subject']}" if latest else None),
        (tr("Draft decisions"), ov.drafts),
    ]
    rows = [{"field": k, "value": v} for k, v in fields]
    _emit(rows, [("field", tr("Field")), ("value", tr("Value"))], fmt, ov.committee.name,
          ov.as_dict())


def _event_text(event: dict[str, Any] | None) -> str | None:
    if event is None:
        return None
    from committee_cli.vietnamese import short_date

    when = short_date(event["date"]) if event["date"] else "?"
    return f"{when} ({event['citation']})"


@app.command(rich_help_panel=LOOK_UP)
def members(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option(),
    role: str | None = typer.Option(None, "--role", metavar="ROLE",
                                    help="Only this role (id or name, e.g. uy-vien or "
                                    "\"Ủy viên\")."),
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT", autocompletion=complete_organisation,
                                    help="Only seats of this unit (organisation id, name or "
                                    "abbreviation)."),
    sort: MemberOrder = typer.Option(MemberOrder.protocol, "--sort",
                                     help="protocol order, or by name (given name first, "
                                     "Vietnamese alphabetical order)."),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Seats held on a date: role, member (or post), title and unit then, since when, by which decision.

    Lists the seats in protocol order (Trưởng ban, Phó Trưởng ban, Ủy viên …) or by name. The
    title shown is the one the person held on that date. A seat that names a post and no person
    shows the post.

    Example: committee members --as-of 2021-08-30 --role "Ủy viên" --format json
    """
    from committee_cli.queries import Member
    from committee_cli.queries import members as list_members
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = list_members(_registry(ctx), committee, when, role=role, unit=unit, sort=sort.value)
    rows = [{"n": n, **m.as_dict()} for n, m in enumerate(found.seats, start=1)]
    columns = [("n", "#"), ("role_name", tr("Role")), ("holder", tr("Member")),
               ("title_phrase", tr("Title")), ("since", tr("Since")), ("citation", tr("Decision"))]
    title = tr("{committee}: {count} seat(s) on {date}", committee=found.committee.name,
               count=len(rows), date=short_date(when))
    _emit(rows, columns, fmt, title, found.as_dict(), _keys(Member))


@app.command(rich_help_panel=LOOK_UP)
def duties(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option(),
    all_: bool = typer.Option(False, "--all", help="Every duty ever recorded, ended ones too."),
    fmt: QueryFormat = _format_option(),
) -> None:
    """The committee's duties in force on a date, with the decision that gave each.

    A duty amended by a later decision shows its wording in force on the date; --all lists every
    wording ever recorded, with the decision that ended it.

    Example: committee duties --as-of 30/8/2021
    """
    from committee_cli.queries import DutyRow
    from committee_cli.queries import duties as list_duties
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = list_duties(_registry(ctx), committee, when, include_ended=all_)
    rows = [d.as_dict() for d in found.duties]
    columns = [("number", "#"), ("text", tr("Duty")), ("since", tr("Since")),
               ("citation", tr("Decision"))]
    if all_:
        columns += [("until", tr("Until")), ("end_citation", tr("Ended by"))]
    title = tr("{committee}: {count} duties on {date}", committee=found.committee.name,
               count=len(rows), date=short_date(when))
    _emit(rows, columns, fmt, title, found.as_dict(), _keys(DutyRow))


@app.command(rich_help_panel=LOOK_UP)
def decisions(
    ctx: typer.Context,
    committee: str | None = _committee_argument("every decision in the registry"),
    as_of: str | None = _as_of_option("every date"),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Decisions in date order (of one committee, or all), up to a date: number, kind, status, subject.

    Drafts are listed too, with their status, so that the secretariat sees what is waiting to be
    signed. The ids in the first column are what `render decision` and `decision sign` take.

    Example: committee decisions bcd-cpdt --format csv
    """
    from committee_cli.queries import DecisionRow
    from committee_cli.queries import decisions as list_decisions

    found = list_decisions(_registry(ctx), committee, _date(as_of))
    rows = [d.as_dict() for d in found.decisions]
    columns = [("citation", tr("Decision")), ("effective", tr("Date")), ("kind", tr("Kind")),
               ("status", tr("Status")), ("subject", tr("Subject")), ("signer_name", tr("Signer"))]
    scope = found.committee.name if found.committee else tr("All committees")
    _emit(rows, columns, fmt, tr("{scope}: {count} decision(s)", scope=scope, count=len(rows)),
          found.as_dict(), _keys(DecisionRow))


@app.command(rich_help_panel=LOOK_UP)
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

    A task is overdue when its deadline has passed on the date and it is neither done nor
    cancelled; nobody records "overdue" by hand. Filter by lead, unit, status or deadline.

    Example: committee tasks --overdue --as-of 1/7/2022
    """
    from committee_cli.queries import TaskRow
    from committee_cli.queries import tasks as list_tasks
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = list_tasks(_registry(ctx), committee, when, lead=lead, unit=unit,
                       status=status.value if status else None, overdue=overdue,
                       due_before=_date(due_before, "--due-before"))
    rows = [{**t.as_dict(), "state": _status(t.status) + (", " + tr("overdue") if t.overdue else "")}
            for t in found.tasks]
    columns = [("task", tr("Task")), ("title", tr("Title")), ("lead_name", tr("Lead")),
               ("deadline", tr("Deadline")), ("state", tr("Status")), ("citation", tr("Assigned by"))]
    if found.committee is None:
        columns.insert(1, ("committee", tr("Committee")))
    scope = found.committee.name if found.committee else tr("All committees")
    _emit(rows, columns, fmt, tr("{scope}: {count} task(s) on {date}", scope=scope,
                                 count=len(rows), date=short_date(when)),
          found.as_dict(), _keys(TaskRow))


def _status(status: str) -> str:
    """A task status as the table shows it (JSON, CSV and YAML keep the code)."""
    from committee_cli.i18n import N_, gettext_

    words = {"open": N_("open"), "in-progress": N_("in progress"), "done": N_("done"),
             "cancelled": N_("cancelled")}
    return gettext_(words[status]) if status in words else status


@app.command(rich_help_panel=LOOK_UP)
def person(
    ctx: typer.Context,
    query: str = typer.Argument(..., metavar="QUERY", autocompletion=complete_person,
                                help="Id or (part of) the name; case, tone marks and "
                                "Unicode form do not matter: \"truong hai long\"."),
    as_of: str | None = _as_of_option(),
    fmt: QueryFormat = _format_option(),
) -> None:
    """Every seat, position and task of a person over time, and which hold on a date.

    Search by id or by any part of the name, without caring about tone marks or capitals. When
    several people match, all are shown and their ids are listed so you can pick one.

    Example: committee person "truong hai long"
    """
    from committee_cli.queries import person as find_person
    from committee_cli.vietnamese import short_date

    when = _date(as_of) or date.today()
    found = find_person(_registry(ctx), query, when)
    rows: list[dict[str, Any]] = []
    for p in found.people:
        facts: list[tuple[str, str, date | None, date | None, str | None, str]] = [
            ("position", pos.phrase, pos.since, pos.until, None,
             "current" if pos.current else _past_or_future(pos.since, when))
            for pos in p.positions]
        facts += [("seat", f"{seat.role_name}, {seat.committee_name}", seat.since, seat.until,
                   " → ".join(c for c in (seat.citation, seat.end_citation) if c),
                   "held" if seat.held else _past_or_future(seat.since, when))
                  for seat in p.seats]
        facts += [("task", task.title, task.assigned, task.deadline, task.citation,
                   task.status + (", overdue" if task.overdue else "")) for task in p.tasks]
        if fmt is QueryFormat.table:  # words for people; CSV, JSON and YAML keep the codes
            facts = [(_word(kind), what, since, until, decision,
                      ", ".join(_word(part) for part in state.split(", ")))
                     for kind, what, since, until, decision, state in facts]
        rows += [{"person_id": p.person, "person": p.display, "kind": kind, "what": what,
                  "from": since, "until": until, "decision": decision, "state": state}
                 for kind, what, since, until, decision, state in facts]
    if len(found.people) > 1 and fmt is QueryFormat.table:
        typer.echo(tr("{count} people match '{query}': {people}; give more of the name or the id "
                      "to see one", count=len(found.people), query=found.query,
                      people=", ".join(f"{p.display} ({p.person})" for p in found.people)),
                   err=True)
    columns = [("person", tr("Person")), ("kind", tr("Kind")), ("what", tr("What")),
               ("from", tr("From")), ("until", tr("Until / deadline")), ("decision", tr("Decision")),
               ("state", tr("State"))]
    title = tr("{people} on {date}", people=", ".join(p.display for p in found.people),
               date=short_date(when))
    _emit(rows, columns, fmt, title, found.as_dict(),
          ["person_id", "person", "kind", "what", "from", "until", "decision", "state"])


def _past_or_future(since: date | None, when: date) -> str:
    return "future" if since is not None and since > when else "ended"


def _word(code: str) -> str:
    """A kind or state code of `person` as the table shows it."""
    from committee_cli.i18n import N_, gettext_

    words = {"position": N_("position"), "seat": N_("seat"), "task": N_("task"),
             "current": N_("current"), "held": N_("held"), "future": N_("future"),
             "ended": N_("ended"), "overdue": N_("overdue"), "open": N_("open"),
             "in-progress": N_("in progress"), "done": N_("done"), "cancelled": N_("cancelled")}
    return gettext_(words[code]) if code in words else code


@app.command(rich_help_panel=LOOK_UP)
def history(
    ctx: typer.Context,
    committee: str | None = _committee_argument(),
    as_of: str | None = _as_of_option("everything recorded"),
    fmt: QueryFormat = _format_option(),
) -> None:
    """The committee's decisions in date order and what each changed: seats, duties, regulation, tasks.

    Reads like the committee's record book: each decision, then one line per change it made
    (a member replaced, a duty amended, a task assigned). The change lines are in Vietnamese,
    as the decisions are.

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
                         "text": change.text if change else tr("(no recorded change)")})
    columns = [("date", tr("Date")), ("decision", tr("Decision")), ("text", tr("Change"))]
    _emit(rows, columns, fmt, tr("{scope}: {count} decision(s)", scope=found.committee.name,
                                 count=len(found.decisions)),
          found.as_dict(), ["date", "decision_id", "decision", "status", "change", "id", "text"])
