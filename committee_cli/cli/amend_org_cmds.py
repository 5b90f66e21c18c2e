"""``committee amend org add|update|rename|end``: the organisations that issue decisions and
whose leaders sit on committees."""

from __future__ import annotations

import typer

from committee_cli.cli.amend_cmds import COMMIT, DRY_RUN, _run, amend_app
from committee_cli.cli.complete import complete_decision, complete_organisation
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.services.amend_org import OrgDetails, OrgFacts, add_org, end_org, rename_org, update_org

org_app = typer.Typer(help="Organisations: add one, update its facts, rename it from a date, "
                      "end it.", no_args_is_help=True)
amend_app.add_typer(org_app, name="org")

ORG = typer.Argument(..., metavar="ORG", help="The organisation id.",
                     autocompletion=complete_organisation)
NAME = typer.Option(None, "--name", help="Full name, e.g. Bộ Nội vụ, Ủy ban nhân dân tỉnh X.")
ABBREVIATION = typer.Option(None, "--abbreviation", help="Symbol in document numbers, e.g. BNV, "
                            "TTg, UBND.")
PARENT = typer.Option(None, "--parent", metavar="ORG", autocompletion=complete_organisation,
                      help="The body it belongs to (empty to remove).")
CODE = typer.Option(None, "--code", help="Electronic identifier code (mã định danh), format "
                    "000.00.00.G09.")
HEAD = typer.Option(None, "--head-title", help="Its head's title, e.g. Bộ trưởng, Thủ tướng.")
DEPUTY = typer.Option(None, "--deputy-title", help="A deputy's title, e.g. Thứ trưởng.")
AUTHORITY = typer.Option(None, "--authority", help="The phrase naming its authority above the "
                         "căn cứ, e.g. Bộ trưởng Bộ Nội vụ, Ủy ban nhân dân tỉnh X.")
COLLECTIVE = typer.Option(None, "--collective/--not-collective", help="A collective body "
                          "(its decisions are signed TM.).")
ADDRESS = typer.Option(None, "--address", help="Postal address.")
EMAIL = typer.Option(None, "--email", help="E-mail address.")
PHONE = typer.Option(None, "--telephone", help="Telephone.")
FAX = typer.Option(None, "--fax", help="Fax.")
WEBSITE = typer.Option(None, "--website", help="Website.")
NOTE = typer.Option(None, "--note", help="A note (empty to remove).")
SINCE_DATED = typer.Option(None, "--since", metavar="DATE", help="The change holds from this "
                           "date (earlier documents keep the old facts); without it the facts "
                           "are corrected as recorded.")
DECISION_OPT = typer.Option(None, "--decision", "-d", metavar="ID",
                            autocompletion=complete_decision,
                            help="A registry decision that made the change (id or citation).")
REASON = typer.Option(None, "--reason", help="Why (e.g. hợp nhất theo Nghị quyết …).")


