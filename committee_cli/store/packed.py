"""Registry files with a fixed-size value each (their content keys), packed.

A national registry has 75,000 files; the listing, the snapshot and the kept rule results each
keep every file's content key. Kept as two byte strings (the paths in path order, NUL-joined;
the keys one after another) they are read, written and compared without a Python object per
file: two states with the same files are compared by comparing their keys' bytes, halves at a
time, so finding the one file that changed costs a few dozen comparisons of memory.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

KEY_SIZE = 20  # bytes of a content key (a file's SHA-1 git blob id)


def pack_paths(paths: Iterable[str]) -> bytes:
    """Paths NUL-joined, as UTF-8 (a name that is not UTF-8 kept as it is on disk)."""
    return "\0".join(paths).encode("utf-8", "surrogateescape")


def unpack_paths(names: bytes | memoryview) -> list[str]:
    """The paths ``pack_paths`` joined ([] for none)."""
    return bytes(names).decode("utf-8", "surrogateescape").split("\0") if names else []


@dataclass(frozen=True)
class PackedFiles:
    """Files in path order with one ``KEY_SIZE``-byte key each: ``names`` (``pack_paths``) and
    ``values`` (the keys one after another, in the same order)."""

    names: bytes
    values: bytes

    @classmethod
    def of(cls, keys: Mapping[str, bytes]) -> PackedFiles | None:
        """The files of ``keys`` (path → content key), packed in path order; None when a key
        is not of ``KEY_SIZE`` bytes (a repository of SHA-256 object names)."""
        if keys and set(map(len, keys.values())) != {KEY_SIZE}:
            return None
        paths = sorted(keys)
        return cls(pack_paths(paths), b"".join([keys[rel] for rel in paths]))

    @classmethod
    def read(cls, names: bytes, values: bytes) -> PackedFiles:
        """Packed files as kept; ValueError when the names and keys do not agree."""
        count = names.count(b"\0") + 1 if names else 0
        if len(values) != count * KEY_SIZE:
            raise ValueError("paths and content keys do not agree")
        return cls(names, values)

    def __len__(self) -> int:
        return len(self.values) // KEY_SIZE

    @functools.cached_property
    def paths(self) -> list[str]:
        """The paths, in order."""
        return unpack_paths(self.names)

    @functools.cached_property
    def keys(self) -> dict[str, bytes]:
        """Each path's key."""
        values = self.values
        return dict(zip(self.paths, [values[i:i + KEY_SIZE]
                                     for i in range(0, len(values), KEY_SIZE)], strict=True))

    def replaced(self, keys: Mapping[str, bytes | None]) -> PackedFiles | None:
        """The same files with the keys of some replaced; None when one of them is not among
        the files, is gone (None) or has a key not of ``KEY_SIZE`` bytes: pack them anew."""
        if not keys:
            return self
        given = {rel: key for rel, key in keys.items() if key is not None and len(key) == KEY_SIZE}
        found = _positions(self.paths, set(given))
        if len(found) != len(keys):
            return None
        values = bytearray(self.values)
        for index, rel in found:
            values[index * KEY_SIZE:(index + 1) * KEY_SIZE] = given[rel]
        replaced = PackedFiles(self.names, bytes(values))
        replaced.__dict__["paths"] = self.paths  # (the same paths: not unpacked again)
        return replaced

    def changed_by(self, changes: Mapping[str, bytes | None]) -> PackedFiles | None:
        """These files with a few changed: a path's key set (the path added where it is not
        among them) or, for None, the path removed; spliced, not sorted and packed anew. None
        when a key is not of ``KEY_SIZE`` bytes or the changes are many: pack them anew."""
        if len(changes) > _SPLICED or any(key is not None and len(key) != KEY_SIZE
                                          for key in changes.values()):
            return None
        paths, values = list(self.paths), bytearray(self.values)
        for rel in sorted(changes):
            key, index = changes[rel], bisect.bisect_left(paths, rel)
            present = index < len(paths) and paths[index] == rel
            at = slice(index * KEY_SIZE, (index + 1) * KEY_SIZE if present else index * KEY_SIZE)
            if key is None:
                if present:
                    del paths[index]
                    del values[at]
            else:
                if not present:
                    paths.insert(index, rel)
                values[at] = key
        changed = PackedFiles(pack_paths(paths), bytes(values))
        changed.__dict__["paths"] = paths  # (in order: not unpacked again)
        changed.__dict__["_parent"] = (self, frozenset(changes))  # (for ``changed``)
        return changed

    def key_of(self, rel: str) -> bytes | None:
        """A path's key (None: not among the files)."""
        paths = self.paths
        index = bisect.bisect_left(paths, rel)
        if index < len(paths) and paths[index] == rel:
            return self.values[index * KEY_SIZE:(index + 1) * KEY_SIZE]
        return None

    def twin(self, other: PackedFiles) -> PackedFiles:
        """``other``, or the files these were made from (``changed_by``) when they hold the
        same bytes as ``other``: the same answers, with their paths unpacked already."""
        parent = self.__dict__.get("_parent")
        if parent is not None and parent[0] is not other and parent[0].names == other.names \
                and parent[0].values == other.values:
            return parent[0]  # type: ignore[no-any-return]
        return other

    def _derived(self, other: PackedFiles) -> set[str] | None:
        """``changed`` for files that ``changed_by`` made from ``other`` (or from files the
        same as ``other``): only the paths it was given can differ."""
        parent = self.__dict__.get("_parent")
        if parent is None:
            return None
        base, paths = parent
        if base is not other and (base.names != other.names or base.values != other.values):
            return None
        # (``base`` holds the same bytes as ``other``, with its paths unpacked already)
        return {rel for rel in paths if self.key_of(rel) != base.key_of(rel)}

    def changed(self, other: PackedFiles) -> set[str]:
        """The paths whose key differs between the two, or that only one of them has."""
        derived = self._derived(other)
        if derived is None:
            derived = other._derived(self)
        if derived is not None:
            return derived
        if self.names == other.names:
            paths = self.paths
            return {paths[i] for i in _differing(self.values, other.values)}
        only = _only_in_one(self.paths, other.paths)
        if len(only) * 8 > len(self) + len(other):  # (many files added or removed)
            return {rel for rel, _ in self.keys.items() ^ other.keys.items()}
        # without the files only one of them has, the two hold the same paths in the same
        # order: their keys compare as when the names are the same
        mine, kept_mine = self._without(only)
        theirs, _ = other._without(only)
        if len(mine) != len(theirs):  # (never, for paths in order)
            return {rel for rel, _ in self.keys.items() ^ other.keys.items()}
        return only | {kept_mine[i] for i in _differing(mine, theirs)}

    def _without(self, gone: set[str]) -> tuple[bytes, _Positions]:
        """The keys of every path but ``gone``, packed, and the paths they belong to."""
        drop = sorted(i for i, rel in _positions(self.paths, gone))
        values, start = [], 0
        for index in drop:
            values.append(self.values[start * KEY_SIZE:index * KEY_SIZE])
            start = index + 1
        values.append(self.values[start * KEY_SIZE:])
        return b"".join(values), _Positions(self.paths, drop)


