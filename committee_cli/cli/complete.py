"""Shell completion of record ids (committees, seats, people, decisions, tasks, organisations).

A completion runs on every press of Tab, so it only lists the record folder of the registry and
strips ``.yaml`` from the file names (a record's id is its file name); it never reads YAML. The
registry is the one the command line names (``--registry``), else ``COMMITTEE_REGISTRY``, else
the one around the current folder, else the sample — as for every command.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from committee_cli.cli.env import find_registry
from committee_cli.resources import package_data

# kind -> folder; kept in step with committee_cli.model.records.KINDS by a test (importing the
# records here would load pydantic on every Tab).
FOLDERS = {"committee": "committees", "seat": "seats", "person": "people",
           "decision": "decisions", "task": "tasks", "organisation": "organisations"}


def completion_registry(ctx: Any) -> Path:
    """The registry folder a completion lists: --registry, COMMITTEE_REGISTRY, around here, sample."""
    root = ctx.find_root() if ctx is not None else None
    given = (root.params or {}).get("registry") if root is not None else None
    if isinstance(given, list | tuple):  # --registry may be repeated: the first one
        given = given[0] if given else None
    if given:
        return Path(given)
    env = os.environ.get("COMMITTEE_REGISTRY")
    if env:
        return Path(env)
    return find_registry(Path.cwd()) or package_data("registry")


def record_ids(registry: Path, kind: str, incomplete: str = "") -> list[str]:
    """The ids of one kind of record starting with ``incomplete``, from file names only."""
    try:
        names = os.listdir(registry / FOLDERS[kind])
    except OSError:
        return []
    return sorted(name[:-5] for name in names
                  if name.endswith(".yaml") and not name.startswith(".")
                  and name.startswith(incomplete))


def _completer(kind: str) -> Any:
    def complete(ctx: Any, incomplete: str) -> list[str]:
        return record_ids(completion_registry(ctx), kind, incomplete)

    complete.__name__ = f"complete_{kind}"
    complete.__doc__ = f"Complete a {kind} id from the registry's file names."
    return complete


complete_committee = _completer("committee")
complete_seat = _completer("seat")
complete_person = _completer("person")
complete_decision = _completer("decision")
complete_task = _completer("task")
complete_organisation = _completer("organisation")
