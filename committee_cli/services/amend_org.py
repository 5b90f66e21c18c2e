"""Organisations through the CLI: add one, update its facts, rename (or re-code, re-parent) it
from a date, and end it (``committee amend org add|update|rename|end``).

An organisation's name, symbol abbreviation, parent, code and titles are dated facts: a change
``--since`` a date is appended to its ``changes`` (in date order), so documents dated before it
keep the old wording (``Organisation.on(date)``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import Organisation, OrganisationChange, RegistryConfig
from committee_cli.services.resolve import check_new_id, clean_text, resolve_decision_opt
from committee_cli.services.unit_of_work import UnitOfWork, insert_item, set_field
from committee_cli.vietnamese import short_date, slugify

CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


@dataclass
class OrgFacts:
    """The facts a command may set; ``None`` leaves a fact as it is (empty text removes it)."""

    name: str | None = None
    abbreviation: str | None = None
    parent: str | None = None
    code: str | None = None
    head_title: str | None = None
    deputy_title: str | None = None
    authority: str | None = None


@dataclass
class OrgDetails:
    """Facts that are not dated: the collective flag, contacts and a note."""

    collective: bool | None = None
    address: str | None = None
    email: str | None = None
    telephone: str | None = None
    fax: str | None = None
    website: str | None = None
    note: str | None = None


_LABELS = {"name": "tên", "abbreviation": "ký hiệu", "parent": "cơ quan cấp trên",
           "code": "mã định danh", "head_title": "chức danh người đứng đầu",
           "deputy_title": "chức danh cấp phó", "authority": "thẩm quyền ban hành",
           "collective": "tập thể", "address": "địa chỉ", "email": "thư điện tử",
           "telephone": "điện thoại", "fax": "fax", "website": "trang thông tin", "note": "ghi chú"}



def check_code(code: str) -> str:
    """Refuse a mã định danh not in the format ``000.00.00.G09`` (QĐ 20/2020/QĐ-TTg)."""
    code = code.strip()
    if not CODE.match(code):
        raise UsageError(tr("'{code}' is not an electronic identifier code (mã định danh): the "
                            "format is 000.00.00.G09 (three digits, two, two, then a capital "
                            "letter and two digits)", code=code))
    return code


def _checked(uow: UnitOfWork, org_id: str | None, facts: OrgFacts) -> dict[str, Any]:
    """The given facts, checked: parent exists and is not the body itself; code in format."""
    values: dict[str, Any] = {}
    for item in fields(facts):
        value = clean_text(getattr(facts, item.name))
        if value is None:
            continue
        if item.name == "parent" and value:
            if value == org_id:
                raise UsageError(tr("an organisation cannot be its own parent"))
            uow.get("organisation", value)
        if item.name == "code" and value:
            value = check_code(value)
        values[item.name] = value
    return values


def _details(details: OrgDetails) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in fields(details):
        value = getattr(details, item.name)
        if value is not None:
            values[item.name] = clean_text(value) if isinstance(value, str) else value
    return values


def _order_dates(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and until <= since:
        raise UsageError(tr("--until {until} is not after --since {since}: an organisation ends "
                            "after it begins", until=until.isoformat(), since=since.isoformat()))


def add_org(uow: UnitOfWork, *, facts: OrgFacts, details: OrgDetails | None = None,
            org_id: str | None = None, since: dt.date | None = None,
            until: dt.date | None = None, issuer: bool = False) -> str:
    """A new organisation; its id is made from the abbreviation or name unless given. With
    ``issuer`` it becomes the registry's issuing body (``registry.yaml`` ``issuer``)."""
    values = _checked(uow, org_id, facts)
    if not values.get("name"):
        raise UsageError(tr("--name is empty"))
    _order_dates(since, until)
    if org_id is not None:
        check_new_id(org_id)
        if uow.taken("organisation", org_id):
            raise UsageError(tr("an organisation '{org_id}' already exists", org_id=org_id))
    else:
        base = slugify(values.get("abbreviation") or "") or slugify(values["name"]) or "co-quan"
        org_id = uow.free_id("organisation", check_new_id(base[:60].strip("-")))
    data = {**values, **_details(details or OrgDetails()), "since": since, "until": until}
    uow.create("organisation", org_id, {k: v for k, v in data.items() if v not in ("", False)})
    if issuer:
        set_field(uow.edit_config(), "issuer", org_id, RegistryConfig)
        return f"Thêm cơ quan ban hành {values['name']}"
    return f"Thêm cơ quan {values['name']}"


