"""A person's external id (e.g. the mã định danh cá nhân): set by `amend person`, read by
`import csv`, exported in Popolo, and the key that matches people across registries."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from committee_cli.store.yamlio import load_text
from tests.conftest import ROOT, SAMPLE, Run
from tests.test_popolo import _validators

FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"
ID = "001085012345"


def _person(registry: Path, pid: str) -> dict[str, Any]:
    rel = f"people/{pid}.yaml"
    return dict(load_text((registry / rel).read_text(encoding="utf-8"), rel))


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_amend_person_sets_checks_and_removes_an_external_id(cli: Run, tmp_path: Path) -> None:
    registry = _copy(FIXTURE, tmp_path / "btn")
    added = cli("amend", "person", "add", "--name", "Ngô Thị Mai", "--honorific", "Bà",
                "--external-id", ID, registry=registry)
    assert added.exit_code == 0, added.output
    assert _person(registry, "ngo-thi-mai")["external_id"] == ID
    taken = cli("amend", "person", "update", "le-van-cuong", "--external-id", ID,
                registry=registry)
    assert taken.exit_code == 2 and "belongs to 'ngo-thi-mai'" in taken.stderr
    spaced = cli("amend", "person", "update", "le-van-cuong", "--external-id", "001 085",
                 registry=registry)
    assert spaced.exit_code == 2 and "no spaces" in spaced.stderr
    long = cli("amend", "person", "update", "le-van-cuong", "--external-id", "x" * 65,
               registry=registry)
    assert long.exit_code == 2 and "up to 64 characters" in long.stderr
    assert "external_id" not in _person(registry, "le-van-cuong")
    assert cli("amend", "person", "update", "ngo-thi-mai", "--external-id", "",
               registry=registry).exit_code == 0
    assert "external_id" not in _person(registry, "ngo-thi-mai")
    assert cli("validate", registry=registry).exit_code == 0


def _table(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_import_csv_reads_the_external_id_column(cli: Run, tmp_path: Path) -> None:
    registry = _copy(FIXTURE, tmp_path / "btn")
    assert cli("amend", "person", "update", "le-van-cuong", "--external-id", ID,
               registry=registry).exit_code == 0
    table = _table(tmp_path / "people.csv", [
        ["Họ và tên", "Danh xưng", "Mã định danh cá nhân"],
        ["Lê Cường", "Ông", ID],  # another spelling, the same id: the same person
        ["Ngô Thị Mai", "Bà", "079190000001"],
        ["Lê Văn Cường", "Ông", "001085099999"]])  # the same name, another id: another person
    result = cli("import", "csv", str(table), registry=registry)
    assert result.exit_code == 0, result.output
    assert "2 người mới" in result.stdout + result.stderr
    assert _person(registry, "ngo-thi-mai")["external_id"] == "079190000001"
    assert _person(registry, "le-van-cuong-2")["external_id"] == "001085099999"
    assert not (registry / "people" / "le-cuong.yaml").exists()
    bad = _table(tmp_path / "bad.csv", [["Họ và tên", "Danh xưng", "Mã định danh"],
                                        ["Trần Văn Sáu", "Ông", "079 190"]])
    refused = cli("import", "csv", str(bad), registry=registry)
    assert refused.exit_code == 1
    assert "bad.csv:2:C (Mã định danh): an external id has up to 64 characters" in refused.stderr


def test_import_xlsx_reads_a_numeric_external_id_as_text(cli: Run, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed")
    registry = _copy(FIXTURE, tmp_path / "btn")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Danh xưng", "Mã định danh cá nhân"])
    sheet.append(["Ngô Thị Mai", "Bà", "079190000001"])
    sheet.append(["Trần Văn Sáu", "Ông", 1085012345])  # typed as a number in Excel
    book.save(tmp_path / "people.xlsx")
    result = cli("import", "xlsx", str(tmp_path / "people.xlsx"), registry=registry)
    assert result.exit_code == 0, result.output
    assert _person(registry, "ngo-thi-mai")["external_id"] == "079190000001"
    assert _person(registry, "tran-van-sau")["external_id"] == "1085012345"


def test_popolo_exports_the_external_id_as_an_identifier(cli: Run, tmp_path: Path) -> None:
    registry = _copy(FIXTURE, tmp_path / "btn")
    assert cli("amend", "person", "update", "le-van-cuong", "--external-id", ID,
               registry=registry).exit_code == 0
    result = cli("export", "popolo", registry=registry)
    assert result.exit_code == 0, result.output
    persons = {p["id"]: p for p in json.loads(result.stdout)["persons"]}
    assert persons["le-van-cuong"]["identifiers"] == [{"identifier": ID, "scheme": "external_id"}]
    assert "identifiers" not in persons["nguyen-van-an"]
    validator = _validators()["persons"]
    assert not [e.message for e in validator.iter_errors(persons["le-van-cuong"])]


@pytest.fixture
def two(cli: Run, tmp_path: Path) -> tuple[Path, Path]:
    """The sample and the fixture registry; Phạm Thị Thanh Trà given a seat in the fixture,
    spelt there without her middle name."""
    first, second = _copy(SAMPLE, tmp_path / "bnv"), _copy(FIXTURE, tmp_path / "btn")
    table = _table(tmp_path / "tra.csv", [["Họ và tên", "Danh xưng", "Vai trò", "Thứ tự",
                                           "Mã định danh cá nhân"],
                                          ["Phạm Thị Trà", "Bà", "Ủy viên", "10", ID]])
    result = cli("import", "csv", str(table), "--committee", "bcd-cds", "--decision",
                 "qd-300-2021", registry=second)
    assert result.exit_code == 0, result.output
    return first, second


def _across(cli: Run, two: tuple[Path, Path], *args: str) -> Any:
    first, second = two
    result = cli("--registry", str(first), "--registry", str(second), *args, "--as-of",
                 "2021-10-01", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["people"]


def test_the_same_external_id_is_one_person_whatever_the_names(cli: Run,
                                                               two: tuple[Path, Path]) -> None:
    first, _ = two
    names = [p["name"] for p in _across(cli, two, "report", "seats")]
    assert "Phạm Thị Trà" in names and "Phạm Thị Thanh Trà" in names  # no id: two people
    assert cli("amend", "person", "update", "pham-thi-thanh-tra", "--external-id", ID,
               registry=first).exit_code == 0
    people = _across(cli, two, "person", "Phạm Thị Thanh Trà")
    assert len(people) == 1 and people[0]["external_id"] == ID
    assert sorted(s["committee"] for s in people[0]["seats"]) == ["bcd-cds", "bcd-cpdt"]
    assert _across(cli, two, "person", ID) == people  # the external id itself finds them
    counts = {p["name"]: p["seats"] for p in _across(cli, two, "report", "seats")}
    assert counts["Phạm Thị Thanh Trà"] == 2 and "Phạm Thị Trà" not in counts


def test_different_external_ids_are_different_people_whatever_the_names(
        cli: Run, two: tuple[Path, Path]) -> None:
    first, second = two
    assert cli("amend", "person", "update", "pham-thi-tra", "--name", "Phạm Thị Thanh Trà",
               registry=second).exit_code == 0
    # the same folded name, one external id: one person (a person without one joins by name)
    people = _across(cli, two, "person", "pham thi thanh tra")
    assert len(people) == 1 and len(people[0]["seats"]) == 2
    assert cli("amend", "person", "update", "pham-thi-thanh-tra", "--external-id",
               "079190000001", registry=first).exit_code == 0
    people = _across(cli, two, "person", "pham thi thanh tra")
    assert sorted(p["external_id"] for p in people) == ["001085012345", "079190000001"]
    assert all(len(p["seats"]) == 1 for p in people)
    counts = [p for p in _across(cli, two, "report", "seats") if p["name"] == "Phạm Thị Thanh Trà"]
    assert [p["seats"] for p in counts] == [1, 1]


def test_two_people_of_one_registry_with_one_external_id_is_an_error(cli: Run,
                                                                     tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(SAMPLE, registry)
    assert '"R144"' not in cli("validate", "--format", "json", registry=registry).stdout
    for pid in ("truong-hai-long", "pham-thi-thanh-tra"):  # written by hand (the CLI refuses)
        path = registry / "people" / f"{pid}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "external_id: CCCD-001\n",
                        encoding="utf-8")
    result = cli("validate", registry=registry)
    assert result.exit_code == 1
    assert "people/truong-hai-long.yaml" in result.stdout
    assert ("R144 error: the external id CCCD-001 is also the id of 'pham-thi-thanh-tra'"
            in result.stdout)
