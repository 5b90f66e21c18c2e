"""Reviewing a change: the semantic diff between two states of a registry, and the rules that
need a base revision (``committee validate --base``)."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from committee_cli.errors import CommitteeError, ExitCode, Problem
from committee_cli.i18n import tr
from committee_cli.model.records import Decision, Seat
from committee_cli.model.registry import Registry
from committee_cli.rules.registry_rules import fingerprint
from committee_cli.store import GitSource, LoadResult, load
from committee_cli.store.source import git
from committee_cli.vietnamese import fold, short_citation, short_date

# --- loading both sides ---------------------------------------------------------------------


def default_base(registry_dir: Path) -> str:
    """The merge base of HEAD with the default branch (origin/HEAD, main or master)."""
    for candidate in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        try:
            git(registry_dir, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
        except CommitteeError:
            continue
        try:
            return git(registry_dir, "merge-base", "HEAD", candidate).decode().strip()
        except CommitteeError:
            continue
    raise CommitteeError(tr("no default branch found (origin/HEAD, main, master): name the base "
                            "revision, e.g. `committee diff HEAD~1`"), ExitCode.GIT)


def load_revision(registry_dir: Path, rev: str | None) -> LoadResult:
    """The registry at a git revision, or the work tree when ``rev`` is None."""
    if rev is None:
        from committee_cli.services.validation import open_registry

        return open_registry(registry_dir)  # the work tree: cached records where they hold
    return load(GitSource(registry_dir, rev))


# --- the semantic diff ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change in domain terms, citing the decision behind it."""

    committee: str  # committee id, or "" for registry-wide records
    category: str  # seat, person, duty, regulation, task, decision, committee, organisation, ...
    action: str  # added, ended, replaced, role, changed, removed, signed, status, deadline
    record: str  # the record id
    text: str  # the change in words (Vietnamese)
    decision: str | None = None  # citation, e.g. "QĐ 1050/QĐ-BNV"
    date: date | None = None
    file: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON shape (docs/ci.md)."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


def _cite(reg: Registry, decision_id: str) -> str:
    dec = reg.decisions.get(decision_id)
    if dec is None:
        return decision_id
    return short_citation(dec.number, dec.symbol)


def _role_name(reg: Registry, seat: Seat) -> str:
    role = reg.roles_of(seat.committee).get(seat.role)
    return role.name if role else seat.role


def _seat_changes(old: Registry, new: Registry) -> list[Change]:
    changes: list[Change] = []
    for sid, seat in sorted(new.seats.items()):
        before = old.seats.get(sid)
        start = new.event_date(seat.start)
        role = _role_name(new, seat)
        file = new.file_of("seat", sid)
        if before is None:
            who = new.holder_text(seat, start or date.today())
            cite = _cite(new, seat.start.decision)
            replaced = new.seats.get(seat.replaces or "")
            when = f"từ {short_date(start)}" if start else ""
            if replaced is not None and replaced.person == seat.person and replaced.role != seat.role:
                text = (f"{who}: {_role_name(new, replaced)} → {role} ({cite}, {when})")
                action = "role"
            elif replaced is not None:
                gone = new.holder_text(replaced, start or date.today(), with_title=False)
                text = f"{role}: {who} thay {gone} ({cite}, {when})"
                action = "replaced"
            else:
                text = f"{role}: + {who} ({cite}, {when})"
                action = "added"
            changes.append(Change(seat.committee, "seat", action, sid, text, cite, start, file))
            continue
        if seat.end is not None and before.end is None:
            end = new.event_date(seat.end)
            if any(s.replaces == sid and sid2 not in old.seats for sid2, s in new.seats.items()):
                continue  # shown as the replacement or role change
            who = new.holder_text(seat, end or date.today(), with_title=False)
            cite = _cite(new, seat.end.decision)
            reason = f"; {seat.end.reason}" if seat.end.reason else ""
            text = f"{role}: − {who} ({cite}, đến {short_date(end) if end else '?'}{reason})"
            changes.append(Change(seat.committee, "seat", "ended", sid, text, cite, end, file))
        elif seat != before:
            fields = _changed_fields(before, seat)
            text = f"{role}: {new.holder_text(seat, date.today(), with_title=False)}: sửa {fields}"
            changes.append(Change(seat.committee, "seat", "changed", sid, text, None, None, file))
    for sid, seat in sorted(old.seats.items()):
        if sid not in new.seats:
            who = old.holder_text(seat, date.today(), with_title=False)
            changes.append(Change(seat.committee, "seat", "removed", sid,
                                  f"{_role_name(old, seat)}: xoá bản ghi ghế {sid} ({who})",
                                  None, None, old.file_of("seat", sid)))
    return changes


