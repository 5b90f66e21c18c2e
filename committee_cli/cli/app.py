"""Entry point: assembles the commands onto the application."""

from __future__ import annotations

import sys

from committee_cli.cli import amend_cmds  # noqa: F401 - registers commands
from committee_cli.cli import check_cmds  # noqa: F401 - registers commands
from committee_cli.cli import query_cmds  # noqa: F401 - registers commands
from committee_cli.cli import render_cmds  # noqa: F401 - registers commands
from committee_cli.cli import review_cmds  # noqa: F401 - registers commands
from committee_cli.cli.base import app


def main() -> None:
    """Run the ``committee`` command."""
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
