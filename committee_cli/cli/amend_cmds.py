"""``committee decision new|sign`` and ``committee amend seat|person|duty|task …``: changes by decision."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from committee_cli.cli.base import CHANGE, State, app, find_registry, registry_dir
from committee_cli.cli.complete import (
    complete_committee,
    complete_decision,
    complete_organisation,
    complete_person,
    complete_seat,
    complete_task,
)
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.cli.prompts import ask_decision, ask_person, interactive, required
from committee_cli.errors import UsageError
from committee_cli.i18n import N_, gettext_, tr
from committee_cli.services.amend import (
    add_duty,
    add_person,
    add_seat,
    add_task,
    change_role,
    close_task,
    edit_duty,
    end_duty,
    end_seat,
    replace_seat,
    update_person,
    update_task,
)
from committee_cli.services.decisions import new_decision, sign_decision
from committee_cli.services.resolve import resolve_decision
from committee_cli.services.unit_of_work import run_change

if TYPE_CHECKING:
    from committee_cli.services.unit_of_work import ChangeResult, UnitOfWork

decision_app = typer.Typer(help="Draft a decision, and sign it (its number and date then frozen).",
                           no_args_is_help=True)
amend_app = typer.Typer(help="Record what a decision changes: seats, people, duties, tasks.",
                        no_args_is_help=True)
seat_app = typer.Typer(help="Seats: add, end, replace a member, change a role.",
                       no_args_is_help=True)
person_app = typer.Typer(help="People: add one, update name, honorific, positions.",
                         no_args_is_help=True)
duty_app = typer.Typer(help="A committee's duties: add, amend the wording, end.",
                       no_args_is_help=True)
task_app = typer.Typer(help="Tasks: assign, update (lead, deadline, status), close.",
                       no_args_is_help=True)
app.add_typer(decision_app, name="decision", rich_help_panel=CHANGE)
app.add_typer(amend_app, name="amend", rich_help_panel=CHANGE)
amend_app.add_typer(seat_app, name="seat")
amend_app.add_typer(person_app, name="person")
amend_app.add_typer(duty_app, name="duty")
amend_app.add_typer(task_app, name="task")

DRY_RUN = typer.Option(False, "--dry-run", help="Print the unified diff that would be written; "
                       "write nothing.")
COMMIT = typer.Option(False, "--commit", help="git commit exactly the touched files, with a "
                      "Vietnamese message citing the decision.")
FORCE = typer.Option(None, "--force-signed", metavar="REASON", help="Cite a decision that is "
                     "already signed; REASON is recorded on the amended record.")
ON = typer.Option(None, "--on", metavar="DATE", help="Date the change takes effect (default: "
                  "the decision's date), e.g. 2022-03-01 or 1/3/2022.")
DECISION = typer.Option(..., "--decision", "-d", metavar="ID", autocompletion=complete_decision,
                        help="The decision that makes this change, by id or citation "
                        "(1050/QĐ-BNV; draft it with `committee decision new`).")


# --- shared plumbing ----------------------------------------------------------------------------


def _target(ctx: typer.Context) -> Path:
    """The registry to change; never the sample shipped inside the package."""

    state: State = ctx.find_root().obj or State()
    if state.registry is None and find_registry(Path.cwd()) is None:
        raise UsageError(tr("no registry here: pass --registry DIR (or set COMMITTEE_REGISTRY); "
                            "amendments never write to the sample shipped with committee-cli"))
    return registry_dir(ctx)


def _run(ctx: typer.Context, apply: Callable[[UnitOfWork], str], dry_run: bool, commit: bool,
         print_id: bool = False) -> None:

    if dry_run and commit:
        raise UsageError(tr("--dry-run writes nothing, so there is nothing to --commit"))
    result = run_change(_target(ctx), apply, dry_run=dry_run, commit=commit)
    _report(result, dry_run, print_id)


def _report(result: ChangeResult, dry_run: bool, print_id: bool) -> None:
    for note in result.notes:
        typer.echo(tr("note: {note}", note=note), err=True)
    grouped: dict[tuple[str, str], int] = {}
    for problem in result.warnings:
        key = (problem.code, problem.message)
        grouped[key] = grouped.get(key, 0) + 1
    for (code, message), count in grouped.items():
        typer.echo(tr("warning: {message} ({code}, {count} record(s))", message=message, code=code,
                      count=count), err=True)
    if not result.files:
        typer.echo(tr("nothing to change"), err=True)
        return
    if dry_run:
        sys.stdout.write(result.diff)
        typer.echo(tr("dry run: {summary}; {count} file(s) would change; nothing was written",
                      summary=result.summary, count=len(result.files)), err=True)
        return
    if print_id and result.created:
        typer.echo(result.created[0])
    typer.echo(result.summary, err=print_id)
    for rel, how in result.files.items():
        typer.echo(f"  {_how(how)} {rel}", err=print_id)
    if result.commit:
        typer.echo(tr("committed {commit}", commit=result.commit[:12]), err=print_id)


def _how(how: str) -> str:

    words = {"added": N_("added"), "modified": N_("modified"), "deleted": N_("deleted")}
    return gettext_(words[how]) if how in words else how


# --- decision new | sign ----------------------------------------------------------------------


@decision_app.command("new")
def decision_new(
    ctx: typer.Context,
    kind: str = typer.Option(..., "--kind", help="establish, approve-members, consolidate, "
                             "change-members, dissolve, issue-regulation, amend-regulation, "
                             "issue-plan, assign-tasks or other."),
    symbol: str = typer.Option(..., "--symbol", help="Series symbol, e.g. QĐ-BNV."),
    on: str = typer.Option(..., "--date", metavar="DATE", help="The decision's date."),
    subject: str = typer.Option(..., "--subject", help="What it is about (Về việc …)."),
    committee: str | None = typer.Option(None, "--committee", "-c", help="Committee it concerns.",
                                         autocompletion=complete_committee),
    number: int | None = typer.Option(None, "--number", min=1, help="Number in the series; "
                                      "may be given later with `decision sign --number`."),
    signer: str | None = typer.Option(None, "--signer", metavar="PERSON", autocompletion=complete_person,
                                  help="Who signs."),
    mode: str = typer.Option("direct", "--mode", help="direct, KT, Q, TM, TL or TUQ."),
    issuer: str | None = typer.Option(None, "--issuer", metavar="ORG",
                                      autocompletion=complete_organisation, help="Issuing body "
                                      "(default: the organisation named by the symbol)."),
    authority: str | None = typer.Option(None, "--authority", help="Title it is issued under "
                                         "(default: the issuer's head title)."),
    signer_title: str | None = typer.Option(None, "--signer-title", help="The signer's own "
                                            "title (KT./TL./TUQ.)."),
    place: str | None = typer.Option(None, "--place", help="Default: the registry's place."),
    legal_basis: list[str] | None = typer.Option(None, "--legal-basis", metavar="ID",
                                                 help="Legal basis cited (repeat): a legal-basis "
                                                 "id, or a registry decision's id or citation."),
    proposer: str | None = typer.Option(None, "--proposer", help="… in 'Theo đề nghị của …'."),
    replaces: list[str] | None = typer.Option(None, "--replaces", metavar="ID",
                                              help="Decision it replaces (repeat)."),
    recipient: list[str] | None = typer.Option(None, "--recipient", help="Nơi nhận (repeat)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Draft a decision and print its id (qd-1050-2022; du-thao-… without a number).

    Every change to a committee is made by a decision: draft it first, cite it with --decision
    in the `amend` commands, then sign it with `decision sign`. The issuer, authority and place
    default from the symbol and the registry.

    Example: committee decision new -c bcd-cpdt --kind change-members --number 1050
    --symbol QĐ-BNV --date 2022-03-01 --subject "Về việc kiện toàn Ban Chỉ đạo"
    --signer pham-thi-thanh-tra
    """

    when = _date(on, "--date")
    assert when is not None
    _run(ctx, lambda uow: new_decision(
        uow, kind=kind, symbol=symbol, date=when, subject=subject, committee=committee,
        number=number, signer=signer, mode=mode, issuer=issuer, authority=authority,
        signer_title=signer_title, place=place, legal_bases=legal_basis or [],
        proposer=proposer, replaces=replaces or [], recipients=recipient or []),
        dry_run, commit, print_id=True)


