"""``model.registry.Table``: the records of a snapshot stay JSON until one is asked for, and the
table answers ids, order, membership and what records cite without building any."""

from __future__ import annotations

from itertools import accumulate

import pytest

from committee_cli.model.records import RegistryConfig, Seat
from committee_cli.model.registry import Packed, Registry, Table, events_text
from committee_cli.queries import content

SEATS = {
    "bcd-01": Seat(committee="bcd", role="truong-ban", order=1, person="a",
                   start={"decision": "qd-1"}),
    "bcd-02": Seat(committee="bcd", role="uy-vien", order=2, person="b",
                   start={"decision": "qd-1"}, end={"decision": "qd-2"}),
    "bcd-03": Seat(committee="bcd", role="uy-vien", order=3, person="c",
                   start={"decision": "qd-2"}),
}


def _table() -> tuple[Table[Seat], list[str]]:
    built: list[str] = []

    def build(raw: bytes) -> Seat:
        seat = Seat.model_validate_json(raw)
        built.append(seat.person or "")
        return seat

    parts = [seat.__pydantic_serializer__.to_json(seat) for seat in SEATS.values()]
    events = ["start\0qd-1", "start\0qd-1\0end\0qd-2", "start\0qd-2"]
    packed = Packed(b"".join(parts), list(accumulate(len(p) for p in parts)), events)
    return Table(build, {rid: i for i, rid in enumerate(SEATS)}, packed), built


def test_a_record_is_built_once_when_first_asked_for() -> None:
    table, built = _table()
    assert list(table) == list(SEATS) and len(table) == 3 and "bcd-02" in table
    assert "bcd-09" not in table and table.get("bcd-09") is None and built == []
    assert table["bcd-02"] == SEATS["bcd-02"] and built == ["b"]
    assert table["bcd-02"] is table["bcd-02"] and built == ["b"] and table.built() == 1
    assert dict(table) == SEATS and built == ["b", "a", "c"]


def test_a_copy_builds_nothing_and_changes_apart() -> None:
    table, built = _table()
    copy = table.copy()
    del copy["bcd-01"]
    copy["bcd-04"] = SEATS["bcd-03"]
    assert built == [] and list(table) == list(SEATS)
    assert list(copy) == ["bcd-02", "bcd-03", "bcd-04"]
    assert table.kept_json("bcd-01") == SEATS["bcd-01"].__pydantic_serializer__.to_json(
        SEATS["bcd-01"]) and copy.kept_json("bcd-04") is None


def test_what_a_record_cites_is_kept_until_it_is_set_again() -> None:
    table, built = _table()
    registry = Registry(config=RegistryConfig(schema_version=1, name="x"))
    registry.table_set("seat", table)
    assert registry.cited_by("seat") == [
        ("bcd-01", (("qd-1", "start"),)),
        ("bcd-02", (("qd-1", "start"), ("qd-2", "end"))),
        ("bcd-03", (("qd-2", "start"),))] and built == []
    assert [e for e in registry.events_citing("qd-2")] == [("seat", "bcd-02", "end"),
                                                          ("seat", "bcd-03", "start")]
    changed = table.copy()
    changed["bcd-03"] = SEATS["bcd-03"].model_copy(update={"start": SEATS["bcd-01"].start})
    other = Registry(config=registry.config)
    other.table_set("seat", changed)
    assert other.cited_by("seat")[2] == ("bcd-03", (("qd-1", "start"),))  # not what was kept
    assert events_text((("qd-1", "start"), ("qd-2", "end"))) == "start\0qd-1\0end\0qd-2"


def test_once_every_record_is_built_the_table_answers_as_a_dict() -> None:
    table, built = _table()
    assert table.get("bcd-09", "none") == "none" and built == []
    assert table.get("bcd-03") == SEATS["bcd-03"] and built == ["c"]
    copy = table.copy()
    del copy["bcd-01"]  # unbuilt, gone
    copy["bcd-02"] = SEATS["bcd-02"]  # unbuilt, set
    assert type(copy.items()) is type({}.items()) and dict(copy.items()) == {
        "bcd-02": SEATS["bcd-02"], "bcd-03": SEATS["bcd-03"]}
    assert type(table.items()) is not type({}.items()) and built == ["c"]
    assert list(table.values()) == list(SEATS.values()) and built == ["c", "a", "b"]
    assert type(table.values()) is type({}.values())


def test_the_records_citing_one_decision_are_found_as_the_index_has_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``content.citing_of`` looks for one decision's citing records without splitting what
    names another: the same records, in the same order, as the index of every decision, for
    records kept as JSON, built, and set since (and from the index once it is built)."""
    table, built = _table()
    changed = table.copy()
    changed["bcd-03"] = SEATS["bcd-03"].model_copy(update={"end": SEATS["bcd-02"].end})
    changed["bcd-01"]  # (built, not set)
    monkeypatch.setattr(content, "ONE_BY_ONE", 100)
    for seats in (table, changed, dict(SEATS)):
        one = Registry(config=RegistryConfig(schema_version=1, name="x"))
        one.table_set("seat", seats)
        whole = Registry(config=one.config)
        whole.table_set("seat", seats)
        index = content.citing_index(whole)
        for decision in ("qd-1", "qd-2", "qd-9", "qd-"):
            assert content.citing_of(one, decision) == index.get(decision, content.Citing())
        assert "citing" not in one._index  # (each looked for on its own)
        assert content.citing_of(whole, "qd-2") == index["qd-2"]
    assert built == ["a"]  # only the seat asked for by name
