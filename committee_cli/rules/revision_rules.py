"""Rules against a base revision (``committee validate --base``): what a change may not do to the
record as it stood on the base. Each takes the registry at the base and at the head."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from committee_cli.errors import Problem
from committee_cli.i18n import N_, tr
from committee_cli.model.records import FINGERPRINT_SCHEME, Decision, Event, Seat
from committee_cli.model.registry import Registry
from committee_cli.rules.base import revision_rule
from committee_cli.rules.registry_rules import fingerprint
from committee_cli.vietnamese import fold, short_citation


def changed_fields(before: object, after: object) -> str:
    """The names of the fields that differ between two records ('định dạng' when none do)."""
    a = before.model_dump() if hasattr(before, "model_dump") else {}
    b = after.model_dump() if hasattr(after, "model_dump") else {}
    return ", ".join(k for k in b if a.get(k) != b.get(k)) or "định dạng"


def _at(head: Registry, kind: str, rid: str, path: tuple[str | int, ...], code: str,
        message: str) -> Problem:
    return Problem(code, message, head.file_of(kind, rid), path=path)


@revision_rule("R201", N_("a decision signed on the base was not edited or deleted"))
def signed_unchanged(old: Registry, new: Registry) -> Iterator[Problem]:
    """a decision signed on the base was not edited or deleted

    Fix: restore it; issue a new decision instead
    """
    for did, dec in old.decisions.items():
        if dec.status != "signed":
            continue
        now = new.decisions.get(did)
        if now is None:
            yield Problem("R201", tr("signed decision '{did}' ({short_citation}) was deleted: a "
                                     "signed decision is part of the record; restore it", did=did,
                                     short_citation=short_citation(dec.number, dec.symbol)),
                          old.file_of("decision", did))
        elif now.status != "signed" or now.signature is None or dec.signature is None \
                or not now.signature.extends(dec.signature) \
                or (now.signature.scheme < FINGERPRINT_SCHEME and fingerprint(now) != fingerprint(dec)):
            yield _at(new, "decision", did, ("status",), "R201",
                      tr("signed decision '{did}' was edited ({changed_fields}): a signed "
                         "decision is frozen; undo the edit and issue a new decision instead",
                         did=did, changed_fields=changed_fields(dec, now)))


def _forced(event: Event) -> bool:
    """An amendment made with --force-signed records its reason on the event (R202 reads it)."""
    return bool(event.forced and event.forced.strip())


_R202 = N_("a seat added or ended by the change cites a decision that is new or was a draft on the base")


@revision_rule("R202", _R202)
def seat_change_cites_new_decision(old: Registry, new: Registry) -> Iterator[Problem]:
    """a seat added or ended by the change cites a decision that is new in the change or was still a draft on
    the base (an amendment made with `--force-signed REASON` records the reason and passes)

    Fix: draft a decision for the change (`committee decision new`)
    """
    for sid, seat in new.seats.items():
        before = old.seats.get(sid)
        events = []
        if before is None:
            events.append(("start", seat.start))
        if seat.end is not None and (before is None or before.end is None):
            events.append(("end", seat.end))
        for field, event in events:
            was = old.decisions.get(event.decision)
            if was is not None and was.status == "signed" and not _forced(event):
                cite = short_citation(was.number, was.symbol)
                yield _at(new, "seat", sid, (field, "decision"), "R202",
                          tr("this seat's {field} cites {cite}, signed before this change: a "
                             "change of members needs its own decision (`committee decision "
                             "new`), or `--force-signed REASON` on the amendment", field=field,
                             cite=cite))


@revision_rule("R203", N_("a new decision's number does not collide with one on the base"))
def number_free_on_base(old: Registry, new: Registry) -> Iterator[Problem]:
    """a new decision's number does not collide with one on the base (two branches taking the same next
    number)

    Fix: take the next free number after rebasing
    """
    taken: dict[tuple[str, int, int], str] = {}
    for did, dec in old.decisions.items():
        if dec.number is not None:
            taken[(dec.symbol, dec.date.year, dec.number)] = did
    for did, dec in new.decisions.items():
        if dec.number is None:
            continue
        other = taken.get((dec.symbol, dec.date.year, dec.number))
        if other is not None and other != did:
            yield _at(new, "decision", did, ("number",), "R203",
                      tr("number {number}/{symbol} of {year} is already taken on the base by "
                         "'{other}': take the next free number", number=dec.number,
                         symbol=dec.symbol, year=dec.date.year, other=other))


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


@revision_rule("R204", N_("an id on the base was not reused for a different entity"))
def ids_not_reused(old: Registry, new: Registry) -> Iterator[Problem]:
    """an id on the base was not reused for a different entity (another person, another seat)

    Fix: give the new record a new id
    """
    for kind in ("person", "seat", "decision", "committee"):
        old_table, new_table = old.table(kind), new.table(kind)
        for rid, record in new_table.items():
            before = old_table.get(rid)
            if before is None:
                continue
            a, b = _identity(kind, before), _identity(kind, record)
            if a is None or b is None or a == b:
                continue
            if kind == "person" and difflib.SequenceMatcher(None, a, b).ratio() >= 0.6:
                continue  # a corrected spelling, not another person
            yield _at(new, kind, rid, (), "R204",
                      tr("id '{rid}' named another {kind} on the base ({a} → {b}): ids are never "
                         "reused; give the new record a new id", rid=rid, kind=kind, a=a, b=b))
