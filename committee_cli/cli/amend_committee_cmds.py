"""``committee amend committee add|update|dissolve``: committees and their working groups."""

from __future__ import annotations

import typer

from committee_cli.cli.amend_cmds import COMMIT, DRY_RUN, FORCE, ON, _run, amend_app
from committee_cli.cli.complete import (
    complete_committee,
    complete_decision,
    complete_organisation,
)
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.services.amend_committee import (
    CommitteeFacts,
    add_committee,
    dissolve_committee,
    update_committee,
)

committee_app = typer.Typer(help="Committees and working groups: add, update, dissolve.",
                            no_args_is_help=True)
amend_app.add_typer(committee_app, name="committee")

SHORT = typer.Option(None, "--short-name", help="Short name used in the text, e.g. Ban Chỉ đạo.")
ORGANISATION = typer.Option(None, "--organisation", metavar="ORG",
                            autocompletion=complete_organisation,
                            help="The organisation it belongs to (default for a working group: "
                            "its parent's).")
PARENT = typer.Option(None, "--parent", metavar="COMMITTEE", autocompletion=complete_committee,
                      help="The committee a working group serves.")
ROLE_SET = typer.Option(None, "--role-set", help="Role vocabulary (ban-chi-dao, to-cong-tac or "
                        "one added with `amend roles add`).")
MODE = typer.Option(None, "--working-mode", help="part-time or full-time.")
SEAL = typer.Option(None, "--seal", metavar="ORG", autocompletion=complete_organisation,
                    help="Whose seal it may use.")
STANDING = typer.Option(None, "--standing-body", metavar="ORG",
                        autocompletion=complete_organisation, help="Its standing body.")
STANDING_TASKS = typer.Option(None, "--standing-tasks", help="What the standing body does.")
ISSUER = typer.Option(None, "--regulation-issuer", metavar="ROLE", help="The role that issues "
                      "its operating regulation (id or name).")
NOTE = typer.Option(None, "--note", help="A note.")


@committee_app.command("add")
def committee_add(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="Full name."),
    short_name: str | None = SHORT,
    organisation: str | None = ORGANISATION,
    parent: str | None = PARENT,
    role_set: str | None = ROLE_SET,
    working_mode: str | None = MODE,
    seal: str | None = SEAL,
    standing_body: str | None = STANDING,
    standing_tasks: str | None = STANDING_TASKS,
    regulation_issuer: str | None = ISSUER,
    note: str | None = NOTE,
    decision: str | None = typer.Option(None, "--decision", "-d", metavar="ID",
                                        autocompletion=complete_decision,
                                        help="The decision that establishes it (id or "
                                        "citation); sets `established`."),
    committee_id: str | None = typer.Option(None, "--id", help="Id (default: from the short "
                                            "name or name)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add a committee (or a working group with --parent) and print its id.

    A working group takes its parent's organisation and the to-cong-tac vocabulary unless told
    otherwise. Cite the establishing decision with --decision: a draft without a committee is
    made to concern this one.

    Example: committee amend committee add --name "Ban Chỉ đạo chuyển đổi số" --short-name "Ban
    Chỉ đạo" --organisation bnv --decision du-thao-establish-1 --id bcd-cds
    """

    when = _date(on, "--on")
    facts = CommitteeFacts(name, short_name, organisation, parent, role_set, working_mode, seal,
                           standing_body, standing_tasks, regulation_issuer, note)
    _run(ctx, lambda uow: add_committee(uow, facts=facts, committee_id=committee_id,
                                        decision=decision, on=when, force_signed=force_signed),
         dry_run, commit, print_id=True)


@committee_app.command("update")
def committee_update(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    name: str | None = typer.Option(None, "--name", help="New full name."),
    short_name: str | None = SHORT,
    organisation: str | None = ORGANISATION,
    parent: str | None = PARENT,
    role_set: str | None = ROLE_SET,
    working_mode: str | None = MODE,
    seal: str | None = SEAL,
    standing_body: str | None = STANDING,
    standing_tasks: str | None = STANDING_TASKS,
    regulation_issuer: str | None = ISSUER,
    note: str | None = NOTE,
    established_by: str | None = typer.Option(None, "--established-by", metavar="ID",
                                              autocompletion=complete_decision,
                                              help="Record the decision that established it."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Update a committee's facts (empty text removes an optional one).

    Example: committee amend committee update bcd-cds --standing-body bnv-tttt --seal bnv
    """

    when = _date(on, "--on")
    facts = CommitteeFacts(name, short_name, organisation, parent, role_set, working_mode, seal,
                           standing_body, standing_tasks, regulation_issuer, note)
    _run(ctx, lambda uow: update_committee(uow, committee, facts=facts,
                                           established_by=established_by, on=when,
                                           force_signed=force_signed), dry_run, commit)


@committee_app.command("dissolve")
def committee_dissolve(
    ctx: typer.Context,
    committee: str = typer.Argument(..., help="The committee.", autocompletion=complete_committee),
    decision: str = typer.Option(..., "--decision", "-d", metavar="ID",
                                 autocompletion=complete_decision,
                                 help="The decision that dissolves it (id or citation)."),
    reason: str | None = typer.Option(None, "--reason", help="Why (e.g. hoàn thành nhiệm vụ)."),
    on: str | None = ON,
    force_signed: str | None = FORCE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Dissolve a committee by a decision; the seats still held end with it.

    Example: committee amend committee dissolve bcd-cds --decision du-thao-dissolve-1
    """

    when = _date(on, "--on")
    _run(ctx, lambda uow: dissolve_committee(uow, committee, decision=decision, on=when,
                                             reason=reason, force_signed=force_signed),
         dry_run, commit)
