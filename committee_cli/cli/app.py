"""Entry point: assembles the commands onto the application."""

from __future__ import annotations

import sys

# Importing a command module registers its commands on `app`.
from committee_cli.cli import (  # noqa: F401
    amend_cmds,
    check_cmds,
    doctor_cmds,
    exchange_cmds,
    query_cmds,
    render_cmds,
    review_cmds,
)
from committee_cli.cli.base import app


def main() -> None:
    """Run the ``committee`` command."""
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
