"""Catalogue files on disk: read CSV/XLSX into a header and numbered rows, write CSV exports.

This is the adapter around :mod:`pos.domain.catalog_import`: it knows about encodings, Excel
cells and file errors, and nothing about what a column means. Every failure is a
:class:`CatalogFileError` with an English and a Chinese sentence a shop manager can act on.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos.domain.catalog import Product
from pos.domain.catalog_import import EXPORT_HEADER, product_to_row
from pos.domain.errors import PosError

# A catalogue of a few thousand lines is well under a megabyte; far above that is a wrong file.
MAX_FILE_BYTES = 50 * 1024 * 1024
# A .xlsx is compressed: 50 MB may unpack to many millions of rows. A catalogue is thousands.
MAX_XLSX_ROWS = 1_000_000

# GB18030 is a superset of GBK and GB2312, so one fallback covers Excel's "CSV" on Chinese Windows.
CSV_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
_DELIMITERS = (",", "\t", ";")


class CatalogFileError(PosError):
    """A catalogue file that cannot be read at all (as opposed to bad rows inside it)."""

    code = "catalog_file_error"


@dataclass(frozen=True, slots=True)
class CatalogFile:
    """The cells of a catalogue file as strings.

    ``rows`` are ``(row_number, cells)``, numbered as a spreadsheet shows them (the header is
    normally row 1); fully blank rows are left out. ``encoding`` is how a CSV was decoded
    (``utf-8``, ``utf-8-sig`` when it starts with a BOM, or ``gb18030``), or ``"xlsx"``. Unpacks as ``header, rows = …``.
    """

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    header_row: int = 1
    path: Path = field(default_factory=Path)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.header, self.rows))


def read_catalog_file(path: str | os.PathLike[str]) -> CatalogFile:
    """Read a ``.csv`` (UTF-8, UTF-8 with BOM, GBK/GB18030) or ``.xlsx`` catalogue.

    Raises :class:`CatalogFileError` for a missing, unreadable, empty, corrupt or
    unsupported file. The result unpacks as ``header, rows``.
    """
    p = Path(path)
    suffix = p.suffix.casefold()
    if suffix not in (".csv", ".xlsx"):
        raise _unsupported(p)
    _check_readable(p)
    if suffix == ".csv":
        text, encoding = _decode_csv(p, _read_bytes(p))
        records = _csv_records(p, text)
    else:
        records = _xlsx_records(p)
        encoding = "xlsx"
    return _to_catalog_file(p, records, encoding)


def write_catalog_csv(path: str | os.PathLike[str], products: Iterable[Product], *, encoding: str = "utf-8-sig") -> int:
    """Write products as a catalogue CSV with the English header; returns how many were written.

    The default UTF-8 with BOM is what Excel on Chinese Windows needs to show 汉字 correctly;
    pass ``encoding="utf-8"`` or ``"gb18030"`` for other tools. The file is written to a
    temporary name and moved into place, so a failed export never leaves half a catalogue.
    """
    p = Path(path)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    count = 0
    for product in products:
        writer.writerow(product_to_row(product))
        count += 1
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end]
        raise CatalogFileError(f"'{bad}' cannot be written in {encoding}; export as UTF-8 instead",
                               message_zh=f"“{bad}”无法用 {encoding} 编码保存，请改用 UTF-8 导出") from exc
    tmp = p.with_name(f".{p.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or exc.__class__.__name__
        raise CatalogFileError(f"cannot write {p} ({reason})", message_zh=f"无法写入 {p}（{reason}）") from exc
    return count


# --- checks ---------------------------------------------------------------------------------


def _unsupported(p: Path) -> CatalogFileError:
    if p.suffix.casefold() == ".xls":
        return CatalogFileError(
            f"{p.name} is an old Excel 97-2003 (.xls) file; in Excel choose Save As and pick "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8', then import that file",
            message_zh=f"{p.name} 是旧版 Excel 97-2003（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV UTF-8 后再导入",
        )
    kind = p.suffix or "(no extension)"
    return CatalogFileError(
        f"{p.name} is not a catalogue file: only .csv and .xlsx can be imported, not {kind}",
        message_zh=f"{p.name} 不是商品目录文件：只能导入 .csv 或 .xlsx，不支持 {kind}",
    )


def _check_readable(p: Path) -> None:
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise CatalogFileError(f"the file {p} does not exist", message_zh=f"文件 {p} 不存在") from None
    except (OSError, ValueError) as exc:  # a name too long, a symlink loop, a folder we may not enter, a NUL
        raise _unreadable(p, exc if isinstance(exc, OSError) else OSError(22, "not a usable file name")) from exc
    if stat.S_ISDIR(st.st_mode):
        raise CatalogFileError(f"{p} is a folder, not a file", message_zh=f"{p} 是文件夹，不是文件")
    size = st.st_size
    if size == 0:
        raise _empty(p)
    if size > MAX_FILE_BYTES:
        raise CatalogFileError(
            f"{p.name} is {size // (1024 * 1024)} MB, too large for a catalogue; check it is the right file",
            message_zh=f"{p.name} 有 {size // (1024 * 1024)} MB，作为商品目录过大，请确认文件是否正确",
        )


def _unreadable(p: Path, exc: OSError) -> CatalogFileError:
    reason = exc.strerror or exc.__class__.__name__
    return CatalogFileError(
        f"cannot read {p.name}: {reason}; close it in Excel and check you may open it",
        message_zh=f"无法读取 {p.name}（{reason}），请在 Excel 中关闭该文件并检查访问权限",
    )


def _empty(p: Path) -> CatalogFileError:
    return CatalogFileError(f"{p.name} is empty", message_zh=f"{p.name} 是空文件")


def _read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError as exc:
        raise _unreadable(p, exc) from exc


# --- CSV ------------------------------------------------------------------------------------


def _decode_csv(p: Path, data: bytes) -> tuple[str, str]:
    """Decode strictly with each encoding in turn; never replace characters silently."""
    if b"\x00" in data:
        # Text CSV never holds NUL bytes; a renamed .xls/.xlsx or a UTF-16 export does.
        raise CatalogFileError(
            f"cannot read {p.name}: it is not a text CSV file (it may be an Excel file renamed to .csv, or saved as UTF-16)",
            message_zh=f"{p.name} 不是文本 CSV 文件（可能是改了扩展名的 Excel 文件，或保存成了 UTF-16）",
        )
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"  # report what the file is; utf-8-sig reads both alike
        return text, encoding
    raise CatalogFileError(
        f"cannot read {p.name}: it is neither UTF-8 nor GBK/GB18030 text; save it again as 'CSV UTF-8'",
        message_zh=f"{p.name} 既不是 UTF-8 也不是 GBK/GB18030 编码，请重新另存为“CSV UTF-8”",
    )


def _sniff_delimiter(text: str) -> str:
    """Comma unless the first line clearly uses tabs or semicolons (some regional exports)."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _csv_records(p: Path, text: str) -> list[list[str]]:
    # One record is one spreadsheet row, which is the number a manager sees when opening the
    # file in Excel (a quoted cell with a line break still counts as a single row there).
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))]
    except csv.Error as exc:
        raise CatalogFileError(
            f"cannot read {p.name}: it is not valid CSV ({exc})", message_zh=f"无法读取 {p.name}：不是有效的 CSV 文件（{exc}）"
        ) from exc


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_records(p: Path) -> list[list[str]]:
    import openpyxl  # imported here so reading a CSV never pays for loading openpyxl

    # A damaged workbook fails deep inside zipfile, zlib or an XML parser, with whatever exception
    # that layer raises (BadZipFile, zlib.error, ParseError, KeyError, IndexError …). Everything
    # raised while openpyxl reads the file is about the file, so all of it becomes "cannot read".
    try:
        workbook = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except OSError as exc:
        raise _unreadable(p, exc) from exc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - see above
        raise _corrupt(p, exc) from exc
    try:
        if not workbook.worksheets:
            raise _empty(p)
        sheet = workbook.worksheets[0]  # the first sheet, not the last one looked at: predictable
        # Some writers store a wrong sheet size; without this, read-only mode may miss cells.
        sheet.reset_dimensions()
        records: list[list[str]] = []
        for row in sheet.iter_rows():
            if len(records) >= MAX_XLSX_ROWS:
                raise CatalogFileError(
                    f"{p.name} has more than {MAX_XLSX_ROWS:,} rows, far too many for a catalogue; check it is the right file",
                    message_zh=f"{p.name} 超过 {MAX_XLSX_ROWS:,} 行，作为商品目录过大，请确认文件是否正确")
            records.append([cell_text(c.value, getattr(c, "number_format", None)) for c in row])
        return records
    except (CatalogFileError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - a cut or damaged sheet, see above
        raise _corrupt(p, exc) from exc
    finally:
        _close_quietly(workbook)  # read-only workbooks keep the file open until closed


def _close_quietly(workbook: Any) -> None:
    try:
        workbook.close()
    except Exception:  # noqa: BLE001 - closing a damaged archive must not hide why it failed
        pass


def _corrupt(p: Path, exc: Exception) -> CatalogFileError:
    detail = " ".join(str(exc).split())[:80]  # one line, short: the reason is for whoever repairs the file
    reason = f"{exc.__class__.__name__}: {detail}" if detail else exc.__class__.__name__
    return CatalogFileError(
        f"cannot read {p.name}: it is not a readable .xlsx workbook (damaged, cut short or not really Excel; {reason})",
        message_zh=f"无法读取 {p.name}：不是可读取的 .xlsx 工作簿（文件已损坏、不完整或并非 Excel 文件）",
    )


def cell_text(value: object, number_format: str | None = None) -> str:
    """An Excel cell as the text a person sees, without float artefacts.

    ``12.8 -> '12.8'``, ``6901234567892.0 -> '6901234567892'``, ``12.799999999999999 -> '12.8'``;
    a percent-formatted ``0.13 -> '13%'``; a number formatted ``000000000000`` keeps its
    leading zeros (how Excel shows a UPC-A stored as a number).
    """
    if value is None:
        return ""
    if isinstance(value, bool):  # bool before int: True is an int in Python
        return "yes" if value else "no"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        fmt = number_format or ""
        number = _decimal(value)
        if "%" in fmt:
            return f"{_plain(number * 100)}%"
        text = _plain(number)
        if fmt and set(fmt) == {"0"} and text.isdigit():
            text = text.zfill(len(fmt))
        return text
    return str(value).strip()


def _decimal(value: int | float) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    # Excel keeps 15 significant digits; rounding there drops binary noise such as 12.7999999…
    return Decimal(f"{value:.15g}")


def _plain(number: Decimal) -> str:
    """Fixed-point text without exponent or trailing zeros: ``1.28E+3 -> '1280'``, ``12.80 -> '12.8'``."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# --- shared ---------------------------------------------------------------------------------


def _to_catalog_file(p: Path, records: Sequence[Sequence[str]], encoding: str) -> CatalogFile:
    """Header = first non-blank row; drop blank rows; trim trailing empty header cells."""
    numbered = [(n, [c.strip() for c in r]) for n, r in enumerate(records, start=1)]
    non_blank = [(n, cells) for n, cells in numbered if any(cells)]
    if not non_blank:
        raise _empty(p)
    header_row, header = non_blank[0]
    while header and not header[-1]:
        header.pop()  # Excel often saves trailing commas or formatted-but-empty columns
    return CatalogFile(header=header, rows=non_blank[1:], encoding=encoding, header_row=header_row, path=p)
