"""Presenters: query results (committee_cli.queries) turned into what the CLI prints — rows,
column headings, a title, the documented JSON/YAML document and the CSV keys — with codes put
into words for the table. The commands in query_cmds only ask and print."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from committee_cli import queries
from committee_cli.i18n import N_, gettext_, tr
from committee_cli.model.registry import Registry
from committee_cli.vietnamese import short_date

if TYPE_CHECKING:  # (each presenter loads only its own query family)
    from committee_cli.queries import Change as HistoryChange
    from committee_cli.queries import (
        DecisionList,
        DutyList,
        History,
        HistoryEntry,
        MemberList,
        Overview,
        PersonMatches,
        TaskList,
    )


@dataclass
class Table:
    """What a query prints: rows and headed columns (table, CSV), a title, and the document."""

    rows: list[dict[str, Any]]
    columns: list[tuple[str, str]]
    title: str
    document: dict[str, Any]
    csv_keys: list[str] | None = None


def keys(record_type: type) -> list[str]:
    """The field names of a result dataclass: the CSV columns of its rows."""
    return [f.name for f in fields(record_type)]


_WORDS = {"position": N_("position"), "seat": N_("seat"), "task": N_("task"),
          "current": N_("current"), "held": N_("held"), "future": N_("future"),
          "ended": N_("ended"), "overdue": N_("overdue"), "open": N_("open"),
          "in-progress": N_("in progress"), "done": N_("done"), "cancelled": N_("cancelled")}
_TASK_STATUS = {"open": N_("open"), "in-progress": N_("in progress"), "done": N_("done"),
                "cancelled": N_("cancelled")}


def task_status_word(status: str) -> str:
    """A task status as the table shows it (JSON, CSV and YAML keep the code)."""
    return gettext_(_TASK_STATUS[status]) if status in _TASK_STATUS else status


def word(code: str) -> str:
    """A kind or state code of `person` as the table shows it."""
    return gettext_(_WORDS[code]) if code in _WORDS else code


def _event_text(event: dict[str, Any] | None) -> str | None:
    if event is None:
        return None
    when = short_date(event["date"]) if event["date"] else "?"
    return f"{when} ({event['citation']})"


def overview_table(ov: Overview, when: date) -> Table:
    """`show`: one row per fact about the committee."""
    seats = ov.seats
    latest = ov.latest_decision
    facts: list[tuple[str, Any]] = [
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
    rows = [{"field": k, "value": v} for k, v in facts]
    return Table(rows, [("field", tr("Field")), ("value", tr("Value"))], ov.committee.name,
                 ov.as_dict())


def new_registry_table(reg: Registry, when: date) -> Table:
    """`show` of a registry without committees yet: its name and issuing body."""
    issuer = reg.organisations.get(reg.config.issuer or "")
    rows: list[dict[str, Any]] = [
            {"field": tr("Registry"), "value": reg.config.name},
            {"field": tr("Issuing body"),
             "value": f"{issuer.on(when).name} ({reg.config.issuer})" if issuer else None},
            {"field": tr("Committees"), "value": tr("none yet: add one with `committee amend "
                                                    "committee add`")}]
    return Table(rows, [("field", tr("Field")), ("value", tr("Value"))], reg.config.name,
                 {"registry": reg.config.name, "issuer": reg.config.issuer, "committees": []})


def members_table(found: MemberList, when: date) -> Table:
    """`members`: one row per seat held, numbered."""
    rows = [{"n": n, **m.as_dict()} for n, m in enumerate(found.seats, start=1)]
    columns = [("n", "#"), ("role_name", tr("Role")), ("holder", tr("Member")),
               ("title_phrase", tr("Title")), ("since", tr("Since")), ("citation", tr("Decision"))]
    title = tr("{committee}: {count} seat(s) on {date}", committee=found.committee.name,
               count=len(rows), date=short_date(when))
    return Table(rows, columns, title, found.as_dict(), keys(queries.Member))


def duties_table(found: DutyList, when: date, include_ended: bool) -> Table:
    """`duties`: one row per duty (and per ended wording with ``include_ended``)."""
    rows = [d.as_dict() for d in found.duties]
    columns = [("number", "#"), ("text", tr("Duty")), ("since", tr("Since")),
               ("citation", tr("Decision"))]
    if include_ended:
        columns += [("until", tr("Until")), ("end_citation", tr("Ended by"))]
    title = tr("{committee}: {count} duties on {date}", committee=found.committee.name,
               count=len(rows), date=short_date(when))
    return Table(rows, columns, title, found.as_dict(), keys(queries.DutyRow))


def decisions_table(found: DecisionList) -> Table:
    """`decisions`: one row per decision."""
    rows = [d.as_dict() for d in found.decisions]
    columns = [("citation", tr("Decision")), ("effective", tr("Date")), ("kind", tr("Kind")),
               ("status", tr("Status")), ("subject", tr("Subject")), ("signer_name", tr("Signer"))]
    scope = found.committee.name if found.committee else tr("All committees")
    return Table(rows, columns, tr("{scope}: {count} decision(s)", scope=scope, count=len(rows)),
                 found.as_dict(), keys(queries.DecisionRow))


def tasks_table(found: TaskList, when: date) -> Table:
    """`tasks`: one row per task, its status in words (and whether overdue)."""
    rows = [{**t.as_dict(), "state": task_status_word(t.status)
             + (", " + tr("overdue") if t.overdue else "")} for t in found.tasks]
    columns = [("task", tr("Task")), ("title", tr("Title")), ("lead_name", tr("Lead")),
               ("deadline", tr("Deadline")), ("state", tr("Status")), ("citation", tr("Assigned by"))]
    if found.committee is None:
        columns.insert(1, ("committee", tr("Committee")))
    scope = found.committee.name if found.committee else tr("All committees")
    return Table(rows, columns, tr("{scope}: {count} task(s) on {date}", scope=scope,
                                   count=len(rows), date=short_date(when)),
                 found.as_dict(), keys(queries.TaskRow))


def _past_or_future(since: date | None, when: date) -> str:
    return "future" if since is not None and since > when else "ended"


def person_table(found: PersonMatches, when: date, in_words: bool) -> Table:
    """`person`: one row per position, seat and task of each person matched; ``in_words`` puts
    the kind and state codes into words (the table; CSV, JSON and YAML keep the codes)."""
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
        if in_words:
            facts = [(word(kind), what, since, until, decision,
                      ", ".join(word(part) for part in state.split(", ")))
                     for kind, what, since, until, decision, state in facts]
        rows += [{"person_id": p.person, "person": p.display, "kind": kind, "what": what,
                  "from": since, "until": until, "decision": decision, "state": state}
                 for kind, what, since, until, decision, state in facts]
    columns = [("person", tr("Person")), ("kind", tr("Kind")), ("what", tr("What")),
               ("from", tr("From")), ("until", tr("Until / deadline")), ("decision", tr("Decision")),
               ("state", tr("State"))]
    title = tr("{people} on {date}", people=", ".join(p.display for p in found.people),
               date=short_date(when))
    return Table(rows, columns, title, found.as_dict(),
                 ["person_id", "person", "kind", "what", "from", "until", "decision", "state"])


def several_people(found: PersonMatches) -> str | None:
    """The note that several people matched (for the table), else None."""
    if len(found.people) <= 1:
        return None
    return tr("{count} people match '{query}': {people}; give more of the name or the id to see "
              "one", count=len(found.people), query=found.query,
              people=", ".join(f"{p.display} ({p.person})" for p in found.people))


def _history_row(entry: HistoryEntry, change: HistoryChange | None) -> dict[str, Any]:
    return {"date": change.date if change else entry.date, "decision": entry.citation,
            "decision_id": entry.decision, "status": entry.status,
            "change": change.change if change else None, "id": change.id if change else None,
            "text": change.text if change else tr("(no recorded change)")}


def _changes_or_none(entry: HistoryEntry) -> list[HistoryChange | None]:
    """The changes of a decision; a decision that changed nothing still gets its row."""
    return [*entry.changes] if entry.changes else [None]


def history_table(found: History) -> Table:
    """`history`: each decision, then one row per change it made."""
    rows = [_history_row(entry, change) for entry in found.decisions
            for change in _changes_or_none(entry)]
    columns = [("date", tr("Date")), ("decision", tr("Decision")), ("text", tr("Change"))]
    return Table(rows, columns, tr("{scope}: {count} decision(s)", scope=found.committee.name,
                                   count=len(found.decisions)),
                 found.as_dict(), ["date", "decision_id", "decision", "status", "change", "id", "text"])
