"""Legal bases through the CLI (``committee amend legal-basis add|update``): the kind of
instrument decides how a decision cites it (a law by name and date, a decree by number)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import LegalBasis
from committee_cli.rules.base import did_you_mean
from committee_cli.rules.body_rules import INSTRUMENT_KINDS
from committee_cli.services.resolve import check_new_id, clean_text
from committee_cli.services.unit_of_work import UnitOfWork, set_field
from committee_cli.vietnamese import fold, short_date, slugify


def instrument_kind(value: str) -> str:
    """The kind of instrument as written in documents (``luat`` → ``Luật``); unknown refused."""
    wanted = fold(" ".join(value.split()))
    for known in INSTRUMENT_KINDS:
        if fold(known) == wanted:
            return known
    raise UsageError(tr("'{value}' is not a kind of instrument{suggestion}; kinds: {kinds}",
                        value=value, suggestion=did_you_mean(value, INSTRUMENT_KINDS),
                        kinds=", ".join(INSTRUMENT_KINDS)))


def _default_id(kind: str, number: str, date: dt.date) -> str:
    prefix = "".join(w[0] for w in slugify(kind).split("-")) if " " in kind else slugify(kind)
    digits = re.findall(r"\d+", number)[:2]
    return "-".join([prefix, *digits] if digits else [prefix, str(date.year)])[:60]


def add_legal_basis(uow: UnitOfWork, *, kind: str, number: str, date: dt.date, issuer: str,
                    title: str, basis_id: str | None = None) -> str:
    """A new legal basis (number, date, issuer, title), cited by decisions by its id."""
    values: dict[str, Any] = {"kind": instrument_kind(kind), "number": clean_text(number),
                              "date": date, "issuer": clean_text(issuer), "title": clean_text(title)}
    for key in ("number", "issuer", "title"):
        if not values[key]:
            raise UsageError(tr("--{option} is empty", option=key))
    if basis_id is not None:
        check_new_id(basis_id)
        if uow.taken("legal-basis", basis_id):
            raise UsageError(tr("a legal basis '{basis_id}' already exists", basis_id=basis_id))
    else:
        basis_id = uow.free_id("legal-basis",
                               check_new_id(_default_id(values["kind"], values["number"], date)))
    uow.create("legal-basis", basis_id, values)
    return f"Thêm căn cứ {values['kind']} {values['number']} ngày {short_date(date)}"


def update_legal_basis(uow: UnitOfWork, basis_id: str, *, kind: str | None = None,
                       number: str | None = None, date: dt.date | None = None,
                       issuer: str | None = None, title: str | None = None,
                       replaced_by: str | None = None) -> str:
    """Correct a legal basis, or record the instrument that replaced it."""
    basis: LegalBasis = uow.get("legal-basis", basis_id)
    document = uow.edit("legal-basis", basis_id)
    done: list[str] = []
    if kind is not None:
        set_field(document, "kind", instrument_kind(kind), LegalBasis)
        done.append("loại văn bản")
    for key, value, label in (("number", number, "số"), ("issuer", issuer, "cơ quan ban hành"),
                              ("title", title, "trích yếu")):
        if value is not None:
            if not clean_text(value):
                raise UsageError(tr("--{option} is empty", option=key))
            set_field(document, key, clean_text(value), LegalBasis)
            done.append(label)
    if date is not None:
        set_field(document, "date", date, LegalBasis)
        done.append("ngày")
    if replaced_by is not None:
        if replaced_by:
            if replaced_by == basis_id:
                raise UsageError(tr("a legal basis cannot replace itself"))
            uow.get("legal-basis", replaced_by)
        set_field(document, "replaced_by", replaced_by or None, LegalBasis)
        done.append("văn bản thay thế")
    if not done:
        raise UsageError(tr("nothing to update: give --kind, --number, --date, --issuer, "
                            "--title or --replaced-by"))
    return f"Cập nhật căn cứ {basis.kind} {basis.number}: {', '.join(done)}"
