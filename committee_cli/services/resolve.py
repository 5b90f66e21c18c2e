"""Naming records on the command line: a decision by id or citation ("913/QĐ-BNV"), a role by
id or name ("Ủy viên", any case, with or without tones), a legal basis by id (a legal-basis
record or a registry decision), and new ids within the documented cap."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Role
from committee_cli.model.registry import Registry
from committee_cli.rules.base import did_you_mean
from committee_cli.services.ids import check_id
from committee_cli.vietnamese import fold, nfc

if TYPE_CHECKING:  # (a reader resolving a citation loads no unit of work, lock or YAML writer)
    from committee_cli.services.unit_of_work import UnitOfWork

_CITATION = re.compile(r"^\s*(?:(?:QĐ|qđ|Qđ)\s+)?(\d+)\s*/\s*([^\s/]+)(?:\s*/\s*(\d{4}))?\s*$")


def clean_text(value: str | None) -> str | None:
    """A text as records keep it: NFC, runs of spaces made one, ends trimmed (None stays)."""
    return None if value is None else " ".join(nfc(value).split())


def check_new_id(record_id: str) -> str:
    """Refuse an unsafe id (one that could escape its folder) or one longer than the cap
    (``ID_MAX_LENGTH``, docs/registry-format.md)."""
    check_id(record_id)
    return record_id


def decision_by_citation(registry: Registry, ref: str) -> str:
    """The id of the decision a citation ``913/QĐ-BNV`` names (``/2021`` picks a year when the
    number recurs); any other text is returned as it is, for the caller's own lookup."""
    decisions = registry.decisions
    found = _CITATION.match(nfc(ref))
    if ref in decisions or not found:
        return ref
    number, symbol, year = int(found.group(1)), fold(found.group(2)), found.group(3)
    matches = sorted(did for did, dec in decisions.items()
                     if dec.number == number and fold(dec.symbol) == symbol
                     and (year is None or dec.date.year == int(year)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UsageError(tr("{ref} names {count} decisions ({ids}): add the year "
                            "({ref}/YYYY) or give the id", ref=ref.strip(),
                            count=len(matches), ids=", ".join(matches)))
    raise UsageError(tr("no decision {ref} in the registry: `committee decisions` lists "
                        "them", ref=ref.strip()))


def resolve_decision(uow: UnitOfWork, ref: str) -> str:
    """The id of a decision named by its id or its citation (an unknown id: did-you-mean)."""
    decision_id = decision_by_citation(uow.registry, ref)
    uow.get("decision", decision_id)
    return decision_id


def resolve_decision_opt(uow: UnitOfWork, ref: str | None) -> str | None:
    """:func:`resolve_decision`, or ``None`` when nothing was given."""
    return None if ref is None else resolve_decision(uow, ref)


def role_in(roles: dict[str, Role], ref: str, where: str) -> str:
    """The id of a role of a vocabulary named by its id, name or document name."""
    if ref in roles:
        return ref
    wanted = fold(" ".join(nfc(ref).split()))
    matches = [rid for rid, role in roles.items()
               if wanted in {fold(role.name), fold(role.document_name or role.name), fold(rid)}]
    if len(matches) == 1:
        return matches[0]
    names = [r.name for r in roles.values()]
    raise UsageError(tr("role '{role}' is not in the vocabulary of {where}{suggestion}; roles: "
                        "{roles}", role=ref, where=where,
                        suggestion=did_you_mean(ref, [*roles, *names]),
                        roles=", ".join(f"{rid} ({r.name})" for rid, r in roles.items())))


def resolve_role(uow: UnitOfWork, committee: str, ref: str) -> str:
    """The id of a role of a committee's vocabulary named by its id or name."""
    uow.get("committee", committee)
    return role_in(uow.registry.roles_of(committee), ref, f"'{committee}'")


def resolve_legal_basis(uow: UnitOfWork, ref: str) -> str:
    """A legal basis cited by a decision: a legal-basis id, or a registry decision (by id or
    citation) cited without a duplicate record."""
    reg = uow.registry
    if ref in reg.legal_bases:
        return ref
    if ref in reg.decisions or _CITATION.match(nfc(ref)):
        return resolve_decision(uow, ref)
    raise UsageError(tr("no legal basis '{ref}'{suggestion}: add it with `committee amend "
                        "legal-basis add`, or cite a registry decision by its id",
                        ref=ref, suggestion=did_you_mean(ref, [*reg.legal_bases,
                                                                *reg.decisions])))
