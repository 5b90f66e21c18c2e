"""Click commands built from the Typer application one at a time, when they are asked for.

Typer turns a whole application into click commands at once: every command's parameters read
from its signature, every group's subcommands built. A run uses one command. ``build`` makes
only the command or group named; a group is a ``LazyGroup``, whose subcommands are built when
one is asked for (``committee amend seat replace`` builds the ``amend`` group, its ``seat``
group and ``replace``, not the 34 commands of ``amend``). A group's help, which lists every
subcommand, builds them all, as Typer would have. Each command is built by Typer's own
functions, with the application's settings, so that it is the command Typer would make.
"""

from __future__ import annotations

import copy
import typing
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from committee_cli.cli.localise import localise_tree


def _name(info: CommandInfo) -> str:
    callback = info.callback
    return info.name or typer.main.get_command_name(getattr(callback, "__name__", ""))


def _group_name(info: TyperInfo) -> str | None:
    """A group's name as Typer gives it (from ``add_typer``, else its application's own)."""
    return typer.main.solve_typer_info_defaults(info).name


def build(app: typer.Typer, settings: typer.Typer, name: str) -> Any:
    """The command or group ``name`` of ``app`` (built with ``settings``' error and markup
    settings: the root application's), translated; None when it has none of that name."""
    for info in app.registered_commands:
        if _name(info) == name:
            command = typer.main.get_command_from_info(
                info, pretty_exceptions_short=settings.pretty_exceptions_short,
                rich_markup_mode=settings.rich_markup_mode)
            localise_tree(command)
            return command
    for group_info in app.registered_groups:
        if _group_name(group_info) == name:
            return _group(group_info, settings)
    return None


def _group(info: TyperInfo, settings: typer.Typer) -> Any:
    """The group ``info`` adds: its own options and help, its subcommands built when asked for."""
    source = info.typer_instance
    assert source is not None  # (a group is added with its application)
    bare = copy.copy(source)  # the group without its commands: they come one at a time
    bare.registered_commands, bare.registered_groups = [], []
    shell = copy.copy(info)
    shell.typer_instance = bare
    group = _typer_group(shell, settings)
    if type(group) is not TyperGroup or not all(map(_group_name, source.registered_groups)):
        # a group class of its own, or subcommands merged in without a group: Typer's way
        group = _typer_group(info, settings)
        localise_tree(group)
        return group
    group.__class__ = LazyGroup
    lazy = typing.cast(LazyGroup, group)
    lazy.source, lazy.settings = source, settings
    localise_tree(lazy)
    return lazy


def _typer_group(info: TyperInfo, settings: typer.Typer) -> TyperGroup:
    return typer.main.get_group_from_info(
        info, pretty_exceptions_short=settings.pretty_exceptions_short,
        rich_markup_mode=settings.rich_markup_mode, suggest_commands=settings.suggest_commands)


class LazyGroup(TyperGroup):
    """A group whose subcommands are built the first time each is asked for."""

    source: typer.Typer
    settings: typer.Typer

    def list_commands(self, ctx: Any) -> list[str]:
        names = [*(_name(i) for i in self.source.registered_commands),
                 *(str(_group_name(g)) for g in self.source.registered_groups)]
        return [*names, *(name for name in self.commands if name not in names)]

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands:
            built = build(self.source, self.settings, name)
            if built is not None:
                self.commands[name] = built
        return self.commands.get(name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and not ctx.resilient_parsing and self.get_command(ctx, args[0]) is None:
            for name in self.list_commands(ctx):  # a typo: every name, for Typer's "did you mean"
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)
