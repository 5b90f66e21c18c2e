"""Records held in less memory: what many records hold alike is held once.

A cold ``validate`` of the benchmark's national registry holds all 75,000 records (and their
starts, ends, duties and clauses inside) at once. Two things of each record are the same as
many others' and were still held once per record:

- the names of the fields it was given (pydantic's ``__pydantic_fields_set__``, a set of up to
  ten names: 728 bytes a seat, 44 MB of the 75,000 records). Every seat given the same fields
  now holds one ``SharedFields`` set, kept here for each distinct choice of names;
- the short texts it holds: ids (``bcd-0500``, ``uy-vien``, ``qd-0500-2020``) and repeated
  posts and units, each a new string per file read. ``Compactor`` keeps one string per distinct
  text for the records of one load.

On the national registry the two take a cold load from 237 to 149 MB (docs/performance.md,
"Issue 17, thirteenth round"). Nothing of a record's value changes: ``==``, dumps and copies
are as before. A record read from the registry is not changed in place (the registry's records
are added only while loading); ``SharedFields`` refuses a name it does not hold, since that
would change every record sharing it, so a stray assignment fails loudly instead of silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from pydantic import BaseModel

TEXT_SHARED_UP_TO = 120  # characters: longer texts (a duty, a clause) are seldom repeated


class SharedFields(set[str]):
    """The field names many records were given, held once for all of them (read-only)."""

    __slots__ = ()

    def _shared(self, *_: object) -> NoReturn:
        raise TypeError("the field names of a record read from the registry are shared with "
                        "other records: copy it (model_copy) instead of changing it in place")

    def add(self, name: str) -> None:
        """A name it holds is a no-op (pydantic adds the name on every assignment); any other
        name is refused."""
        if name not in self:
            self._shared()

    update = discard = remove = pop = clear = _shared
    intersection_update = difference_update = symmetric_difference_update = _shared
    __ior__ = __iand__ = __isub__ = __ixor__ = _shared

    def __copy__(self) -> set[str]:
        return set(self)  # (pydantic's copies then add to their own names)

    def __deepcopy__(self, memo: dict[int, object]) -> set[str]:
        return set(self)

    def __reduce__(self) -> tuple[type[set[str]], tuple[list[str]]]:
        return set, (list(self),)  # (pickled as a plain set: nothing shared leaves)


_SHARED: dict[frozenset[str], SharedFields] = {}


def shared_fields(names: Iterable[str]) -> SharedFields:
    """The one ``SharedFields`` of these names (made on first use)."""
    key = frozenset(names)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED.setdefault(key, SharedFields(key))
    return found


class Compactor:
    """Makes records of one load share their field names and their short texts."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def record(self, record: BaseModel) -> None:
        """``record`` and the records inside it, compacted in place (same value)."""
        fields = record.__pydantic_fields_set__
        if fields.__class__ is not SharedFields:
            object.__setattr__(record, "__pydantic_fields_set__", shared_fields(fields))
        values = record.__dict__
        for name, value in values.items():
            values[name] = self._value(value)

    def _value(self, value: Any) -> Any:
        """The one string of a short text; a list, a mapping or a record compacted in place."""
        cls = value.__class__
        if cls is str:
            return self._texts.setdefault(value, value) if len(value) <= TEXT_SHARED_UP_TO \
                else value
        if cls is list:
            for index, item in enumerate(value):
                value[index] = self._value(item)
        elif cls is dict:
            for key, item in value.items():
                value[key] = self._value(item)
        elif isinstance(value, BaseModel):
            self.record(value)
        return value
