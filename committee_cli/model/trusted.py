"""Records rebuilt from JSON that this program wrote from records it had validated.

The registry's index (``store/index.py``) keeps each record as the JSON of a validated record,
under a keyed checksum and the digest of the record models that wrote it. Reading one back
through the model's validation would first build that model's validator (``defer_build``: a
few milliseconds a model, most of a one-committee query). ``builder`` instead turns the JSON
back into the same record by the model's field types alone: a date from its ISO text, a record
inside from its object, a list or a mapping item by item, and any other value (text, numbers,
booleans, literals) as JSON gave it. Nothing of the data is run or looked up: the types come
from the models, the values only fill them.

A model whose fields hold a type this does not know how to rebuild (a set, a tuple, a union of
two types that need rebuilding) gets its own validation instead, so ``builder`` is always
right, only sometimes not faster. ``tests/test_trusted.py`` checks, on every record of the
sample and fixture registries, that the two give equal records of the same types.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

Convert = Callable[[Any], Any]
M = typing.TypeVar("M", bound=BaseModel)


class _Unknown(Exception):
    """A field type ``_converter`` cannot rebuild by its type alone."""


def _date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"a date is kept as ISO text, not {type(value).__name__}")
    return dt.date.fromisoformat(value)


_PLAIN = (str, int, float, bool, type(None), typing.Any)


def _converter(annotation: Any) -> Convert | None:
    """What rebuilds a value of ``annotation`` from its JSON; None when JSON's value is it."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _converter(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return None
    if origin in (typing.Union, types.UnionType):
        arms = [a for a in typing.get_args(annotation) if a is not type(None)]
        found = [c for c in map(_converter, arms) if c is not None]
        if not found:
            return None
        if len(found) > 1:
            raise _Unknown(annotation)
        return _optional(found[0])
    if origin is list:
        (item,) = typing.get_args(annotation)
        each = _converter(item)
        return None if each is None else _each(each)
    if origin is dict:
        key, item = typing.get_args(annotation)
        if _converter(key) is not None:
            raise _Unknown(annotation)
        each = _converter(item)
        return None if each is None else _each_value(each)
    if annotation is dt.date:
        return _date
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _from_data(annotation)
    if annotation in _PLAIN:
        return None
    raise _Unknown(annotation)


def _optional(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def _each(convert: Convert) -> Convert:
    return lambda value: [convert(v) for v in value]


def _each_value(convert: Convert) -> Convert:
    return lambda value: {k: convert(v) for k, v in value.items()}


FieldPlan = tuple[str, "Convert | None", "Callable[[], Any] | None"]  # name, rebuild, default


_CONSTANT = (str, int, float, bool, type(None))


def _default(info: FieldInfo) -> Callable[[], Any] | None:
    """What makes a field's default when the JSON leaves it out; None when it has none.

    (Not ``FieldInfo.get_default``: for a factory it asks the factory's signature each time,
    about 50 µs, more than the rest of a record.)"""
    if info.default_factory is not None:
        if info.default_factory not in (list, dict):
            raise _Unknown(info.default_factory)
        return info.default_factory
    if info.is_required():
        return None
    value = info.default
    if not isinstance(value, _CONSTANT):
        raise _Unknown(value)
    return lambda: value


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[FieldPlan, ...]:
    """Each field of ``model`` with what rebuilds it and its default (``_Unknown`` when
    something cannot be rebuilt, or a field is read under another name)."""
    fields = model.model_fields
    if any(info.alias is not None or info.validation_alias is not None for info in fields.values()):
        raise _Unknown(model)
    return tuple((name, _converter(info.annotation), _default(info)) for name, info in fields.items())


_DECORATED = ("validators", "field_validators", "root_validators", "model_validators",
              "computed_fields")


def _from_data(model: type[BaseModel]) -> Convert:
    """What rebuilds a record of ``model`` from its JSON object (``_Unknown`` as ``_plan``, or
    when the model runs code of its own on validation: a validator, a computed field, private
    attributes or ``model_post_init``, which only its validation would run)."""
    decorators = model.__pydantic_decorators__
    if (any(getattr(decorators, kind) for kind in _DECORATED) or model.__private_attributes__
            or model.model_post_init is not BaseModel.model_post_init):
        raise _Unknown(model)
    plan = _plan(model)  # (a type that cannot be rebuilt is found now, not on the first record)
    names = model.model_fields.keys()

    def build(data: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"a {model.__name__} is kept as an object")
        if not data.keys() <= names:
            raise ValueError(f"fields {sorted(data.keys() - names)} are not of {model.__name__}")
        values: dict[str, Any] = {}
        for name, convert, default in plan:
            if name in data:
                values[name] = data[name] if convert is None else convert(data[name])
            elif default is not None:
                values[name] = default()
            else:
                raise ValueError(f"a {model.__name__} without its {name}")
        # every field given, so that pydantic makes no default; those set are those JSON held
        return model.model_construct(set(data), **values)

    return build


def builder(model: type[M]) -> Callable[[str | bytes], M]:
    """What builds a record of ``model`` from JSON this program wrote of a validated one.

    Raises ValueError when the JSON is not of that shape; a model with a field type it cannot
    rebuild is validated instead (``model_validate_json``)."""
    return typing.cast("Callable[[str | bytes], M]", _builder(model))


@functools.cache
def _builder(model: type[BaseModel]) -> Callable[[str | bytes], Any]:
    try:
        build = _from_data(model)
    except _Unknown:
        return model.model_validate_json

    def from_json(text: str | bytes) -> Any:
        try:
            return build(json.loads(text))
        except (TypeError, AttributeError, KeyError) as exc:  # (ValueError passes as it is)
            raise ValueError(f"not the JSON of a {model.__name__}: {exc}") from exc

    return from_json
