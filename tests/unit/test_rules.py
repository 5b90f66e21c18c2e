"""Each rule on its own: its function called on a small in-memory registry (the sample, with one
record changed) is triggered by the change and quiet on the sample."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from committee_cli.errors import Problem
from committee_cli.model.records import Event
from committee_cli.model.registry import Registry
from committee_cli.rules import RULES, rule_catalogue
from committee_cli.store import RegistryStore
from tests.conftest import SAMPLE
from tools import rulesdoc

DECISION = "qd-913-2021"
DEPUTY = "bcd-cpdt-02"  # Ông Trương Hải Long, Phó Trưởng ban
POST = "bcd-cpdt-03"  # a post at a unit (Đại diện lãnh đạo, Văn phòng Bộ)
TASK = "kien-toan-to-cong-tac"


@pytest.fixture(scope="module")
def sample() -> Registry:
    """The sample registry (Decision 913), in memory; no rule finds anything in it."""
    return RegistryStore(SAMPLE, use_cache=False).load().registry


def changed(reg: Registry, kind: str, record_id: str, **fields: Any) -> Registry:
    """A copy of ``reg`` whose record ``record_id`` has ``fields`` changed (or is added)."""
    copy = dataclasses.replace(reg, files=dict(reg.files), _index={})
    table = dict(reg.table(kind))
    if record_id not in table:  # a new record, like another one
        like = fields.pop("like")
        folder = reg.file_of(kind, like).rsplit("/", 1)[0]
        copy.files[(kind, record_id)] = f"{folder}/{record_id}.yaml"
        table[record_id] = table[like]
    table[record_id] = table[record_id].model_copy(update=fields)  # type: ignore[attr-defined]
    copy.table_set(kind, table)
    return copy


def seat(reg: Registry, sid: str, **fields: Any) -> Registry:
    return changed(reg, "seat", sid, **fields)


def decision(reg: Registry, did: str, **fields: Any) -> Registry:
    return changed(reg, "decision", did, **fields)


def task(reg: Registry, **fields: Any) -> Registry:
    return changed(reg, "task", TASK, **fields)


def _two_deputies_of_one(reg: Registry) -> Registry:
    once = seat(reg, POST, role="pho-truong-ban-thuong-truc")
    return seat(once, "bcd-cpdt-04", role="pho-truong-ban-thuong-truc")


def _duty_twice(reg: Registry) -> Registry:
    committee = reg.committees["bcd-cpdt"]
    first, second, *rest = committee.duties
    duties = [first, second.model_copy(update={"id": first.id}), *rest]
    return changed(reg, "committee", "bcd-cpdt", duties=duties)


def _position_ends_first(reg: Registry) -> Registry:
    person = reg.people["truong-hai-long"]
    position = person.positions[0].model_copy(update={"until": date(2021, 1, 1)})
    return changed(reg, "person", "truong-hai-long", positions=[position])


# code -> a change of the sample that breaks that rule
TRIGGERS: dict[str, Callable[[Registry], Registry]] = {
    "R101": lambda r: seat(r, DEPUTY, person="nguyen-van-khong-co"),
    "R102": lambda r: seat(r, DEPUTY, role="chu-tich"),
    "R103": lambda r: seat(r, DEPUTY, role="truong-ban"),
    "R104": _two_deputies_of_one,
    "R105": lambda r: seat(r, POST, person="truong-hai-long", post=None, unit=None),
    "R106": lambda r: seat(r, DEPUTY, start=Event(decision=DECISION, date=date(2021, 1, 1))),
    "R107": lambda r: seat(r, DEPUTY, post="Đại diện lãnh đạo"),
    "R108": lambda r: decision(r, DECISION, status="draft", signature=None),
    "R109": lambda r: decision(r, "qd-913-2021-ban-sao", like=DECISION),
    "R110": lambda r: decision(r, DECISION, signing=r.decisions[DECISION].signing.model_copy(
        update={"signer": "truong-hai-long"})),
    "R111": lambda r: decision(r, DECISION, signature=None),  # marked signed by hand
    "R112": lambda r: task(r, lead_unit=None, lead_person=None),
    "R113": lambda r: task(r, status="done", completed=None),
    "R114": lambda r: task(r, deadline=date(2021, 1, 1)),
    "R115": lambda r: changed(r, "committee", "bcd-cpdt", parent="to-cong-tac-cpdt"),
    "R116": _duty_twice,
}
# code -> a head that breaks the rule against the sample as its base
REVISION_TRIGGERS: dict[str, Callable[[Registry], Registry]] = {
    "R201": TRIGGERS["R111"],
    "R202": lambda r: seat(r, "bcd-cpdt-17", like=DEPUTY, person="pham-thi-thanh-tra", order=17),
    "R203": lambda r: decision(r, "qd-khac-2021", like=DECISION, status="draft", signature=None,
                               subject="Một quyết định khác lấy trùng số"),
    "R204": lambda r: changed(r, "person", "truong-hai-long", name="Lê Văn Bình"),
}


def _found(code: str, base: Registry | None, head: Registry) -> list[Problem]:
    rule = RULES[code]
    if rule.check_base is not None:
        assert base is not None
        return list(rule.check_base(base, head))
    assert rule.check is not None
    return list(rule.check(head))


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_rule_triggers(sample: Registry, code: str) -> None:
    found = _found(code, None, TRIGGERS[code](sample))
    assert found and {p.code for p in found} == {code}
    assert all(p.file and p.message for p in found)
    assert {p.severity for p in found} == {RULES[code].severity}


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_rule_quiet(sample: Registry, code: str) -> None:
    assert _found(code, None, sample) == []


@pytest.mark.parametrize("code", sorted(REVISION_TRIGGERS))
def test_revision_rule_triggers(sample: Registry, code: str) -> None:
    found = _found(code, sample, REVISION_TRIGGERS[code](sample))
    assert found and {p.code for p in found} == {code}


@pytest.mark.parametrize("code", sorted(REVISION_TRIGGERS))
def test_revision_rule_quiet(sample: Registry, code: str) -> None:
    assert _found(code, sample, sample) == []


def test_the_rule_is_quiet_when_the_change_is_legitimate(sample: Registry) -> None:
    # R105: the same person may sit on two committees; R202: a seat citing a new draft is fine
    elsewhere = seat(sample, POST, committee="to-cong-tac-cpdt", role="thanh-vien",
                     person="truong-hai-long", post=None, unit=None)
    assert _found("R105", None, elsewhere) == []
    draft = decision(sample, "qd-moi-2022", like=DECISION, status="draft", signature=None,
                     number=None)
    head = seat(draft, "bcd-cpdt-17", like=DEPUTY, order=17,
                start=Event(decision="qd-moi-2022"))
    assert _found("R202", sample, head) == []


def test_every_rule_of_these_modules_has_its_tests() -> None:
    mine = {r.code for r in rule_catalogue() if r.function.startswith((
        "committee_cli.rules.registry_rules.", "committee_cli.rules.revision_rules."))}
    assert mine == set(TRIGGERS) | set(REVISION_TRIGGERS)


def test_the_catalogue_describes_every_rule() -> None:
    for rule in rule_catalogue():
        assert rule.code.startswith("R") and rule.title
        assert rule.needs in ("files", "registry", "facts", "templates", "base")
        assert (rule.check is None) == (rule.needs != "registry")
        assert (rule.check_base is None) == (rule.needs != "base")
        assert rule.detail and rule.fix, f"{rule.code}: docstring 'rule' then 'Fix: …'"


def test_rules_page_is_generated_from_the_catalogue() -> None:
    page = rulesdoc.TARGET.read_text(encoding="utf-8")
    assert page == rulesdoc.render(), "docs/rules.md is stale: run python -m tools.rulesdoc"
    for rule in rule_catalogue():
        assert f"| `{rule.code}` |" in page
