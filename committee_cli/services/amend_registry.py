"""The registry's own settings (``registry.yaml``: name, place, member-list layout, issuing
body) through the CLI: ``committee amend registry update``."""

from __future__ import annotations

from typing import get_args

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import RegistryConfig
from committee_cli.services.resolve import clean_text
from committee_cli.services.unit_of_work import UnitOfWork, set_field

MEMBER_LISTS: tuple[str, ...] = get_args(RegistryConfig.model_fields["member_list"].annotation)


def check_member_list(layout: str | None) -> str | None:
    """``layout`` when it is one of the member-list layouts, else a usage error."""
    if layout is not None and layout not in MEMBER_LISTS:
        raise UsageError(tr("--member-list '{layout}' is not a layout: use one of {layouts}",
                            layout=layout, layouts=", ".join(MEMBER_LISTS)))
    return layout


def update_registry(uow: UnitOfWork, *, name: str | None = None, place: str | None = None,
                    member_list: str | None = None, issuer: str | None = None) -> str:
    """Change the registry's settings; only the given ones, comments and key order kept.

    A decision keeps the place it was drafted with (``decision new`` records it), so a new
    default place changes only the decisions drafted after it."""
    check_member_list(member_list)
    given = {"name": clean_text(name), "default_place": clean_text(place),
             "member_list": member_list, "issuer": issuer}
    if all(value is None for value in given.values()):
        raise UsageError(tr("nothing to change: give --name, --place, --member-list or --issuer"))
    for key in ("name", "default_place"):
        if given[key] == "":
            raise UsageError(tr("--{option} is empty", option="place" if key == "default_place"
                                else key))
    if issuer is not None and issuer not in uow.registry.organisations:
        raise UsageError(tr("no organisation '{issuer}': add it first with `committee amend org "
                            "add`", issuer=issuer))
    document = uow.edit_config()
    for key, value in given.items():
        if value is not None:
            set_field(document, key, value, RegistryConfig)
    return "registry"
