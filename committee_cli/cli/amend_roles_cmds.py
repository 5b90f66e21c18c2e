"""``committee amend roles add|update`` (role vocabularies) and ``committee amend legal-basis
add|update`` (the instruments decisions cite)."""

from __future__ import annotations

import typer

from committee_cli.cli.amend_cmds import COMMIT, DRY_RUN, _run, amend_app
from committee_cli.cli.options import parse_date_option as _date
from committee_cli.services.amend_legal import add_legal_basis, update_legal_basis
from committee_cli.services.amend_roles import add_role, update_role

roles_app = typer.Typer(help="Role vocabularies: add a role, update one (name, document form, "
                        "rank, how many, the head).", no_args_is_help=True)
legal_app = typer.Typer(help="Legal bases: add one, correct it, record what replaced it.",
                        no_args_is_help=True)
amend_app.add_typer(roles_app, name="roles")
amend_app.add_typer(legal_app, name="legal-basis")

SET = typer.Argument(..., metavar="SET", help="The vocabulary, e.g. uy-ban-quoc-gia.")
DOCUMENT = typer.Option(None, "--document-name", help="Its name in documents, e.g. Chủ tịch "
                        "Ủy ban (default: the name).")
RANK = typer.Option(None, "--rank", min=1, max=1000, help="Protocol rank (1 first).")
MAX = typer.Option(None, "--max", min=1, help="How many may hold it at once (default: any).")


@roles_app.command("add")
def roles_add(
    ctx: typer.Context,
    role_set: str = SET,
    name: str = typer.Option(..., "--name", help="The role, e.g. Chủ tịch."),
    document_name: str | None = DOCUMENT,
    rank: int | None = typer.Option(None, "--rank", min=1, max=1000, help="Protocol rank "
                                    "(default: after the others)."),
    max_holders: int | None = MAX,
    head: bool = typer.Option(False, "--head", help="The vocabulary's head role (exactly one)."),
    role_id: str | None = typer.Option(None, "--id", help="Id (default: from the name)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add a role to a vocabulary in registry.yaml (a new vocabulary starts with its head).

    A built-in vocabulary (ban-chi-dao, to-cong-tac) is copied into registry.yaml first, then
    extended. Every vocabulary has exactly one head role.

    Example: committee amend roles add uy-ban-quoc-gia --name "Chủ tịch" --document-name "Chủ
    tịch Ủy ban" --rank 1 --max 1 --head
    """

    _run(ctx, lambda uow: add_role(uow, role_set, name=name, rank=rank,
                                   document_name=document_name, max_holders=max_holders,
                                   head=head, role_id=role_id), dry_run, commit)


@roles_app.command("update")
def roles_update(
    ctx: typer.Context,
    role_set: str = SET,
    role: str = typer.Argument(..., metavar="ROLE", help="The role (id or name)."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    document_name: str | None = DOCUMENT,
    rank: int | None = RANK,
    max_holders: int | None = MAX,
    any_number: bool = typer.Option(False, "--any-number", help="Any number may hold it."),
    head: bool | None = typer.Option(None, "--head/--no-head", help="Make it the head (the old "
                                     "head stops being one)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Update a role of a vocabulary; a vocabulary left without exactly one head is refused.

    Example: committee amend roles update ban-chi-dao truong-ban --document-name "Trưởng ban"
    """

    _run(ctx, lambda uow: update_role(uow, role_set, role, name=name, rank=rank,
                                      document_name=document_name, max_holders=max_holders,
                                      any_number=any_number, head=head), dry_run, commit)


@legal_app.command("add")
def legal_add(
    ctx: typer.Context,
    kind: str = typer.Option(..., "--kind", help="The kind of instrument: Luật, Nghị định, "
                             "Nghị quyết, Quyết định, Thông tư, …"),
    number: str = typer.Option(..., "--number", help="Its number, e.g. 34/2017/NĐ-CP."),
    on: str = typer.Option(..., "--date", metavar="DATE", help="Its date."),
    issuer: str = typer.Option(..., "--issuer", help="Who issued it, e.g. Chính phủ, Quốc hội."),
    title: str = typer.Option(..., "--title", help="Its subject as cited (a law: its name)."),
    basis_id: str | None = typer.Option(None, "--id", help="Id (default: from the kind and "
                                        "number, e.g. nd-34-2017)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Add a legal basis and print its id; decisions cite it with --legal-basis ID.

    A decision of this registry is cited by its own id instead, without a legal-basis record.

    Example: committee amend legal-basis add --kind Luật --number 76/2015/QH13 --date
    2015-06-19 --issuer "Quốc hội" --title "Luật Tổ chức Chính phủ"
    """

    when = _date(on, "--date")
    assert when is not None
    _run(ctx, lambda uow: add_legal_basis(uow, kind=kind, number=number, date=when,
                                          issuer=issuer, title=title, basis_id=basis_id),
         dry_run, commit, print_id=True)


@legal_app.command("update")
def legal_update(
    ctx: typer.Context,
    basis: str = typer.Argument(..., metavar="ID", help="The legal basis."),
    kind: str | None = typer.Option(None, "--kind", help="The kind of instrument."),
    number: str | None = typer.Option(None, "--number", help="Its number."),
    on: str | None = typer.Option(None, "--date", metavar="DATE", help="Its date."),
    issuer: str | None = typer.Option(None, "--issuer", help="Who issued it."),
    title: str | None = typer.Option(None, "--title", help="Its subject as cited."),
    replaced_by: str | None = typer.Option(None, "--replaced-by", metavar="ID",
                                           help="The legal basis that replaced it (empty to "
                                           "remove)."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Correct a legal basis, or record the one that replaced it.

    Example: committee amend legal-basis update nd-34-2017 --replaced-by nd-63-2022
    """

    when = _date(on, "--date")
    _run(ctx, lambda uow: update_legal_basis(uow, basis, kind=kind, number=number, date=when,
                                             issuer=issuer, title=title,
                                             replaced_by=replaced_by), dry_run, commit)
