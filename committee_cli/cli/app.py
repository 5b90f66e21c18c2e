"""Entry point: the application whose commands load lazily (committee_cli.cli.index)."""

from __future__ import annotations

import sys

from committee_cli.bulk import freeze_long_lived
from committee_cli.cli.base import app
from committee_cli.cli.streams import prepare_streams

__all__ = ["app", "main"]


def main() -> None:
    """Run the ``committee`` command (one command, then the process exits)."""
    prepare_streams()
    freeze_long_lived()
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
