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

The SpreadsheetML (workbook, shared strings, styles, one worksheet per sheet) is written directly as
text, not through openpyxl's cell objects, a column at a time (the usual columns in one or two passes
each, the rows then joined from the columns' cells): a month's 50,000-receipt 销售流水 in about half a
second where openpyxl's write_only mode takes ten times as long (``make bench``). openpyxl reads what
is written here in the tests, as Excel and WPS do.

    workbook([Sheet("按产地 By county", [Column("产地 County", "text"), Column("净额 Net", "money")],
                    [["茂县", 12345]])]) -> bytes
"""

from __future__ import annotations

import gc
import io
import re
import zipfile
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import chain, compress, repeat
from operator import is_not, sub
from typing import Any, Literal

from pos.domain.table_report import Qty, Ratio, TableReport, cell_text

Kind = Literal["text", "money", "date", "datetime", "int", "percent", "qty"]

FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "int": "#,##0",
           "percent": "0.0%", "kg": "0.000", "units": "#,##0"}
_FORMULA_START = re.compile(r"^[ \t\r\n]*[=+\-@]|^[\t\r]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # XML 1.0 cannot hold these
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
    sections: Sequence[tuple[str, int]] = ()  # (heading, index of its first row): a bold row above that row


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector held off while a file's hundreds of thousands of small strings and
    tuples are made (none of them cyclic): it would otherwise walk every live object again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx file holding ``sheets`` in order (an empty list gives one empty sheet).

    The SpreadsheetML is written directly as text (shared strings, a few cell styles), a column at a
    time: a month of 50,000 receipts is half a second's work, where a cell object per value took a minute."""
    sheets = list(sheets or [Sheet("Sheet", [], [], totals=False)])
    book = _Book()
    taken: set[str] = set()
    titles = [_title(sheet.title, taken) for sheet in sheets]
    buf = io.BytesIO()
    with paused_gc(), _Zip(buf) as z:
        for name, text in book.head_parts(len(sheets)):
            z.add(name, text)
        parts = []
        for i, sheet in enumerate(sheets, 1):
            parts.append(book.sheet_xml(sheet, sheet.rows, first=i == 1))
            z.add(f"xl/worksheets/sheet{i}.xml", parts[-1])
        book.package(titles, parts, z)
    return buf.getvalue()


class _Zip:
    """The workbook's zip, its parts added in the order a reader looks for them (content types first)."""

    def __init__(self, buf: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1)  # 5 took twice as long

    def __enter__(self) -> _Zip:
        return self

    def add(self, name: str, text: str) -> None:
        self._zip.writestr(name, text)

    def __exit__(self, *exc: object) -> None:
        self._zip.close()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_EPOCH = date(1899, 12, 30)
_FONTS = ('<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
          '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
          '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>')
_PLAIN, _BOLD, _BIG = 0, 1, 2


