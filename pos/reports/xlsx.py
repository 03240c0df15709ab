"""Excel workbooks: typed columns, a frozen header, auto-filter, a totals row (the one generic writer).

Used by the till's period reports (:func:`report_sheet` turns a :class:`TableReport` into a
:class:`Sheet`) and by head office's exports. Opens right in Excel and WPS:

* money is given as integer fen and written as a number of yuan (fen/100, exact decimal) shown as
  ``#,##0.00``; a weighed quantity (grams) as kg with ``0.000``, units as ``#,##0``; a percentage
  as a number with ``0.0%`` (the value shown on screen, to 0.1 %); dates and times are real dates;
* every text cell that a spreadsheet could take for a formula (``=``, ``+``, ``-``, ``@`` first,
  also after leading blanks, or a tab / carriage return first) is written as text with a leading
  ``'``, so ``=HYPERLINK(...)`` typed into a product's origin at a till can never run as a formula
  on an office PC; characters XML cannot carry are dropped;
* lines of heading (title, store, period) may stand above the header row; the header row is frozen
  and carries the auto-filter;
* the totals row: given values (a report's own totals), or ``SUM`` formulas (they follow edits)
  with their values already computed and stored, so readers that do not calculate see them too.
  A given total that equals its column's sum is written as that ``SUM`` with the value stored.

    workbook([Sheet("按产地 By county", [Column("产地 County", "text"), Column("净额 Net", "money")],
                    [["茂县", 12345]])]) -> bytes
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pos.domain.table_report import Qty, Ratio, TableReport

Kind = Literal["text", "money", "date", "datetime", "int", "percent", "qty"]

FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "int": "#,##0",
           "percent": "0.0%", "kg": "0.000", "units": "#,##0"}
_FORMULA_START = re.compile(r"^[ \t\r\n]*[=+\-@]|^[\t\r]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 cannot hold these; openpyxl refuses them
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_SUMMED = ("money", "int", "qty")


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
    totals: bool = True  # a totals row: ``totals_row`` if given, else SUM of each money/int column
    note: str = ""
    heading: Sequence[str] = ()  # lines above the header row (title, store, period)
    totals_row: Sequence[Any] | None = None  # the totals as computed by the caller (cells by column kind)
    footer: Sequence[str] = field(default=())  # lines under the table (notes, signature lines)


def safe_text(value: Any) -> str:
    """Text as it goes into a cell: never read as a formula, no characters XML cannot carry."""
    s = _ILLEGAL.sub("", str(value))
    return "'" + s if _FORMULA_START.match(s) else s


def yuan(fen: int) -> Decimal:
    """Integer fen as an exact number of yuan (12345 -> Decimal('123.45'))."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"money cells take integer fen, not {type(fen).__name__}")
    return Decimal(fen).scaleb(-2)


def _qty_value(value: Any) -> tuple[Any, str]:
    if isinstance(value, Qty):
        return (Decimal(value.amount).scaleb(-3), FORMATS["kg"]) if value.weighed else (value.amount, FORMATS["units"])
    return int(value), FORMATS["units"]


def _cell_value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "money":
        return yuan(value)
    if kind == "int":
        return int(value)
    if kind == "qty":
        return value if isinstance(value, Qty) else int(value)
    if kind == "percent":
        if isinstance(value, Ratio):
            p = value.permille()
            return None if p is None else Decimal(p).scaleb(-3)
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


