"""Asking for a missing required option, only when a person is at a terminal.

When stdin (and stderr, where the questions go) is a terminal, a missing ``--person`` or
``--decision`` is asked for, offering the records that match what is typed. Otherwise (a
script, CI, a pipe) nothing is asked: the missing option is a usage error (exit 2), so a script
never hangs waiting for an answer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.registry import Registry
from committee_cli.queries import open_registry
from committee_cli.vietnamese import fold, short_date

MAX_OFFERED = 9


def interactive() -> bool:
    """True when a person can answer: stdin and stderr are terminals."""
    try:
        return os.isatty(sys.stdin.fileno()) and os.isatty(sys.stderr.fileno())
    except (AttributeError, ValueError, OSError):
        return False


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _ask(question: str) -> str:
    sys.stderr.write(question)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:  # end of input: nobody is answering
        raise UsageError(tr("no answer: nothing was written"))
    return line.strip()


def choose(question: str, find: Callable[[str], Sequence[tuple[str, str]]],
           missing: str) -> str:
    """Ask until one record is chosen; ``find(text)`` gives (id, label) pairs matching ``text``.

    The answer may be an id, part of a name, or the number of a record offered before. An empty
    answer gives up (a usage error: nothing is written).
    """
    _say(question)
    offered: list[tuple[str, str]] = list(find(""))[:MAX_OFFERED]
    _offer(offered)
    while True:
        answer = _ask("> ")
        if not answer:
            raise UsageError(tr("no answer: nothing was written"))
        if answer.isdigit() and 1 <= int(answer) <= len(offered):
            chosen = offered[int(answer) - 1]
        else:
            matches = list(find(answer))
            if len(matches) != 1:
                if not matches:
                    _say(tr("nothing matches '{text}'; {missing}", text=answer, missing=missing))
                else:
                    _say(tr("{count} match '{text}': choose a number, or type more",
                            count=len(matches), text=answer))
                offered = matches[:MAX_OFFERED]
                _offer(offered)
                continue
            chosen = matches[0]
        _say(f"→ {chosen[1]} ({chosen[0]})")
        return chosen[0]


def _offer(options: Sequence[tuple[str, str]]) -> None:
    for n, (record_id, label) in enumerate(options, start=1):
        _say(f"  {n}. {label} ({record_id})")


def ask_person(registry_root: Path, question: str) -> str:
    """The id of a person, chosen by name or id from the registry's people."""
    from committee_cli.queries.people import find_people  # (only when asked at a terminal)

    reg = open_registry(registry_root)

    def find(text: str) -> list[tuple[str, str]]:
        ids = find_people(reg, text) if text else []
        return [(pid, f"{reg.people[pid].honorific} {reg.people[pid].name}") for pid in ids]

    return choose(question, find, tr("add them first with `committee amend person add`"))


def ask_decision(registry_root: Path, question: str) -> str:
    """The id of a decision, offering the drafts first (newest first)."""
    reg = open_registry(registry_root)
    return choose(question, lambda text: _decisions(reg, text),
                  tr("draft one with `committee decision new`"))


def _decisions(reg: Registry, text: str) -> list[tuple[str, str]]:
    def label(did: str) -> str:
        dec = reg.decisions[did]
        number = f"{dec.number}/{dec.symbol}" if dec.number else dec.symbol
        status = tr("draft") if dec.status == "draft" else tr("signed")
        return f"{number} ({short_date(dec.date)}, {status}): {dec.subject}"

    ordered = sorted(reg.decisions, key=lambda d: (reg.decisions[d].status != "draft",
                                                   -reg.decisions[d].date.toordinal(), d))
    if not text:
        return [(did, label(did)) for did in ordered]
    if text in reg.decisions:
        return [(text, label(text))]
    key = fold(text)
    return [(did, label(did)) for did in ordered if key in fold(did) or key in fold(label(did))]


def required(value: str | None, option: str, ask: Callable[[], str]) -> str:
    """``value``, or the answer to ``ask()`` at a terminal; missing elsewhere is a usage error."""
    if value is not None:
        return value
    if not interactive():
        quoted = "'" + option + "'"
        raise UsageError(tr("Missing option {name}.", name=quoted))
    return ask()