def _x(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _col(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _serial(value: date) -> str:
    """A date or time as Excel's day number (1900 system)."""
    if isinstance(value, datetime):
        days = (value.date() - _EPOCH).days
        secs = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return repr(days + secs / 86400) if secs else str(days)
    return str((value - _EPOCH).days)


_RISKY = frozenset("=+-@ \t\r\n")
_RISKY_LINE = re.compile(r"^[=+\-@ ]", re.MULTILINE)  # over texts joined by newlines: one starts like a formula
_STR_OR_NONE = frozenset((str, type(None)))
_INT_OR_NONE = frozenset((int, type(None)))
_DATETIME_OR_NONE = frozenset((datetime, type(None)))
_DATE_OR_NONE = frozenset((date, type(None)))
_EPOCH_TIME = datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.toordinal()
_DAY = timedelta(days=1)


class _DayFractions(dict):
    """Seconds since midnight → the fraction of a day after a day number's digits: 43200 → '.5', 0 → ''."""

    def __missing__(self, seconds: int) -> str:
        text = self[seconds] = f"{seconds / 86400:.12f}".rstrip("0")[1:] if seconds else ""
        return text


def _fen(fen: int) -> str:
    """Integer fen as the yuan a cell holds, exactly: -5 → '-0.05'."""
    a = -fen if fen < 0 else fen
    return f"{'-' if fen < 0 else ''}{a // 100}.{a % 100:02d}"


def _grams(grams: int) -> str:
    a = -grams if grams < 0 else grams
    return f"{'-' if grams < 0 else ''}{a // 1000}.{a % 1000:03d}"


def _num(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


class _Book:
    """Shared strings and cell formats of one workbook, and its parts as XML text."""

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}
        self.string_count = 0
        self.formats: dict[str, int] = {}  # number format code → numFmtId
        self.xfs: dict[tuple[int, int, bool], int] = {(0, _PLAIN, False): 0}  # (numFmtId, font, wrap) → style
        self.filters: list[tuple[int, str]] = []  # (sheet index, range) of each auto-filter

    def style(self, fmt: str | None = None, font: int = _PLAIN, wrap: bool = False) -> int:
        fmt_id = 0
        if fmt:
            fmt_id = self.formats.setdefault(fmt, 164 + len(self.formats))
        return self.xfs.setdefault((fmt_id, font, wrap), len(self.xfs))

    def text(self, ref: str, value: str, s: int = 0) -> str:
        self.string_count += 1
        i = self.strings.setdefault(value, len(self.strings))
        return f'<c r="{ref}" t="s"{f" s={chr(34)}{s}{chr(34)}" if s else ""}><v>{i}</v></c>'

    def sheet_xml(self, sheet: Sheet, rows: Sequence[Sequence[Any]], *, first: bool) -> str:
        cols = list(sheet.columns)
        kinds = [c.kind for c in cols]
        letters = [_col(j) for j in range(1, len(cols) + 2)]
        heading = [h for h in sheet.heading if h]
        head_row = len(heading) + 1
        first_row = head_row + 1
        starts: dict[int, list[str]] = {}
        for heading_text, at in sheet.sections:
            if 0 <= at <= len(rows):
                starts.setdefault(at, []).append(heading_text)
        last = head_row + len(rows) + sum(len(v) for v in starts.values())
        out: list[str] = []
        add = out.append
        r = 0
        for i, line in enumerate(heading):
            r += 1
            add(f'<row r="{r}">{self.text(f"A{r}", safe_text(line), self.style(font=_BIG if i == 0 else _BOLD))}</row>')
        r += 1
        head = self.style(font=_BOLD, wrap=True)
        add(f'<row r="{r}">' + "".join(self.text(f"{letters[j]}{r}", safe_text(c.title), head)
                                       for j, c in enumerate(cols)) + "</row>")
        plain = {k: self.style(FORMATS[k]) for k in ("money", "int", "percent", "date", "datetime", "kg", "units")}
        width = len(kinds)
        if rows and set(map(len, rows)) != {width}:
            n_row = next(n for n, row in enumerate(rows, start=1) if len(row) != width)
            raise ValueError(f"sheet {sheet.title!r} row {n_row} has {len(rows[n_row - 1])} cells for {width} columns")
        # The sheet row of each report row (a group's heading takes a row of its own above its first row).
        if starts:
            numbers, n = [], r + 1
            for i in range(len(rows)):
                n += len(starts.get(i, ()))
                numbers.append(str(n))
                n += 1
        else:
            numbers = list(map(str, range(r + 1, r + 1 + len(rows))))
        # Column by column (a few fast passes each), then row by row by joining the columns' cells.
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in kinds]
        cells, sums, weighed = [], [], []
        for kind, letter, values in zip(kinds, letters, columns, strict=False):
            c, total, w = self._column(kind, values, plain, f'<c r="{letter}', numbers)
            cells.append(c)
            sums.append(total)
            weighed.append(w)
        section = self.style(font=_BOLD)
        opens = [f'<row r="{n}">' for n in numbers]
        bounds = sorted({0, len(rows), *(at for at in starts if 0 <= at < len(rows))})
        for a, b in zip(bounds, bounds[1:]):  # noqa: B905 - one shorter by design
            for heading_text in starts.get(a, ()):
                r += 1
                add(f'<row r="{r}">{self.text(f"A{r}", safe_text(heading_text), section)}</row>')
            add("".join(chain.from_iterable(zip(opens[a:b], *(c[a:b] for c in cells), repeat("</row>")))))  # noqa: B905
            r += b - a
        for heading_text in starts.get(len(rows), ()):
            r += 1
            add(f'<row r="{r}">{self.text(f"A{r}", safe_text(heading_text), section)}</row>')
        if sheet.totals and cols:
            r += 1
            add(f'<row r="{r}">{self._totals(sheet, kinds, letters, sums, weighed, r, first_row, last)}</row>')
        lines = ([sheet.note] if sheet.note else []) + [f for f in sheet.footer if f]
        if lines:
            r += 1  # a blank row between the table and its notes
            for line in lines:
                r += 1
                add(f'<row r="{r}">{self.text(f"A{r}", safe_text(line))}</row>')
        pane = ""
        if cols:
            pane = (f'<pane ySplit="{head_row}" topLeftCell="A{first_row}" activePane="bottomLeft" state="frozen"/>'
                    f'<selection pane="bottomLeft" activeCell="A{first_row}" sqref="A{first_row}"/>')
        view = f'<sheetViews><sheetView{" tabSelected=" + chr(34) + "1" + chr(34) if first else ""} workbookViewId="0">' \
               f"{pane}</sheetView></sheetViews>"
        widths = "".join(f'<col min="{j}" max="{j}" width="{c.width}" customWidth="1"/>' for j, c in enumerate(cols, 1))
        filt = ""
        if cols:
            ref = f"A{head_row}:{letters[len(cols) - 1]}{last}"
            filt = f'<autoFilter ref="{ref}"/>'
            self.filters.append((-1, f"$A${head_row}:${letters[len(cols) - 1]}${last}"))  # sheet index set in package
        dim = f"A1:{letters[max(len(cols), 1) - 1]}{max(r, 1)}"
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                f'<dimension ref="{dim}"/>{view}<sheetFormatPr defaultRowHeight="15"/>'
                f'{f"<cols>{widths}</cols>" if widths else ""}<sheetData>{"".join(out)}</sheetData>{filt}'
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')

    def _column(self, kind: str, values: Sequence[Any], plain: dict[str, int], head: str,
                numbers: Sequence[str]) -> tuple[list[str], Any, set[bool]]:
        """One column's cells as XML (``head`` is ``<c r="B``, ``numbers`` the row of each cell; an empty
        cell is ""), its sum and, for quantities, whether they are weighed. The usual columns go through
        in a pass or two each; any other value takes the one-cell-at-a-time road of :meth:`_cells`."""
        types = set(map(type, values))
        if kind == "text" and types <= _STR_OR_NONE:
            shown = [v for v in values if v]
            if "".join(shown).isprintable() and not _RISKY_LINE.search("\n".join(shown)):
                return self._strings(values, head, numbers), 0, set()
        elif kind == "money" and types <= _INT_OR_NONE:
            s = plain["money"]
            # Only the filled cells are made (a tender's column is mostly empty), then put in their rows.
            present = list(compress(range(len(values)), map(is_not, values, repeat(None))))
            made = [f'{head}{n}" s="{s}"><v>{v // 100}.{v % 100:02d}</v></c>' if v >= 0 else
                    f'{head}{n}" s="{s}"><v>-{-v // 100}.{-v % 100:02d}</v></c>'
                    for n, v in zip(map(numbers.__getitem__, present), map(values.__getitem__, present), strict=True)]
            out = [""] * len(values)
            deque(map(out.__setitem__, present, made), maxlen=0)
            return out, sum(filter(None, values)), set()
        elif kind == "int" and types <= _INT_OR_NONE:
            s = plain["int"]
            return ([("" if v is None else f'{head}{n}" s="{s}"><v>{v}</v></c>') for n, v in zip(numbers, values, strict=True)],
                    sum(filter(None, values)), set())
        elif kind == "datetime" and types <= _DATETIME_OR_NONE and {v.tzinfo for v in values if v is not None} <= {None}:
            s = plain["datetime"]
            if None not in values and min(values, default=_EPOCH_TIME) >= _EPOCH_TIME and not any(v.microsecond for v in values):
                # Whole seconds: the day number, then the time of day as a fraction made once per second of the day.
                fraction = _DayFractions()
                return ([f'{head}{n}" s="{s}"><v>{t.days}{fraction[t.seconds]}</v></c>'
                         for n, t in zip(numbers, map(sub, values, repeat(_EPOCH_TIME)), strict=True)], 0, set())
            return ([("" if v is None else f'{head}{n}" s="{s}"><v>{(v - _EPOCH_TIME) / _DAY!r}</v></c>')
                     for n, v in zip(numbers, values, strict=True)], 0, set())
        elif kind == "date" and types <= _DATE_OR_NONE:
            s = plain["date"]
            return ([("" if v is None else f'{head}{n}" s="{s}"><v>{v.toordinal() - _EPOCH_DAY}</v></c>')
                     for n, v in zip(numbers, values, strict=True)], 0, set())
        return self._cells(kind, values, plain, head, numbers)

    def _strings(self, texts: Sequence[str | None], head: str, numbers: Sequence[str]) -> list[str]:
        """Text cells as shared strings: each distinct text once in the table, each cell its index."""
        strings = self.strings
        index: dict[str | None, str] = {None: "", "": ""}
        for t in dict.fromkeys(texts):
            if t not in index:
                index[t] = f'" t="s"><v>{strings.setdefault(t, len(strings))}</v></c>'
        out = [(f"{head}{n}{index[t]}" if t else "") for n, t in zip(numbers, texts, strict=True)]
        self.string_count += len(out) - out.count("")
        return out

    def _cells(self, kind: str, values: Sequence[Any], plain: dict[str, int], head: str,
               numbers: Sequence[str]) -> tuple[list[str], Any, set[bool]]:
        """A column cell by cell: text made safe, fen checked, quantities in kg or units, percentages, dates."""
        total: Any = 0
        weighed: set[bool] = set()
        if kind == "text":
            texts = [None if v is None or v == "" else safe_text(v) for v in values]
            return self._strings(texts, head, numbers), 0, weighed
        out: list[str] = []
        for n, v in zip(numbers, values):  # noqa: B905 - as long as the column
            if v is None or v == "":
                out.append("")
                continue
            if kind == "money":
                if type(v) is not int:
                    yuan(v)  # a float or text where fen belong: refused, as ever
                total += v
                style, shown = plain["money"], _fen(v)
            elif kind == "qty":
                w = isinstance(v, Qty) and v.weighed
                weighed.add(w)
                amount = v.amount if isinstance(v, Qty) else int(v)
                total += amount
                style, shown = plain["kg" if w else "units"], _grams(amount) if w else str(amount)
            elif kind == "int":
                total += int(v)
                style, shown = plain["int"], str(int(v))
            else:
                if not (type(v) is date or (type(v) is datetime and v.tzinfo is None)):
                    v = _cell_value(kind, v)
                    if v is None:
                        out.append("")
                        continue
                style, shown = plain[kind], _serial(v) if kind in ("date", "datetime") else _num(v)
            out.append(f'{head}{n}" s="{style}"><v>{shown}</v></c>')
        return out, total, weighed

    def _totals(self, sheet: Sheet, kinds: list[str], letters: list[str], sums: list[Any], weighed: list[set[bool]],
                r: int, first_row: int, last: int) -> str:
        given = _given_totals(sheet, kinds)
        label = given[0] if given is not None and given[0] is not None else "合计 Total"
        cells = [self.text(f"A{r}", safe_text(label), self.style(font=_BOLD))]
        for j in range(1, len(kinds)):
            kind, ref = kinds[j], f"{letters[j]}{r}"
            summable = kind in _SUMMED and len(weighed[j]) <= 1
            kg = True in weighed[j]
            fmt = FORMATS["kg" if kg else "units"] if kind == "qty" else FORMATS.get(kind)
            v = given[j] if given is not None else None
            column_sum = Decimal(sums[j]).scaleb(-2) if kind == "money" else sums[j]  # a given money total is yuan
            if given is not None and (v is None or not summable or _number(kind, v) != column_sum):
                cells.append(self._value_cell(ref, kind, v))  # the report's own figure, not a column sum
                continue
            if not summable:
                continue
            total = sums[j]
            shown = _fen(total) if kind == "money" else _grams(total) if kind == "qty" and kg else str(total)
            s = self.style(fmt, _BOLD)
            if last >= first_row:
                col = letters[j]
                cells.append(f'<c r="{ref}" s="{s}"><f>SUM({col}{first_row}:{col}{last})</f><v>{shown}</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="{s}"><v>0</v></c>')
        return "".join(cells)

    def _value_cell(self, ref: str, kind: str, v: Any) -> str:
        if v is None:
            return ""
        if kind == "text":
            return self.text(ref, v, self.style(font=_BOLD))
        if kind == "qty":
            w = isinstance(v, Qty) and v.weighed
            n = v.amount if isinstance(v, Qty) else v
            shown = format(Decimal(n).scaleb(-3), "f") if w else str(n)
            return f'<c r="{ref}" s="{self.style(FORMATS["kg" if w else "units"], _BOLD)}"><v>{shown}</v></c>'
        shown = _serial(v) if kind in ("date", "datetime") else _num(v)
        return f'<c r="{ref}" s="{self.style(FORMATS[kind], _BOLD)}"><v>{shown}</v></c>'

    def styles_xml(self) -> str:
        fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_x(code)}"/>' for code, i in self.formats.items())
        xfs = []
        for (fmt_id, font, wrap), _i in sorted(self.xfs.items(), key=lambda kv: kv[1]):
            attrs = f'numFmtId="{fmt_id}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
            attrs += ' applyNumberFormat="1"' if fmt_id else ""
            attrs += ' applyFont="1"' if font else ""
            if wrap:
                xfs.append(f'<xf {attrs} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
                f'{f"<numFmts count={chr(34)}{len(self.formats)}{chr(34)}>{fmts}</numFmts>" if self.formats else ""}'
                f'<fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')

    def strings_xml(self) -> str:
        # Escaped in one pass over all the texts joined by a character no cell text holds (XML cannot carry it).
        joined, si = "\x00".join(self.strings), '<si><t xml:space="preserve">'
        if not self.strings:
            body = ""
        elif joined.count("\x00") == len(self.strings) - 1:
            body = si + _x(joined).replace("\x00", "</t></si>" + si) + "</t></si>"
        else:
            body = "".join(f"{si}{_x(s)}</t></si>" for s in self.strings)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
                f'count="{self.string_count}" uniqueCount="{len(self.strings)}">{body}</sst>')

    def head_parts(self, n: int) -> list[tuple[str, str]]:
        """The parts a reader looks for first (content types, relationships, properties) of ``n`` sheets."""
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        types = (f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                 + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                           for i in range(1, n + 1))
                 + f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
                 f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
                 '<Override PartName="/docProps/core.xml" '
                 'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                 '<Override PartName="/docProps/app.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
        rels = (f'{head}<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
                'core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
        book_rels = (f'{head}<Relationships xmlns="{_PKG_REL}">'
                     + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                               for i in range(1, n + 1))
                     + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                     f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                     "</Relationships>")
        core = (f'{head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>LianXin POS</dc:creator>'
                '</cp:coreProperties>')
        app = (f'{head}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
               "<Application>LianXin POS</Application></Properties>")
        return [("[Content_Types].xml", types), ("_rels/.rels", rels), ("docProps/core.xml", core),
                ("docProps/app.xml", app), ("xl/_rels/workbook.xml.rels", book_rels)]

    def package(self, titles: list[str], sheets: list[str], z: _Zip) -> None:
        """The parts that depend on the sheets (the workbook with its filters, styles, shared strings) into
        ``z``, whose sheets are already in."""
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        sheet_tags = "".join(f'<sheet name="{_x(t)}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, 1))
        # Each sheet's filter range as Excel records it; filters are in sheet order, one per sheet with columns.
        names = []
        filtered = iter(self.filters)
        for i, (title, xml) in enumerate(zip(titles, sheets, strict=True)):
            if "<autoFilter " in xml:
                _idx, ref = next(filtered)
                quoted = title.replace("'", "''")
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                             f"{_x(chr(39) + quoted + chr(39))}!{ref}</definedName>")
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        workbook_xml = (f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
                        '<bookViews><workbookView activeTab="0"/></bookViews>'
                        f'<sheets>{sheet_tags}</sheets>{defined}<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>')
        for name, text in (("xl/workbook.xml", workbook_xml), ("xl/styles.xml", self.styles_xml()),
                           ("xl/sharedStrings.xml", self.strings_xml())):
            z.add(name, text)


