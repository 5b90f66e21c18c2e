"""The Typer application, its global options, and error handling shared by every command.

Commands load lazily: the root group knows every command's name, module, section and help from
``committee_cli.cli.index`` and imports a command's module only when that command runs (or its
own help is asked for), so `committee --help` and `--version` import no command module.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from committee_cli import background
from committee_cli.bulk import started
from committee_cli.cli.build import build
from committee_cli.cli.early import version_line
from committee_cli.cli.env import Environment, environment
from committee_cli.cli.env import find_registry as find_registry
from committee_cli.cli.index import COMMANDS
from committee_cli.cli.localise import ClickUsageError, localised, short_help, use_language
from committee_cli.cli.output import print_problems
from committee_cli.errors import CommitteeError, ExitCode, RegistryInvalid
from committee_cli.i18n import N_, current_language, gettext_, normalise, set_language, tr
from committee_cli.resources import package_data

# The sections of `committee --help`, in this order: each command names its section.
LOOK_UP = N_("Look up")
CHANGE = N_("Change")
PRODUCE = N_("Produce")
CHECK = N_("Check")
PANELS = (LOOK_UP, CHANGE, PRODUCE, CHECK)


class Group(TyperGroup):
    """Root command group: user-facing errors become a message and an exit code, never a traceback.

    It also chooses the language of the run (``--lang``, ``COMMITTEE_LANG``, the locale) before
    parsing, so that help and errors are already in that language.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        before = current_language()
        try:
            return super().main(*args, **kwargs)
        finally:
            set_language(before)  # in-process callers (tests, scripts) get their language back

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        use_language(self, args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickUsageError as exc:
            raise localised(exc) from None

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command: those of the index in its order, then any added in code."""
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, name: str) -> Any:
        """The command ``name``, importing its modules the first time it is needed (a group is
        built again once every module that adds to it is loaded)."""
        entry = COMMANDS.get(name)
        if entry is not None:
            modules = (entry.module, *entry.also)
            if name not in self.commands or any(m not in sys.modules for m in modules):
                for module in modules:
                    importlib.import_module(module)
                command = build(app, app, name)  # that command alone (cli/build.py)
                if command is not None:
                    self.add_command(command, name)
        return self.commands.get(name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands in sections by task (look up, change, produce, check).

        Commands not loaded are described from the index: listing them loads no module.
        """
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        order = [gettext_(panel) for panel in PANELS]
        sections: dict[str, list[tuple[str, str]]] = {panel: [] for panel in order}
        for name in names:
            entry = COMMANDS.get(name)
            loaded = self.commands.get(name)
            if entry is not None:  # the same words whether or not its module is loaded yet
                panel = gettext_(entry.panel) if entry.panel else tr("Commands")
                text = short_help(gettext_(entry.help), limit)
            elif loaded is not None:
                if loaded.hidden:
                    continue
                panel = getattr(loaded, "rich_help_panel", None) or tr("Commands")
                text = loaded.get_short_help_str(limit)
            else:
                continue
            sections.setdefault(panel, []).append((name, text))
        for panel, rows in sections.items():
            if rows:
                with formatter.section(panel):
                    formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                background.finish()  # (what the command writes in threads, written when it ends)
        except CommitteeError as exc:
            report_error(exc, environment(ctx))
            raise typer.Exit(int(exc.exit_code)) from None
        except ClickUsageError as exc:
            raise localised(exc) from None
        except KeyboardInterrupt:
            environment(ctx).stderr.write(tr("interrupted") + "\n")
            raise typer.Exit(130) from None
        except OSError as exc:
            # the file system said no (missing folder, permissions, disk full): nothing a
            # traceback would help with; the commands that write leave nothing half-written
            where = f" ({exc.filename})" if exc.filename else ""
            report_error(CommitteeError(
                tr("{strerror}{where}", strerror=exc.strerror or exc, where=where), ExitCode.IO),
                environment(ctx))
            raise typer.Exit(int(ExitCode.IO)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("COMMITTEE_DEBUG"):
                raise
            report_error(CommitteeError(tr(
                "internal error ({kind}: {detail}); this is a bug in committee-cli: please "
                "report it with the command you ran (COMMITTEE_DEBUG=1 shows the traceback)",
                kind=type(exc).__name__, detail=exc), ExitCode.INTERNAL), environment(ctx))
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


def report_error(exc: CommitteeError, env: Environment) -> None:
    """Print a user-facing error (and the problems it carries) on stderr."""
    if isinstance(exc, RegistryInvalid):
        print_problems(exc.problems, stream=env.stderr, fmt="text", env=env)
    env.stderr.write(tr("error: {message}", message=exc) + "\n")


State = Environment  # the name the command modules knew it by


app = typer.Typer(
    cls=Group,
    name="committee",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


def _check_language(value: str | None) -> str | None:
    if value is not None and normalise(value) is None:
        raise typer.BadParameter(tr("'{value}' is not a language of committee-cli: use vi or en",
                                    value=value))
    return value


@app.callback()
def root(
    ctx: typer.Context,
    registry: list[Path] | None = typer.Option(
        None, "--registry", "-r", envvar="COMMITTEE_REGISTRY",
        help="Registry folder (default: the one in this git repository, else the sample). "
        "`person` and `report seats` take several (repeat it, or name a registries.yaml).",
        show_default=False),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    lang: str | None = typer.Option(
        None, "--lang", envvar="COMMITTEE_LANG", metavar="vi|en", callback=_check_language,
        help="Language of messages and help: vi or en (default: COMMITTEE_LANG, else the "
        "locale, else English).", show_default=False),
) -> None:
    """Keep steering committees (Ban Chỉ đạo) as data: validate, query, amend, render.

    The registry is a folder of YAML files, one record per file, kept in git. Every change to a
    committee is recorded by a decision: draft it (decision new), record what it changes (amend
    …), sign it (decision sign), then render it. Run `committee COMMAND --help` for each
    command's options and an example; `committee doctor` checks this computer.

    Example: committee --registry registry members --as-of 30/8/2021
    """
    started()  # the command's module is loaded: the cycle collector works again (bulk.py)
    given = ctx.obj if isinstance(ctx.obj, Environment) else Environment()
    # the caller's environment (a test's, a script's) is copied, never changed
    ctx.obj = dataclasses.replace(given, registry=registry[0], registries=list(registry)) \
        if registry else given


def several(ctx: typer.Context) -> bool:
    """True when the run names more than one registry, or a registries.yaml."""
    state: State = ctx.find_root().obj or State()
    return len(state.registries) > 1 or any(p.is_file() for p in state.registries)


def registry_dir(ctx: typer.Context) -> Path:
    """The registry folder this run works on; a missing folder is a usage error."""
    chosen = environment(ctx).registry
    if chosen is None:
        chosen = find_registry(Path.cwd()) or package_data("registry")
    if not chosen.exists():
        raise CommitteeError(tr("registry folder {folder} does not exist: pass --registry DIR "
                                "or create one with `committee init DIR`", folder=chosen),
                             ExitCode.USAGE)
    if not chosen.is_dir():
        raise CommitteeError(tr("{folder} is not a folder: --registry takes the registry folder",
                                folder=chosen), ExitCode.USAGE)
    return chosen
