"""Reviewing a change: the semantic diff between two states of a registry, and the rules that
need a base revision (``committee validate --base``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from committee_cli.errors import CommitteeError, ExitCode, Problem
from committee_cli.i18n import tr
from committee_cli.model.records import Decision, Seat
from committee_cli.model.registry import Registry
from committee_cli.queries.content import SeatChange, decision_content
from committee_cli.rules import check_revision
from committee_cli.rules.revision_rules import changed_fields
from committee_cli.rules.signed_rules import show_value
from committee_cli.services import sealing
from committee_cli.store import LoadResult, RegistryStore
from committee_cli.store.source import git
from committee_cli.vietnamese import short_citation, short_date

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
    """The registry at a git revision, or the work tree when ``rev`` is None (cached records
    where they hold)."""
    return RegistryStore(registry_dir).load(rev)


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


class _Pairing:
    """What each decision changed, as its content states it (queries.content): a new seat is
    added, replaces a holder, or is a role change; an ended seat paired with a new one is shown
    with that one. Computed once per decision."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self.done: dict[str, dict[str, SeatChange]] = {}

    def of(self, decision_id: str) -> dict[str, SeatChange]:
        if decision_id not in self.done:
            found: dict[str, SeatChange] = {}
            if decision_id in self.reg.decisions:
                for item in decision_content(self.reg, decision_id).changes:
                    found[item.key] = item
                    if item.previous is not None:
                        found.setdefault(f"previous:{item.previous.key}", item)
            self.done[decision_id] = found
        return self.done[decision_id]


_ACTION = {"add": "added", "replace": "replaced", "role": "role"}


def _seat_changes(old: Registry, new: Registry, today: date) -> list[Change]:
    changes: list[Change] = []
    pairing = _Pairing(new)
    for sid, seat in sorted(new.seats.items()):
        before = old.seats.get(sid)
        start = new.event_date(seat.start)
        role = _role_name(new, seat)
        file = new.file_of("seat", sid)
        if before is None:
            who = new.holder_text(seat, start or today)
            cite = _cite(new, seat.start.decision)
            item = pairing.of(seat.start.decision).get(sid)
            replaced = new.seats.get(item.previous.key) if item and item.previous else None
            when = f"từ {short_date(start)}" if start else ""
            action = _ACTION.get(item.kind, "added") if item else "added"
            if action == "role" and replaced is not None:
                text = (f"{who}: {_role_name(new, replaced)} → {role} ({cite}, {when})")
            elif action == "replaced" and replaced is not None:
                gone = new.holder_text(replaced, start or today, with_title=False)
                text = f"{role}: {who} thay {gone} ({cite}, {when})"
            else:
                text = f"{role}: + {who} ({cite}, {when})"
                action = "added"
            changes.append(Change(seat.committee, "seat", action, sid, text, cite, start, file))
            continue
        if seat.end is not None and before.end is None:
            end = new.event_date(seat.end)
            paired = pairing.of(seat.end.decision).get(f"previous:{sid}")
            if paired is not None and paired.key not in old.seats:
                continue  # shown as the replacement or role change
            who = new.holder_text(seat, end or today, with_title=False)
            cite = _cite(new, seat.end.decision)
            reason = f"; {seat.end.reason}" if seat.end.reason else ""
            text = f"{role}: − {who} ({cite}, đến {short_date(end) if end else '?'}{reason})"
            changes.append(Change(seat.committee, "seat", "ended", sid, text, cite, end, file))
        elif seat != before:
            fields = changed_fields(before, seat)
            text = f"{role}: {new.holder_text(seat, today, with_title=False)}: sửa {fields}"
            changes.append(Change(seat.committee, "seat", "changed", sid, text, None, None, file))
    for sid, seat in sorted(old.seats.items()):
        if sid not in new.seats:
            who = old.holder_text(seat, today, with_title=False)
            changes.append(Change(seat.committee, "seat", "removed", sid,
                                  f"{_role_name(old, seat)}: xoá bản ghi ghế {sid} ({who})",
                                  None, None, old.file_of("seat", sid)))
    return changes


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
                                  f"{task.title}: sửa {changed_fields(before, task)}", cite,
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
        elif _signature_grew(before, dec):
            changes.extend(_signature_changes(did, before, dec, cite, file))
        elif dec != before:
            changes.append(Change(dec.committee or "", "decision", "changed", did,
                                  f"Sửa {cite}: {changed_fields(before, dec)}", cite, dec.date,
                                  file))
    for did, dec in sorted(old.decisions.items()):
        if did not in new.decisions:
            cite = short_citation(dec.number, dec.symbol)
            changes.append(Change(dec.committee or "", "decision", "removed", did,
                                  f"Xoá quyết định {cite}", cite, dec.date,
                                  old.file_of("decision", did)))
    return changes