def _changed_fields(before: object, after: object) -> str:
    a = before.model_dump() if hasattr(before, "model_dump") else {}
    b = after.model_dump() if hasattr(after, "model_dump") else {}
    return ", ".join(k for k in b if a.get(k) != b.get(k)) or "định dạng"


def _person_changes(old: Registry, new: Registry) -> list[Change]:
    changes: list[Change] = []
    for pid, person in sorted(new.people.items()):
        before = old.people.get(pid)
        file = new.file_of("person", pid)
        name = f"{person.honorific} {person.name}"
        if before is None:
            changes.append(Change("", "person", "added", pid, f"Người mới: {name}", file=file))
            continue
        old_positions = {(p.title, p.organisation, p.since): p for p in before.positions}
        for pos in person.positions:
            key = (pos.title, pos.organisation, pos.since)
            title = new.title_text(pos.title, pos.organisation)
            if key not in old_positions:
                changes.append(Change("", "person", "position", pid,
                                      f"{name}: + {title} (từ {short_date(pos.since)})",
                                      date=pos.since, file=file))
            elif pos.until and old_positions[key].until != pos.until:
                changes.append(Change("", "person", "position", pid,
                                      f"{name}: − {title} (đến {short_date(pos.until)})",
                                      date=pos.until, file=file))
        if (before.name, before.honorific) != (person.name, person.honorific):
            changes.append(Change("", "person", "changed", pid,
                                  f"{before.honorific} {before.name} → {name}", file=file))
    for pid, person in sorted(old.people.items()):
        if pid not in new.people:
            changes.append(Change("", "person", "removed", pid,
                                  f"Xoá người: {person.honorific} {person.name}",
                                  file=old.file_of("person", pid)))
    return changes


def _committee_changes(old: Registry, new: Registry) -> list[Change]:
    changes: list[Change] = []
    for cid, com in sorted(new.committees.items()):
        before = old.committees.get(cid)
        file = new.file_of("committee", cid)
        if before is None:
            changes.append(Change(cid, "committee", "added", cid, f"Ban mới: {com.name}", file=file))
            old_duties = {}
        else:
            old_duties = {d.id: d for d in before.duties}
            rest_old = before.model_dump(exclude={"duties"})
            rest_new = com.model_dump(exclude={"duties"})
            if rest_old != rest_new:
                fields = ", ".join(k for k in rest_new if rest_old.get(k) != rest_new.get(k))
                changes.append(Change(cid, "committee", "changed", cid,
                                      f"{com.short_name or com.name}: sửa {fields}", file=file))
        for duty in com.duties:
            was = old_duties.get(duty.id)
            if was is None:
                cite = _cite(new, duty.start.decision)
                changes.append(Change(cid, "duty", "added", f"{cid}/{duty.id}",
                                      f"Nhiệm vụ: + {duty.text} ({cite})", cite,
                                      new.event_date(duty.start), file))
            elif duty.end is not None and was.end is None:
                cite = _cite(new, duty.end.decision)
                changes.append(Change(cid, "duty", "ended", f"{cid}/{duty.id}",
                                      f"Nhiệm vụ: − {duty.text} ({cite})", cite,
                                      new.event_date(duty.end), file))
            elif duty.text != was.text:
                changes.append(Change(cid, "duty", "changed", f"{cid}/{duty.id}",
                                      f"Nhiệm vụ {duty.id}: “{was.text}” → “{duty.text}”",
                                      file=file))
        new_duty_ids = {d.id for d in com.duties}
        for duty_id, duty in old_duties.items():
            if duty_id not in new_duty_ids:
                changes.append(Change(cid, "duty", "removed", f"{cid}/{duty_id}",
                                      f"Nhiệm vụ: xoá {duty.text}", file=file))
    return changes


