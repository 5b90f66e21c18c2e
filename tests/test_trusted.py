"""Records rebuilt from the index's JSON by their field types (``model/trusted.py``) equal the
records validation gives, field by field and type by type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel, field_validator, model_validator
from ruamel.yaml import YAML

from committee_cli.model.records import KINDS, Record, RegistryConfig
from committee_cli.model.trusted import builder
from tests.conftest import ROOT, SAMPLE

REGISTRIES = [SAMPLE, ROOT / "tests" / "fixtures" / "render" / "registry"]


def _records() -> list[tuple[str, type[Record], Record]]:
    found: list[tuple[str, type[Record], Record]] = []
    yaml = YAML(typ="safe")
    for root in REGISTRIES:
        config = root / "registry.yaml"
        found.append((str(config), RegistryConfig,
                      RegistryConfig.model_validate(yaml.load(config.read_text("utf-8")))))
        for _, (folder, model) in KINDS.items():
            for path in sorted((root / folder).glob("*.yaml")):
                found.append((str(path), model, model.model_validate(yaml.load(path.read_text("utf-8")))))
    return found


def _same(a: Any, b: Any, where: str) -> None:
    assert type(a) is type(b), f"{where}: {type(a).__name__} is not {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, where
        for name in type(a).model_fields:
            _same(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}/{key}")
    else:
        assert a == b, where


def test_every_kind_is_rebuilt_without_validation() -> None:
    """No record model falls back to its validator (each would cost a build at every query)."""
    for model in [RegistryConfig, *(m for _, m in KINDS.values())]:
        assert builder(model) != model.model_validate_json, model.__name__


def test_rebuilt_records_equal_validated_ones() -> None:
    records = _records()
    assert {model for _, model, _ in records} >= {m for _, m in KINDS.values()}
    for where, model, record in records:
        for text in (record.model_dump_json(), record.model_dump_json(exclude_defaults=True)):
            rebuilt = builder(model)(text)
            _same(rebuilt, model.model_validate_json(text), where)
            assert rebuilt == record and rebuilt.model_dump_json() == record.model_dump_json()


def test_json_of_another_shape_is_a_value_error() -> None:
    seat = builder(KINDS["seat"][1])
    with pytest.raises(ValueError, match="not the JSON of a Seat"):
        seat(b"[1, 2]")
    with pytest.raises(ValueError, match="not of Seat"):
        seat(b'{"committee": "c", "role": "r", "order": 1, "start": {"decision": "d"}, "colour": 1}')
    with pytest.raises(ValueError):
        seat(b'{"committee": "c", "role": "r", "order": 1, "start": {"decision": "d", "date": "x"}}')
    with pytest.raises(ValueError):
        seat(b"not json")


class _Odd(BaseModel):
    tags: set[str]
    when: dt.date | int


class _Checked(BaseModel):
    name: str

    @model_validator(mode="after")
    def _upper(self) -> _Checked:
        self.name = self.name.upper()
        return self


class _Inner(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class _Outer(BaseModel):
    inner: _Inner


def test_a_type_it_cannot_rebuild_is_validated() -> None:
    assert builder(_Odd) == _Odd.model_validate_json
    assert builder(_Odd)(b'{"tags": ["a"], "when": "2021-01-02"}').when == dt.date(2021, 1, 2)


def test_a_model_with_code_of_its_own_is_validated() -> None:
    """A validator (of the model, or of a record inside it) runs only in validation: such a
    model is never rebuilt by its types alone."""
    assert builder(_Checked) == _Checked.model_validate_json
    assert builder(_Checked)(b'{"name": "a"}').name == "A"
    assert builder(_Outer) == _Outer.model_validate_json
    assert builder(_Outer)(b'{"inner": {"name": " b "}}').inner.name == "b"



def test_the_snapshot_builder_rebuilds_the_first_records_then_validates() -> None:
    """``store/cache.py``: a run that builds few records of a model makes no validator for it;
    one that builds many makes it once, and both give the same records."""
    from committee_cli.store import cache

    class Item(Record):
        name: str
        since: dt.date | None = None

    build = cache._builder(Item)
    texts = [f'{{"name": "n{i}", "since": "2020-01-{1 + i % 28:02d}"}}'.encode()
             for i in range(cache.TRUSTED_FIRST + 5)]  # (written by hand: no validator made)
    built = [build(text) for text in texts[:cache.TRUSTED_FIRST]]
    assert not Item.__pydantic_complete__
    built += [build(text) for text in texts[cache.TRUSTED_FIRST:]]
    assert Item.__pydantic_complete__
    assert built == [Item.model_validate_json(text) for text in texts]
