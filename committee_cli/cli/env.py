"""The environment a command runs in: its streams, whether they are terminals, the language,
today's date and the registry named on the command line.

The root command puts one ``Environment`` on the Typer context (``ctx.obj``); commands and the
printers reach the terminal and the clock through it, never through ``sys.stdout`` or
``date.today()``, so a caller (a test, a script) can give its own: ``CliRunner().invoke(app,
args, obj=Environment(terminal=True))``. ``COMMITTEE_TODAY=YYYY-MM-DD`` fixes today's date.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import current_language, tr

TODAY_ENV = "COMMITTEE_TODAY"


def is_terminal(stream: Any) -> bool:
    """True when ``stream`` is an interactive terminal (colour, tables, prompts)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def today_from_environment() -> date:
    """``COMMITTEE_TODAY`` (YYYY-MM-DD) when set, else the system's date."""
    raw = os.environ.get(TODAY_ENV)
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommitteeError(tr("{variable}={value} is not a date: write YYYY-MM-DD",
                                variable=TODAY_ENV, value=raw), ExitCode.USAGE) from None


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


@dataclass
class Environment:
    """Streams, terminal, language, today and the registry option of one run.

    Streams left out are the process's own at the moment they are used (so that a test runner
    that swaps ``sys.stdout`` is honoured); ``terminal`` left out asks the stream itself.
    """

    registry: Path | None = None
    registries: list[Path] = field(default_factory=list)  # every --registry given, in order
    stdin_stream: TextIO | None = None
    stdout_stream: TextIO | None = None
    stderr_stream: TextIO | None = None
    terminal: bool | None = None
    given_today: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stdin(self) -> TextIO:
        """Where answers are read from."""
        return self.stdin_stream or sys.stdin

    @property
    def stdout(self) -> TextIO:
        """Where results go."""
        return self.stdout_stream or sys.stdout

    @property
    def stderr(self) -> TextIO:
        """Where messages, warnings and progress go."""
        return self.stderr_stream or sys.stderr

    @property
    def today(self) -> date:
        """Today's date: the one given, else ``COMMITTEE_TODAY``, else the system's."""
        return self.given_today or today_from_environment()

    @property
    def language(self) -> str:
        """The language of messages chosen for this run (vi or en)."""
        return current_language()

    def is_terminal(self, stream: Any) -> bool:
        """Whether ``stream`` is drawn on a terminal (rich tables, colour, spinners)."""
        if self.terminal is not None:
            return self.terminal and not os.environ.get("NO_COLOR")
        return is_terminal(stream)

    @property
    def colour(self) -> bool:
        """Whether results on stdout may be coloured."""
        return self.is_terminal(self.stdout)


def environment(ctx: Any) -> Environment:
    """The environment of the run ``ctx`` belongs to (a fresh one outside a run)."""
    root = ctx.find_root() if ctx is not None else None
    found = root.obj if root is not None else None
    return found if isinstance(found, Environment) else Environment()
