"""Several registries at once: `person` across them and `report seats`."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE, Run

FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"


@pytest.fixture
def two(cli: Run, tmp_path: Path) -> tuple[Path, Path]:
    """The sample and the fixture registry, Phạm Thị Thanh Trà given a seat in both."""
    first, second = tmp_path / "bnv", tmp_path / "btn"
    shutil.copytree(SAMPLE, first)
    shutil.copytree(FIXTURE, second)
    table = tmp_path / "tra.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Họ và tên", "Danh xưng", "Vai trò", "Thứ tự"],
                                      ["PHẠM THỊ THANH TRÀ", "Bà", "Ủy viên", "10"]])
    result = cli("import", "csv", str(table), "--committee", "bcd-cds", "--decision", "qd-300-2021",
                 registry=second)
    assert result.exit_code == 0, result.output
    return first, second


def test_person_lists_the_seats_in_both_registries(cli: Run, two: tuple[Path, Path]) -> None:
    first, second = two
    result = cli("--registry", str(first), "--registry", str(second), "person", "pham thi thanh tra",
                 "--as-of", "2021-10-01", "--format", "json")
    assert result.exit_code == 0, result.output
    people = json.loads(result.stdout)["people"]
    assert len(people) == 1
    seats = {(s["registry"], s["committee"], s["role_name"], s["held"]) for s in people[0]["seats"]}
    assert seats == {
        ("Bộ Nội vụ — Ban Chỉ đạo xây dựng Chính phủ điện tử, chuyển đổi số", "bcd-cpdt",
         "Trưởng ban", True),
        ("Bộ Thử nghiệm — sổ đăng ký mẫu cho kiểm thử", "bcd-cds", "Ủy viên", True)}
    table = cli("--registry", str(first), "--registry", str(second), "person", "Trà",
                "--as-of", "2021-10-01")
    assert table.exit_code == 0
    assert [line.split()[-1] for line in table.stdout.splitlines()[3:]] == ["held", "held"]
    single = cli("--registry", str(first), "person", "Trà", "--as-of", "2021-10-01")
    assert single.exit_code == 0 and "Registry" not in single.stdout  # one registry: as before


def test_report_counts_seats_across_registries(cli: Run, two: tuple[Path, Path],
                                               tmp_path: Path) -> None:
    first, second = two
    listing = tmp_path / "registries.yaml"
    listing.write_text("registries:\n  - path: bnv\n  - btn\n", encoding="utf-8")
    result = cli("--registry", str(listing), "report", "seats", "--as-of", "2021-10-01",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert rows[0]["name"] == "Bà Phạm Thị Thanh Trà" and rows[0]["seats"] == "2"
    assert rows[0]["registries"] == "2"
    assert all(r["seats"] == "1" for r in rows[1:])
    markdown = cli("--registry", str(first), "--registry", str(second), "report", "seats",
                   "--as-of", "2021-10-01")
    assert "| Bà Phạm Thị Thanh Trà | 2 | 2 |" in markdown.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("registries: []\n", encoding="utf-8")
    refused = cli("--registry", str(bad), "report", "seats")
    assert refused.exit_code == 2 and "registries:" in refused.stderr
