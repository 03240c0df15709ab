"""``headoffice report``, ``headoffice aided-counties`` and ``headoffice dashboard-rebuild``.

Dates are checked as strictly as in the console: ``--from 2026-11-1``, ``2026/11/01``, ``11/01``,
an impossible date or a first day after the last stop the command with the reason and exit 2,
never a report over the wrong days. A saved HTML report links nowhere unless ``--base-url`` is
given (then to absolute addresses), so a file mailed round has no dead links.
"""

from __future__ import annotations

import argparse
import json
import time

from pos.cli.base import EXIT_OK, Registry, UsageError, path_arg


def register(reg: Registry) -> None:
    g = "headoffice"
    p = reg.subcommand(g, "report", "consolidated sales: 消费帮扶 by aided county (local goods apart), by counter, "
                       "day and origin", cmd_report)
    p.add_argument("--format", choices=["json", "xlsx", "html"], default="json")
    p.add_argument("--out", type=path_arg, help="write to this file (default: standard output; required for xlsx)")
    p.add_argument("--from", dest="date_from", help="first business day, YYYY-MM-DD (e.g. 2026-11-01)")
    p.add_argument("--to", dest="date_to", help="last business day, YYYY-MM-DD")
    p.add_argument("--store")
    p.add_argument("--terminal")
    p.add_argument("--dashboard", action="store_true",
                   help="with --format xlsx: every dashboard table (counties, counters, periods, products, tenders, "
                        "counter-days, batches) in one workbook")
    p.add_argument("--group", choices=["day", "week", "month"], default="day", help="periods of --dashboard's trend sheet")
    p.add_argument("--base-url", help="with --format html: link the report to this head office, e.g. https://zb.example.cn")

    p = reg.subcommand(g, "aided-counties", "show or set the aided counties whose goods count as 消费帮扶",
                       cmd_aided_counties)
    p.add_argument("--set", dest="counties", help="the new list, e.g. '茂县,松阳,青田,九寨沟' (journaled)")

    p = reg.subcommand(g, "batch-report", "per delivery batch (山海快车): received, sold, returned, written off, on "
                       "hand, revenue, cost, gross margin, days to sell out; by lot and counter for one batch",
                       cmd_batch_report)
    p.add_argument("batch", nargs="?", help="one batch number, e.g. SHKC-2026-48 (default: every batch)")
    p.add_argument("--format", choices=["json", "xlsx", "csv"], default="json")
    p.add_argument("--out", type=path_arg, help="write to this file (default: standard output; required for xlsx)")
    p.add_argument("--store", help="only this store's counters")

    p = reg.subcommand(g, "promo-report", "promotion cost (reduction given per promotion, less what returns took "
                       "back) and member sales and points liability per store (issue 17)", cmd_promo_report)
    p.add_argument("--from", dest="date_from", help="first business day, YYYY-MM-DD (default: the month of the latest)")
    p.add_argument("--to", dest="date_to", help="last business day, YYYY-MM-DD")
    p.add_argument("--store", help="only this store")
    p.add_argument("--format", choices=["text", "json", "xlsx"], default="text")
    p.add_argument("--out", type=path_arg, help="write to this file (default: standard output; required for xlsx)")

    reg.subcommand(g, "derive", "derive the report rows of entries acknowledged but not yet derived (the server's "
                   "deriver does this by itself; this shows how far behind it is and catches up now)", cmd_derive)
    reg.subcommand(g, "dashboard-rebuild", "derive the dashboard's tables again from every stored journal entry",
                   cmd_rebuild)


def _engine(args: argparse.Namespace):  # noqa: ANN202
    from .db import open_engine

    return open_engine(getattr(args, "db", None))


def _base_url(text: str | None) -> str | None:
    if text is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(f"--base-url '{text[:60]}' is not an address like https://zb.example.cn")
    return text.strip().rstrip("/")


