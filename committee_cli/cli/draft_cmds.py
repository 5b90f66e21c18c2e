"""``committee decision edit|delete``: change or remove a draft (never a signed decision)."""

from __future__ import annotations

import typer

from committee_cli.cli.amend_cmds import COMMIT, DRY_RUN, _run, decision_app
from committee_cli.cli.complete import (
    complete_committee,
    complete_decision,
    complete_organisation,
    complete_person,
)
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.services.drafts import DraftEdit, delete_draft, edit_draft

DRAFT = typer.Argument(..., metavar="ID", autocompletion=complete_decision,
                       help="The draft (id or citation, e.g. 1050/QĐ-BNV).")


@decision_app.command("edit")
def decision_edit(
    ctx: typer.Context,
    decision: str = DRAFT,
    kind: str | None = typer.Option(None, "--kind", help="Its kind."),
    committee: str | None = typer.Option(None, "--committee", "-c", help="Committee it concerns.",
                                         autocompletion=complete_committee),
    number: int | None = typer.Option(None, "--number", min=1, help="Number in the series."),
    symbol: str | None = typer.Option(None, "--symbol", help="Series symbol, e.g. QĐ-TTg."),
    on: str | None = typer.Option(None, "--date", metavar="DATE", help="Its date."),
    place: str | None = typer.Option(None, "--place", help="Where it is issued."),
    issuer: str | None = typer.Option(None, "--issuer", metavar="ORG",
                                      autocompletion=complete_organisation, help="Issuing body."),
    subject: str | None = typer.Option(None, "--subject", help="What it is about."),
    proposer: str | None = typer.Option(None, "--proposer", help="… in 'Theo đề nghị của …' "
                                        "(empty to remove)."),
    legal_basis: list[str] | None = typer.Option(None, "--legal-basis", metavar="ID",
                                                 help="Legal bases cited (repeat; replaces the "
                                                 "list): legal-basis or decision ids."),
    replaces: list[str] | None = typer.Option(None, "--replaces", metavar="ID",
                                              help="Decisions it replaces (repeat; replaces "
                                              "the list)."),
    recipient: list[str] | None = typer.Option(None, "--recipient", help="Nơi nhận (repeat; "
                                               "replaces the list)."),
    mode: str | None = typer.Option(None, "--mode", help="direct, KT, Q, TM, TL or TUQ."),
    authority: str | None = typer.Option(None, "--authority", help="Title it is issued under."),
    signer_title: str | None = typer.Option(None, "--signer-title", help="The signer's own "
                                            "title (empty to remove)."),
    body: str | None = typer.Option(None, "--body", help="For TM.: the collective body "
                                    "(empty to remove)."),
    signer: str | None = typer.Option(None, "--signer", metavar="PERSON",
                                      autocompletion=complete_person, help="Who signs."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Edit a draft decision; a signed one is refused (draft a new decision instead).

    Example: committee decision edit du-thao-bcd-cpdt-1 --subject "Về việc kiện toàn Ban Chỉ
    đạo" --legal-basis nd-63-2022
    """

    when = _date(on, "--date")
    edit = DraftEdit(kind=kind, committee=committee, number=number, symbol=symbol, date=when,
                     place=place, issuer=issuer, subject=subject, proposer=proposer,
                     legal_bases=legal_basis, replaces=replaces, recipients=recipient,
                     mode=mode, authority=authority, signer_title=signer_title, body=body,
                     signer=signer)
    _run(ctx, lambda uow: edit_draft(uow, decision, edit), dry_run, commit)


@decision_app.command("delete")
def decision_delete(
    ctx: typer.Context,
    decision: str = DRAFT,
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Delete a draft decision that no record cites; a signed one is refused.

    Example: committee decision delete du-thao-bcd-cpdt-1
    """

    _run(ctx, lambda uow: delete_draft(uow, decision), dry_run, commit)