@decision_app.command("sign")
def decision_sign(
    ctx: typer.Context,
    decision: str = typer.Argument(..., metavar="ID", help="The draft decision to sign (id or "
                                   "citation, e.g. 1050/QĐ-BNV).",
                                   autocompletion=complete_decision),
    on: str | None = typer.Option(None, "--date", metavar="DATE", help="Signing date, which "
                                  "becomes the decision's date (default: its date)."),
    number: int | None = typer.Option(None, "--number", min=1, help="Its number, if the draft "
                                      "has none yet."),
    signer: str | None = typer.Option(None, "--signer", metavar="PERSON", autocompletion=complete_person,
                                  help="Who signs, if "
                                      "the draft names nobody or someone else."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Sign a draft: its number must be free that year, its signer entitled; then it is frozen.

    After signing, the decision and what it records can no longer be edited in place: a later
    change needs a new decision (or --force-signed with a reason, to correct a typing error).

    Example: committee decision sign qd-1050-2022 --date 2022-03-01
    """

    when = _date(on, "--date")
    _run(ctx, lambda uow: sign_decision(uow, resolve_decision(uow, decision), on=when,
                                        number=number, signer=signer), dry_run, commit)


# --- amend seat -------------------------------------------------------------------------------


@seat_app.command("add")
def seat_add(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    role: str = typer.Option(..., "--role", help="Role id or name, e.g. uy-vien or \"Ủy viên\"."),
    decision: str = DECISION,
    person: str | None = typer.Option(None, "--person", metavar="ID", autocompletion=complete_person,
                                   help="Who holds it."),
    post: str | None = typer.Option(None, "--post", help="A post, when the decision names no "
                                    "person (with --unit)."),
    unit: str | None = typer.Option(None, "--unit", metavar="ORG", autocompletion=complete_organisation,
                                    help="The post's unit."),
    order: int | None = typer.Option(None, "--order", min=1, help="Protocol order (default: "
                                     "after the others)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add a seat to a committee, started by a decision.

    The seat is held by a person (--person) or, when the decision names only a post, by the
    post of a unit (--post and --unit). It starts on the decision's date unless --on says
    otherwise.

    Example: committee amend seat add bcd-cpdt --role uy-vien --person nguyen-van-a --decision qd-1050-2022
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: add_seat(uow, committee, role=role, decision=decision, person=person,
                                   post=post, unit=unit, order=order, on=when,
                                   force_signed=force_signed), dry_run, commit)


@seat_app.command("end")
def seat_end(
    ctx: typer.Context,
    seat: str = typer.Argument(..., autocompletion=complete_seat, help="The seat id, e.g. bcd-cpdt-05."),
    decision: str = DECISION,
    reason: str | None = typer.Option(None, "--reason", help="Why it ends (e.g. nghỉ hưu)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """End a seat by a decision.

    The seat stays in the registry with its end date and the decision that ended it, so that
    queries at earlier dates still show it.

    Example: committee amend seat end bcd-cpdt-07 --decision qd-1050-2022 --reason "nghỉ hưu"
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: end_seat(uow, seat, decision=decision, reason=reason, on=when,
                                   force_signed=force_signed), dry_run, commit)


@seat_app.command("replace")
def seat_replace(
    ctx: typer.Context,
    seat: str = typer.Argument(..., autocompletion=complete_seat, help="The seat whose holder is replaced."),
    decision: str | None = typer.Option(None, "--decision", "-d", metavar="ID",
                                        autocompletion=complete_decision,
                                        help="The decision that makes this change (asked for in "
                                        "a terminal when missing)."),
    person: str | None = typer.Option(None, "--person", metavar="ID", autocompletion=complete_person,
                                      help="The new holder (asked for in a terminal, offering "
                                      "matching people, when neither --person nor --post is given)."),
    post: str | None = typer.Option(None, "--post", help="Or a post (with --unit)."),
    unit: str | None = typer.Option(None, "--unit", metavar="ORG", autocompletion=complete_organisation,
                                    help="The post's unit."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Replace a seat's holder: the seat ends, a new one with the same role and order starts.

    Give the new holder with --person (add them first with `amend person add`) or a post with
    --post and --unit. In a terminal, a missing --person or --decision is asked for, offering
    matches; in a script it is a usage error (exit 2). The new seat records which seat it
    replaces.

    Example: committee amend seat replace bcd-cpdt-05 --person nguyen-van-a --decision qd-1050-2022
    """

    when = _date(on, "--on")
    if person is None and post is None and interactive():
        person = ask_person(_target(ctx), tr("Who holds seat {seat} from now on? Type part of "
                                             "the name, or the id:", seat=seat))
    decision = required(decision, "--decision", lambda: ask_decision(
        _target(ctx), tr("Which decision makes this change? Type its number in the list, its id "
                         "or part of its subject:")))
    _run(ctx, lambda uow: replace_seat(uow, seat, decision=decision, person=person, post=post,
                                       unit=unit, on=when, force_signed=force_signed),
         dry_run, commit)


@seat_app.command("role")
def seat_role(
    ctx: typer.Context,
    seat: str = typer.Argument(..., autocompletion=complete_seat, help="The seat whose holder changes role."),
    role: str = typer.Option(..., "--role", help="The new role (id or name)."),
    decision: str = DECISION,
    order: int | None = typer.Option(None, "--order", min=1, help="Protocol order in the new "
                                     "role (default: unchanged)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Change the role of a seat's holder (the seat ends; a new seat in the new role starts).

    Use it when a member becomes, say, Phó Trưởng ban thường trực; the seat keeps its protocol
    order unless --order is given.

    Example: committee amend seat role bcd-cpdt-02 --role pho-truong-ban-thuong-truc --decision qd-1050-2022
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: change_role(uow, seat, role=role, decision=decision, order=order,
                                      on=when, force_signed=force_signed), dry_run, commit)


# --- amend person -----------------------------------------------------------------------------


EXTERNAL_ID = typer.Option(None, "--external-id", metavar="ID", help="An identifier issued "
                           "outside the registry (e.g. the mã định danh cá nhân): up to 64 "
                           "characters, no spaces; it matches the person across registries "
                           "(update: empty removes it).")


@person_app.command("add")
def person_add(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="Full name, family name first."),
    honorific: str = typer.Option(..., "--honorific", help="Ông or Bà."),
    title: str | None = typer.Option(None, "--title", help="A position held (e.g. Vụ trưởng)."),
    organisation: str | None = typer.Option(None, "--organisation", metavar="ORG",
                                            autocompletion=complete_organisation,
                                            help="Where the position is held."),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="Held since."),
    note: str | None = typer.Option(None, "--note", help="A note."),
    person_id: str | None = typer.Option(None, "--id", help="Id (default: from the name)."),
    external_id: str | None = EXTERNAL_ID,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add a person and print their id (made from the name).

    The id is the name without tone marks, in lower case with hyphens (Nguyễn Văn A →
    nguyen-van-a); a number is added when the id is taken. A position may be given at once.

    Example: committee amend person add --name "Nguyễn Văn A" --honorific Ông
    --title "Vụ trưởng" --organisation bnv-vpc --since 2021-01-01
    """

    when = _date(since, "--since")
    _run(ctx, lambda uow: add_person(uow, name=name, honorific=honorific, title=title,
                                     organisation=organisation, since=when, note=note,
                                     person_id=person_id, external_id=external_id), dry_run,
         commit, print_id=True)


@person_app.command("update")
def person_update(
    ctx: typer.Context,
    person: str = typer.Argument(..., metavar="ID", help="The person.", autocompletion=complete_person),
    name: str | None = typer.Option(None, "--name", help="New full name."),
    honorific: str | None = typer.Option(None, "--honorific", help="Ông or Bà."),
    note: str | None = typer.Option(None, "--note", help="New note (empty to remove)."),
    title: str | None = typer.Option(None, "--title", help="Add a position with this title."),
    organisation: str | None = typer.Option(None, "--organisation", metavar="ORG",
                                            autocompletion=complete_organisation,
                                            help="… at this organisation."),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="… held since."),
    end_title: str | None = typer.Option(None, "--end-title", help="End the open position "
                                         "with this title …"),
    until: str | None = typer.Option(None, "--until", metavar="DATE", help="… on this date "
                                     "(exclusive)."),
    external_id: str | None = EXTERNAL_ID,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Update a person's name, honorific, note or external id; add or end a position.

    Positions are dated, so that a member's title is right at every date: end the old one with
    --end-title and --until, add the new one with --title, --organisation and --since.

    Example: committee amend person update nguyen-van-a --end-title "Vụ trưởng" --until 2023-01-01
    """

    start, end = _date(since, "--since"), _date(until, "--until")
    _run(ctx, lambda uow: update_person(uow, person, name=name, honorific=honorific, note=note,
                                        title=title, organisation=organisation, since=start,
                                        end_title=end_title, until=end,
                                        external_id=external_id), dry_run, commit)


# --- amend duty -------------------------------------------------------------------------------


@duty_app.command("add")
def duty_add(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    text: str = typer.Option(..., "--text", help="The duty as the decision words it."),
    decision: str = DECISION,
    duty_id: str | None = typer.Option(None, "--id", help="Id (default: from the text)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add a duty to a committee, started by a decision.

    The text is the duty as the decision words it; its id is made from the text unless --id is
    given.

    Example: committee amend duty add bcd-cpdt --text "Chỉ đạo chuyển đổi số" --decision qd-1050-2022
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: add_duty(uow, committee, text=text, decision=decision,
                                   duty_id=duty_id, on=when, force_signed=force_signed),
         dry_run, commit)


@duty_app.command("edit")
def duty_edit(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    duty: str = typer.Argument(..., help="The duty id."),
    text: str = typer.Option(..., "--text", help="The new wording."),
    decision: str = DECISION,
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Amend a duty's wording by a decision (the old wording ends, the new one starts).

    Both wordings stay in the registry with their dates, so `duties --as-of` shows either.

    Example: committee amend duty edit bcd-cpdt cho-y-kien --text "…" --decision qd-1050-2022
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: edit_duty(uow, committee, duty, text=text, decision=decision, on=when,
                                    force_signed=force_signed), dry_run, commit)


@duty_app.command("end")
def duty_end(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    duty: str = typer.Argument(..., help="The duty id."),
    decision: str = DECISION,
    reason: str | None = typer.Option(None, "--reason", help="Why it ends."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """End a duty by a decision.

    The duty stays in the registry with its end date and the decision that ended it.

    Example: committee amend duty end bcd-cpdt nhiem-vu-khac --decision qd-1050-2022
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: end_duty(uow, committee, duty, decision=decision, reason=reason,
                                   on=when, force_signed=force_signed), dry_run, commit)


# --- amend task -------------------------------------------------------------------------------


@task_app.command("add")
def task_add(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    title: str = typer.Option(..., "--title", help="What is to be done."),
    decision: str = DECISION,
    lead_unit: str | None = typer.Option(None, "--lead-unit", metavar="ORG",
                                         autocompletion=complete_organisation, help="Lead unit."),
    lead_person: str | None = typer.Option(None, "--lead-person", metavar="PERSON",
                                           autocompletion=complete_person,
                                           help="Lead person."),
    coordinator: list[str] | None = typer.Option(None, "--coordinator", metavar="ORG",
                                                 autocompletion=complete_organisation,
                                                 help="Coordinating unit (repeat)."),
    product: str | None = typer.Option(None, "--product", help="The expected product."),
    deadline: str | None = typer.Option(None, "--deadline", metavar="DATE", help="Deadline."),
    task_id: str | None = typer.Option(None, "--id", help="Id (default: from the title)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Assign a task by a decision and print its id.

    A task has a lead (a unit or a person), coordinating units, a product and a deadline; its
    status starts as open.

    Example: committee amend task add bcd-cpdt --title "Xây dựng Kế hoạch" --lead-unit bnv-tttt
    --deadline 2022-06-30 --decision qd-1050-2022
    """

    when, due = _date(on, "--on"), _date(deadline, "--deadline")
    _run(ctx, lambda uow: add_task(uow, committee, title=title, decision=decision,
                                   lead_unit=lead_unit, lead_person=lead_person,
                                   coordinators=coordinator or [], product=product,
                                   deadline=due, task_id=task_id, on=when,
                                   force_signed=force_signed), dry_run, commit, print_id=True)


@task_app.command("update")
def task_update(
    ctx: typer.Context,
    task: str = typer.Argument(..., autocompletion=complete_task, help="The task id."),
    title: str | None = typer.Option(None, "--title", help="New title."),
    lead_unit: str | None = typer.Option(None, "--lead-unit", metavar="ORG",
                                         autocompletion=complete_organisation, help="New lead unit."),
    lead_person: str | None = typer.Option(None, "--lead-person", metavar="PERSON",
                                           autocompletion=complete_person,
                                           help="New lead person."),
    coordinator: list[str] | None = typer.Option(None, "--coordinator", metavar="ORG",
                                                 autocompletion=complete_organisation,
                                                 help="Coordinating units (repeat; replaces "
                                                 "the list)."),
    product: str | None = typer.Option(None, "--product", help="New product."),
    deadline: str | None = typer.Option(None, "--deadline", metavar="DATE", help="New deadline."),
    status: str | None = typer.Option(None, "--status", help="open, in-progress, done or "
                                      "cancelled (adds a dated entry to the history)."),
    on: str | None = typer.Option(None, "--on", metavar="DATE", help="Date of the status "
                                  "change (default: today)."),
    note: str | None = typer.Option(None, "--note", help="Note on the status change."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Update a task: lead, coordinators, product, deadline, or status (a dated entry).

    A status change is added to the task's history with its date, so `tasks --as-of` shows the
    status on any day.

    Example: committee amend task update kien-toan-to-cong-tac --status in-progress --on 2021-09-15
    """

    when, due = _date(on, "--on"), _date(deadline, "--deadline")
    _run(ctx, lambda uow: update_task(uow, task, title=title, lead_unit=lead_unit,
                                      lead_person=lead_person, coordinators=coordinator,
                                      product=product, deadline=due, status=status, on=when,
                                      note=note), dry_run, commit)


@task_app.command("close")
def task_close(
    ctx: typer.Context,
    task: str = typer.Argument(..., autocompletion=complete_task, help="The task id."),
    cancel: bool = typer.Option(False, "--cancel", help="Cancelled rather than done."),
    on: str | None = typer.Option(None, "--on", metavar="DATE", help="Completion date "
                                  "(default: today)."),
    note: str | None = typer.Option(None, "--note", help="Note (e.g. the resulting document)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Close a task: done (with its completion date) or cancelled.

    A closed task is no longer counted as open or overdue after its completion date.

    Example: committee amend task close kien-toan-to-cong-tac --on 2021-10-20 --note "QĐ 1200/QĐ-BNV"
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: close_task(uow, task, status="cancelled" if cancel else "done",
                                     on=when, note=note), dry_run, commit)
