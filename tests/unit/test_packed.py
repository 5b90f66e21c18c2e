"""Packed files (store/packed.py): the same answers as comparing dicts, a key at a time."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from committee_cli.rules import run
from committee_cli.store.packed import KEY_SIZE, PackedFiles, _only_in_one, pack_paths, unpack_paths


def _keys(count: int, seed: int) -> dict[str, bytes]:
    rng = random.Random(seed)
    return {f"seats/s-{i:05d}.yaml": rng.randbytes(KEY_SIZE) for i in range(count)}


@pytest.mark.parametrize("seed", range(60))
def test_changed_files_are_those_a_dict_comparison_finds(seed: int) -> None:
    rng = random.Random(seed)
    before = _keys(rng.randint(0, 300), seed)
    after = dict(before)
    for rel in rng.sample(sorted(after), min(len(after), rng.randint(0, 5))):
        after[rel] = rng.randbytes(KEY_SIZE)  # edited in place: the same names
    for extra in range(rng.choice([0, 0, 1, 3])):  # files added, before and among the others
        after[rng.choice(["a", "people", "seats", "z"]) + f"/n-{seed}-{extra}.yaml"] = \
            rng.randbytes(KEY_SIZE)
    if after and rng.random() < 0.4:
        del after[rng.choice(sorted(after))]  # one removed
    old, new = PackedFiles.of(before), PackedFiles.of(after)
    assert old is not None and new is not None
    expected = {rel for rel, _ in before.items() ^ after.items()}
    assert new.changed(old) == old.changed(new) == expected
    assert new.keys == after and new.paths == sorted(after)


def test_keys_of_another_size_are_not_packed_and_a_broken_pair_is_refused() -> None:
    assert PackedFiles.of({"registry.yaml": b"\x01" * 32}) is None  # (SHA-256 object names)
    packed = PackedFiles.of({"a.yaml": b"\x01" * KEY_SIZE, "b\udcff.yaml": b"\x02" * KEY_SIZE})
    assert packed is not None and unpack_paths(pack_paths(packed.paths)) == packed.paths
    assert PackedFiles.read(packed.names, packed.values) == packed
    with pytest.raises(ValueError):
        PackedFiles.read(packed.names, packed.values[:-1])
    empty = PackedFiles.of({})
    assert empty is not None and len(empty) == 0 and empty.changed(packed) == set(packed.keys)


@pytest.mark.parametrize("seed", range(20))
def test_keys_replaced_are_those_packed_anew(seed: int) -> None:
    rng = random.Random(seed)
    before = _keys(rng.randint(1, 200), seed)
    packed = PackedFiles.of(before)
    assert packed is not None
    new = {rel: rng.randbytes(KEY_SIZE) for rel in rng.sample(sorted(before), rng.randint(0, 4))}
    replaced = packed.replaced(new)
    assert replaced is not None and replaced == PackedFiles.of({**before, **new})
    assert replaced.paths == sorted(before)
    gone = sorted(before)[0]
    assert packed.replaced({gone: None}) is None  # a file gone: packed anew, without it
    assert packed.replaced({"seats/none.yaml": b"\x00" * KEY_SIZE}) is None  # not among them
    assert packed.replaced({gone: b"\x00" * 32}) is None  # a key of another size


@pytest.mark.parametrize("seed", range(60))
def test_files_changed_by_an_amendment_are_those_packed_anew(seed: int) -> None:
    """Keys set, files added (before, among and after the others) and removed, spliced into
    the packed files: the same names and keys as packing the changed dict anew."""
    rng = random.Random(seed)
    before = _keys(rng.randint(0, 300), seed)
    changes: dict[str, bytes | None] = {}
    for rel in rng.sample(sorted(before), min(len(before), rng.randint(0, 4))):
        draw = rng.random()  # removed, written again as it was, or changed
        changes[rel] = None if draw < 0.3 else before[rel] if draw < 0.5 else rng.randbytes(KEY_SIZE)
    for extra in range(rng.choice([0, 1, 3])):
        changes[rng.choice(["a", "people", "seats", "z"]) + f"/n-{seed}-{extra}.yaml"] = \
            rng.randbytes(KEY_SIZE)
    changes["seats/never-there.yaml"] = None  # removing a file that is not there: nothing
    after = {rel: key for rel, key in ({**before, **changes}).items() if key is not None}
    packed = PackedFiles.of(before)
    assert packed is not None
    changed, fresh = packed.changed_by(changes), PackedFiles.of(after)
    assert changed is not None and fresh is not None
    assert (changed.names, changed.values) == (fresh.names, fresh.values)
    assert changed.paths == sorted(after)
    # what changed is known from the changes, against the files or an equal copy of them
    differing = {rel for rel in {*before, *after} if before.get(rel) != after.get(rel)}
    same = PackedFiles.read(packed.names, packed.values)
    for one, other in ((changed, packed), (packed, changed), (changed, same), (same, changed)):
        assert one.changed(other) == differing
    assert changed.changed(fresh) == set()
    assert changed.twin(same) is packed and packed.twin(same) is same  # (same bytes, unpacked)
    assert changed.twin(fresh) is fresh or (fresh.names, fresh.values) == (packed.names,
                                                                          packed.values)
    assert packed.changed_by({"a/x.yaml": b"short"}) is None
    assert packed.changed_by({f"a/{n}.yaml": None for n in range(65)}) is None


@pytest.mark.parametrize("seed", range(40))
def test_kept_owners_spliced_are_those_packed_anew(seed: int) -> None:
    """The rules' kept owners (rules/run.py) brought to a few files changed, added or removed,
    are the bytes packing every file's owner anew gives."""
    rng = random.Random(seed)
    before = _keys(rng.randint(1, 200), seed)
    owners_then = {rel: rng.choice([None, "bcd-a", "bcd-b"]) for rel in before}
    kept_files = PackedFiles.of(before)
    assert kept_files is not None
    kept = run._Kept(kept_files, pack_paths(owners_then[rel] or "" for rel in sorted(before)), {})
    after = dict(before)
    changed: set[str] = set()
    for rel in rng.sample(sorted(before), min(len(before), rng.randint(0, 4))):
        changed.add(rel)
        if rng.random() < 0.4:
            del after[rel]
        else:
            after[rel] = rng.randbytes(KEY_SIZE)
    for extra in range(rng.choice([0, 1, 3])):
        rel = rng.choice(["a", "seats", "z"]) + f"/n-{extra}.yaml"
        after[rel] = rng.randbytes(KEY_SIZE)
        changed.add(rel)
    owners = {rel: owner for rel, owner in owners_then.items() if rel not in changed}
    owners |= {rel: rng.choice([None, "bcd-c"]) for rel in changed if rel in after
               and rng.random() < 0.8}  # (a changed file that holds no record has no owner)
    files = PackedFiles.of(after)
    assert files is not None
    spliced = run._owned_spliced(kept, files, owners, changed)
    assert spliced == (pack_paths(owners.get(rel) or "" for rel in files.paths) if after else None)


_PATHS = st.text(alphabet="ab/-0.", min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.sets(_PATHS, max_size=30), st.sets(_PATHS, max_size=30))
def test_paths_only_one_list_has_are_found_a_folder_at_a_time(mine: set[str],
                                                              theirs: set[str]) -> None:
    """Whatever the names (folders, names without one, "-", "." and "0" sorting around "/"),
    the paths found folder by folder are the two sets' symmetric difference."""
    assert _only_in_one(sorted(mine), sorted(theirs)) == mine ^ theirs
