"""People and seats from a table (``import csv|xlsx``): every row checked first, then written at once.

Each row is a person (matched to an existing one by folded name, else created), optionally a
position (title at a unit, from a date) and a seat (committee, role, order, started by a
decision). Problems are reported as ``FILE:ROW:COLUMN: message``; a table with any is refused
unless the caller skips its bad rows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from committee_cli.i18n import tr
from committee_cli.interchange.tables import Cell, Table
from committee_cli.model.records import Person
from committee_cli.model.registry import Registry
from committee_cli.services.imports import Book
from committee_cli.services.unit_of_work import UnitOfWork, insert_item, set_field
from committee_cli.services.validation import open_registry
from committee_cli.vietnamese import fold, nfc, parse_date, slugify

FORMULA_START = ("=", "+", "-", "@")
EXTERNAL_ID = re.compile(r"[^\s\x00-\x1f\x7f]{1,64}")  # as Person.external_id


@dataclass
class GoodRow:
    """A row that passed every check, resolved to ids."""

    row: int
    name: str | None
    honorific: str | None
    person: str | None  # an existing person's id
    title: str | None
    unit: str | None
    since: dt.date | None
    committee: str | None
    role: str | None
    order: int | None
    decision: str | None
    post: str | None
    external_id: str | None = None


@dataclass
class RowPlan:
    """The good rows, the problems found and the rows skipped because of them."""

    source: str
    rows: list[GoodRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def _org(reg: Registry, text: str) -> str | None:
    if text in reg.organisations:
        return text
    key = fold(text)
    for oid, org in sorted(reg.organisations.items()):
        if key in (fold(org.name), fold(org.abbreviation or "")):
            return oid
    return None


def _committee(reg: Registry, text: str) -> str | None:
    if text in reg.committees:
        return text
    key = fold(text)
    for cid, com in sorted(reg.committees.items()):
        if key in (fold(com.name), fold(com.short_name or "")):
            return cid
    return None


def _role(reg: Registry, committee: str, text: str) -> str | None:
    roles = reg.roles_of(committee)
    if text in roles:
        return text
    key = fold(text)
    return next((rid for rid, r in roles.items()
                 if key in (fold(r.name), fold(r.document_name or r.name))), None)


class _Checker:
    def __init__(self, reg: Registry, source: str) -> None:
        self.reg, self.source = reg, Path(source).name
        self.problems: list[str] = []

    def bad(self, cell: Cell | None, row: int, message: str) -> None:
        column = f"{cell.column} ({cell.header})" if cell else "-"
        self.problems.append(f"{self.source}:{row}:{column}: {message}")

    def text(self, row: dict[str, Cell], key: str, number: int) -> str | None:
        cell = row.get(key)
        if cell is None or cell.value is None:
            return None
        value = cell.value
        if cell.formula:
            self.bad(cell, number, tr("a formula: type the value itself"))
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value)
        if text.startswith(FORMULA_START):
            self.bad(cell, number, tr("starts with {char}, which a spreadsheet runs as a formula: "
                                      "remove it", char=text[0]))
            return None
        if not unicodedata.is_normalized("NFC", text):
            self.bad(cell, number, tr("text in decomposed Unicode (NFD): save the file in NFC "
                                      "(Unicode composed form)"))
            return None
        return " ".join(text.split())


def plan_rows(root: Path, table: Table, *, committee: str | None = None,
              decision: str | None = None) -> RowPlan:
    """Check every row of ``table`` against the registry in ``root``."""
    reg = open_registry(root).registry
    plan = RowPlan(table.source, problems=list(table.header_problems))
    check = _Checker(reg, table.source)
    seen: dict[tuple[str, str | None], int] = {}
    for row in table.rows:
        number = next(iter(row.values())).row if row else 0
        before = len(check.problems)
        get = {key: check.text(row, key, number) for key in row}
        name, post = get.get("name"), get.get("post")
        honorific = get.get("honorific")
        if honorific is not None:
            honorific = honorific.capitalize()
            if honorific not in ("Ông", "Bà"):
                check.bad(row["honorific"], number, tr("write Ông or Bà"))
        person = None
        external = get.get("external_id")
        if external is not None and not EXTERNAL_ID.fullmatch(external):
            check.bad(row["external_id"], number, tr("an external id has up to 64 characters "
                                                     "and no spaces"))
        by_id = sorted(pid for pid, p in reg.people.items()
                       if external is not None and p.external_id == external)
        if not name and not post and len(check.problems) == before:
            check.bad(row.get("name"), number, tr("no name (and no post)"))
        elif name and by_id:
            person = by_id[0]  # the same external id: the same person, whatever the name says
        elif name:
            matches = sorted(pid for pid, p in reg.people.items() if fold(p.name) == fold(name)
                             and not (external and p.external_id and p.external_id != external))
            if len(matches) > 1:
                check.bad(row.get("name"), number, tr("several people are named {name}: {ids}",
                                                      name=name, ids=", ".join(matches)))
            person = matches[0] if matches else None
            if person is None and honorific is None and "honorific" not in row:
                check.bad(row.get("name"), number, tr("a new person needs Ông or Bà (column "
                                                      "Danh xưng)"))
        unit = None
        if get.get("unit"):
            unit = _org(reg, get["unit"] or "")
            if unit is None:
                check.bad(row["unit"], number, tr("unknown unit '{unit}': give an organisation "
                                                  "id, name or abbreviation", unit=get["unit"]))
        if get.get("title") and not get.get("unit"):
            check.bad(row["title"], number, tr("a title needs its unit (column Đơn vị)"))
        since = None
        cell = row.get("since")
        if cell is not None and cell.value is not None and not cell.formula:
            if isinstance(cell.value, dt.date):
                since = cell.value
            else:
                try:
                    since = parse_date(str(cell.value))
                except ValueError as exc:
                    check.bad(cell, number, str(exc))
        com_text = get.get("committee") or committee
        com = None
        if com_text:
            com = _committee(reg, com_text)
            if com is None:
                check.bad(row.get("committee"), number, tr("unknown committee '{committee}'",
                                                           committee=com_text))
        role = None
        if get.get("role"):
            if com is None and not com_text:
                check.bad(row["role"], number, tr("a role needs a committee (column Ban, or "
                                                  "--committee)"))
            elif com is not None:
                role = _role(reg, com, get["role"] or "")
                if role is None:
                    check.bad(row["role"], number, tr("role '{role}' is not in the vocabulary of "
                                                      "{committee}", role=get["role"],
                                                      committee=com))
        order = None
        if get.get("order"):
            try:
                order = int(float(get["order"] or ""))
            except ValueError:
                check.bad(row["order"], number, tr("not a number"))
        dec = get.get("decision") or decision
        if role and not dec:
            check.bad(row.get("decision"), number, tr("a seat needs the decision that starts it "
                                                      "(column Quyết định, or --decision)"))
        elif dec and dec not in reg.decisions:
            check.bad(row.get("decision"), number, tr("unknown decision '{decision}'",
                                                      decision=dec))
        if name:
            key = (external or fold(name), com)
            if key in seen:
                check.bad(row.get("name"), number, tr("{name} is already on row {row}",
                                                      name=name, row=seen[key]))
            seen.setdefault(key, number)
            if person and com and any(s.person == person and s.end is None
                                      for s in reg.seats_of(com).values()):
                check.bad(row.get("name"), number, tr("{name} already holds a seat of {committee}",
                                                      name=name, committee=com))
        if get.get("title") and since is None and not (dec and dec in reg.decisions):
            check.bad(row.get("since"), number, tr("a title needs the date it was held from "
                                                   "(column Từ ngày, or a decision)"))
        if len(check.problems) > before:
            plan.skipped.append(number)
            continue
        plan.rows.append(GoodRow(number, name, honorific, person, get.get("title"), unit, since,
                                 com, role, order, dec, post, external))
    plan.problems += check.problems
    return plan


def import_rows(uow: UnitOfWork, plan: RowPlan) -> str:
    """Create the people, positions and seats of the good rows (one unit of work)."""
    book = Book(uow)
    reg = uow.loaded.registry
    created: dict[str, str] = {}
    next_order: dict[str, int] = {}
    new_positions: dict[str, list[dict[str, Any]]] = {}
    with_id: set[str] = set()
    seats = 0
    for row in plan.rows:
        when = row.since or (reg.decision_date(row.decision) if row.decision else None)
        position = ({"title": row.title, "organisation": row.unit, "since": when}
                    if row.title and row.unit and when else None)
        pid = row.person
        if row.name and pid is None:
            key = row.external_id or fold(row.name)
            if key not in created:
                created[key] = book.add("person", slugify(row.name), {
                    "name": nfc(row.name), "honorific": row.honorific or "Ông",
                    "external_id": row.external_id, "positions": []})
            pid = created[key]
        elif pid and row.external_id and reg.people[pid].external_id is None \
                and pid not in with_id:
            with_id.add(pid)
            set_field(uow.edit("person", pid), "external_id", row.external_id, Person)
        if pid and position:
            new_positions.setdefault(pid, []).append(position)
        if row.committee and row.role and row.decision:
            if row.committee not in next_order:
                next_order[row.committee] = max(
                    (s.order for s in reg.seats_of(row.committee).values()), default=0)
            order = row.order or next_order[row.committee] + 1
            next_order[row.committee] = max(next_order[row.committee], order)
            book.add("seat", f"{row.committee}-{order:02d}", {
                "committee": row.committee, "role": row.role, "order": order,
                "person": pid, "post": row.post if not pid else None,
                "unit": row.unit if not pid else None, "start": {"decision": row.decision}})
            seats += 1
    for kind, rid, data in book.pending:
        if kind == "person" and rid in new_positions:
            data["positions"] = new_positions.pop(rid)
    book.flush()
    for pid, positions in new_positions.items():
        document = uow.edit("person", pid)
        if "positions" not in document:
            set_field(document, "positions", [], Person)
        for position in positions:
            insert_item(document["positions"], len(document["positions"]), position)
    return f"Nhập bảng {Path(plan.source).name}: {len(created)} người mới, {seats} vị trí"
