"""Problems kept in the cache as JSON texts read back in one parse (store/cache.py)."""

from __future__ import annotations

import json

import pytest

from committee_cli.errors import Problem
from committee_cli.store.cache import problem_json, problems_from_json

PROBLEMS = [
    Problem("R101", "không tìm thấy 'p-1'", "seats/a.yaml", 3, 9, ("person",), "error"),
    Problem("R142", "giống \"Anh\", \\ và ]", "people/b.yaml", None, None, ("name", 0), "warning"),
    Problem("R001", "", "registry.yaml", 1, 1, (), "error"),
]


def test_problems_read_back_as_written() -> None:
    texts = [problem_json(problem) for problem in PROBLEMS]
    assert problems_from_json(texts) == PROBLEMS
    assert problems_from_json([]) == []


@pytest.mark.parametrize("texts", [
    ["[1, 2]"],  # not a problem's seven fields
    ['["R1", "m", "f", 1, 1, [], "fatal"]'],  # no such severity
    ['["R1", "m", "f", 1, 1, [], "error"], ["R1", "m", "f", 1, 1, [], "error"]'],  # two in one
    ['["R1", "m", "f", 1, 1, [], "error"]', ""],  # an empty text
    ["not json"],
])
def test_a_text_that_is_not_one_problem_is_refused(texts: list[str]) -> None:
    with pytest.raises((ValueError, TypeError)):
        problems_from_json(texts)


def test_one_parse_for_all_and_none_for_texts_read_before(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text: calls.append(text) or loads(text))
    fresh = [Problem("R301", f"việc {n} quá hạn", f"tasks/t{n}.yaml", n, 1, (), "warning")
             for n in range(300)]  # (texts this process has not read yet)
    texts = [problem_json(problem) for problem in fresh]
    assert problems_from_json(texts) == fresh
    assert len(calls) == 1
    assert problems_from_json(texts[::-1]) == fresh[::-1]  # read again: taken as read
    assert len(calls) == 1
