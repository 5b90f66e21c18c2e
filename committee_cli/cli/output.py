"""Printing results: problems (text/json/github), JSON, and a spinner while a step runs.

Query rows are printed by committee_cli.cli.rows.

Where output goes and whether it is drawn for a terminal come from the run's ``Environment``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Any, TextIO

from committee_cli.cli.env import Environment
from committee_cli.errors import Problem
from committee_cli.i18n import tr


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps_json(data: Any) -> str:
    """JSON as the CLI prints it: UTF-8 text, indented, dates as ISO strings."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None,
                   fmt: str = "text", registry_label: str = "",
                   env: Environment | None = None) -> None:
    """Print problems grouped by file (text), as a JSON list, or as GitHub annotations."""
    env = env or Environment()
    out = stream or env.stdout
    if fmt == "json":
        out.write(dumps_json([p.as_dict() for p in problems]) + "\n")
        return
    if fmt == "github":
        for p in problems:
            where = f"file={_gh(p.file, registry_label)}"
            if p.line:
                where += f",line={p.line}"
            if p.column:
                where += f",col={p.column}"
            level = "warning" if p.severity == "warning" else "error"
            message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.write(f"::{level} {where},title={p.code}::{p.code} {message}\n")
        return
    colour = env.is_terminal(out)
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        grouped[p.file].append(p)
    levels = {"warning": tr("warning"), "error": tr("error")}
    lines: list[str] = []  # written at once (a national registry has thousands of warnings)
    for file, items in grouped.items():
        label = file or tr("(registry)")
        lines.append((f"\x1b[1m{label}\x1b[0m" if colour else label) + "\n")
        for p in items:
            where = f"{p.line}:{p.column or 1}" if p.line else "-"
            tag = p.code if not colour else (
                f"\x1b[33m{p.code}\x1b[0m" if p.severity == "warning" else f"\x1b[31m{p.code}\x1b[0m")
            level = levels["warning"] if p.severity == "warning" else levels["error"]
            lines.append(f"  {where:>8}  {tag} {level}: {p.message}\n")
    out.write("".join(lines))


def busy(text: str, env: Environment | None = None) -> AbstractContextManager[Any]:
    """A spinner with ``text`` on stderr while a long step runs, only in a terminal (it vanishes
    when done, and is never drawn into a pipe or a log)."""
    env = env or Environment()
    if not env.is_terminal(env.stderr):
        return nullcontext()
    # rich costs ~0.1 s to import and draws only at a terminal: a piped run never loads it
    from rich.console import Console

    return Console(file=env.stderr).status(text)


def _gh(file: str, registry_label: str) -> str:
    if not registry_label or registry_label in (".", ""):
        return file
    return f"{registry_label.rstrip('/')}/{file}"