def _signature_grew(before: Decision, now: Decision) -> bool:
    """The only change is history appended to the signature (a correction, an upgrade)."""
    if before.signature is None or now.signature is None or before.signature == now.signature:
        return False
    rest = {"signature"}
    return before.model_dump(exclude=rest) == now.model_dump(exclude=rest) \
        and now.signature.extends(before.signature)


def _signature_changes(did: str, before: Decision, now: Decision, cite: str,
                       file: str) -> list[Change]:
    """A correction recorded, or a fingerprint upgraded, in words."""
    assert before.signature is not None and now.signature is not None
    changes: list[Change] = []
    for correction in now.signature.corrections[len(before.signature.corrections):]:
        facts = "; ".join(f"{c.fact}: {show_value(c.before)} → {show_value(c.after)}"
                          for c in correction.changes[:3])
        if len(correction.changes) > 3:
            facts += f" (+{len(correction.changes) - 3})"
        changes.append(Change(now.committee or "", "decision", "corrected", did,
                              f"Đính chính {cite} ngày {short_date(correction.date)}: {facts} — "
                              f"{correction.reason}", cite, correction.date, file))
    if now.signature.scheme != before.signature.scheme:
        changes.append(Change(now.committee or "", "decision", "upgraded", did,
                              f"{cite}: dấu vân tay theo lược đồ {now.signature.scheme} (giữ "
                              f"dấu cũ, lược đồ {before.signature.scheme})", cite, None, file))
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
                                  f"{word} {name}: sửa {changed_fields(before, record)}",
                                  file=new.file_of(kind, rid)))
    for rid, record in sorted(old_table.items()):
        if rid not in new_table:
            name = getattr(record, "name", None) or getattr(record, "number", rid)
            changes.append(Change("", kind, "removed", rid, f"{word}: − {name}",
                                  file=old.file_of(kind, rid)))
    return changes


def semantic_diff(old: Registry, new: Registry, today: date | None = None) -> list[Change]:
    """Every change from ``old`` to ``new``, in domain terms, grouped by committee (a seat with
    no date of its own is described as of ``today``, by default the system's date)."""
    changes = (_decision_changes(old, new) + _seat_changes(old, new, today or date.today())
               + _committee_changes(old, new)
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
        for rid, current in sorted(new_table.items()):
            before = old_table.get(rid)
            if before is None or before == current:
                continue
            was, now = before.model_dump(), current.model_dump()  # type: ignore[attr-defined]
            left = [k for k in now if was.get(k) != now.get(k)
                    and k not in named.get((kind, rid), set())]
            if not left:
                continue
            name = getattr(current, "name", None) or getattr(current, "title", None) or rid
            text = "; ".join(f"{k} {_shown(was.get(k))} → {_shown(now.get(k))}" for k in left)
            found.append(Change(getattr(current, "committee", None) or "", kind, "changed", rid,
                                f"{_LABEL[kind]} {name}: {text}", file=new.file_of(kind, rid)))
    return found


# --- rules against a base ------------------------------------------------------------------


def check_against_base(base: LoadResult, head: LoadResult) -> list[Problem]:
    """The rules that need a base revision (R201–R204, in committee_cli.rules.revision_rules)."""
    return check_revision(base.registry, head.registry)


def base_problems(registry_dir: Path, base_rev: str, head: LoadResult) -> list[Problem]:
    """Load the base revision and check the work tree against it (located problems): the
    R201–R204 rules, and what the change did to decisions signed on the base (R131, R134)."""
    base = load_revision(registry_dir, base_rev)
    signed = sealing.check_against_base(base.registry, head.registry, registry_dir, base_rev)
    return head.locate(check_against_base(base, head) + signed)
