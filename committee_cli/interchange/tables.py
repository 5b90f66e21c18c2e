"""Tables of people and seats read from CSV (UTF-8) or Excel (.xlsx, first sheet).

Columns (English or Vietnamese headers, any case or tone marks; unknown columns are reported):

| field | headers accepted |
| --- | --- |
| name | name, Họ và tên, Họ tên |
| honorific | honorific, Danh xưng, Ông/Bà |
| title | title, Chức vụ |
| unit | unit, Đơn vị |
| since | since, Từ ngày |
| committee | committee, Ban, Ủy ban, Tổ |
| role | role, Vai trò |
| order | order, Thứ tự, STT |
| decision | decision, Quyết định |
| post | post, Chức danh (a seat held by a post, with unit and no name) |
| external_id | external_id, external id, Mã định danh cá nhân, Mã định danh, Số định danh cá nhân |
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.interchange.xlsx import need_openpyxl
from committee_cli.vietnamese import fold

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "Họ và tên", "Họ tên", "Tên"),
    "honorific": ("honorific", "Danh xưng", "Ông/Bà"),
    "title": ("title", "Chức vụ"),
    "unit": ("unit", "Đơn vị"),
    "since": ("since", "Từ ngày"),
    "committee": ("committee", "Ban", "Ủy ban", "Tổ"),
    "role": ("role", "Vai trò"),
    "order": ("order", "Thứ tự", "STT"),
    "decision": ("decision", "Quyết định"),
    "post": ("post", "Chức danh"),
    "external_id": ("external_id", "external id", "Mã định danh cá nhân", "Mã định danh",
                    "Số định danh cá nhân"),
}
_BY_FOLD = {fold(h): key for key, names in HEADERS.items() for h in names}


@dataclass(frozen=True)
class Cell:
    """One value as read, where it stood, and whether the sheet held a formula there."""

    value: str | dt.date | int | float | None
    row: int
    column: str  # letter, A B C …
    header: str
    formula: bool = False


@dataclass
class Table:
    """The rows of a table by field name, and what was wrong with its header."""

    source: str
    rows: list[dict[str, Cell]] = field(default_factory=list)
    header_problems: list[str] = field(default_factory=list)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header(source: str, headers: list[str], table: Table) -> dict[int, str]:
    columns: dict[int, str] = {}
    for i, heading in enumerate(headers):
        if not str(heading or "").strip():
            continue
        key = _BY_FOLD.get(fold(str(heading)))
        if key is None:
            table.header_problems.append(tr("{source}:1:{column}: unknown column '{heading}' "
                                            "(columns: docs/import-export.md)", source=source,
                                            column=_letter(i), heading=heading))
        elif key in columns.values():
            table.header_problems.append(tr("{source}:1:{column}: column '{heading}' repeats "
                                            "another", source=source, column=_letter(i),
                                            heading=heading))
        else:
            columns[i] = key
    return columns


def read_table(path: Path, kind: str) -> Table:
    """Read ``path`` as ``csv`` or ``xlsx``; row numbers are those a spreadsheet shows."""
    if not path.is_file():
        raise CommitteeError(tr("no file {path}", path=path), ExitCode.IO)
    table = Table(str(path))
    if kind == "csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(tr("{path} is not UTF-8 text: save the CSV as UTF-8", path=path)) from None
        grid: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text))]
        formulas: set[tuple[int, int]] = set()
    else:
        grid, formulas = _xlsx_grid(path)
    if not grid:
        return table
    columns = _header(path.name, [str(h) if h is not None else "" for h in grid[0]], table)
    for r, values in enumerate(grid[1:], start=2):
        if not any(str(v).strip() for v in values if v is not None):
            continue
        row: dict[str, Cell] = {}
        for i, key in columns.items():
            raw = values[i] if i < len(values) else None
            if isinstance(raw, dt.datetime):
                raw = raw.date()
            if isinstance(raw, str):
                raw = raw.strip() or None
            value = raw if isinstance(raw, str | dt.date | int | float) or raw is None else str(raw)
            row[key] = Cell(value, r, _letter(i), str(grid[0][i]), (r, i) in formulas)
        table.rows.append(row)
    return table


def _xlsx_grid(path: Path) -> tuple[list[list[object]], set[tuple[int, int]]]:
    openpyxl = need_openpyxl()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UsageError(tr("{path} is not an Excel .xlsx workbook ({detail})", path=path,
                            detail=exc)) from None
    sheet = book.worksheets[0]
    grid: list[list[object]] = []
    formulas: set[tuple[int, int]] = set()
    for r, row in enumerate(sheet.iter_rows(), start=1):
        values: list[object] = []
        for i, cell in enumerate(row):
            if cell.data_type == "f":
                formulas.add((r, i))
            values.append(cell.value)
        grid.append(values)
    book.close()
    return grid, formulas