def _regulation_changes(old: Registry, new: Registry) -> list[Change]:
    changes: list[Change] = []
    for rid, regl in sorted(new.regulations.items()):
        before = old.regulations.get(rid)
        file = new.file_of("regulation", rid)
        cite = _cite(new, regl.issued_by)
        if before is None:
            articles = sum(len(ch.articles) for ch in regl.chapters)
            changes.append(Change(regl.committee, "regulation", "added", rid,
                                  f"Quy chế phiên bản {regl.version}: {regl.title} "
                                  f"({articles} điều, {cite})", cite, new.decision_date(regl.issued_by),
                                  file))
            continue
        old_articles = {a.title: a for ch in before.chapters for a in ch.articles}
        new_articles = {a.title: a for ch in regl.chapters for a in ch.articles}
        for title, article in new_articles.items():
            if title not in old_articles:
                changes.append(Change(regl.committee, "regulation", "added", rid,
                                      f"Quy chế: + Điều “{title}”", cite, file=file))
            elif article != old_articles[title]:
                changes.append(Change(regl.committee, "regulation", "changed", rid,
                                      f"Quy chế: sửa Điều “{title}”", cite, file=file))
        for title in old_articles:
            if title not in new_articles:
                changes.append(Change(regl.committee, "regulation", "removed", rid,
                                      f"Quy chế: − Điều “{title}”", cite, file=file))
    return changes


def _task_changes(old: Registry, new: Registry) -> list[Change]:
    changes: list[Change] = []
    for tid, task in sorted(new.tasks.items()):
        before = old.tasks.get(tid)
        file = new.file_of("task", tid)
        cite = _cite(new, task.assigned_by)
        if before is None:
            deadline = f", hạn {short_date(task.deadline)}" if task.deadline else ""
            changes.append(Change(task.committee, "task", "added", tid,
                                  f"Nhiệm vụ được giao: + {task.title} ({cite}{deadline})", cite,
                                  task.assigned, file))
            continue
        if task.status != before.status:
            changes.append(Change(task.committee, "task", "status", tid,
                                  f"{task.title}: {before.status} → {task.status}", cite,
                                  task.completed, file))
        if task.deadline != before.deadline:
            was = short_date(before.deadline) if before.deadline else "không hạn"
            now = short_date(task.deadline) if task.deadline else "không hạn"
            changes.append(Change(task.committee, "task", "deadline", tid,
                                  f"{task.title}: hạn {was} → {now}", cite, task.deadline, file))
        rest = {"status", "deadline", "history", "completed"}
        if task.model_dump(exclude=rest) != before.model_dump(exclude=rest):
            changes.append(Change(task.committee, "task", "changed", tid,
                                  f"{task.title}: sửa {_changed_fields(before, task)}", cite,
                                  file=file))
    for tid, task in sorted(old.tasks.items()):
        if tid not in new.tasks:
            changes.append(Change(task.committee, "task", "removed", tid,
                                  f"Xoá nhiệm vụ: {task.title}", file=old.file_of("task", tid)))
    return changes


def _decision_changes(old: Registry, new: Registry) -> list[Change]:
    changes: list[Change] = []
    for did, dec in sorted(new.decisions.items()):
        before = old.decisions.get(did)
        file = new.file_of("decision", did)
        cite = short_citation(dec.number, dec.symbol)
        if before is None:
            state = "đã ký" if dec.status == "signed" else "dự thảo"
            changes.append(Change(dec.committee or "", "decision", "added", did,
                                  f"Quyết định mới ({state}): {cite} {dec.subject}", cite,
                                  dec.date, file))
        elif before.status != "signed" and dec.status == "signed":
            when = dec.signature.date if dec.signature else dec.date
            changes.append(Change(dec.committee or "", "decision", "signed", did,
                                  f"Ký {cite} ngày {short_date(when)}: {dec.subject}", cite, when,
                                  file))
        elif dec != before:
            changes.append(Change(dec.committee or "", "decision", "changed", did,
                                  f"Sửa {cite}: {_changed_fields(before, dec)}", cite, dec.date,
                                  file))
    for did, dec in sorted(old.decisions.items()):
        if did not in new.decisions:
            cite = short_citation(dec.number, dec.symbol)
            changes.append(Change(dec.committee or "", "decision", "removed", did,
                                  f"Xoá quyết định {cite}", cite, dec.date,
                                  old.file_of("decision", did)))
    return changes


def _simple_changes(old: Registry, new: Registry, kind: str, word: str) -> list[Change]:
    changes: list[Change] = []
    old_table, new_table = old.table(kind), new.table(kind)
    for rid, record in sorted(new_table.items()):
        before = old_table.get(rid)
        name = getattr(record, "name", None) or getattr(record, "number", rid)
        if before is None:
            changes.append(Change("", kind, "added", rid, f"{word}: + {name}",
                                  file=new.file_of(kind, rid)))
        elif before != record:
            changes.append(Change("", kind, "changed", rid,
                                  f"{word} {name}: sửa {_changed_fields(before, record)}",
                                  file=new.file_of(kind, rid)))
    for rid, record in sorted(old_table.items()):
        if rid not in new_table:
            name = getattr(record, "name", None) or getattr(record, "number", rid)
            changes.append(Change("", kind, "removed", rid, f"{word}: − {name}",
                                  file=old.file_of(kind, rid)))
    return changes