def cmd_report(args: argparse.Namespace) -> int:
    from pos.domain.money import format_yuan

    from . import dashboard, reports

    base = _base_url(args.base_url)
    if base and args.format != "html":
        raise UsageError("--base-url goes with --format html")
    if args.format == "xlsx" and not args.out:
        raise UsageError("--format xlsx needs --out FILE")
    engine = _engine(args)
    if args.dashboard:
        if args.format != "xlsx":
            raise UsageError("--dashboard goes with --format xlsx")
        from . import derive

        derive.fresh(engine)
        with engine.connect() as conn:
            f = dashboard.make_filter(conn, args.date_from, args.date_to, args.store, args.terminal, args.group)
        args.out.write_bytes(reports.dashboard_xlsx(engine, f, tuple(reports.TABLES)))
        print(f"wrote {args.out}: every dashboard table for {f.start} – {f.end}")
        return EXIT_OK
    data = reports.sales_report(engine, reports.ReportFilter(args.date_from, args.date_to, args.store, args.terminal))
    if args.format == "xlsx":
        args.out.write_bytes(reports.to_xlsx(data))
    else:
        text = reports.to_html(data, base_url=base) if args.format == "html" else json.dumps(data, ensure_ascii=False, indent=1)
        if not args.out:
            print(text)
            return EXIT_OK
        args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: 消费帮扶 {format_yuan(data['aided']['net'])} yuan, local and other goods "
          f"{format_yuan(data['local']['net'])} yuan, all {format_yuan(data['total']['net'])} yuan over "
          f"{len(data['by_counter'])} counters")
    return EXIT_OK


def _plain(value):  # noqa: ANN001, ANN202
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def cmd_batch_report(args: argparse.Namespace) -> int:
    import csv
    import io

    from pos.domain.money import format_yuan

    from . import batches, dashboard, derive
    from .web.batches import BATCH_COLUMNS, LOT_COLUMNS, batch_cells, lot_cells, to_xlsx
    from .xlsx import safe_text

    if args.format == "xlsx" and not args.out:
        raise UsageError("--format xlsx needs --out FILE")
    no = (args.batch or "").strip() or None
    if no is not None and (len(no) > 64 or not no.isprintable()):
        raise UsageError("a batch number is 1–64 printable characters, e.g. SHKC-2026-48")
    engine = _engine(args)
    derive.fresh(engine)
    with engine.connect() as conn:
        data = batches.report(conn, batch=no, store=args.store or None, counties=dashboard.aided_counties(conn))
    if no is not None and data["batch"] is None:
        raise UsageError(f"head office holds no delivery batch {no} (总部没有批次 {no} 的记录)")
    s = data["summary"]
    if args.format == "xlsx":
        args.out.write_bytes(to_xlsx(data))
    else:
        if args.format == "json":
            text = json.dumps(_plain(data), ensure_ascii=False, indent=1)
        else:
            columns, cells, rows = ((LOT_COLUMNS, lot_cells, data["lots"]) if no is not None else
                                    (BATCH_COLUMNS, batch_cells, data["batches"]))
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow([c.title for c in columns])
            for r in rows:
                w.writerow(["" if v is None else format_yuan(v) if c.kind == "money" else safe_text(v) if c.kind == "text" else str(v)
                            for c, v in zip(columns, cells(r), strict=True)])
            text = buf.getvalue()
        if not args.out:
            print(text, end="" if text.endswith("\n") else "\n")
            return EXIT_OK
        args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: 已销售 {s['batches_sold']} 个批次，专项销售额 {format_yuan(s['revenue'])} 元"
          f"（消费帮扶 {format_yuan(s['aided_revenue'])} 元），毛利 {format_yuan(s['margin'])} 元")
    return EXIT_OK


