"""What a run starts before it imports the rest of the program: git's part of the listing.

A command that reads the registry (a query, ``validate``, ``render``) waits for
``git diff-files`` as long as for ``git status`` on a national registry, and for its imports
about as long again; ``start_git_early`` starts git first (``store/gitstart.py``) on the folder
the command will read, read from the command line as the root options name it (``--registry``,
``COMMITTEE_REGISTRY``, else the registry of the git repository around the current folder, else
the sample). A guess that turns out wrong costs nothing but the git process, stopped at exit:
the listing takes only a view of the very folder it opens. Commands that change the registry
open it under the lock and begin their own view there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from committee_cli import __version__
from committee_cli.cli.env import find_registry
from committee_cli.resources import package_data

# The commands that only read the registry, every file of it.
READERS = frozenset({"show", "members", "duties", "decisions", "tasks", "person", "history",
                     "validate", "render"})
_VALUED = ("--lang",)  # the other root options that take a value
_VALUED_GIVEN = tuple(f"{option}=" for option in _VALUED)  # (given as --lang=vi)


def version_line() -> str:
    """What ``committee --version`` prints (``main`` answers it alone before it imports Typer;
    with other options, the root option's callback prints the same line)."""
    return f"committee-cli {__version__}"


def registry_read(args: Sequence[str], environ: Mapping[str, str], cwd: Path) -> Path | None:
    """The registry folder that ``committee ARGS`` reads (None: it reads none, asks for help,
    or its command line is one the root group would refuse)."""
    named: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-r", "--registry") and index + 1 < len(args):
            named.append(args[index + 1])
            index += 2
            continue
        if arg.startswith("--registry="):
            named.append(arg.partition("=")[2])
        elif arg.startswith("-r") and not arg.startswith("--"):
            named.append(arg[2:])
        elif arg in _VALUED:
            index += 2
            continue
        elif arg.startswith(_VALUED_GIVEN):
            pass
        elif arg.startswith("-"):
            return None  # --help, --version, completion, or a mistake: the parser's to say
        else:
            break
        index += 1
    rest = args[index + 1:]
    if index >= len(args) or args[index] not in READERS or "-h" in rest or "--help" in rest:
        return None
    if not named:
        named = environ.get("COMMITTEE_REGISTRY", "").split()
    if named:
        return Path(named[0]) if named[0] else None
    return find_registry(cwd) or package_data("registry")


def start_git_early(args: Sequence[str]) -> None:
    """Start git on the registry ``committee ARGS`` reads, if it reads one."""
    try:
        root = registry_read(args, os.environ, Path.cwd())
        if root is not None and root.is_dir():
            from committee_cli.store.gitstart import start_early

            start_early(root)
    except (OSError, ValueError):  # (no current folder, an unreadable folder, a path git
        return                      # cannot take: the command itself says what is wrong)