def _given_totals(sheet: Sheet, kinds: Sequence[str]) -> list[Any] | None:
    if sheet.totals_row is None:
        return None
    if len(sheet.totals_row) != len(kinds):
        raise ValueError(f"sheet {sheet.title!r} totals row has {len(sheet.totals_row)} cells for {len(kinds)} columns")
    return [v if j == 0 else _cell_value(k, v) for j, (k, v) in enumerate(zip(kinds, sheet.totals_row, strict=True))]


def _values(sheet: Sheet) -> list[list[Any]]:
    kinds = [col.kind for col in sheet.columns]
    out = []
    for r, row in enumerate(sheet.rows, start=1):
        if len(row) != len(kinds):
            raise ValueError(f"sheet {sheet.title!r} row {r} has {len(row)} cells for {len(kinds)} columns")
        out.append([_cell_value(k, v) for k, v in zip(kinds, row, strict=True)])
    return out



# --- period reports (issue 16) -------------------------------------------------------------------

_WIDTHS = {"text": 18, "int": 10, "money": 14, "qty": 12, "percent": 10, "date": 12, "datetime": 20}


def _shown_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _width(report: TableReport, j: int, title: str) -> int:
    """A column wide enough for its title and its widest cell among the first rows (at most 50)."""
    kind = report.columns[j].kind
    shown = [cell_text(kind, r[j]) for r in report.rows[:200]]
    if report.totals is not None and report.totals[j] is not None:  # the first cell is its label, whatever the kind
        shown.append(str(report.totals[j]) if j == 0 else cell_text(kind, report.totals[j]))
    widest = max([_shown_width(title), *(_shown_width(t) for t in shown)])
    return max(_WIDTHS.get(kind, 14) if kind != "text" else 8, min(widest + 2, 50))


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
    return "    ".join(f"{signature_label(s, lang)}{'_' * 12}" for s in report.signatures)


def signature_label(label: str, lang: str = "zh") -> str:
    """``制表`` → ``制表：``; a label that already ends in a colon is kept as it is."""
    if label.rstrip().endswith((":", "：")):
        return label.rstrip()
    return label + (": " if lang.startswith("en") else "：")


def report_sheet(report: TableReport, lang: str = "zh") -> Sheet:
    """One report as one sheet: heading lines, typed columns, the report's own totals, notes, signatures."""
    cols = [Column(c.title(lang), c.kind, _width(report, j, c.title(lang))) for j, c in enumerate(report.columns)]
    footer = [*report.notes, signature_line(report, lang)]
    return Sheet(report.title(lang), cols, report.rows, totals=report.totals is not None,
                 heading=report_heading(report, lang), totals_row=report.totals, footer=footer, sections=report.sections)
