"""``committee amend registry update``: the registry's own settings in registry.yaml."""

from __future__ import annotations

import typer

from committee_cli.cli.amend_cmds import COMMIT, DRY_RUN, _run, amend_app
from committee_cli.services.amend_registry import MEMBER_LISTS, update_registry

registry_app = typer.Typer(help="The registry's settings: name, place, member-list layout, "
                           "issuing body.", no_args_is_help=True)
amend_app.add_typer(registry_app, name="registry")

PLACE = typer.Option(None, "--place", help="The place decisions are dated at by default, e.g. "
                     "Quảng Ninh (a decision keeps the place it was drafted with).")
MEMBER_LIST = typer.Option(None, "--member-list", metavar="|".join(MEMBER_LISTS),
                           help="Member lists one line per member (lines) or grouped by role "
                           "(grouped).")


@registry_app.command("update")
def registry_update(
    ctx: typer.Context,
    name: str | None = typer.Option(None, "--name", help="The registry's name."),
    place: str | None = PLACE,
    member_list: str | None = MEMBER_LIST,
    issuer: str | None = typer.Option(None, "--issuer", help="The organisation (id) that issues "
                                      "the decisions."),
    dry_run: bool = DRY_RUN,
    commit: bool = COMMIT,
) -> None:
    """Change the registry's settings in registry.yaml; the others stay as they are.

    Example: committee amend registry update --place "Quảng Ninh" --member-list grouped
    """
    _run(ctx, lambda uow: update_registry(uow, name=name, place=place, member_list=member_list,
                                          issuer=issuer), dry_run, commit)
