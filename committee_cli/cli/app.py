"""Entry point: assembles the commands onto the application."""

from __future__ import annotations

import sys

# Importing a command module registers its commands on `app`.
from committee_cli.cli import (  # noqa: F401
    amend_cmds,
    check_cmds,
    doctor_cmds,
    query_cmds,
    render_cmds,
    review_cmds,
    site_cmds,
)
from committee_cli.cli.base import app
from committee_cli.cli.streams import prepare_streams


def main() -> None:
    """Run the ``committee`` command."""
    prepare_streams()
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
