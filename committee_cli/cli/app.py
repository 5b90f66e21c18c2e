"""Entry point: the application whose commands load lazily (committee_cli.cli.index).

``main`` starts git on the registry the command reads (``cli/early.py``) before it imports the
application, so that git and Python's imports run at the same time. It also keeps pydantic from
loading the plugins other installed packages declare (entry points of the ``pydantic`` group):
such a plugin would run inside every command and see, or change, every record validated, and
looking for them costs every command a scan of all installed packages' metadata. Setting
``PYDANTIC_DISABLE_PLUGINS`` yourself (to ``""`` to allow them all) is honoured.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from committee_cli.bulk import freeze_long_lived
from committee_cli.cli.early import start_git_early
from committee_cli.cli.streams import prepare_streams

if TYPE_CHECKING:
    from committee_cli.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the ``committee`` command (one command, then the process exits)."""
    start_git_early(sys.argv[1:])
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from committee_cli.cli.base import app

    prepare_streams()
    freeze_long_lived()
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)


def __getattr__(name: str) -> Any:
    if name == "app":
        from committee_cli.cli.base import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