@org_app.command("add")
def org_add(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="Full name, e.g. Bộ Nội vụ."),
    abbreviation: str | None = ABBREVIATION,
    parent: str | None = PARENT,
    code: str | None = CODE,
    head_title: str | None = HEAD,
    deputy_title: str | None = DEPUTY,
    authority: str | None = AUTHORITY,
    collective: bool | None = COLLECTIVE,
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="When the body came "
                                     "into being."),
    until: str | None = typer.Option(None, "--until", metavar="DATE", help="When it ceased."),
    address: str | None = ADDRESS,
    email: str | None = EMAIL,
    telephone: str | None = PHONE,
    fax: str | None = FAX,
    website: str | None = WEBSITE,
    note: str | None = NOTE,
    org_id: str | None = typer.Option(None, "--id", help="Id (default: from the abbreviation "
                                      "or name)."),
    issuer: bool = typer.Option(False, "--issuer", help="It issues this registry's decisions "
                                "(recorded in registry.yaml)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add an organisation and print its id.

    An issuing body needs its abbreviation (the symbol's suffix), its head's title and the
    phrase naming its authority; a unit needs its parent. The code is checked.

    Example: committee amend org add --name "Bộ Nội vụ" --abbreviation BNV --head-title "Bộ
    trưởng" --deputy-title "Thứ trưởng" --authority "Bộ trưởng Bộ Nội vụ" --code 000.00.00.G09
    """

    start, end = _date(since, "--since"), _date(until, "--until")
    facts = OrgFacts(name, abbreviation, parent, code, head_title, deputy_title, authority)
    details = OrgDetails(collective, address, email, telephone, fax, website, note)
    _run(ctx, lambda uow: add_org(uow, facts=facts, details=details, org_id=org_id, since=start,
                                  until=end, issuer=issuer), dry_run, commit, print_id=True)


@org_app.command("update")
def org_update(
    ctx: typer.Context,
    org: str = ORG,
    name: str | None = NAME,
    abbreviation: str | None = ABBREVIATION,
    parent: str | None = PARENT,
    code: str | None = CODE,
    head_title: str | None = HEAD,
    deputy_title: str | None = DEPUTY,
    authority: str | None = AUTHORITY,
    collective: bool | None = COLLECTIVE,
    address: str | None = ADDRESS,
    email: str | None = EMAIL,
    telephone: str | None = PHONE,
    fax: str | None = FAX,
    website: str | None = WEBSITE,
    note: str | None = NOTE,
    since: str | None = SINCE_DATED,
    decision: str | None = DECISION_OPT,
    reason: str | None = REASON,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Update an organisation: from a date (--since), or correct it as recorded.

    Name, abbreviation, parent, code and titles are dated: with --since the change is added to
    the organisation's changes, so documents dated before it keep the old facts. Contacts, the
    collective flag and the note are not dated.

    Example: committee amend org update bnv --code 000.00.00.G09 --since 2025-03-01
    """

    when = _date(since, "--since")
    facts = OrgFacts(name, abbreviation, parent, code, head_title, deputy_title, authority)
    details = OrgDetails(collective, address, email, telephone, fax, website, note)
    _run(ctx, lambda uow: update_org(uow, org, facts=facts, details=details, since=when,
                                     decision=decision, reason=reason), dry_run, commit)


@org_app.command("rename")
def org_rename(
    ctx: typer.Context,
    org: str = ORG,
    name: str = typer.Option(..., "--name", help="The new name."),
    since: str = typer.Option(..., "--since", metavar="DATE", help="The new name holds from "
                              "this date; earlier documents keep the old one."),
    abbreviation: str | None = typer.Option(None, "--abbreviation", help="A new symbol too."),
    code: str | None = typer.Option(None, "--code", help="A new identifier code too."),
    parent: str | None = typer.Option(None, "--parent", metavar="ORG",
                                      autocompletion=complete_organisation,
                                      help="A new parent too (a merger)."),
    authority: str | None = typer.Option(None, "--authority", help="A new authority phrase too."),
    decision: str | None = DECISION_OPT,
    reason: str | None = REASON,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Rename an organisation from a date (a merger may also change its symbol, code, parent).

    The old name stays on documents dated before --since; a date before the body existed is
    refused.

    Example: committee amend org rename bnv-tttt --name "Trung tâm Dữ liệu" --since 2025-03-01
    """

    when = _date(since, "--since")
    assert when is not None
    _run(ctx, lambda uow: rename_org(uow, org, name=name, since=when, abbreviation=abbreviation,
                                     code=code, parent=parent, authority=authority,
                                     decision=decision, reason=reason), dry_run, commit)


@org_app.command("end")
def org_end(
    ctx: typer.Context,
    org: str = ORG,
    until: str = typer.Option(..., "--until", metavar="DATE", help="The day it ceased (merged, "
                              "dissolved)."),
    note: str | None = NOTE,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Record that an organisation ceased; it stays in the registry for the old documents.

    Example: committee amend org end bnv-vcqdp --until 2025-03-01 --note "hợp nhất"
    """

    when = _date(until, "--until")
    assert when is not None
    _run(ctx, lambda uow: end_org(uow, org, until=when, note=note), dry_run, commit)
