"""Spreadsheets written with openpyxl: typed dates, a frozen header row, column widths.

Rows keep the order the CLI printed them in (protocol order, or Vietnamese alphabetical order).
A text cell that starts with ``=``, ``+``, ``-`` or ``@`` is written as text, never as a
formula (CSV/formula injection): its type is forced to string and it is marked quote-prefixed,
as Excel does for text typed after an apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr

FORMULA_START = ("=", "+", "-", "@")
DATE_FORMAT = "DD/MM/YYYY"
MAX_WIDTH = 60


def need_openpyxl() -> Any:
    """The openpyxl module, or a usage error saying how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise UsageError(tr("spreadsheets need the openpyxl package: pip install "
                            "'committee-cli[xlsx]'")) from None
    return openpyxl


def _value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(_value(v)) for v in value if v is not None)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if isinstance(value, bool | int | float | dt.date) or value is None:
        return value
    return str(value)


def workbook_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
                   title: str) -> bytes:
    """One sheet: a header row of ``columns`` headings, then one row per result row."""
    openpyxl = need_openpyxl()
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet1"
    widths = [len(heading) for _, heading in columns]
    for c, (_, heading) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c, value=heading)
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, (key, _) in enumerate(columns, start=1):
            value = _value(row.get(key))
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
            if isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            shown = 10 if isinstance(value, dt.date) else len(str(value)) if value is not None else 0
            widths[c - 1] = max(widths[c - 1], shown)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