def semantic_diff(old: Registry, new: Registry) -> list[Change]:
    """Every change from ``old`` to ``new``, in domain terms, grouped by committee."""
    changes = (_decision_changes(old, new) + _seat_changes(old, new) + _committee_changes(old, new)
               + _regulation_changes(old, new) + _task_changes(old, new)
               + _person_changes(old, new)
               + _simple_changes(old, new, "organisation", "Đơn vị")
               + _simple_changes(old, new, "legal-basis", "Căn cứ pháp lý"))
    changes += field_level_changes(old, new, changes)
    order = {"decision": 0, "seat": 1, "duty": 2, "committee": 3, "regulation": 4, "task": 5,
             "person": 6, "organisation": 7, "legal-basis": 8}
    return sorted(changes, key=lambda c: (c.committee == "", c.committee, order.get(c.category, 9),
                                          c.date or date.min, c.record))


# Fields a specific wording above speaks of, by (category, action): the fallback below
# reports every other field that changed.
_WORDED: dict[tuple[str, str], frozenset[str]] = {
    ("seat", "ended"): frozenset({"end"}),
    ("person", "position"): frozenset({"positions"}),
    ("person", "changed"): frozenset({"name", "honorific"}),
    ("task", "status"): frozenset({"status", "completed"}),
    ("task", "deadline"): frozenset({"deadline"}),
    ("decision", "signed"): frozenset({"status", "signature", "number"}),
    ("regulation", "added"): frozenset({"chapters"}),
    ("regulation", "changed"): frozenset({"chapters"}),
    ("regulation", "removed"): frozenset({"chapters"}),
    ("duty", "added"): frozenset({"duties"}),
    ("duty", "ended"): frozenset({"duties"}),
    ("duty", "changed"): frozenset({"duties"}),
    ("duty", "removed"): frozenset({"duties"}),
}
_LABEL = {"organisation": "Đơn vị", "person": "Người", "legal-basis": "Căn cứ pháp lý",
          "decision": "Quyết định", "committee": "Ban", "seat": "Ghế", "regulation": "Quy chế",
          "task": "Nhiệm vụ"}


def _shown(value: object) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    text = value.isoformat() if isinstance(value, date) else (
        str(value) if isinstance(value, str | int | float) else "(nhiều mục)")
    return f"“{text[:57]}…”" if len(text) > 60 else f"“{text}”"


def field_level_changes(old: Registry, new: Registry, reported: list[Change]) -> list[Change]:
    """Every changed field of every record that no specific wording above names: "Người
    Trương Hải Long: note “…” → “…”" (a note, a product, a coordinator, …)."""
    named: dict[tuple[str, str], set[str]] = {}
    for change in reported:
        kind = "committee" if change.category == "duty" else change.category
        record = change.record.split("/", 1)[0] if change.category == "duty" else change.record
        fields = named.setdefault((kind, record), set())
        fields |= _WORDED.get((change.category, change.action), set())
        if change.action == "changed":  # "sửa a, b": the fields it lists
            fields |= {w.strip(" ,:") for w in change.text.replace(",", " ").split()}
    found: list[Change] = []
    for kind in _LABEL:
        old_table, new_table = old.table(kind), new.table(kind)
        for rid, record in sorted(new_table.items()):
            before = old_table.get(rid)
            if before is None or before == record:
                continue
            was, now = before.model_dump(), record.model_dump()  # type: ignore[attr-defined]
            left = [k for k in now if was.get(k) != now.get(k)
                    and k not in named.get((kind, rid), set())]
            if not left:
                continue
            name = getattr(record, "name", None) or getattr(record, "title", None) or rid
            text = "; ".join(f"{k} {_shown(was.get(k))} → {_shown(now.get(k))}" for k in left)
            found.append(Change(getattr(record, "committee", None) or "", kind, "changed", rid,
                                f"{_LABEL[kind]} {name}: {text}", file=new.file_of(kind, rid)))
    return found


# --- rules against a base ------------------------------------------------------------------