_SPLICED = 64  # changed files beyond which packing anew is as quick as splicing


def _only_in_one(mine: list[str], theirs: list[str]) -> set[str]:
    """The paths that only one of two lists in path order has, a folder at a time (a key
    range: ``folder/`` up to ``folder0``): a folder with the same paths in both is compared
    in C and left, and only a folder that gained or lost a file is taken apart."""
    only: set[str] = set()
    i = j = 0
    while i < len(mine) or j < len(theirs):
        if i < len(mine) and j < len(theirs):
            head = min(mine[i], theirs[j])
        else:
            head = mine[i] if i < len(mine) else theirs[j]
        stop = head.split("/", 1)[0] + "0"  # ("/" sorts just before "0")
        i_end, j_end = bisect.bisect_left(mine, stop, i), bisect.bisect_left(theirs, stop, j)
        ours, others = mine[i:i_end], theirs[j:j_end]
        if ours != others:
            only.update(set(ours).symmetric_difference(others))
        i, j = i_end, j_end
    return only


def _positions(paths: list[str], wanted: set[str]) -> list[tuple[int, str]]:
    """Where each of ``wanted`` is in ``paths`` (in order), found by bisection."""
    found = []
    for rel in wanted:
        index = bisect.bisect_left(paths, rel)
        if index < len(paths) and paths[index] == rel:
            found.append((index, rel))
    return found


class _Positions:
    """The paths of a packed listing with some left out, by their index after leaving out."""

    def __init__(self, paths: list[str], dropped: list[int]) -> None:
        self._paths, self._dropped = paths, dropped

    def __getitem__(self, index: int) -> str:
        for gone in self._dropped:  # (a few: each one left out before shifts the index)
            if gone <= index:
                index += 1
            else:
                break
        return self._paths[index]


def _differing(a: bytes, b: bytes) -> list[int]:
    """The indexes of the keys where two packed arrays of the same length differ, found by
    comparing halves (memory compared in C, never a key at a time)."""
    found: list[int] = []
    stack = [(0, len(a) // KEY_SIZE)]
    while stack:
        low, high = stack.pop()
        if a[low * KEY_SIZE:high * KEY_SIZE] == b[low * KEY_SIZE:high * KEY_SIZE]:
            continue
        if high - low == 1:
            found.append(low)
            continue
        middle = (low + high) // 2
        stack.extend([(middle, high), (low, middle)])
    return sorted(found)
