"""The accountant's period reports and 回款 on the command line (issue 16).

``report NAME --from DAY --to DAY [--store CODE] --format table|json|csv|xlsx|pdf [--out FILE]`` prints
a report (table, JSON) or writes it as a file (CSV, XLSX, PDF through :mod:`pos.reports.export`);
``account-payment CODE AMOUNT --by LOGIN --pin PIN [--note …]`` records a payment received on an
institution account. Days are ``YYYY-MM-DD`` and nothing else; a bad day, a period that ends before
it begins or an unknown report name is one line on stderr and exit status 2.

JSON: ``{"name", "title", "title_en", "from", "to", "store", "columns": [{"key", "title", "title_en",
"kind"}], "rows": [{key: value}], "totals": {key: value} | null, "sections", "notes"}`` with money as
yuan text (``"1234.50"``), quantities as text (``"1.250kg"``, ``"3"``), percentages as text or null,
days and times as ISO text, counts as numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from pos.domain.table_report import REPORT_NAMES, parse_day

from .base import EXIT_OK, Registry, UsageError, path_arg
from .base import config as _config
from .base import print_result as _print

FORMATS = ("table", "json", "csv", "xlsx", "pdf")


def _day(text: str):  # noqa: ANN202 - date
    from pos.domain.errors import InvalidInput

    try:
        return parse_day(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def register(reg: Registry) -> None:
    p = reg.command("report", "a period report (销售日报, 商品销售汇总, 收款方式汇总, 税额汇总 …) as a table, JSON or a file",
                    cmd_report)
    p.add_argument("name", metavar="NAME", help="one of: " + ", ".join(REPORT_NAMES))
    p.add_argument("--from", dest="date_from", type=_day, required=True, metavar="DAY", help="first business day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_day, required=True, metavar="DAY", help="last business day, YYYY-MM-DD")
    p.add_argument("--store", help="store code (this till's store; others have no data here)")
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="table", help="table (default), json, csv, xlsx or pdf")
    p.add_argument("--out", type=path_arg, help="file (or folder) to write csv/xlsx/pdf to; csv without it goes to stdout")
    p.add_argument("--lang", dest="report_lang", choices=["zh", "en"], default="zh", help="titles in Chinese (default) or English")

    p = reg.command("account-payment", "record a payment received on an institution account (回款), with approval",
                    cmd_account_payment)
    p.add_argument("code", help="the institution account's code, e.g. MXGXS")
    p.add_argument("amount", help="yuan received, e.g. 1200 or 1200.00")
    p.add_argument("--by", required=True, dest="login", help="login of the manager (or accountant) recording it")
    p.add_argument("--pin", required=True, help="their PIN")
    p.add_argument("--approver", help="login of the manager approving, when an accountant records it")
    p.add_argument("--approver-pin", help="the approver's PIN")
    p.add_argument("--note", default="", help="a note, e.g. the bank transfer's reference")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")


def cmd_report(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    if args.name not in REPORT_NAMES:
        raise UsageError(f"unknown report '{args.name}' (use one of: {', '.join(REPORT_NAMES)})")
    if args.date_to < args.date_from:
        raise UsageError(f"the period ends ({args.date_to}) before it begins ({args.date_from})")
    till = open_till(_config(args))
    try:
        report = till.period_reports.build(args.name, args.date_from, args.date_to, store=args.store)
    finally:
        till.close()
    lang = args.report_lang
    if args.fmt == "table":
        sys.stdout.write(table_text(report, lang))
    elif args.fmt == "json":
        print(json.dumps(report_json(report), ensure_ascii=False))
    elif args.fmt == "csv" and args.out is None:
        sys.stdout.buffer.write(_csv_bytes(report, lang)) if hasattr(sys.stdout, "buffer") else sys.stdout.write(
            _csv_bytes(report, lang).decode("utf-8-sig"))
    else:
        path = _write(report, args.fmt, args.out or Path.cwd(), lang)
        print(path)
    return EXIT_OK


def cmd_account_payment(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.domain.money import format_yuan, parse_yuan

    from .till import _approved

    amount = parse_yuan(args.amount, strict=True)
    till = open_till(_config(args))
    try:
        who = till.auth.login(args.login, args.pin, via="cli")
        paid = _approved(till, args, who,
                         lambda a: till.period_reports.record_account_payment(args.code, amount, who, a, note=args.note))
    finally:
        till.close()
    _print({"code": paid.code, "name": paid.name, "amount": format_yuan(paid.amount_fen), "approver": paid.approver,
            "balance_before": format_yuan(paid.balance_before_fen), "balance": format_yuan(paid.balance_after_fen),
            "seq": paid.seq}, args.json,
           f"回款 {paid.name} ({paid.code}): {format_yuan(paid.amount_fen)}; "
           f"balance {format_yuan(paid.balance_before_fen)} → {format_yuan(paid.balance_after_fen)}")
    return EXIT_OK


# -- output ------------------------------------------------------------------------------------------
def _cell(kind: str, value: Any) -> str:
    from pos.domain.table_report import cell_text

    return cell_text("text" if isinstance(value, str) else kind, value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def table_text(report: Any, lang: str = "zh") -> str:
    """The report as a plain-text table: title, store and period, header, rows, totals row, notes."""
    cols = report.columns
    header = [c.title(lang) for c in cols]
    body = [[_cell(c.kind, v) for c, v in zip(cols, row, strict=True)] for row in report.rows]
    totals = [_cell(c.kind, v) for c, v in zip(cols, report.totals, strict=True)] if report.totals else None
    widths = [max(_width(x) for x in col) for col in zip(header, *body, *([totals] if totals else []), strict=True)]
    right = [c.kind in ("money", "int", "qty", "percent") for c in cols]
    sections = dict((i, h) for h, i in report.sections)

    def line(cells: list[str]) -> str:
        return "  ".join(_pad(t, w, r) for t, w, r in zip(cells, widths, right, strict=True)).rstrip() + "\n"

    out = [f"{report.title(lang)} {report.title_en if lang == 'zh' else report.title_zh}\n",
           f"{report.store}  {report.period_text}\n", line(header), "  ".join("-" * w for w in widths) + "\n"]
    for i, cells in enumerate(body):
        if i in sections:
            out.append(f"【{sections[i]}】\n")
        out.append(line(cells))
    if not body:
        out.append("（本期没有数据 nothing in this period）\n")
    if totals:
        out.append("  ".join("-" * w for w in widths) + "\n")
        out.append(line(totals))
    out.extend(f"{n}\n" for n in report.notes)
    return "".join(out)


def _json_value(kind: str, value: Any) -> Any:
    from pos.domain.money import format_yuan

    if value is None or isinstance(value, str) and kind != "text":
        return value
    if kind == "money":
        return format_yuan(value)
    if kind in ("qty", "percent"):
        return value.text() if kind == "qty" or value.defined else None
    if kind in ("date", "datetime"):
        return value.isoformat()
    return value


def report_json(report: Any) -> dict[str, Any]:
    cols = report.columns

    def obj(row: tuple[Any, ...]) -> dict[str, Any]:
        return {c.key: _json_value(c.kind, v) for c, v in zip(cols, row, strict=True)}

    return {"name": report.name, "title": report.title_zh, "title_en": report.title_en,
            "from": report.period_from.isoformat(), "to": report.period_to.isoformat(), "store": report.store,
            "columns": [{"key": c.key, "title": c.title_zh, "title_en": c.title_en, "kind": c.kind} for c in cols],
            "rows": [obj(r) for r in report.rows], "totals": obj(report.totals) if report.totals else None,
            "sections": [{"title": h, "first_row": i} for h, i in report.sections], "notes": list(report.notes)}


def _csv_bytes(report: Any, lang: str) -> bytes:
    try:
        from pos.reports.export import csv_bytes
    except ImportError:  # the exports not installed yet: a plain CSV, UTF-8 with BOM
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow([c.title(lang) for c in report.columns])
        for row in [*report.rows, *([report.totals] if report.totals else [])]:
            w.writerow([_cell(c.kind, v).replace(",", "") if c.kind == "money" else _cell(c.kind, v)
                        for c, v in zip(report.columns, row, strict=True)])
        return buf.getvalue().encode("utf-8-sig")
    return csv_bytes(report, lang)


def _write(report: Any, fmt: str, out: Path, lang: str) -> Path:
    from pos.reports.export import write_report

    return write_report(report, fmt, out, lang=lang)
