"""A period report (:class:`TableReport`) to a file: CSV, XLSX or PDF (issue 16), written atomically.

``write_report(report, "xlsx", path)`` writes one report; ``write_workbook(reports, path)`` one
workbook with a sheet per report. Every file is written beside its final name and renamed into
place, so a full USB stick or a pulled cable never leaves half a file under the real name: the old
file (if any) stays, and the caller gets an :class:`ExportError` in plain words.

``path`` may be a folder: the file is then named after the report and its period
(``products-2026-11-01-2026-11-30.xlsx``).

CSV is UTF-8 with a BOM (Excel and WPS then read the Chinese right), a header row, money as a plain
``1234.56``, kg as ``1.234``, percentages as ``24.7%``, the totals row last; text that a
spreadsheet could run as a formula is neutralised as in the XLSX.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pos.domain.table_report import Qty, Ratio, TableReport

from .pdf import ExportError, _cannot_write
from .xlsx import paused_gc, report_sheet, safe_text, workbook

Format = Literal["csv", "xlsx", "pdf"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "pdf")

__all__ = ["FORMATS", "ExportError", "csv_bytes", "default_name", "write_atomic", "write_report", "write_workbook"]


def default_name(report: TableReport, fmt: str) -> str:
    a, b = report.period_from.isoformat(), report.period_to.isoformat()
    return f"{report.name}-{a}.{fmt}" if a == b else f"{report.name}-{a}-{b}.{fmt}"


def _target(path: str | os.PathLike[str], name: str) -> Path:
    p = Path(path).expanduser()
    return p / name if p.is_dir() else p


def write_report(report: TableReport, fmt: str, path: str | os.PathLike[str], *, lang: str = "zh") -> Path:
    """Write ``report`` as ``fmt`` (csv, xlsx, pdf) at ``path`` (a file, or a folder to name it in)."""
    fmt = _format(fmt)
    target = _target(path, default_name(report, fmt))
    if fmt == "csv":
        return write_atomic(target, lambda f: f.write(csv_bytes(report, lang)))
    if fmt == "xlsx":
        data = workbook([report_sheet(report, lang)])
        return write_atomic(target, lambda f: f.write(data))
    from .table_pdf import write_table_pdf

    return write_table_pdf(report, target, lang=lang)


def write_workbook(reports: Sequence[TableReport], path: str | os.PathLike[str], lang: str = "zh") -> Path:
    """One XLSX with a sheet per report, in the order given (the accountant's month in one file)."""
    if not reports:
        raise ExportError("there is no report to save", message_zh="没有可导出的报表")
    first = reports[0]
    stem = f"reports-{first.period_from.isoformat()}-{first.period_to.isoformat()}.xlsx"
    data = workbook([report_sheet(r, lang) for r in reports])
    return write_atomic(_target(path, stem), lambda f: f.write(data))


def _format(fmt: str) -> str:
    key = str(fmt).strip().lower().lstrip(".")
    if key not in FORMATS:
        raise ExportError(f"a report can be saved as csv, xlsx or pdf, not '{fmt}'",
                          message_zh=f"报表只能导出为 csv、xlsx 或 pdf，不支持“{fmt}”")
    return key


def write_atomic(path: Path, write: Callable[[Any], Any]) -> Path:
    """Call ``write(file)`` on a temp file beside ``path``, then rename it to ``path``.

    Any OSError (no such folder that can be made, read-only stick, disk full) removes the temp
    file and becomes an :class:`ExportError` naming the file."""
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def plain_cell(kind: str, value: Any) -> str:
    """A cell as CSV holds it: numbers without thousands separators, so a spreadsheet reads them as numbers."""
    if value is None:
        return ""
    if kind == "money":
        sign = "-" if value < 0 else ""
        yuan, fen = divmod(abs(int(value)), 100)
        return f"{sign}{yuan}.{fen:02d}"
    if kind == "int":
        return str(int(value))
    if kind == "qty":
        if isinstance(value, Qty) and value.weighed:
            sign = "-" if value.amount < 0 else ""
            kg, g = divmod(abs(value.amount), 1000)
            return f"{sign}{kg}.{g:03d}"
        return str(value.amount if isinstance(value, Qty) else int(value))
    if kind == "percent":
        return value.text() if isinstance(value, Ratio) and value.defined else ""
    if kind == "date":
        return value.isoformat()
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return safe_text(value)


_STR_OR_NONE = frozenset((str, type(None)))
_INT_OR_NONE = frozenset((int, type(None)))
_RISKY_LINE = re.compile(r"^[=+\-@ ]", re.MULTILINE)  # over texts joined by newlines: one starts like a formula


def _csv_column(kind: str, values: Sequence[Any]) -> list[str]:
    """One column's cells as CSV text ("" for an empty cell).

    The usual columns go through in a pass or two (a column of plain texts as it is); anything else
    cell by cell through :func:`plain_cell`."""
    types = set(map(type, values))
    if kind == "text" and types <= _STR_OR_NONE:
        shown = [v for v in values if v]
        if "".join(shown).isprintable() and not _RISKY_LINE.search("\n".join(shown)):
            return ["" if v is None else v for v in values]
    elif kind == "money" and types <= _INT_OR_NONE:
        return ["" if v is None else f"{v // 100}.{v % 100:02d}" if v >= 0 else f"-{-v // 100}.{-v % 100:02d}"
                for v in values]
    elif kind == "int" and types <= _INT_OR_NONE:
        return ["" if v is None else str(v) for v in values]
    elif kind == "datetime" and types <= _DATETIME_OR_NONE and {v.tzinfo for v in values if v is not None} <= {None}:
        return ["" if v is None else v.isoformat(" ", "seconds") for v in values]
    elif kind == "date" and types <= _DATE_OR_NONE:
        return ["" if v is None else v.isoformat() for v in values]
    return ["" if v is None else plain_cell(kind, v) for v in values]


def _needs_quotes(column: list[str]) -> bool:
    """Whether a cell of the column holds what CSV quotes (a comma, a quote, a line break)."""
    joined = "".join(column)
    return "," in joined or '"' in joined or "\n" in joined or "\r" in joined


_DATETIME_OR_NONE = frozenset((datetime, type(None)))
_DATE_OR_NONE = frozenset((date, type(None)))


def csv_bytes(report: TableReport, lang: str = "zh") -> bytes:
    """The report as CSV: UTF-8 with BOM, a header row, the rows, the totals row last."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    kinds = [c.kind for c in report.columns]
    w.writerow([safe_text(c.title(lang)) for c in report.columns])
    rows = report.rows
    starts: dict[int, list[str]] = {}
    for heading, at in report.sections:  # a grouped report: each group's heading on a row of its own
        starts.setdefault(at, []).append(heading)
    blank = [""] * (len(kinds) - 1)
    bounds = sorted({0, len(rows), *(at for at in starts if 0 <= at < len(rows))})
    with paused_gc():
        columns = [_csv_column(k, values) for k, values in zip(kinds, zip(*rows, strict=True), strict=True)] \
            if rows else [[] for _ in kinds]
        # Nothing to quote (the usual case: figures, times, receipt numbers): rows joined with commas at C
        # speed; else csv.writer quotes what needs it. One column stays with the writer (it writes "" for
        # an empty cell, so the row is not taken for a blank line).
        joined = len(columns) > 1 and not any(_needs_quotes(c) for c in columns)
        cells = list(zip(*columns, strict=True)) if columns else [()] * len(rows)
        for a, b in zip(bounds, bounds[1:]):  # noqa: B905 - one shorter by design
            w.writerows([safe_text(heading), *blank] for heading in starts.get(a, ()))
            if joined:
                buf.write("\r\n".join(map(",".join, cells[a:b])))
                buf.write("\r\n")
            else:
                w.writerows(cells[a:b])
        del cells, columns
    w.writerows([safe_text(heading), *blank] for heading in starts.get(len(rows), ()))
    if report.totals is not None:
        w.writerow([plain_cell(k if j else "text", v) for j, (k, v) in enumerate(zip(kinds, report.totals, strict=True))])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
