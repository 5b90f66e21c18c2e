"""Task deadlines as iCalendar (RFC 5545): an all-day VEVENT per deadline, or a VTODO.

* UID: ``<task id>@<registry>.committee-cli``: the same task keeps its UID on every run.
* SEQUENCE: how many times the deadline has moved, read from the registry's git history of the
  task's file (each committed version's ``deadline:``; a change not yet committed counts too);
  0 outside git. A deadline is moved by `amend task update --deadline` under a decision, so each
  move is one more SEQUENCE and calendars replace the old entry instead of adding one.
* DTSTAMP: the day the task was assigned (so two runs give the same bytes).
* A VALARM reminds ``remind_days`` before the deadline; lead and coordinators are in DESCRIPTION.

Google Calendar and Outlook ignore VTODO, hence events by default (FORMATS.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from committee_cli import __version__
from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Task
from committee_cli.model.registry import Registry
from committee_cli.vietnamese import short_citation, short_date, slugify

_DEADLINE = re.compile(r"^deadline:\s*['\"]?(\d{4}-\d{2}-\d{2})", re.MULTILINE)


def deadline_moves(root: Path, task_files: dict[str, str]) -> dict[str, int]:
    """For each task id, how many times its deadline changed across the git history of its file
    (and the working copy). ``task_files`` maps task ids to registry-relative paths."""
    moves = dict.fromkeys(task_files, 0)
    try:
        top = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True,
                             text=True, check=True, timeout=30).stdout.strip()
        log = subprocess.run(["git", "log", "--reverse", "--format=@%H", "--name-only", "--",
                              "tasks"], cwd=root, capture_output=True, text=True, check=True,
                             timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return moves
    wanted = {f"{top}{rel}": tid for tid, rel in task_files.items()}
    requests: list[tuple[str, str]] = []
    commit = ""
    for line in log.splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line.strip() in wanted:
            requests.append((wanted[line.strip()], f"{commit}:{line.strip()}"))
    history: dict[str, list[str]] = {tid: [] for tid in task_files}
    if requests:
        batch = subprocess.run(["git", "cat-file", "--batch"], cwd=root, capture_output=True,
                               input="".join(f"{spec}\n" for _, spec in requests).encode(),
                               check=False, timeout=60).stdout
        at = 0
        for tid, _ in requests:
            end = batch.index(b"\n", at)
            header = batch[at:end].split()
            at = end + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            found = _DEADLINE.search(batch[at:at + size].decode("utf-8", "replace"))
            at += size + 1
            history[tid].append(found.group(1) if found else "")
    for tid, rel in task_files.items():
        try:
            found = _DEADLINE.search((root / rel).read_text(encoding="utf-8"))
        except OSError:
            found = None
        history[tid].append(found.group(1) if found else "")
        seen = [d for d in history[tid] if d]
        moves[tid] = sum(1 for a, b in itertools.pairwise(seen) if a != b)
    return moves


def _people_text(reg: Registry, task: Task) -> tuple[str, list[str]]:
    lead = ""
    if task.lead_person and task.lead_person in reg.people:
        person = reg.people[task.lead_person]
        lead = f"{person.honorific} {person.name}"
    elif task.lead_unit:
        org = reg.organisations.get(task.lead_unit)
        lead = org.name if org else task.lead_unit
    coordinators = [reg.organisations[c].name if c in reg.organisations else c
                    for c in task.coordinators]
    return lead, coordinators


def calendar(reg: Registry, task_ids: Iterable[str], *, moves: dict[str, int] | None = None,
             todo: bool = False, remind_days: int = 7) -> bytes:
    """The tasks' deadlines as an iCalendar file (UTF-8 bytes, CRLF lines)."""
    try:
        import icalendar
    except ImportError:
        raise UsageError(tr("--format ics needs the icalendar package: pip install "
                            "'committee-cli[ics]'")) from None
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//committee-cli//committee-cli {__version__}//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", reg.config.name)
    domain = (slugify(reg.config.name) or "registry")[:60] + ".committee-cli"
    for tid in task_ids:
        task = reg.tasks[tid]
        if task.deadline is None:
            continue
        lead, coordinators = _people_text(reg, task)
        decision = reg.decisions.get(task.assigned_by)
        assigned = task.assigned or (reg.decision_date(task.assigned_by) if decision else None)
        lines = [f"Chủ trì: {lead}" if lead else "",
                 f"Phối hợp: {', '.join(coordinators)}" if coordinators else "",
                 f"Sản phẩm: {task.product}" if task.product else "",
                 f"Giao tại: {short_citation(decision.number, decision.symbol)}" if decision else "",
                 f"Thời hạn: {short_date(task.deadline)}"]
        item = icalendar.Todo() if todo else icalendar.Event()
        item.add("uid", f"{tid}@{domain}")
        item.add("dtstamp", dt.datetime.combine(assigned or task.deadline, dt.time(0, 0),
                                                tzinfo=dt.UTC))
        item.add("sequence", (moves or {}).get(tid, 0))
        item.add("summary", task.title)
        item.add("description", "\n".join(line for line in lines if line))
        committee = reg.committees.get(task.committee)
        if committee:
            item.add("categories", [committee.short_name or committee.name])
        if todo:
            item.add("due", task.deadline)
            item.add("status", {"open": "NEEDS-ACTION", "in-progress": "IN-PROCESS",
                                "done": "COMPLETED", "cancelled": "CANCELLED"}[task.status])
            if task.completed:
                item.add("completed", dt.datetime.combine(task.completed, dt.time(0, 0),
                                                          tzinfo=dt.UTC))
        else:
            item.add("dtstart", task.deadline)
            item.add("dtend", task.deadline + dt.timedelta(days=1))
            item.add("transp", "TRANSPARENT")
            item.add("status", "CANCELLED" if task.status == "cancelled" else "CONFIRMED")
        if task.status not in ("done", "cancelled") and remind_days > 0:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Sắp đến hạn: {task.title}")
            alarm.add("trigger", dt.timedelta(days=-remind_days))
            item.add_component(alarm)
        cal.add_component(item)
    data: bytes = cal.to_ical()
    return data
