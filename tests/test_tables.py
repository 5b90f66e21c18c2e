"""`committee import csv|xlsx` and `--format xlsx`: tables in and out."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import Run

HEADER = ["Họ và tên", "Danh xưng", "Chức vụ", "Đơn vị", "Từ ngày", "Vai trò", "Thứ tự"]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


GOOD = ["Nguyễn Văn Bảy", "Ông", "Vụ trưởng", "Vụ Pháp chế", "2021-08-30", "Ủy viên", "17"]
SEAT = ["--committee", "bcd-cpdt", "--decision", "qd-913-2021"]


def test_500_rows_import_at_once(cli: Run, sample: Path, tmp_path: Path) -> None:
    rows = [[f"Nguyễn Văn Thử {n}", "Ông", "Chuyên viên", "Vụ Pháp chế", "1/9/2021", "Ủy viên",
             str(100 + n)] for n in range(500)]
    for row in rows:  # names of one word per number: "Thử 7" is not a name; spell them
        row[0] = f"Nguyễn Văn {'ABCDEFGHIK'[int(row[6]) % 10]}{row[6]}"
    table = _write_csv(tmp_path / "nhieu.csv", rows)
    # new members come by a new decision: seats citing signed 913 would change what it says
    draft = cli("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number", "1000",
                "--symbol", "QĐ-BNV", "--date", "2021-09-01", "--signer", "pham-thi-thanh-tra",
                "--subject", "Về việc bổ sung thành viên Ban Chỉ đạo", registry=sample)
    assert draft.exit_code == 0, draft.output
    decision = draft.stdout.strip().splitlines()[-1].strip()
    result = cli("import", "csv", str(table), "--committee", "bcd-cpdt", "--decision", decision,
                 registry=sample)
    assert result.exit_code == 0, result.output
    assert "500 người mới, 500 vị trí" in result.output
    members = cli("members", "--as-of", "2021-09-02", "--format", "csv", registry=sample)
    assert members.stdout.count("\n") == 1 + 16 + 500
    assert cli("validate", registry=sample).exit_code == 0


@pytest.mark.parametrize(("row", "where", "message"), [
    ([*GOOD[:4], "31/02/2021", *GOOD[5:]], ":2:E (Từ ngày)", "not a real date"),
    ([*GOOD[:3], "Vụ Không Có", *GOOD[4:]], ":2:D (Đơn vị)", "unknown unit"),
    ([unicodedata.normalize("NFD", GOOD[0]), *GOOD[1:]], ":2:A (Họ và tên)", "NFD"),
    (["=cmd|' /C calc'!A0", *GOOD[1:]], ":2:A (Họ và tên)", "formula"),
    ([*GOOD[:5], "Chủ nhiệm", GOOD[6]], ":2:F (Vai trò)", "not in the vocabulary"),
])
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(
        cli: Run, sample: Path, tmp_path: Path, row: list[str], where: str, message: str) -> None:
    table = _write_csv(tmp_path / "bad.csv", [row, ["Lê Thị Tám", "Bà", "Phó Vụ trưởng",
                                                    "bnv-vtccb", "2021-08-30", "Ủy viên", "18"]])
    before = _snapshot(sample)
    result = cli("import", "csv", str(table), *SEAT, registry=sample)
    assert result.exit_code == 1
    assert f"bad.csv{where}: " in result.stderr and message in result.stderr
    assert "nothing was written" in result.stderr
    assert _snapshot(sample) == before
    skipped = cli("import", "csv", str(table), *SEAT, "--skip-bad", registry=sample)
    assert skipped.exit_code == 0 and "skipped rows: 2" in skipped.stderr
    assert (sample / "people" / "le-thi-tam.yaml").is_file()


def test_a_duplicate_person_is_reported(cli: Run, sample: Path, tmp_path: Path) -> None:
    table = _write_csv(tmp_path / "dup.csv", [GOOD, [*GOOD[:6], "18"]])
    result = cli("import", "csv", str(table), *SEAT, registry=sample)
    assert result.exit_code == 1 and "dup.csv:3:A (Họ và tên): Nguyễn Văn Bảy is already on row 2" \
        in result.stderr
    seated = _write_csv(tmp_path / "seated.csv", [["Trương Hải Long", "Ông", "", "", "", "Ủy viên",
                                                   "19"]])
    result = cli("import", "csv", str(seated), *SEAT, registry=sample)
    assert result.exit_code == 1 and "already holds a seat" in result.stderr


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_import_takes_excel_dates_and_refuses_formulas(cli: Run, sample: Path,
                                                            tmp_path: Path) -> None:
    bad = _workbook(tmp_path / "bad.xlsx", [[*GOOD[:4], "=TODAY()", *GOOD[5:]]])
    result = cli("import", "xlsx", str(bad), *SEAT, registry=sample)
    assert result.exit_code == 1 and "bad.xlsx:2:E (Từ ngày): a formula" in result.stderr
    good = _workbook(tmp_path / "good.xlsx", [[*GOOD[:4], dt.datetime(2021, 9, 1), GOOD[5], 17]])
    result = cli("import", "xlsx", str(good), *SEAT, registry=sample)
    assert result.exit_code == 0, result.output
    person = (sample / "people" / "nguyen-van-bay.yaml").read_text(encoding="utf-8")
    assert "since: 2021-09-01" in person


def test_xlsx_export_is_a_real_spreadsheet(cli: Run, sample: Path, tmp_path: Path) -> None:
    seat = sample / "seats" / "bcd-cpdt-03.yaml"
    seat.write_text(seat.read_text(encoding="utf-8").replace(
        "post: Đại diện lãnh đạo", "post: \"=HYPERLINK(\\\"http://x\\\")\""), encoding="utf-8")
    out = tmp_path / "members.xlsx"
    result = cli("members", "--as-of", "2021-08-30", "--sort", "name", "--format", "xlsx",
                 "--out", str(out), registry=sample)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    since = sheet.cell(row=2, column=header.index("since") + 1)
    assert since.is_date and since.value.date() == dt.date(2021, 8, 30)
    assert sheet.column_dimensions["A"].width > 5
    posts = [r[header.index("post")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in posts
    formula = next(c for row in sheet.iter_rows(min_row=2) for c in row
                   if c.value == '=HYPERLINK("http://x")')
    assert formula.data_type == "s"
    names = [r[header.index("name")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    cli_order = cli("members", "--as-of", "2021-08-30", "--sort", "name", "--format", "json",
                    registry=sample)
    import json

    assert names == [s["name"] for s in json.loads(cli_order.stdout)["seats"]]
    refused = cli("members", "--format", "xlsx", registry=sample)
    assert refused.exit_code == 2 and "--out" in refused.stderr