def cmd_promo_report(args: argparse.Namespace) -> int:
    from pos.domain.money import format_yuan

    from .web.promotions import NOTES, load, sheet
    from .xlsx import workbook

    if args.format == "xlsx" and not args.out:
        raise UsageError("--format xlsx needs --out FILE")
    engine = _engine(args)
    f, promos, _stores = load(engine, "promotions", args.date_from, args.date_to, args.store)
    _f, members, _stores = load(engine, "members", args.date_from, args.date_to, args.store)
    if args.format == "xlsx":
        args.out.write_bytes(workbook([sheet("promotions", promos, f), sheet("members", members, f)]))
        print(f"wrote {args.out}: promotion cost {format_yuan(promos['total']['cost'])} yuan, points liability "
              f"{format_yuan(members['total']['liability'])} yuan, {f.start} – {f.end}")
        return EXIT_OK
    if args.format == "json":
        text = json.dumps({"from": f.start.isoformat(), "to": f.end.isoformat(), "store": f.store,
                           "promotions": promos, "members": members}, ensure_ascii=False, indent=1)
    else:
        y = format_yuan
        out = [f"促销成本 Promotion cost, business days {f.start} – {f.end}" + (f", store {f.store}" if f.store else ""),
               "id\tversion\tname\treceipts\tgiven\treturned\tcost"]
        out += [f"{p['id']}\t{p['version']}\t{p['name']}\t{p['receipts']}\t{y(p['given'])}\t{y(p['returned'])}\t"
                f"{y(p['cost'])}" for p in promos["promotions"]]
        t = promos["total"]
        out += [f"合计 total\t\t\t{t['receipts']}\t{y(t['given'])}\t{y(t['returned'])}\t{y(t['cost'])}", "",
                "会员销售与积分 Member sales and points",
                "store\tactive\tmember net\tshare\tearned\tused\treversed\toutstanding\tper point\tliability"]
        for s in members["stores"]:
            share = f"{s['share'] * 100:.1f}%" if s["share"] is not None else "-"
            out.append(f"{s['store']}\t{s['active']}\t{y(s['net'])}\t{share}\t{s['earned']}\t{s['redeemed']}\t"
                       f"{s['reversed']}\t{s['outstanding']}\t{y(s['fen_per_point'])}"
                       f"{'' if s['rule_known'] else '*'}\t{y(s['liability'])}")
        out += [NOTES["promotions"][1], NOTES["members"][1]]
        text = "\n".join(out) + "\n"
    if not args.out:
        print(text, end="")
        return EXIT_OK
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return EXIT_OK


def cmd_aided_counties(args: argparse.Namespace) -> int:
    from . import dashboard

    engine = _engine(args)
    if args.counties is not None:
        names = dashboard.set_aided_counties(engine, args.counties, "cli")
        print(f"aided counties set (journaled): {'、'.join(names)}")
        return EXIT_OK
    with engine.connect() as conn:
        print("、".join(dashboard.aided_counties(conn)))
    return EXIT_OK


def cmd_rebuild(args: argparse.Namespace) -> int:
    from .derive import derived_counts, rebuild

    engine = _engine(args)
    started = time.monotonic()
    with engine.begin() as conn:
        counted = rebuild(conn)
        rows = derived_counts(conn)
    print(f"derived again from {counted['entries']} entries of {counted['terminals']} terminals in "
          f"{time.monotonic() - started:.1f} s: " + ", ".join(f"{k} {v} rows" for k, v in rows.items()))
    return EXIT_OK



def cmd_derive(args: argparse.Namespace) -> int:
    from .derive import catch_up, lagging

    engine = _engine(args)
    with engine.connect() as conn:
        behind = lagging(conn)
    for terminal, _store, derived, last in behind:
        print(f"{terminal}: entries up to {last} stored, up to {derived} derived ({last - derived} to do)")
    started = time.monotonic()
    done = catch_up(engine)
    print(f"derived {done.derived} entries in {time.monotonic() - started:.1f} s"
          + (f"; {done.skipped} could not be derived (see `headoffice terminals`)" if done.skipped else "")
          + (f"; {done.left} left to another deriver" if done.left else ""))
    return EXIT_OK