def _at(result: LoadResult, kind: str, rid: str, path: tuple[str | int, ...], code: str,
        message: str) -> Problem:
    rel = result.registry.file_of(kind, rid)
    return Problem(code, message, rel, path=path)


def check_against_base(base: LoadResult, head: LoadResult) -> list[Problem]:
    """The rules that need a base revision (R201–R204), located in the head's files."""
    old, new = base.registry, head.registry
    problems: list[Problem] = []
    for did, dec in old.decisions.items():
        if dec.status != "signed":
            continue
        now = new.decisions.get(did)
        if now is None:
            problems.append(Problem("R201", tr("signed decision '{did}' ({short_citation}) was "
                                               "deleted: a signed decision is part of the "
                                               "record; restore it", did=did,
                                               short_citation=short_citation(dec.number, dec.symbol)),
                                    old.file_of("decision", did)))
        elif fingerprint(now) != fingerprint(dec) or now.status != "signed" \
                or now.signature != dec.signature:
            problems.append(_at(head, "decision", did, ("status",), "R201",
                                tr("signed decision '{did}' was edited ({changed_fields}): a "
                                   "signed decision is frozen; undo the edit and issue a new "
                                   "decision instead", did=did,
                                   changed_fields=_changed_fields(dec, now))))
    for sid, seat in new.seats.items():
        before = old.seats.get(sid)
        events = []
        if before is None:
            events.append(("start", seat.start))
        if seat.end is not None and (before is None or before.end is None):
            events.append(("end", seat.end))
        for field, event in events:
            was = old.decisions.get(event.decision)
            if was is not None and was.status == "signed" and not _forced(event.reason):
                cite = short_citation(was.number, was.symbol)
                problems.append(_at(head, "seat", sid, (field, "decision"), "R202",
                                    tr("this seat's {field} cites {cite}, signed before this "
                                       "change: a change of members needs its own decision "
                                       "(`committee decision new`), or `--force-signed REASON` "
                                       "on the amendment", field=field, cite=cite)))
    taken: dict[tuple[str, int, int], str] = {}
    for did, dec in old.decisions.items():
        if dec.number is not None:
            taken[(dec.symbol, dec.date.year, dec.number)] = did
    for did, dec in new.decisions.items():
        if dec.number is None:
            continue
        other = taken.get((dec.symbol, dec.date.year, dec.number))
        if other is not None and other != did:
            problems.append(_at(head, "decision", did, ("number",), "R203",
                                tr("number {number}/{symbol} of {year} is already taken on the "
                                   "base by '{other}': take the next free number", number=dec.number,
                                   symbol=dec.symbol, year=dec.date.year, other=other)))
    problems.extend(_reused_ids(base, head))
    return problems


def _forced(reason: str | None) -> bool:
    return bool(reason) and (reason or "").startswith("force-signed:")


def _identity(kind: str, record: object) -> str | None:
    if kind == "person":
        return fold(f"{record.honorific} {record.name}")  # type: ignore[attr-defined]
    if kind == "seat":
        s: Seat = record  # type: ignore[assignment]
        return f"{s.committee}|{s.person or ''}|{s.post or ''}|{s.unit or ''}"
    if kind == "decision":
        d: Decision = record  # type: ignore[assignment]
        return f"{d.symbol}|{d.date.year}"
    if kind == "committee":
        return record.organisation  # type: ignore[attr-defined, no-any-return]
    return None


def _reused_ids(base: LoadResult, head: LoadResult) -> list[Problem]:
    problems: list[Problem] = []
    for kind in ("person", "seat", "decision", "committee"):
        old_table, new_table = base.registry.table(kind), head.registry.table(kind)
        for rid, record in new_table.items():
            before = old_table.get(rid)
            if before is None:
                continue
            a, b = _identity(kind, before), _identity(kind, record)
            if a is None or b is None or a == b:
                continue
            if kind == "person" and difflib.SequenceMatcher(None, a, b).ratio() >= 0.6:
                continue  # a corrected spelling, not another person
            problems.append(_at(head, kind, rid, (), "R204",
                                tr("id '{rid}' named another {kind} on the base ({a} → {b}): ids "
                                   "are never reused; give the new record a new id", rid=rid,
                                   kind=kind, a=a, b=b)))
    return problems


def base_problems(registry_dir: Path, base_rev: str, head: LoadResult) -> list[Problem]:
    """Load the base revision and check the work tree against it (located problems)."""
    base = load_revision(registry_dir, base_rev)
    return head.locate(check_against_base(base, head))
