"""What every query needs: opening a registry, resolving what the user named, shared wording."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Event, Person, Seat
from committee_cli.model.registry import Registry
from committee_cli.rules.base import did_you_mean
from committee_cli.vietnamese import fold, nfc, short_citation, short_date

# Statuses after which a task can no longer be overdue.
CLOSED_STATUSES = frozenset({"done", "cancelled"})


def open_registry(root: Path) -> Registry:
    """Load the registry in ``root`` for querying; files that do not load make it invalid."""
    from committee_cli.services.validation import open_loadable
    from committee_cli.store import DirSource

    return open_loadable(DirSource(root), root, "ask").registry


# --- naming things ------------------------------------------------------------------------


class Answer:
    """Base of the query results (dataclasses): ``as_dict()`` is the JSON shape in docs/queries.md."""

    def as_dict(self) -> dict[str, Any]:
        """The result as plain dicts and lists (dates stay dates; the printer writes them ISO)."""
        return asdict(self)  # type: ignore[call-overload, no-any-return]


@dataclass(frozen=True)
class Ref(Answer):
    """A record named in an answer: its id and its name."""

    id: str
    name: str


def committee_ref(reg: Registry, committee_id: str) -> Ref:
    """The committee's id and name."""
    committee = reg.committees.get(committee_id)
    return Ref(committee_id, committee.name if committee else committee_id)


def org_name(reg: Registry, org_id: str | None) -> str | None:
    """An organisation's name (its id when it is not in the registry)."""
    if org_id is None:
        return None
    org = reg.organisations.get(org_id)
    return org.name if org else org_id


def person_label(person: Person) -> str:
    """``Bà Phạm Thị Thanh Trà``: honorific and full name."""
    return f"{person.honorific} {person.name}"


def person_name(reg: Registry, person_id: str | None) -> str | None:
    """A person's label with honorific (the id when the person is not in the registry)."""
    if person_id is None:
        return None
    person = reg.people.get(person_id)
    return person_label(person) if person else person_id


def seat_holder(reg: Registry, seat: Seat) -> str:
    """Who holds a seat: ``Ông Trương Hải Long``, or the post and unit ``Đại diện lãnh đạo Văn phòng Bộ``."""
    return reg.holder_text(seat, date.today(), with_title=False)


def role_name(reg: Registry, committee_id: str, role_id: str) -> str:
    """The name of a role in a committee's vocabulary (the id when unknown)."""
    role = reg.roles_of(committee_id).get(role_id)
    return role.name if role else role_id


def citation(reg: Registry, decision_id: str | None) -> str | None:
    """``QĐ 913/QĐ-BNV`` (a draft: ``dự thảo QĐ-BNV``); the id when the decision is unknown."""
    if decision_id is None:
        return None
    decision = reg.decisions.get(decision_id)
    if decision is None:
        return decision_id
    return short_citation(decision.number, decision.symbol)


def title_at(reg: Registry, person_id: str, as_of: date) -> tuple[str | None, str | None]:
    """A person's title(s) and the unit of the first one, on ``as_of``."""
    positions = reg.positions_at(person_id, as_of)
    if not positions:
        return None, None
    return "; ".join(p.title for p in positions), positions[0].organisation


def title_phrase(reg: Registry, person_id: str, as_of: date) -> str | None:
    """``Vụ trưởng Vụ Pháp chế``; ``Vụ trưởng, Giám đốc Trung tâm Thông tin`` for two titles at
    once: the phrase documents print (``Registry.titles_text``), on ``as_of``."""
    return reg.titles_text(person_id, as_of)


def event_span(reg: Registry, start: Event, end: Event | None) -> tuple[date | None, date | None]:
    """The start date and the end date (exclusive) of something started and ended by decisions."""
    return reg.event_date(start), reg.event_date(end) if end else None


def day(value: date | None) -> str:
    """``30/8/2021`` as written in running text ('' for no date)."""
    return short_date(value) if value else ""


# --- resolving what the user typed -----------------------------------------------------------


def _matching(text: str, named: Iterable[tuple[str, Iterable[str | None]]]) -> list[str]:
    key = fold(text)
    return [rid for rid, names in named if any(n and fold(n) == key for n in names)]


def _unknown(what: str, text: str, ids: Iterable[str], names: Iterable[str], known: list[str],
             where: str = "") -> UsageError:
    """A usage error for a name that matches nothing: the closest id, else the closest name."""
    hint = did_you_mean(text, ids) or folded_hint(text, names, limit=1)
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return UsageError(tr("no {what} '{text}'{where}{hint}; known: {shown}", what=what, text=text,
                         where=where, hint=hint, shown=shown or '(none)'))


def resolve_committee(reg: Registry, text: str | None) -> str:
    """The id of the committee the user named (id, name or short name, folded).

    With no name, the only committee without a parent is meant; otherwise the user must name one.
    """
    if text is None:
        tops = sorted(cid for cid, c in reg.committees.items() if c.parent is None)
        if len(tops) == 1:
            return tops[0]
        if not reg.committees:
            raise UsageError(tr("the registry has no committee yet: add one under committees/"))
        listed = ", ".join(tops[:12] or sorted(reg.committees)[:12])
        raise UsageError(tr("the registry has {count} top-level committees: name one (e.g. "
                            "{listed})", count=len(tops) or len(reg.committees), listed=listed))
    text = nfc(text.strip())
    if text in reg.committees:
        return text
    found = _matching(text, ((cid, (c.name, c.short_name)) for cid, c in reg.committees.items()))
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(tr("'{text}' names {count} committees ({sorted}): give the id", text=text,
                            count=len(found), sorted=', '.join(sorted(found))))
    names = [n for c in reg.committees.values() for n in (c.name, c.short_name) if n]
    raise _unknown("committee", text, reg.committees, names, sorted(reg.committees))


def resolve_role(reg: Registry, committee_id: str, text: str) -> str:
    """The id of a role of the committee's vocabulary, given its id or name (folded)."""
    roles = reg.roles_of(committee_id)
    text = nfc(text.strip())
    if text in roles:
        return text
    found = _matching(text, ((rid, (r.name,)) for rid, r in roles.items()))
    if found:
        return found[0]
    raise _unknown("role", text, roles, [r.name for r in roles.values()],
                   [f"{rid} ({r.name})" for rid, r in roles.items()],
                   where=f" in committee '{committee_id}'")


def resolve_unit(reg: Registry, text: str) -> str:
    """The id of an organisation given its id, name or abbreviation (folded)."""
    text = nfc(text.strip())
    if text in reg.organisations:
        return text
    found = _matching(text, ((oid, (o.name, o.abbreviation))
                             for oid, o in reg.organisations.items()))
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(tr("'{text}' names {count} organisations ({sorted}): give the id",
                            text=text, count=len(found), sorted=', '.join(sorted(found))))
    raise _unknown("organisation", text, reg.organisations,
                   [o.name for o in reg.organisations.values()], sorted(reg.organisations))


def folded_hint(text: str, names: Iterable[str], limit: int = 3) -> str:
    """`` (did you mean 'A', 'B'?)`` for names close to ``text`` once folded, else ''."""
    by_fold: dict[str, str] = {}
    for name in names:
        by_fold.setdefault(fold(name), name)
    close = difflib.get_close_matches(fold(text), list(by_fold), n=limit, cutoff=0.6)
    if not close:
        return ""
    return f" (did you mean {', '.join(repr(by_fold[c]) for c in close)}?)"
