"""Rules against spoofed names: invisible and direction characters, words that mix scripts,
and two records of what looks like one person, or of one external id (docs/rules.md,
R140-R144).

A name that renders like another ("Trương Hải Lοng" with a Greek omicron, or with a zero-width
joiner) would let one person be recorded twice, or a decision cite someone it does not mean.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from committee_cli.errors import Problem
from committee_cli.i18n import N_, tr
from committee_cli.model.registry import Registry
from committee_cli.rules.base import problem, rule
from committee_cli.rules.registry_rules import _timeline
from committee_cli.vietnamese import fold

# Bidirectional controls (embedding, override, isolate, marks) and zero-width characters.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                       "\u180e\u00ad\u034f\u115f\u1160\u3164\uffa0]")

# Greek and Cyrillic letters drawn like Latin ones (the usual homoglyphs), and their look-alike.
_CONFUSABLE = str.maketrans({
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "ϲ": "c",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "І": "I", "Ј": "J",
    "Ѕ": "S",
})


def _names(reg: Registry) -> Iterator[tuple[str, str, tuple[str | int, ...], str]]:
    """Every name and title a reader relies on: (kind, id, field path, text)."""
    for pid, person in reg.people.items():
        yield "person", pid, ("name",), person.name
        for i, pos in enumerate(person.positions):
            yield "person", pid, ("positions", i, "title"), pos.title
    for oid, org in reg.organisations.items():
        for field in ("name", "abbreviation", "head_title", "deputy_title"):
            value = getattr(org, field)
            if value:
                yield "organisation", oid, (field,), value
    for cid, com in reg.committees.items():
        yield "committee", cid, ("name",), com.name
        if com.short_name:
            yield "committee", cid, ("short_name",), com.short_name
    for sid, seat in reg.seats.items():
        if seat.post:
            yield "seat", sid, ("post",), seat.post
    for did, dec in reg.decisions.items():
        yield "decision", did, ("subject",), dec.subject
    for lid, basis in reg.legal_bases.items():
        yield "legal-basis", lid, ("title",), basis.title
    for tid, task in reg.tasks.items():
        yield "task", tid, ("title",), task.title
    for rid, regl in reg.regulations.items():
        yield "regulation", rid, ("title",), regl.title


_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff]")


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("LATIN", "GREEK", "CYRILLIC"):
        if name.startswith(script):
            return script
    return "OTHER"


def same_look(name: str) -> str:
    """A name as it looks: without invisible characters, homoglyphs read as Latin, folded."""
    return fold(INVISIBLE.sub("", name).translate(_CONFUSABLE))


def spoof_look(name: str) -> str:
    """A name as it is drawn: without invisible characters, homoglyphs read as Latin, in one
    case; Vietnamese letters and tone marks kept (Hùng and Hưng are two names)."""
    return unicodedata.normalize("NFC", INVISIBLE.sub("", name).translate(_CONFUSABLE)).casefold()


@rule("R140", N_("names, titles and ids hold no direction controls or invisible characters"),
      scope="record")
def no_invisible_characters(reg: Registry) -> Iterator[Problem]:
    """names, titles and ids hold no bidirectional controls or invisible (zero-width) characters, which
    change how a text is shown but not what it says

    Fix: retype the text without the character the message names
    """
    for kind, rid, path, text in _names(reg):
        found = INVISIBLE.search(text)
        if found:
            yield problem(reg, "R140", kind, rid, path, tr(
                "holds the invisible character U+{code:04X} ({name}) at position {position}: "
                "remove it (it changes how the text is shown, not what it says)",
                code=ord(found.group()), name=unicodedata.name(found.group(), "?"),
                position=found.start() + 1))


@rule("R141", N_("no word mixes Latin letters with Greek or Cyrillic ones (a warning)"),
      scope="record")
def no_mixed_scripts(reg: Registry) -> Iterator[Problem]:
    """no word of a name or title mixes Latin letters with Greek or Cyrillic look-alikes (a warning)

    Fix: retype the word in Latin letters
    """
    for kind, rid, path, text in _names(reg):
        if text.isascii() or not _GREEK_OR_CYRILLIC.search(text):
            continue
        for word in text.split():
            scripts = {s for s in map(_script, word) if s is not None}
            if "LATIN" in scripts and scripts & {"GREEK", "CYRILLIC"}:
                odd = next(c for c in word if _script(c) in ("GREEK", "CYRILLIC"))
                yield problem(reg, "R141", kind, rid, path, tr(
                    "the word '{word}' mixes Latin letters with {letter} (U+{code:04X}, "
                    "{name}), which looks like a Latin letter: retype the word",
                    word=word, letter=odd, code=ord(odd), name=unicodedata.name(odd, "?")),
                    severity="warning")
                break


@rule("R142", N_("no two people have names that look the same (a warning)"), scope="kinds",
      reads=("person",))
def no_lookalike_people(reg: Registry) -> Iterator[Problem]:
    """no two people have names that are the same once case, tone marks and look-alike letters are set
    aside (a warning)

    Fix: if they are one person, keep one record; else tell them apart (a middle name)
    """
    by_look: dict[str, list[str]] = defaultdict(list)
    for pid in sorted(reg.people):
        by_look[same_look(reg.people[pid].name)].append(pid)
    for pids in by_look.values():
        if len(pids) < 2:
            continue
        first_of: dict[str, str] = {}
        for pid in pids:
            first_of.setdefault(reg.people[pid].name, pid)
        if len(first_of) < 2:
            continue  # all written alike
        for pid in pids[1:]:
            if first_of[reg.people[pid].name] != pid:
                continue  # written exactly like an earlier one
            yield problem(reg, "R142", "person", pid, ("name",), tr(
                "'{name}' looks the same as '{other}' ({first}) once case, tone marks and "
                "look-alike letters are set aside: if it is the same person, use one record; "
                "if not, tell them apart in the name or a note", name=reg.people[pid].name,
                other=reg.people[pids[0]].name, first=pids[0]), severity="warning")


@rule("R143", N_("a committee never seats two people whose names look the same at once"),
      scope="committee")
def no_lookalike_seats(reg: Registry) -> Iterator[Problem]:
    """a committee never seats two people whose names look the same at the same time

    Fix: keep one person record for them, or end one seat
    """
    reported: set[str] = set()
    looks: dict[str, str] = {}  # of the people seated (not of every person in the registry)
    for cid, when, held in _timeline(reg):
        seen: dict[str, tuple[str, str]] = {}
        for sid, seat in held:
            person = reg.people.get(seat.person or "")
            if person is None:
                continue
            look = looks.get(person.name)
            if look is None:
                look = looks[person.name] = spoof_look(person.name)
            first = seen.get(look)
            if first is None:
                seen[look] = (sid, seat.person or "")
            elif first[1] != seat.person and sid not in reported \
                    and reg.people[first[1]].name != person.name:  # not namesakes written alike
                reported.add(sid)
                yield problem(reg, "R143", "seat", sid, ("person",), tr(
                    "'{person}' ({name}) and '{other}' of seat '{seat}' look like one person "
                    "seated twice on '{cid}' on {when}: use one person record (or, for two "
                    "people, tell the names apart)", person=seat.person, name=person.name,
                    other=first[1], seat=first[0], cid=cid, when=when.isoformat()))


@rule("R144", N_("no two people carry the same external id"), scope="kinds", reads=("person",))
def external_ids_unique(reg: Registry) -> Iterator[Problem]:
    """no two people of a registry carry the same external id (`external_id`): the id says who a
    person is across registries, so two records with one id would merge two people, or split one

    Fix: keep the id on the one person it names (`committee amend person update ID
    --external-id ""` removes it from the other), or merge the two records
    """
    holders: dict[str, list[str]] = defaultdict(list)
    for pid, person in sorted(reg.people.items()):
        if person.external_id:
            holders[person.external_id].append(pid)
    for value, pids in holders.items():
        for pid in pids[1:]:
            yield problem(reg, "R144", "person", pid, ("external_id",), tr(
                "the external id {value} is also the id of '{other}': one id names one person",
                value=value, other=pids[0]))
