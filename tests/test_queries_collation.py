"""Vietnamese alphabetical order (CLDR "vi") as `members --sort name` uses it, checked against ICU."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest

from committee_cli.vietnamese import collation_key, name_sort_key
from tests.conftest import Run
from tests.history_registry import build_history_registry

# Expected orders, from spec/VIETNAMESE.md and CLDR's "vi" tailoring.
CLDR_VI_ORDERS = [
    ["An", "Ánh", "Ăn", "Ân"],
    ["Dũng", "Duy", "Đức"],
    ["ba", "bà", "bả", "bã", "bá", "bạ"],  # the six tones: none, huyền, hỏi, ngã, sắc, nặng
    ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ",
     "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y"],
    ["Hà", "Hải", "Hàn", "Hạnh", "Hằng", "Hậu", "Hiền", "Hoa", "Hòa", "Hồng", "Hợp", "Huệ", "Hưng"],
    ["Lê", "Lễ", "Lệ", "Liên", "Linh", "Loan", "Long", "Lộc", "Lợi", "Lực", "Lương"],
    ["Ô", "ơ", "Ơn", "u", "Ú", "ư", "Ưng", "v", "x", "y", "Ý"],
]


@pytest.mark.parametrize("expected", CLDR_VI_ORDERS, ids=lambda e: f"{e[0]}..{e[-1]}")
def test_cldr_vi_order(expected: list[str]) -> None:
    for seed in range(5):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=collation_key) == expected


def test_code_point_order_would_be_wrong() -> None:
    # Why a collation key is needed at all: sorted() puts Đ after every Latin letter.
    assert sorted(["Đức", "Duy", "Dũng"]) != ["Dũng", "Duy", "Đức"]


def test_nfd_input_sorts_as_nfc() -> None:
    words = ["Ân", "Ăn", "Ánh", "An"]
    nfd = [unicodedata.normalize("NFD", w) for w in words]
    assert [unicodedata.normalize("NFC", w) for w in sorted(nfd, key=collation_key)] == [
        "An", "Ánh", "Ăn", "Ân"]


def test_names_sort_by_given_name_first() -> None:
    names = ["Trần Văn Đức", "Nguyễn Thị Ân", "Lê Duy", "Phạm Thị Ánh", "Đặng Văn An", "Vũ Dũng",
             "Nguyễn An"]
    assert sorted(names, key=name_sort_key) == [
        "Đặng Văn An", "Nguyễn An", "Phạm Thị Ánh", "Nguyễn Thị Ân", "Vũ Dũng", "Lê Duy",
        "Trần Văn Đức"]


def test_members_sort_name_uses_the_collation(cli: Run, tmp_path: Path) -> None:
    h = build_history_registry(tmp_path / "history")
    result = cli("members", "--as-of", "2023-01-16", "--sort", "name", "--format", "json",
                 registry=h["path"])
    names = [s["name"] for s in json.loads(result.stdout)["seats"] if s["name"]]
    assert names == sorted(names, key=name_sort_key)
    assert names[:2] == ["Nguyễn Văn An", "Đặng Thị Ánh"]  # An < Ánh, whatever the family name


# --- against ICU's "vi" collator ---------------------------------------------------------------

_ONSETS = "- b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
_NUCLEI = "a ă â e ê i o ô ơ u ư y ia iê oa oă uô ươ ưa".split()
_CODAS = "- c ch m n ng nh p t i o u y".split()
_TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


def _syllable(rng: random.Random, capital: bool) -> str:
    nucleus = rng.choice(_NUCLEI)
    text = rng.choice(_ONSETS).strip("-") + nucleus[:-1] + nucleus[-1] + rng.choice(_TONES) \
        + rng.choice(_CODAS).strip("-")
    text = unicodedata.normalize("NFC", text)
    return text[:1].upper() + text[1:] if capital else text


def _generated_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        capital = rng.random() < 0.9
        names.add(" ".join(_syllable(rng, capital) for _ in range(rng.randint(2, 4))))
    return sorted(names)


def _icu_collator():  # type: ignore[no-untyped-def]
    icu = pytest.importorskip(
        "icu", reason="ICU not installed (pip install pyicu-wheels, in the test extras)")
    return icu.Collator.createInstance(icu.Locale("vi"))


@pytest.mark.parametrize("seed", [913, 2021])
def test_collation_key_matches_icu(seed: int) -> None:
    collator = _icu_collator()
    names = _generated_names(3000, seed)
    assert sorted(names, key=collation_key) == sorted(names, key=collator.getSortKey)


def test_name_sort_key_matches_icu_on_given_then_family_names() -> None:
    collator = _icu_collator()

    def icu_name_key(name: str) -> tuple[bytes, bytes]:
        words = name.split()
        return collator.getSortKey(words[-1]), collator.getSortKey(" ".join(words[:-1]))

    names = _generated_names(3000, 30)
    assert sorted(names, key=name_sort_key) == sorted(names, key=icu_name_key)


def test_icu_agrees_with_the_cldr_examples() -> None:
    collator = _icu_collator()
    for expected in CLDR_VI_ORDERS:
        assert sorted(reversed(expected), key=collator.getSortKey) == expected
