"""What the accountant's 导出全部 and 导出凭证 decide (issue 16), without Qt.

导出全部 (工作簿) writes every report of the period that the desk lists into one XLSX, a sheet per
report; 导出凭证 writes the period's vouchers (记账凭证) in the 用友 or 金蝶 layout through the shop's
mapping file. The mapping file is picked once and remembered, with the layout, in a small settings
file of the till's own (``accountant.json`` in the config folder): the next month's vouchers are
two clicks. A remembered file that has gone (a USB stick not in) is asked for again.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from pos.domain.errors import InvalidInput
from pos.domain.table_report import TableReport

from .accountant import _UNSAFE, Period, ReportEntry

VOUCHER_STYLES: tuple[tuple[str, str, str], ...] = (("yonyou", "用友", "Yonyou"), ("kingdee", "金蝶", "Kingdee"))
VOUCHER_FORMATS: tuple[str, ...] = ("xlsx", "csv", "pdf")
PREFS_FILE = "accountant.json"
PDF_ROWS_A_PAGE = 33  # a landscape A4 page of 销售流水
LONG_PDF_PAGES = 30  # about a second's work: longer, and the accountant is told it takes a while


@dataclass(frozen=True, slots=True)
class ExportPrefs:
    """What the desk remembers between months: the voucher mapping file and layout."""

    voucher_mapping: Path | None = None
    voucher_style: str = "yonyou"


def style_title(style: str, lang: str = "zh") -> str:
    for key, zh, en in VOUCHER_STYLES:
        if key == style:
            return en if lang.startswith("en") else zh
    raise InvalidInput(f"the voucher layout is yonyou (用友) or kingdee (金蝶), not {style!r}",
                       message_zh=f"凭证格式应为用友或金蝶，不支持“{style}”")


def load_prefs(path: Path) -> ExportPrefs:
    """The remembered choices; a missing or damaged file is the defaults (nothing to remember yet)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ExportPrefs()
    if not isinstance(data, dict):
        return ExportPrefs()
    mapping = data.get("voucher_mapping")
    style = data.get("voucher_style")
    return ExportPrefs(Path(mapping) if isinstance(mapping, str) and mapping else None,
                       style if style in {k for k, _z, _e in VOUCHER_STYLES} else "yonyou")


def save_prefs(path: Path, prefs: ExportPrefs) -> None:
    """Remember ``prefs`` (atomically). Not being able to remember is not worth an error: the next
    export asks again, so an OSError is swallowed."""
    path = Path(path)
    data = {"voucher_mapping": str(prefs.voucher_mapping) if prefs.voucher_mapping else None,
            "voucher_style": prefs.voucher_style}
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".prefs-", suffix=".json", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def remember_mapping(prefs: ExportPrefs, mapping: Path | str, style: str | None = None) -> ExportPrefs:
    """The prefs with ``mapping`` (and the layout, when chosen) remembered."""
    style = style or prefs.voucher_style
    style_title(style)  # refuses an unknown layout
    return replace(prefs, voucher_mapping=Path(mapping), voucher_style=style)


def mapping_to_use(prefs: ExportPrefs) -> Path | None:
    """The remembered mapping file when it is still there; None: ask for it."""
    m = prefs.voucher_mapping
    return m if m is not None and m.is_file() else None


def workbook_entries(entries: list[ReportEntry]) -> list[str]:
    """The reports 导出全部 writes: every report the desk lists, in its order (the person's own list)."""
    return [e.name for e in entries]


def _stem(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-") or "export"


def workbook_file_name(period: Period, lang: str = "zh") -> str:
    """全部报表_2026-11-01_2026-11-30.xlsx (a USB stick's FAT file system takes it as it is)."""
    word = "all-reports" if lang.startswith("en") else "全部报表"
    return f"{word}_{period.date_from.isoformat()}_{period.date_to.isoformat()}.xlsx"


def voucher_file_name(style: str, period: Period, fmt: str = "xlsx", lang: str = "zh") -> str:
    """记账凭证-用友_2026-11-01_2026-11-30.xlsx."""
    if fmt not in VOUCHER_FORMATS:
        raise InvalidInput(f"a voucher file is xlsx, csv or pdf, not {fmt!r}",
                           message_zh=f"凭证文件只能是 xlsx、csv 或 pdf，不支持“{fmt}”")
    word = "vouchers" if lang.startswith("en") else "记账凭证"
    return (f"{_stem(word + '-' + style_title(style, lang))}_{period.date_from.isoformat()}_"
            f"{period.date_to.isoformat()}.{fmt}")


def voucher_format_of_path(path: str | Path, chosen_filter: str = "") -> str:
    """xlsx, csv or pdf, from the file's suffix, else from the save dialog's chosen filter."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in VOUCHER_FORMATS:
        return suffix
    for fmt in VOUCHER_FORMATS:
        if f"*.{fmt}" in chosen_filter.lower():
            return fmt
    return "xlsx"


def long_pdf_pages(report: TableReport) -> int | None:
    """About how many A4 pages ``report`` makes when it is a long PDF (a month's 销售流水 is about 1,500,
    a minute's work), so the screen can say so while it is written; None for a report of a few pages."""
    pages = -(-(len(report.rows) + len(report.sections) + 1) // PDF_ROWS_A_PAGE)
    return pages if pages > LONG_PDF_PAGES else None
