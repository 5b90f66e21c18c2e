"""Putting the command line into the chosen language: help texts, the framework's words, errors.

Typer reads help texts when the command modules are imported, in English. Each run builds its
command tree afresh; before parsing, the root group chooses the language (``language_for``) and
``localise_tree`` replaces every help text in the tree by its translation. The few words that
Typer and its bundled click print themselves ("Usage:", "Options", "Missing option …") are
translated here too, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import typer.core

try:  # Typer >= 0.22 bundles click as typer._click
    from typer._click import exceptions as click_exceptions
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter
    from typer._click.utils import echo, make_default_short_help
except ImportError:  # pragma: no cover - older Typer on click
    from click import exceptions as click_exceptions  # type: ignore[no-redef, assignment, unused-ignore]
    from click.core import Context  # type: ignore[no-redef, assignment, unused-ignore]
    from click.formatting import HelpFormatter  # type: ignore[no-redef, assignment, unused-ignore]
    from click.utils import echo, make_default_short_help  # type: ignore[no-redef, assignment, unused-ignore]

from committee_cli.i18n import N_, choose_language, gettext_, set_language, tr

ClickUsageError = click_exceptions.UsageError
LANG_OPTION = "--lang"

# Words printed by Typer and click, not by this package: listed so that the catalogues hold them.
FRAMEWORK_WORDS = (
    N_("Usage: "), N_("Options"), N_("Arguments"), N_("Commands"), N_("required"),
    N_("default: {default}"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
    N_("Missing command."), N_("No such command {name!r}."), N_("Show this message and exit."),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."),
)

# click's own error messages (not translatable at their source): English pattern → msgid
# (compiled when an error is first said, not at every start).
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
    (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
    (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"No such option: (?P<name>\S+) \(Possible options: (?P<choices>.+)\)",
     N_("No such option: {name} (possible options: {choices})")),
    (r"No such option: (?P<name>\S+) Did you mean (?P<choice>\S+)\?",
     N_("No such option: {name}. Did you mean {choice}?")),
    (r"Option (?P<name>'.+') requires an argument\.", N_("Option {name} requires an argument.")),
    (r"Option (?P<name>'.+') requires (?P<count>\d+) arguments\.",
     N_("Option {name} requires {count} arguments.")),
    (r"Option (?P<name>'.+') does not take a value\.", N_("Option {name} does not take a value.")),
    (r"Got unexpected extra arguments? \((?P<args>.*)\)",
     N_("Got unexpected extra argument(s) ({args})")),
    (r"Invalid value for (?P<name>.+?): (?P<value>'.*') is not one of (?P<choices>.+)\.",
     N_("Invalid value for {name}: {value} is not one of {choices}.")),
    (r"Invalid value for (?P<name>.+?): (?P<value>'.*') is not a valid integer\.",
     N_("Invalid value for {name}: {value} is not a valid integer.")),
    (r"Invalid value for (?P<name>.+?): (?P<value>.+) is not in the range (?P<range>.+)\.",
     N_("Invalid value for {name}: {value} is not in the range {range}.")),
    (r"Invalid value for (?P<name>.+?): (?P<message>.+)", N_("Invalid value for {name}: {message}")),
)


def language_for(args: Sequence[str]) -> str:
    """The language asked for by ``--lang`` among ``args``, else by the environment."""
    explicit: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == LANG_OPTION and i + 1 < len(args):
            explicit = args[i + 1]
        elif arg.startswith(LANG_OPTION + "="):
            explicit = arg.split("=", 1)[1]
    return choose_language(explicit)


def use_language(command: Any, args: Sequence[str]) -> str:
    """Choose the language for ``args``, translate the framework's words and ``command``'s tree."""
    language = language_for(args)
    set_language(language)
    install_framework_words()
    localise_tree(command)
    return language


def _translated(obj: Any, attr: str) -> None:
    original = obj.__dict__.setdefault(f"_msgid_{attr}", getattr(obj, attr, None))
    if isinstance(original, str) and original:
        setattr(obj, attr, gettext_(original))


def localise_tree(command: Any) -> None:
    """Translate the help texts of ``command``, its parameters and its subcommands, in place."""
    for attr in ("help", "short_help", "epilog", "rich_help_panel"):
        _translated(command, attr)
    for param in getattr(command, "params", ()):
        for attr in ("help", "rich_help_panel"):
            _translated(param, attr)
    for sub in getattr(command, "commands", {}).values():
        localise_tree(sub)


def short_help(text: str, limit: int) -> str:
    """The short help click derives from a help text (its first sentence, within ``limit``)."""
    return make_default_short_help(text, limit).strip()


def help_texts(command: Any) -> list[str]:
    """Every help text of ``command``'s tree as written in the source (for the catalogues)."""
    found: list[str] = []
    for attr in ("help", "short_help", "epilog"):
        text = command.__dict__.get(f"_msgid_{attr}", getattr(command, attr, None))
        if isinstance(text, str) and text:
            found.append(text)
    for param in getattr(command, "params", ()):
        text = param.__dict__.get("_msgid_help", getattr(param, "help", None))
        if isinstance(text, str) and text:
            found.append(text)
    for sub in getattr(command, "commands", {}).values():
        found.extend(help_texts(sub))
    return found


class LocalisedFormatter(HelpFormatter):
    """Click's help formatter, with "Usage:" and the help option's text in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else tr("Usage: "))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        super().write_dl([(term, gettext_(text)) for term, text in rows], col_max, col_spacing)


def install_framework_words() -> None:
    """Route the words Typer prints itself through the catalogue (idempotent)."""
    typer.core._ = gettext_  # type: ignore[attr-defined]
    Context.formatter_class = LocalisedFormatter


class LocalisedUsageError(click_exceptions.UsageError):
    """A click usage error, said in the chosen language (exit code 2, with the usage line)."""

    def __init__(self, original: click_exceptions.UsageError) -> None:
        super().__init__(translate_error(original.format_message()), original.ctx)
        self.exit_code = original.exit_code

    def show(self, file: Any = None) -> None:
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = tr("Try '{command} {option}' for help.", command=self.ctx.command_path,
                          option=self.ctx.help_option_names[0]) + "\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=file is None,
                 color=self.ctx.color)
        echo(tr("Error: {message}", message=self.format_message()), file=file, err=file is None,
             color=self.ctx.color if self.ctx else None)


def translate_error(message: str) -> str:
    """click's English error message in the chosen language (unchanged when not recognised)."""
    for pattern, msgid in _ERRORS:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return gettext_(msgid).format(**match.groupdict())
    return message


def localised(exc: click_exceptions.UsageError) -> click_exceptions.UsageError:
    """``exc`` as a ``LocalisedUsageError``; a request to show help is left as it is."""
    if isinstance(exc, click_exceptions.NoArgsIsHelpError | LocalisedUsageError):
        return exc
    return LocalisedUsageError(exc)