def _number(kind: str, v: Any) -> Any:
    """The number a money/int/qty cell adds to its column's sum."""
    if kind == "qty":
        return v.amount if isinstance(v, Qty) else v
    return v


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
    big = Font(bold=True, size=14)
    top = Alignment(wrap_text=True, vertical="top")
    taken: set[str] = set()
    cached: dict[int, dict[str, str]] = {}  # sheet index -> {cell ref: computed total}
    sheets = list(sheets or [Sheet("Sheet", [], [], totals=False)])
    values = [_values(sheet) for sheet in sheets]  # every cell checked before a sheet is written
    for index, sheet in enumerate(sheets):
        ws = wb.create_sheet(_title(sheet.title, taken))
        cols = list(sheet.columns)
        heading = [h for h in sheet.heading if h]
        head_row = len(heading) + 1  # the header row's number
        first = head_row + 1  # the first data row
        last = head_row + len(sheet.rows)  # the last data row (= head_row: the header only)
        for j, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = col.width
        if cols:
            ws.freeze_panes = f"A{first}"
            ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(cols))}{last}"

        def cell(value: Any, fmt: str | None = None, strong: bool = False, ws=ws, font=bold) -> Any:  # noqa: ANN001
            c = WriteOnlyCell(ws, value=value)
            if fmt:
                c.number_format = fmt
            if strong:
                c.font = font
            return c

        for i, line in enumerate(heading):
            ws.append([cell(safe_text(line), strong=True, font=big if i == 0 else bold)])
        header = []
        for col in cols:
            h = cell(safe_text(col.title), strong=True)
            h.alignment = top
            header.append(h)
        ws.append(header)
        kinds = [col.kind for col in cols]
        sums: list[Any] = [Decimal(0) if k == "money" else 0 for k in kinds]
        summable = [k in _SUMMED for k in kinds]  # a qty column mixing kg and units has no sum
        weighed: list[set[bool]] = [set() for _ in kinds]
        for row in values[index]:
            out = []
            for j, (kind, v) in enumerate(zip(kinds, row, strict=True)):
                if v is None or kind == "text":
                    out.append(v)  # text is never formula-like here (safe_text), so it is stored as text
                    continue
                if kind == "qty":
                    number, fmt = _qty_value(v)
                    weighed[j].add(isinstance(v, Qty) and v.weighed)
                    out.append(cell(number, fmt))
                    sums[j] += _number(kind, v)
                    continue
                out.append(cell(v, FORMATS[kind]))
                if kind in ("money", "int"):
                    sums[j] += v
            ws.append(out)
        for j in range(len(kinds)):
            if len(weighed[j]) > 1:
                summable[j] = False
        if sheet.totals and cols:
            given = _given_totals(sheet, kinds)
            total_row = last + 1
            out = [cell(safe_text(given[0]) if given is not None and given[0] is not None else "合计 Total", strong=True)]
            for j, col in enumerate(cols[1:], start=2):
                v = given[j - 1] if given is not None else None
                if given is not None and (v is None or not summable[j - 1] or _number(col.kind, v) != sums[j - 1]):
                    out.append(_total_cell(cell, col.kind, v))  # the report's own figure, not a column sum
                    continue
                if not summable[j - 1]:
                    out.append(None)
                    continue
                letter = get_column_letter(j)
                fmt = FORMATS[col.kind] if col.kind != "qty" else (FORMATS["kg"] if True in weighed[j - 1]
                                                                    else FORMATS["units"])
                if last >= first:
                    out.append(cell(f"=SUM({letter}{first}:{letter}{last})", fmt, strong=True))
                    total = sums[j - 1]
                    if col.kind == "qty" and True in weighed[j - 1]:
                        total = Decimal(total).scaleb(-3)
                    cached.setdefault(index, {})[f"{letter}{total_row}"] = str(total)
                else:
                    out.append(cell(0, fmt, strong=True))
            ws.append(out)
        lines = ([sheet.note] if sheet.note else []) + [f for f in sheet.footer if f]
        if lines:
            ws.append([])
            for line in lines:
                ws.append([safe_text(line)])
    wb.calculation.fullCalcOnLoad = True
    out_file = io.BytesIO()
    wb.save(out_file)
    return _store_totals(out_file.getvalue(), cached)


def _given_totals(sheet: Sheet, kinds: Sequence[str]) -> list[Any] | None:
    if sheet.totals_row is None:
        return None
    if len(sheet.totals_row) != len(kinds):
        raise ValueError(f"sheet {sheet.title!r} totals row has {len(sheet.totals_row)} cells for {len(kinds)} columns")
    return [v if j == 0 else _cell_value(k, v) for j, (k, v) in enumerate(zip(kinds, sheet.totals_row, strict=True))]


def _total_cell(cell, kind: str, v: Any) -> Any:  # noqa: ANN001
    if v is None:
        return None
    if kind == "text":
        return cell(v, strong=True)
    if kind == "qty":
        number, fmt = _qty_value(v)
        return cell(number, fmt, strong=True)
    return cell(v, FORMATS[kind], strong=True)


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


# --- period reports (issue 16) -------------------------------------------------------------------

_WIDTHS = {"text": 18, "int": 10, "money": 14, "qty": 12, "percent": 10, "date": 12, "datetime": 20}


def report_heading(report: TableReport, lang: str = "zh") -> list[str]:
    """Title, then store · period · generated time: the lines above a report's table."""
    en = lang.startswith("en")
    period = report.period_text.replace(" 至 ", " to ") if en else report.period_text
    parts = [report.store, ("Period " if en else "期间 ") + period]
    if report.generated_at is not None:
        parts.append(("Generated " if en else "制表时间 ") + report.generated_at.strftime("%Y-%m-%d %H:%M"))
    return [report.title(lang), "  ".join(p for p in parts if p)]


def signature_line(report: TableReport, lang: str = "zh") -> str:
    """``制表：________  审核：________ …`` (empty for an unsigned report)."""
    colon = ": " if lang.startswith("en") else "："
    return "    ".join(f"{s}{colon}{'_' * 12}" for s in report.signatures)


def report_sheet(report: TableReport, lang: str = "zh") -> Sheet:
    """One report as one sheet: heading lines, typed columns, the report's own totals, notes, signatures."""
    cols = [Column(c.title(lang), c.kind, _WIDTHS.get(c.kind, 14)) for c in report.columns]
    footer = [*report.notes, signature_line(report, lang)]
    return Sheet(report.title(lang), cols, report.rows, totals=report.totals is not None,
                 heading=report_heading(report, lang), totals_row=report.totals, footer=footer)