def update_org(uow: UnitOfWork, org_id: str, *, facts: OrgFacts | None = None,
               details: OrgDetails | None = None, since: dt.date | None = None,
               decision: str | None = None, reason: str | None = None) -> str:
    """Change an organisation's facts: from ``since`` (a dated change) or as recorded from the
    start (a correction); contacts, the collective flag and the note are not dated."""
    org: Organisation = uow.get("organisation", org_id)
    values = _checked(uow, org_id, facts or OrgFacts())
    document = uow.edit("organisation", org_id)
    done: list[str] = []
    if since is not None:
        if not values:
            raise UsageError(tr("--since dates a change of name, abbreviation, parent, code or "
                                "titles: give one of them"))
        done.append(_dated_change(uow, org_id, org, values, since, decision, reason))
    else:
        if decision is not None or reason is not None:
            raise UsageError(tr("--decision and --reason go with a dated change (--since DATE)"))
        for key, value in values.items():
            set_field(document, key, value or None, Organisation)
            done.append(_LABELS[key])
    for key, value in _details(details or OrgDetails()).items():
        set_field(document, key, value if value not in ("", False) else None, Organisation)
        done.append(_LABELS[key])
    if not done:
        raise UsageError(tr("nothing to update: give a fact to change (see --help)"))
    return f"Cập nhật cơ quan {org.name}: {', '.join(done)}"


def _dated_change(uow: UnitOfWork, org_id: str, org: Organisation, values: dict[str, Any],
                  since: dt.date, decision: str | None, reason: str | None) -> str:
    if org.since is not None and since <= org.since:
        raise UsageError(tr("'{org_id}' came into being on {start}: a change dated {since} "
                            "would be before it existed (or on its first day: correct the "
                            "facts with update without --since)", org_id=org_id,
                            start=org.since.isoformat(), since=since.isoformat()))
    if org.until is not None and since >= org.until:
        raise UsageError(tr("'{org_id}' ceased on {until}: a change dated {since} comes after",
                            org_id=org_id, until=org.until.isoformat(), since=since.isoformat()))
    if any(c.since == since for c in org.changes):
        raise UsageError(tr("'{org_id}' already records a change on {since}: one change per "
                            "date", org_id=org_id, since=since.isoformat()))
    emptied = [k for k, v in values.items() if not v]
    if emptied:
        raise UsageError(tr("a dated change sets facts; it cannot remove --{option} (correct "
                            "the record without --since)", option=emptied[0].replace("_", "-")))
    before = org.on(since - dt.timedelta(days=1))
    same = [k for k, v in values.items() if v and getattr(before, k) == v]
    if same and len(same) == len(values):
        raise UsageError(tr("'{org_id}' already has these facts on {since}: nothing to change",
                            org_id=org_id, since=since.isoformat()))
    decision_id = resolve_decision_opt(uow, decision)
    entry: dict[str, Any] = {"since": since, **{k: v for k, v in values.items() if v},
                             "decision": decision_id, "reason": clean_text(reason)}
    document = uow.edit("organisation", org_id)
    index = sum(1 for c in org.changes if c.since < since)
    if "changes" in document:
        insert_item(document["changes"], index, entry)
    else:
        set_field(document, "changes", [entry], Organisation)
    OrganisationChange.model_validate(entry)
    what = ", ".join(_LABELS[k] for k in values)
    return f"{what} từ {short_date(since)}"


def rename_org(uow: UnitOfWork, org_id: str, *, name: str, since: dt.date,
               abbreviation: str | None = None, code: str | None = None,
               parent: str | None = None, authority: str | None = None,
               decision: str | None = None, reason: str | None = None) -> str:
    """Rename an organisation from a date (its old name stays on earlier documents)."""
    org: Organisation = uow.get("organisation", org_id)
    old = org.on(since).name
    update_org(uow, org_id, facts=OrgFacts(name=name, abbreviation=abbreviation, code=code,
                                          parent=parent, authority=authority),
               since=since, decision=decision, reason=reason)
    return f"Đổi tên {old} thành {clean_text(name)} từ {short_date(since)}"


def end_org(uow: UnitOfWork, org_id: str, *, until: dt.date, note: str | None = None) -> str:
    """Record the day an organisation ceased (merged, dissolved); it stays for old documents."""
    org: Organisation = uow.get("organisation", org_id)
    if org.until is not None:
        raise UsageError(tr("'{org_id}' already ceased on {until}", org_id=org_id,
                            until=org.until.isoformat()))
    _order_dates(org.since, until)
    late = [c.since for c in org.changes if c.since >= until]
    if late:
        raise UsageError(tr("'{org_id}' records a change on {since}: it cannot cease before "
                            "that", org_id=org_id, since=late[-1].isoformat()))
    document = uow.edit("organisation", org_id)
    set_field(document, "until", until, Organisation)
    if note is not None:
        set_field(document, "note", clean_text(note) or None, Organisation)
    return f"Cơ quan {org.on(until - dt.timedelta(days=1)).name} chấm dứt từ {short_date(until)}"
