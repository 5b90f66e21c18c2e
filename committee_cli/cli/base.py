"""The Typer application, its global options, and error handling shared by every command."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from committee_cli import __version__
from committee_cli.cli.localise import ClickUsageError, localised, use_language
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

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands in sections by task (look up, change, produce, check)."""
        commands = [(name, cmd) for name in self.list_commands(ctx)
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        order = [gettext_(panel) for panel in PANELS]
        sections: dict[str, list[tuple[str, str]]] = {panel: [] for panel in order}
        for name, cmd in commands:
            panel = getattr(cmd, "rich_help_panel", None) or tr("Commands")
            sections.setdefault(panel, []).append((name, cmd.get_short_help_str(limit)))
        for panel, rows in sections.items():
            if rows:
                with formatter.section(panel):
                    formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CommitteeError as exc:
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except ClickUsageError as exc:
            raise localised(exc) from None
        except KeyboardInterrupt:
            sys.stderr.write(tr("interrupted") + "\n")
            raise typer.Exit(130) from None
        except OSError as exc:
            # the file system said no (missing folder, permissions, disk full): nothing a
            # traceback would help with; the commands that write leave nothing half-written
            where = f" ({exc.filename})" if exc.filename else ""
            report_error(CommitteeError(
                tr("{strerror}{where}", strerror=exc.strerror or exc, where=where), ExitCode.IO))
            raise typer.Exit(int(ExitCode.IO)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("COMMITTEE_DEBUG"):
                raise
            report_error(CommitteeError(tr(
                "internal error ({kind}: {detail}); this is a bug in committee-cli: please "
                "report it with the command you ran (COMMITTEE_DEBUG=1 shows the traceback)",
                kind=type(exc).__name__, detail=exc), ExitCode.INTERNAL))
            raise typer.Exit(int(ExitCode.INTERNAL)) from None


def report_error(exc: CommitteeError) -> None:
    """Print a user-facing error (and the problems it carries) on stderr."""
    from committee_cli.cli.output import print_problems

    if isinstance(exc, RegistryInvalid):
        print_problems(exc.problems, stream=sys.stderr, fmt="text")
    sys.stderr.write(tr("error: {message}", message=exc) + "\n")


@dataclass
class State:
    """Options given before the command, shared by every command."""

    registry: Path | None = None
    registries: list[Path] = field(default_factory=list)  # every --registry given, in order
    extra: dict[str, Any] = field(default_factory=dict)


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
        typer.echo(f"committee-cli {__version__}")
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
    ctx.obj = State(registry=registry[0] if registry else None, registries=list(registry or []))


def find_registry(start: Path) -> Path | None:
    """The registry of the git repository around ``start``: a folder holding registry.yaml."""
    current = start.resolve()
    for folder in (current, *current.parents):
        for candidate in (folder, folder / "registry"):
            if (candidate / "registry.yaml").is_file():
                return candidate
        if (folder / ".git").exists():
            break
    return None


def registry_dir(ctx: typer.Context) -> Path:
    """The registry folder this run works on; a missing folder is a usage error."""
    state: State = ctx.find_root().obj or State()
    chosen = state.registry
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


def is_terminal(stream: Any) -> bool:
    """True when ``stream`` is an interactive terminal (colour, tables, prompts)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
