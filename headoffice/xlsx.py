"""Excel workbooks for head office exports: typed columns, a frozen header, auto-filter, a totals row.

Money is given as integer fen and written as a number of yuan (fen/100, exact decimal) shown as
``#,##0.00``; dates are real dates. Every text cell that a spreadsheet could take for a formula
(``=``, ``+``, ``-``, ``@`` first, also after leading blanks, or a tab / carriage return first) is
written as text with a leading ``'``, so ``=HYPERLINK(...)`` typed into a product's origin at a
till can never run as a formula on an office PC. The totals row holds ``SUM`` formulas (they follow
edits) with their values already computed and stored, so readers that do not calculate see them too.

    workbook([Sheet("按产地 By county", [Column("产地 County", "text"), Column("净额 Net", "money")],
                    [["茂县", 12345]])]) -> bytes
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["text", "money", "date", "datetime", "int", "percent"]

FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "int": "#,##0",
           "percent": "0.0%"}
_FORMULA_START = re.compile(r"^[ \t\r\n]*[=+\-@]|^[\t\r]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 cannot hold these; openpyxl refuses them
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind
    width: int = 14


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    totals: bool = True
    note: str = ""


def safe_text(value: Any) -> str:
    """Text as it goes into a cell: never read as a formula, no characters XML cannot carry."""
    s = _ILLEGAL.sub("", str(value))
    return "'" + s if _FORMULA_START.match(s) else s


def yuan(fen: int) -> Decimal:
    """Integer fen as an exact number of yuan (12345 -> Decimal('123.45'))."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"money cells take integer fen, not {type(fen).__name__}")
    return Decimal(fen).scaleb(-2)


def _cell_value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "money":
        return yuan(value)
    if kind == "int":
        return int(value)
    if kind == "percent":
        return value if isinstance(value, Decimal) else float(value)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if kind == "datetime":
        if isinstance(value, datetime):
            return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        return _cell_value("datetime", datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    return safe_text(value)


def _title(raw: str, taken: set[str]) -> str:
    base = _BAD_TITLE.sub(" ", _ILLEGAL.sub("", raw)).strip().strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx file holding ``sheets`` in order (an empty list gives one empty sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    taken: set[str] = set()
    cached: dict[int, dict[str, str]] = {}  # sheet index -> {cell ref: computed total}
    for index, sheet in enumerate(sheets or [Sheet("Sheet", [], [], totals=False)]):
        ws = wb.create_sheet(_title(sheet.title, taken))
        cols = list(sheet.columns)
        for j, col in enumerate(cols, start=1):
            c = ws.cell(row=1, column=j, value=safe_text(col.title))
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(j)].width = col.width
        sums = [Decimal(0) if col.kind == "money" else 0 for col in cols]
        r = 1
        for r, row in enumerate(sheet.rows, start=2):
            if len(row) != len(cols):
                raise ValueError(f"sheet {sheet.title!r} row {r - 1} has {len(row)} cells for {len(cols)} columns")
            for j, (col, value) in enumerate(zip(cols, row, strict=True), start=1):
                v = _cell_value(col.kind, value)
                c = ws.cell(row=r, column=j, value=v)
                if col.kind == "text":
                    c.data_type = "s"
                elif col.kind in FORMATS:
                    c.number_format = FORMATS[col.kind]
                if v is not None and col.kind in ("money", "int"):
                    sums[j - 1] += v
        last = max(r, 1)
        if cols:
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last}"
        next_row = last + 1
        if sheet.totals and cols:
            total_row = last + 1
            label = ws.cell(row=total_row, column=1, value="合计 Total")
            label.font = bold
            for j, col in enumerate(cols, start=1):
                if col.kind not in ("money", "int") or (j == 1):
                    continue
                letter = get_column_letter(j)
                c = ws.cell(row=total_row, column=j, value=f"=SUM({letter}2:{letter}{last})" if last >= 2 else 0)
                c.number_format = FORMATS[col.kind]
                c.font = bold
                if last >= 2:
                    cached.setdefault(index, {})[f"{letter}{total_row}"] = str(sums[j - 1])
            next_row = total_row + 1
        if sheet.note:
            ws.cell(row=next_row + 1, column=1, value=safe_text(sheet.note)).data_type = "s"
    wb.calculation.fullCalcOnLoad = True
    out = io.BytesIO()
    wb.save(out)
    return _store_totals(out.getvalue(), cached)


def _store_totals(data: bytes, cached: dict[int, dict[str, str]]) -> bytes:
    """Put the computed value beside each totals formula (openpyxl writes formulas without one)."""
    if not cached:
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if m and int(m.group(1)) - 1 in cached:
                values = cached[int(m.group(1)) - 1]

                def fill(match: re.Match[bytes], values: dict[str, str] = values) -> bytes:
                    ref = match.group(1).decode()
                    if ref not in values:
                        return match.group(0)
                    return match.group(0)[: -len(match.group(3))] + f"<v>{values[ref]}</v>".encode()

                body = re.sub(rb'<c r="([A-Z]+\d+)"[^>]*><f>([^<]*)</f>(<v\s*/>|<v></v>)', fill, body)
            dst.writestr(item, body)
    return out.getvalue()
