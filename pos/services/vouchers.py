"""The accountant's voucher file (记账凭证, issue 16): a period's figures through the shop's mapping.

Each business day's figures are the day's running totals (:func:`pos.store.totals.day_totals`, the
same figures a Z records), so the tender lines of a day's voucher are the Z's tender figures to the
fen. The vouchers are made and checked (Σ借 = Σ贷) by :mod:`pos.domain.vouchers`; the file is written
as XLSX (``.xlsx``) or CSV (``.csv``, UTF-8 with BOM), atomically.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from pos.domain.business_day import BusinessDay
from pos.domain.table_report import Column, TableReport, summed_totals
from pos.domain.vouchers import (
    STYLES,
    Voucher,
    VoucherError,
    VoucherFigures,
    VoucherMapping,
    build_vouchers,
    parse_mapping,
    voucher_table,
)
from pos.store import totals as sql_totals

from .uow import UnitOfWorkFactory

MAX_DAYS = 366


def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    return BusinessDay.parse(value).date


def period_days(date_from: date | str, date_to: date | str) -> list[date]:
    a, b = _day(date_from), _day(date_to)
    if b < a:
        raise VoucherError(f"the period ends ({b}) before it begins ({a})", message_zh=f"结束日期 {b} 早于开始日期 {a}")
    n = (b - a).days + 1
    if n > MAX_DAYS:
        raise VoucherError(f"a voucher file covers at most {MAX_DAYS} days; {a} to {b} is {n} days",
                           message_zh=f"一个凭证文件最多包含 {MAX_DAYS} 天，{a} 至 {b} 共 {n} 天")
    return [a + timedelta(days=i) for i in range(n)]


def read_mapping(mapping_path: str | os.PathLike[str]) -> VoucherMapping:
    path = Path(mapping_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VoucherError(f"there is no mapping file at {path}", message_zh=f"找不到科目对照文件 {path}") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise VoucherError(f"the mapping file {path} cannot be read ({reason})",
                           message_zh=f"无法读取科目对照文件 {path}（{reason}）") from None
    if len(data) > 1_000_000:
        raise VoucherError(f"the mapping file {path} is too large to be a mapping", message_zh=f"科目对照文件 {path} 过大")
    return parse_mapping(data)


def day_figures(uow_factory: UnitOfWorkFactory, days: list[date]) -> list[tuple[date, VoucherFigures]]:
    """Each day's figures, read in one transaction."""
    with uow_factory() as uow:
        raw = getattr(uow, "raw", None)
        dbapi = raw if raw is not None else sql_totals.dbapi_of(uow.conn)
        return [(d, VoucherFigures.of(sql_totals.day_totals(dbapi, d.isoformat()))) for d in days]


def period_vouchers(uow_factory: UnitOfWorkFactory, date_from: date | str, date_to: date | str,
                    mapping: VoucherMapping, per: str = "day") -> list[Voucher]:
    days = period_days(date_from, date_to)
    text = days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} 至 {days[-1].isoformat()}"
    return build_vouchers(day_figures(uow_factory, days), mapping, per=per, period_text=text)


def export_vouchers(uow_factory: UnitOfWorkFactory, date_from: date | str, date_to: date | str, style: str,
                    mapping_path: str | os.PathLike[str], out: str | os.PathLike[str], per: str = "day") -> Path:
    """Write the vouchers of ``date_from`` … ``date_to`` (one per day, or one for the period) in the
    ``style`` layout (yonyou 用友 or kingdee 金蝶) at ``out``; refused in plain words, writing nothing,
    when the mapping is wrong, a voucher does not balance or nothing was sold."""
    if style not in STYLES:
        raise VoucherError(f"the voucher style is yonyou (用友) or kingdee (金蝶), not {style}",
                           message_zh=f"凭证格式应为 yonyou（用友）或 kingdee（金蝶），不支持“{style}”")
    days = period_days(date_from, date_to)
    mapping = read_mapping(mapping_path)
    vouchers = period_vouchers(uow_factory, days[0], days[-1], mapping, per)
    if not vouchers:
        raise VoucherError(f"nothing was sold or returned from {days[0]} to {days[-1]}: there is no voucher to write",
                           message_zh=f"{days[0]} 至 {days[-1]} 没有销售或退货，无凭证可生成")
    return write_vouchers(vouchers, mapping, style, out, days[0], days[-1])


def write_vouchers(vouchers: list[Voucher], mapping: VoucherMapping, style: str, out: str | os.PathLike[str],
                   first: date, last: date) -> Path:
    from pos.reports.export import plain_cell, write_atomic
    from pos.reports.xlsx import Column, Sheet, safe_text, workbook

    target = Path(out).expanduser()
    if target.is_dir():
        target = target / f"vouchers-{style}-{first.isoformat()}-{last.isoformat()}.xlsx"
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".pdf"):
        raise VoucherError(f"the voucher file is written as .xlsx or .csv (or .pdf to print), not {target.name}",
                           message_zh=f"凭证文件只能保存为 .xlsx 或 .csv（打印用 .pdf），不支持 {target.name}")
    if suffix == ".pdf":
        from pos.reports.export import write_report

        return write_report(voucher_report(vouchers, mapping, style, first, last), "pdf", target)
    columns, rows = voucher_table(vouchers, mapping, style)
    if suffix == ".csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([safe_text(title) for title, _k in columns])
        for row in rows:
            w.writerow([plain_cell(k, v) for (_t, k), v in zip(columns, row, strict=True)])
        data = b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
    else:
        widths = {"date": 12, "money": 14, "int": 8}
        cols = [Column(title, kind, 30 if title == "摘要" else 24 if "名称" in title else widths.get(kind, 12))
                for title, kind in columns]
        title = "记账凭证 用友" if style == "yonyou" else "记账凭证 金蝶"
        data = workbook([Sheet(title, cols, rows, totals=False)])
    return write_atomic(target, lambda f: f.write(data))


def voucher_report(vouchers: list[Voucher], mapping: VoucherMapping, style: str, first: date, last: date, *,
                   store: str = "") -> TableReport:
    """The vouchers as a report to show or print (记账凭证 with 制单 / 审核 / 记账 lines), Σ借 and Σ贷 in
    the totals row."""
    columns, rows = voucher_table(vouchers, mapping, style)
    cols = tuple(Column(f"c{j}", title, title, kind, kind == "money")  # type: ignore[arg-type]
                 for j, (title, kind) in enumerate(columns))
    totals = summed_totals(cols, rows) if cols and cols[0].kind == "text" else None
    return TableReport("vouchers", "记账凭证", "Accounting vouchers", first, last, cols, tuple(tuple(r) for r in rows),
                       store=store, totals=totals, signatures=("制单", "审核", "记账"),
                       notes=(f"{len(vouchers)} 张凭证，借贷合计相等。",))
