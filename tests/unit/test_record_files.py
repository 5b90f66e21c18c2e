"""``model.registry.RecordFiles``: a registry read back from the cache knows each record's file
from the ids read, and answers, changes and copies exactly as the dict it stands for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from committee_cli.model.registry import RecordFiles, copy_files

FOLDERS = {"seat": "seats", "person": "people", "task": "tasks"}
IDS = {"seat": ["s1", "s2", "s3"], "person": ["p1", "p2"], "task": []}
KEYS = [(kind, rid) for kind in (*FOLDERS, "decision") for rid in ("s1", "s2", "s4", "p1", "p3")]


def _dict() -> dict[tuple[str, str], str]:
    return {(kind, rid): f"{FOLDERS[kind]}/{rid}.yaml" for kind, ids in IDS.items()
            for rid in ids}


def test_it_reads_as_the_dict_of_every_record_file() -> None:
    files = RecordFiles(IDS, FOLDERS)
    assert dict(files) == _dict() and files == _dict() and len(files) == 5
    assert files[("seat", "s2")] == "seats/s2.yaml" and files.get(("seat", "s9")) is None
    assert ("person", "p1") in files and ("seat", "p1") not in files and "seat" not in files
    assert list(files.items()) == list(_dict().items())
    with pytest.raises(KeyError):
        del files[("decision", "x")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "del", "pop", "copy"]), st.sampled_from(KEYS),
                          st.text("ab", max_size=2)), max_size=12))
def test_changes_and_copies_match_a_dict(steps: list[tuple[str, tuple[str, str], str]]) -> None:
    lazy: RecordFiles = RecordFiles(IDS, FOLDERS)
    plain = _dict()
    copies: list[tuple[RecordFiles, dict[tuple[str, str], str]]] = []
    for op, key, value in steps:
        if op == "set":
            lazy[key] = plain[key] = value
        elif op == "del":
            if key in plain:
                del lazy[key], plain[key]
            else:
                with pytest.raises(KeyError):
                    del lazy[key]
        elif op == "pop":
            assert lazy.pop(key, None) == plain.pop(key, None)
        else:
            copies.append((lazy, dict(plain)))
            copied = copy_files(lazy)
            assert isinstance(copied, RecordFiles)
            lazy = copied
        assert dict(lazy) == plain and len(lazy) == len(plain)
        assert dict(lazy.items()) == plain and list(lazy) == list(dict(lazy.items()))
        assert all((key in lazy) == (key in plain) for key in KEYS)
    for earlier, then in copies:  # a copy changed never changes the mapping it was made from
        assert dict(earlier) == then
