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
    """An .xlsx file holding ``sheets`` in order (an empty list gives one empty sheet).

    Written in openpyxl's streaming (write-only) mode: a year of counter-days is written row by
    row, without keeping every cell object in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    top = Alignment(wrap_text=True, vertical="top")
    taken: set[str] = set()
    cached: dict[int, dict[str, str]] = {}  # sheet index -> {cell ref: computed total}
    sheets = list(sheets or [Sheet("Sheet", [], [], totals=False)])
    values = [_values(sheet) for sheet in sheets]  # every cell checked before a sheet is written
    for index, sheet in enumerate(sheets):
        ws = wb.create_sheet(_title(sheet.title, taken))
        cols = list(sheet.columns)
        last = len(sheet.rows) + 1  # the last data row (1 = the header only)
        for j, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = col.width
        if cols:
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last}"

        def cell(value: Any, fmt: str | None = None, strong: bool = False, ws=ws) -> Any:  # noqa: ANN001
            c = WriteOnlyCell(ws, value=value)
            if fmt:
                c.number_format = fmt
            if strong:
                c.font = bold
            return c

        header = []
        for col in cols:
            h = cell(safe_text(col.title), strong=True)
            h.alignment = top
            header.append(h)
        ws.append(header)
        sums = [Decimal(0) if col.kind == "money" else 0 for col in cols]
        kinds = [col.kind for col in cols]
        for row in values[index]:
            out = []
            for j, (kind, v) in enumerate(zip(kinds, row, strict=True)):
                if v is None or kind == "text":
                    out.append(v)  # text is never formula-like here (safe_text), so it is stored as text
                    continue
                out.append(cell(v, FORMATS[kind]))
                if kind in ("money", "int"):
                    sums[j] += v
            ws.append(out)
        if sheet.totals and cols:
            total_row = last + 1
            out = [cell("合计 Total", strong=True)]
            for j, col in enumerate(cols[1:], start=2):
                if col.kind not in ("money", "int"):
                    out.append(None)
                    continue
                letter = get_column_letter(j)
                if last >= 2:
                    out.append(cell(f"=SUM({letter}2:{letter}{last})", FORMATS[col.kind], strong=True))
                    cached.setdefault(index, {})[f"{letter}{total_row}"] = str(sums[j - 1])
                else:
                    out.append(cell(0, FORMATS[col.kind], strong=True))
            ws.append(out)
        if sheet.note:
            ws.append([])
            ws.append([safe_text(sheet.note)])
    wb.calculation.fullCalcOnLoad = True
    out_file = io.BytesIO()
    wb.save(out_file)
    return _store_totals(out_file.getvalue(), cached)


def _values(sheet: Sheet) -> list[list[Any]]:
    kinds = [col.kind for col in sheet.columns]
    out = []
    for r, row in enumerate(sheet.rows, start=1):
        if len(row) != len(kinds):
            raise ValueError(f"sheet {sheet.title!r} row {r} has {len(row)} cells for {len(kinds)} columns")
        out.append([_cell_value(k, v) for k, v in zip(kinds, row, strict=True)])
    return out


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
