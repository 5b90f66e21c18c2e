"""Records loaded in bulk share their field names and short texts (model/compact.py), and are
the same records as before: equal, dumped, copied and pickled alike."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from committee_cli.model.compact import Compactor, SharedFields, shared_fields
from committee_cli.model.records import Event, Seat
from committee_cli.store import loader
from committee_cli.store.source import DirSource


def _seat(**extra: object) -> Seat:
    return Seat.model_validate({"committee": "bcd-1", "role": "uy-vien", "order": 2,
                                "person": "nguyen-van-a", "start": {"decision": "qd-1"},
                                **extra})


def test_a_bulk_load_shares_field_names_and_ids(sample: Path) -> None:
    registry = loader.load(DirSource(sample)).registry
    seats = list(registry.seats.values())
    assert len(seats) > 2
    by_names: dict[frozenset[str], set[int]] = {}
    for seat in seats:
        assert type(seat.__pydantic_fields_set__) is SharedFields
        assert type(seat.start.__pydantic_fields_set__) is SharedFields
        by_names.setdefault(frozenset(seat.model_fields_set), set()).add(
            id(seat.__pydantic_fields_set__))
    assert all(len(ids) == 1 for ids in by_names.values())  # one set per choice of names
    committees = {id(seat.committee) for seat in seats if seat.committee == seats[0].committee}
    assert len(committees) == 1  # the committee's id held once, not once per seat file
    decision_ids = {id(seat.start.decision) for seat in seats
                    if seat.start.decision == seats[0].start.decision}
    assert len(decision_ids) == 1


def test_compacted_records_are_equal_and_dump_the_same() -> None:
    plain, compacted = _seat(post="Ủy viên"), _seat(post="Ủy viên")
    Compactor().record(compacted)
    assert compacted == plain
    assert compacted.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert compacted.model_dump_json() == plain.model_dump_json()
    assert compacted.model_fields_set == plain.model_fields_set


def test_copies_get_their_own_names() -> None:
    seat = _seat()
    Compactor().record(seat)
    shared = seat.__pydantic_fields_set__
    ended = seat.model_copy(update={"end": Event(decision="qd-2")})
    assert "end" in ended.model_fields_set and "end" not in shared
    assert type(ended.__pydantic_fields_set__) is set
    deep = copy.deepcopy(seat)
    assert type(deep.__pydantic_fields_set__) is set and deep == seat
    again = pickle.loads(pickle.dumps(seat))
    assert again == seat and type(again.__pydantic_fields_set__) is set


def test_changing_a_shared_record_in_place_fails_loudly() -> None:
    one, two = _seat(), _seat()
    compactor = Compactor()
    compactor.record(one)
    compactor.record(two)
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__
    one.order = 3  # (a field it was given: nothing shared changes)
    assert two.model_fields_set == one.model_fields_set
    with pytest.raises(TypeError, match="model_copy"):
        one.post = "Thư ký"  # (a field it was not given would be "given" to every seat)
    assert "post" not in two.model_fields_set
    names = shared_fields(["a", "b"])
    changes: list[Callable[[], object]] = [lambda: names.update({"c"}), lambda: names.discard("a"),
                                           names.clear, lambda: names.remove("a"), names.pop]
    for change in changes:
        with pytest.raises(TypeError):
            change()
    assert names == {"a", "b"} and shared_fields({"b", "a"}) is names
