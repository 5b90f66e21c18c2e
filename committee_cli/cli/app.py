"""Entry point: the application whose commands load lazily (committee_cli.cli.index).

``main`` starts git on the registry the command reads (``cli/early.py``) before it imports the
application, so that git and Python's imports run at the same time. It also keeps pydantic from
loading the plugins other installed packages declare (entry points of the ``pydantic`` group):
such a plugin would run inside every command and see, or change, every record validated, and
looking for them costs every command a scan of all installed packages' metadata. Setting
``PYDANTIC_DISABLE_PLUGINS`` yourself (to ``""`` to allow them all) is honoured. While every
plugin is disabled, pydantic's plugin loader, which would import ``importlib.metadata`` (about
30 ms at every start) only to read that setting and load nothing, is replaced by its answer.
"""

from __future__ import annotations

import os
import sys
import types
from typing import TYPE_CHECKING, Any

from committee_cli.bulk import collect_after_start_up, freeze_long_lived
from committee_cli.cli.early import start_git_early, version_line
from committee_cli.cli.streams import prepare_streams

if TYPE_CHECKING:
    from committee_cli.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the ``committee`` command (one command, then the process exits)."""
    if sys.argv[1:] == ["--version"]:  # answered before the application (Typer) is imported
        try:
            print(version_line(), flush=True)
        except BrokenPipeError:
            sys.exit(1)
        return
    collect_after_start_up()  # (until the command runs: cli/base.py ``root``)
    start_git_early(sys.argv[1:])
    if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__") in _ALL_DISABLED:
        _no_plugin_loader()
    from committee_cli.cli.base import app

    prepare_streams()
    freeze_long_lived()
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)


# the settings with which pydantic's loader (pydantic.plugin._loader.get_plugins) loads none
_ALL_DISABLED = ("__all__", "1", "true")
_LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    """What pydantic's ``get_plugins`` answers while every plugin is disabled."""
    return ()


def _no_plugin_loader() -> None:
    """Stand in for pydantic's plugin loader, unless it is imported already (tests/test_plugins.py
    checks that pydantic still builds its validators through it, and loads no plugin)."""
    if _LOADER not in sys.modules:
        loader = types.ModuleType(_LOADER, "pydantic's plugin loader while every plugin is disabled")
        loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
        sys.modules[_LOADER] = loader


def __getattr__(name: str) -> Any:
    if name == "app":
        from committee_cli.cli.base import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
