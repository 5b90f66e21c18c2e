"""The query library on its own: resolving names, matching people, and a light CLI start-up."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import date

import pytest

import committee_cli.queries as queries
from committee_cli.errors import RegistryInvalid, UsageError
from committee_cli.model.registry import Registry
from committee_cli.queries import (
    find_people,
    open_registry,
    resolve_committee,
    resolve_role,
    resolve_unit,
)
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def reg() -> Registry:
    return open_registry(SAMPLE)


def test_every_export_exists() -> None:
    assert all(hasattr(queries, name) for name in queries.__all__)


def test_resolve_committee(reg: Registry) -> None:
    assert resolve_committee(reg, None) == "bcd-cpdt"  # the only one without a parent
    assert resolve_committee(reg, "to-cong-tac-cpdt") == "to-cong-tac-cpdt"
    assert resolve_committee(reg, "  TỔ CÔNG TÁC ") == "to-cong-tac-cpdt"
    assert resolve_committee(reg, unicodedata.normalize("NFD", "Tổ công tác")) == "to-cong-tac-cpdt"
    with pytest.raises(UsageError, match=r"did you mean 'to-cong-tac-cpdt'"):
        resolve_committee(reg, "to-cong-tac-cpd")
    # A name typed without tone marks and slightly wrong is still recognised in the suggestion.
    with pytest.raises(UsageError, match=r"did you mean 'Ban Chỉ đạo xây dựng Chính phủ điện tử"):
        resolve_committee(reg, "ban chi dao xay dung chinh phu dien tu")


def test_resolve_role_and_unit(reg: Registry) -> None:
    assert resolve_role(reg, "bcd-cpdt", "Phó Trưởng ban") == "pho-truong-ban"
    assert resolve_role(reg, "bcd-cpdt", "uy vien thuong truc") == "uy-vien-thuong-truc"
    assert resolve_role(reg, "to-cong-tac-cpdt", "Tổ trưởng") == "to-truong"
    with pytest.raises(UsageError) as caught:
        resolve_role(reg, "bcd-cpdt", "Chủ tịch")
    assert caught.value.exit_code == 2
    assert resolve_unit(reg, "Vụ Pháp chế") == "bnv-vpc"
    assert resolve_unit(reg, "vu phap che") == "bnv-vpc"
    assert resolve_unit(reg, "TTTT") == "bnv-tttt"
    with pytest.raises(UsageError, match="no organisation"):
        resolve_unit(reg, "Bộ Tài chính")


@pytest.mark.parametrize(("query", "found"), [
    ("truong hai long", ["truong-hai-long"]),
    ("Trương Hải Long", ["truong-hai-long"]),
    (unicodedata.normalize("NFD", "Trương Hải Long"), ["truong-hai-long"]),
    (unicodedata.normalize("NFD", "PHẠM THỊ"), ["pham-thi-thanh-tra"]),
    ("thanh tra", ["pham-thi-thanh-tra"]),
    ("pham-thi-thanh-tra", ["pham-thi-thanh-tra"]),
    ("lon", []),  # whole words only
    ("", []),
])
def test_find_people(reg: Registry, query: str, found: list[str]) -> None:
    assert find_people(reg, query) == found


def test_an_exact_name_wins_over_partial_matches(reg: Registry) -> None:
    from committee_cli.model.records import Person

    people = dict(reg.people)
    people["truong-hai-long-2"] = Person(name="Trương Hải Long Anh", honorific="Ông")
    bigger = Registry(config=reg.config, people=people)
    assert find_people(bigger, "truong hai long") == ["truong-hai-long"]
    assert find_people(bigger, "hai long") == ["truong-hai-long", "truong-hai-long-2"]


def test_person_query_without_match_suggests(reg: Registry) -> None:
    with pytest.raises(UsageError, match=r"did you mean 'Phạm Thị Thanh Trà'"):
        queries.person(reg, "pham thi thanh tro", date(2022, 1, 1))


def test_open_registry_refuses_files_that_do_not_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "r")
    (tmp_path / "r" / "people" / "truong-hai-long.yaml").write_text("name: [\n", encoding="utf-8")
    with pytest.raises(RegistryInvalid) as caught:
        open_registry(tmp_path / "r")
    assert caught.value.problems[0].file == "people/truong-hai-long.yaml"


def test_members_on_the_sample_before_and_on_the_decision(reg: Registry) -> None:
    assert queries.members(reg, None, date(2021, 8, 29)).seats == []
    on = queries.members(reg, None, date(2021, 8, 30))
    assert len(on.seats) == 16 and on.seats[1].holder == "Ông Trương Hải Long"
    assert on.as_dict()["seats"][0]["since"] == date(2021, 8, 30)


def test_starting_the_cli_does_not_load_the_queries() -> None:
    code = ("import sys, committee_cli.cli.app; "
            "print(sorted(m for m in ('committee_cli.queries', 'pydantic', 'rich') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
