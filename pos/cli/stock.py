"""Stock by delivery batch (issue 15): ``stock …``, ``batch report`` and ``trace``.

Chinese first, English in brackets, as the other commands; ``--json`` for scripts. A refused
delivery note lists every problem with its row number on stderr and exits 2 (nothing received).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .base import EXIT_OK, EXIT_USAGE, Registry, UsageError, error_line, path_arg, shown, whole_number
from .base import config as _config
from .base import print_result as _print
from .till import _approved

LIST_PAGE = 500  # a screenful or a few: a store of 200,000 products pages with --offset (or --limit 0 for all)

REPORT_COLUMNS = (
    ("batch_no", "批次号"), ("origin", "产地"), ("supplier", "供应商"), ("arrival", "到货日期"), ("lots", "行数"),
    ("received_cost", "进货成本"), ("sold_cost", "销售成本"), ("revenue", "销售额"), ("margin", "毛利"),
    ("margin_pct", "毛利率%"), ("returned_revenue", "退货额"), ("written_off_cost", "报损成本"),
    ("adjusted_cost", "盘点调整"), ("on_hand_cost", "库存成本"), ("sold_units", "已售件数"), ("sold_kg", "已售公斤"),
    ("on_hand_units", "库存件数"), ("on_hand_kg", "库存公斤"), ("sold_out_on", "售罄日期"), ("days_to_sell_out", "售罄天数"),
)


def register(reg: Registry) -> None:
    g = "stock commands: receiving, stock on hand, write-offs, counts (库存)"
    p = reg.subcommand("stock", "receive", "receive a delivery note (CSV/XLSX, 送货单): all rows or none; "
                       "without --by it is only checked", cmd_receive, group_help=g)
    p.add_argument("file", type=path_arg)
    _who(p, required=False)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "list", "stock on hand per product (库存), value at cost, lots and expiry", cmd_list)
    p.add_argument("--sku", help="one product (sku or barcode)")
    p.add_argument("--lots", action="store_true", help="show each lot with its batch, expiry and 合格证")
    p.add_argument("--expiring", type=whole_number, metavar="DAYS", help="only products with a lot expiring within DAYS")
    p.add_argument("--past-zero", action="store_true", help="only products sold past zero (flagged)")
    p.add_argument("--limit", type=whole_number, default=LIST_PAGE,
                   help=f"at most this many products (default {LIST_PAGE}; 0: all of them)")
    p.add_argument("--offset", type=whole_number, default=0)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "near-expiry", "lots near or past their expiry (临期), by each category's days",
                       cmd_near_expiry)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "writeoff", "write off stock (报损) with a reason; a cashier needs --approver", cmd_writeoff)
    p.add_argument("sku")
    p.add_argument("quantity", help="units, or kg for weighed goods (0.5 or 500g)")
    p.add_argument("--reason", required=True, choices=["spoiled", "broken", "expired", "other"],
                   help="spoiled 变质, broken 破损, expired 过期, other 其他")
    p.add_argument("--lot", help="the lot, e.g. SHKC-2026-48/2 (default: first expiry first)")
    p.add_argument("--note", default="")
    _who(p)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "count", "take in a count sheet (盘点, CSV/XLSX: sku or barcode, counted); "
                       "--approve applies it", cmd_count)
    p.add_argument("file", type=path_arg)
    p.add_argument("--approve", action="store_true", help="apply the variances now (a cashier needs --approver)")
    _who(p)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "counts", "count sheets waiting for approval", cmd_counts)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "approve-count", "apply a waiting count sheet's variances (盘点调整)", cmd_approve_count)
    p.add_argument("count_no", type=whole_number)
    _who(p)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "category-settings", "what a category needs at receiving (合格证, 检疫证明) and its "
                       "near-expiry days; with no option, list them", cmd_category_settings)
    p.add_argument("category", nargs="?")
    p.add_argument("--certificate", choices=["yes", "no"], help="needs a 承诺达标合格证")
    p.add_argument("--quarantine", choices=["yes", "no"], help="needs a quarantine certificate (动物检疫合格证明)")
    p.add_argument("--near-days", type=whole_number, help="days before expiry a lot shows as near expiry")
    _who(p, required=False)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand("stock", "expiry-policy", "scanning an item whose oldest lot expired: warn (default) or refuse",
                       cmd_expiry_policy)
    p.add_argument("policy", nargs="?", choices=["warn", "refuse"])
    _who(p, required=False)

    p = reg.subcommand("batch", "report", "per delivery batch: received, sold, returned, written off, on hand, "
                       "revenue, cost, margin, days to sell out", cmd_batch_report, group_help="delivery batch commands")
    p.add_argument("batch_no", nargs="?")
    p.add_argument("--by-origin", action="store_true", help="by origin county instead of by batch")
    p.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text")
    p.add_argument("--out", type=path_arg, help="write to this file (needed for xlsx)")

    p = reg.command("trace", "溯源: the lots of a receipt, or with --batch every receipt that sold from a batch", cmd_trace)
    p.add_argument("receipt_no", nargs="?")
    p.add_argument("--batch", help="a delivery batch number, e.g. SHKC-2026-48 (for a recall)")
    p.add_argument("--json", action="store_true")


def _who(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--by", required=required, dest="login", help="login of the person doing this")
    p.add_argument("--pin", required=required, help="their PIN")
    p.add_argument("--approver", help="login of the manager approving, when the action needs it")
    p.add_argument("--approver-pin", help="the approver's PIN")


def _open(args: argparse.Namespace):  # noqa: ANN202
    from pos.bootstrap import open_till

    return open_till(_config(args))


def _login(till, args: argparse.Namespace):  # noqa: ANN001, ANN202
    if not args.login or not args.pin:
        raise UsageError("this needs --by LOGIN --pin PIN")
    return till.auth.login(args.login, args.pin, via="cli")


def _yuan(fen: int) -> str:
    from pos.domain.money import format_yuan

    return format_yuan(int(fen))


def _qty(q: int, weighed: bool) -> str:
    from pos.services.stock import quantity_text

    return quantity_text(int(q), weighed)


# --- stock receive --------------------------------------------------------------------------------


def cmd_receive(args: argparse.Namespace) -> int:
    from pos.services.stock import DeliveryNoteRejected

    till = _open(args)
    try:
        if not args.login:
            check = till.stock.check_delivery_note(args.file)
            if not check.ok:
                return _rejected(DeliveryNoteRejected(check, args.file.name), args.json)
            r = check.receipt
            _warnings(check.warnings)
            _print({"ok": True, "batch": r.batch, "lines": len(r.lines), "total_cost": _yuan(r.total_cost_fen),
                    "received": False}, args.json,
                   f"送货单可以收货（checked, not received）：批次 {r.batch}，{len(r.lines)} 行，成本 ¥{_yuan(r.total_cost_fen)}；"
                   "加 --by LOGIN --pin PIN 收货")
            return EXIT_OK
        who = _login(till, args)
        try:
            done = till.stock.receive_file(args.file, who)
        except DeliveryNoteRejected as exc:
            return _rejected(exc, args.json)
    finally:
        till.close()
    _warnings(done.warnings)
    _print({"ok": True, "batch": done.batch_no, "lots": list(done.lots), "total_cost": _yuan(done.total_cost_fen),
            "seq": done.seq, "received": True}, args.json,
           f"已收货 {done.batch_no}：{done.lines} 行（{done.lots[0]} … {done.lots[-1]}），成本 ¥{_yuan(done.total_cost_fen)}"
           f"（received {done.lines} lots）")
    return EXIT_OK


def _rejected(exc, as_json: bool) -> int:  # noqa: ANN001
    if as_json:
        print(json.dumps({"ok": False, "error": exc.message, "error_zh": exc.message_zh,
                          "problems": [{"row": e.row, "column": e.column, "reason": e.reason, "reason_zh": e.message_zh}
                                       for e in exc.errors], "more": exc.more}, ensure_ascii=False))
        return EXIT_USAGE
    error_line(f"{exc.message_zh} ({exc.message})")
    for e in exc.errors:
        print(f"  {shown(e.message_zh)}  ({shown(str(e))})", file=sys.stderr)
    if exc.more:
        print(f"  … 另有 {exc.more} 处问题未列出 (and {exc.more} more problem(s) not shown)", file=sys.stderr)
    return EXIT_USAGE


def _warnings(warnings) -> None:  # noqa: ANN001
    for w in warnings:
        print(f"warning: {shown(w.message_zh)} ({shown(str(w))})", file=sys.stderr)


# --- stock list / near-expiry -----------------------------------------------------------------------


def _product_json(p) -> dict[str, Any]:  # noqa: ANN001
    d = {"sku": p.sku, "name": p.name, "category": p.category, "weighed": bool(p.weighed), "on_hand": p.on_hand,
         "on_hand_text": p.on_hand_text, "value": _yuan(p.value_fen), "value_fen": p.value_fen, "unlotted": p.unlotted,
         "past_zero": p.past_zero, "earliest_expiry": p.earliest_expiry, "days_left": p.days_left}
    if p.lots:
        d["lots"] = [{"lot": x.lot_id, "batch": x.batch_no, "on_hand": x.on_hand, "expiry": x.expiry,
                      "days_left": x.days_left, "value_fen": x.value_fen, "origin": x.origin,
                      "certificate": x.certificate_no, "quarantine": x.quarantine_no} for x in p.lots]
    return d


def cmd_list(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        if args.past_zero:  # every product sold past zero (the other filters do not apply)
            shown_n = _write_lines([till.stock.stock_lines(as_json=args.json, past_zero=True)], args.json)
        elif args.lots:  # each product with its lots: a few products, made into objects
            shown_n = _write_list([till.stock.stock_list(sku=args.sku, lots=True, expiring_days=args.expiring,
                                                         limit=args.limit or None, offset=args.offset)], args.json)
        elif not args.limit and not args.offset and args.sku is None:
            # all of them, printed page by page as they come: lines SQLite wrote, no Python per product
            shown_n = _write_lines(till.stock.iter_stock_lines(expiring_days=args.expiring, as_json=args.json),
                                   args.json)
        else:
            shown_n = _write_lines([till.stock.stock_lines(as_json=args.json, sku=args.sku, expiring_days=args.expiring,
                                                           limit=args.limit or None, offset=args.offset)], args.json)
    finally:
        till.close()
    if not shown_n and not args.json:
        print("没有库存记录 (no stock followed" + (" for that product)" if args.sku else ")"))
        return EXIT_OK
    if args.limit and shown_n == args.limit and not args.past_zero and not args.json:
        print(f"… 仅显示 {shown_n} 个商品，更多请用 --offset {args.offset + shown_n} 或 --limit 0 "
              f"(first {shown_n} shown)", file=sys.stderr)
    return EXIT_OK


def _write_lines(pages: Iterable[list[bytes]], as_json: bool) -> int:
    """Pages of ready lines (StockService.stock_lines, UTF-8) to stdout, one write per page: text lines, or the
    objects of one JSON array. Straight to the byte stream under a UTF-8 stdout; decoded otherwise (a console
    in another encoding, a test's StringIO). The number of products written."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None or (sys.stdout.encoding or "").lower().replace("-", "").replace("_", "") != "utf8":
        out = None
    sys.stdout.flush()  # what was printed before goes first

    def put(chunk: bytes) -> None:
        if out is None:
            sys.stdout.write(chunk.decode("utf-8"))
        else:
            out.write(chunk)

    n = 0
    if as_json:
        put(b"[")
    for lines in pages:
        if not lines:
            continue
        if as_json:
            put((b", " if n else b"") + b", ".join(lines))
        else:
            put(b"\n".join(lines) + b"\n")
        n += len(lines)
    if as_json:
        put(b"]\n")
    if out is not None:
        out.flush()
    sys.stdout.flush()
    return n


def _write_list(pages, as_json: bool) -> int:  # noqa: ANN001 - pages of ProductStock
    """Products with their lots to stdout (text, or one JSON array); the number of products written. The
    product's own line is the one :meth:`StockService.stock_lines` writes (a test holds them equal)."""
    n = 0
    if as_json:
        sys.stdout.write("[")
    for rows in pages:
        out = io.StringIO()
        for p in rows:
            if as_json:
                out.write((", " if n else "") + json.dumps(_product_json(p), ensure_ascii=False))
                n += 1
                continue
            n += 1
            flag = "  ⚠ 负库存（sold past zero）" if p.unlotted < 0 else ""
            expiry = f"  最早到期 {p.earliest_expiry}（{_days_text(p.days_left)}）" if p.earliest_expiry else ""
            out.write(f"{p.sku}  {p.name}  库存 {_qty(p.on_hand, p.weighed)}  成本 ¥{_yuan(p.value_fen)}{expiry}{flag}\n")
            for x in p.lots:
                cert = f"  合格证 {x.certificate_no}" if x.certificate_no else ""
                quarantine = f"  检疫 {x.quarantine_no}" if x.quarantine_no else ""
                exp = f"  到期 {x.expiry}（{_days_text(x.days_left)}）" if x.expiry else ""
                out.write(f"    {x.lot_id}  {_qty(x.on_hand, p.weighed)}{exp}  {x.origin}{cert}{quarantine}\n")
        sys.stdout.write(out.getvalue())
    if as_json:
        sys.stdout.write("]\n")
    sys.stdout.flush()
    return n


def _days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f"已过期 {-days} 天"
    return "今天到期" if days == 0 else f"剩 {days} 天"


def cmd_near_expiry(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        rows = till.stock.near_expiry()
    finally:
        till.close()
    if args.json:
        print(json.dumps([{"sku": p.sku, "name": p.name, "lot": x.lot_id, "batch": x.batch_no, "on_hand": x.on_hand,
                           "on_hand_text": _qty(x.on_hand, p.weighed), "expiry": x.expiry, "days_left": x.days_left}
                          for p, x in rows], ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("没有临期商品 (nothing near expiry)")
    for p, x in rows:
        print(f"{x.expiry}（{_days_text(x.days_left)}）  {p.sku}  {p.name}  {x.lot_id}  {_qty(x.on_hand, p.weighed)}")
    return EXIT_OK


# --- write-off and counts --------------------------------------------------------------------------


def cmd_writeoff(args: argparse.Namespace) -> int:
    from pos.domain.quantities import parse_quantity

    till = _open(args)
    try:
        product = till.lookup.find(args.sku)
        qty = parse_quantity(product, args.quantity)
        who = _login(till, args)
        done = _approved(till, args, who, lambda a: till.stock.write_off(product.sku, qty, args.reason, who, a,
                                                                        lot_id=args.lot, note=args.note))
    finally:
        till.close()
    _print({"sku": done.sku, "quantity": done.quantity, "cost": _yuan(done.cost_fen), "seq": done.seq,
            "draws": [{"lot": lot, "qty": q, "cost": c} for lot, q, c in done.draws]}, args.json,
           f"已报损 {product.name} {_qty(done.quantity, product.weighed)}，成本 ¥{_yuan(done.cost_fen)}"
           f"（written off, from {', '.join(str(d[0]) for d in done.draws)}）")
    return EXIT_OK


def _sheet_json(s) -> dict[str, Any]:  # noqa: ANN001
    return {"count_no": s.count_no, "state": s.state, "by": s.by, "source": s.source, "as_of_seq": s.as_of_seq,
            "cost": _yuan(s.cost_fen), "cost_fen": s.cost_fen, "seq": s.seq,
            "lines": [{"sku": x.sku, "name": x.name, "expected": x.expected, "counted": x.counted,
                       "variance": x.variance, "cost_fen": x.cost_fen} for x in s.lines]}


def _sheet_text(s) -> str:  # noqa: ANN001
    state = "已调整 (applied)" if s.state == "approved" else "待审批 (waiting for approval)"
    lines = [f"盘点表 {s.count_no}  {state}  差异成本 ¥{_yuan(s.cost_fen)}"]
    for x in s.lines:
        lines.append(f"  {x.sku}  {x.name}  账面 {_qty(x.expected, x.weighed)}  实盘 {_qty(x.counted, x.weighed)}  "
                     f"差异 {_qty(x.variance, x.weighed)}  ¥{_yuan(x.cost_fen)}")
    return "\n".join(lines)


def cmd_count(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        who = _login(till, args)
        sheet = till.stock.count_from_file(args.file, who)
        if args.approve:
            sheet = _approved(till, args, who, lambda a: till.stock.approve_count(sheet.count_no, a, who))
    finally:
        till.close()
    _print(_sheet_json(sheet), args.json, _sheet_text(sheet))
    return EXIT_OK


def cmd_counts(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        sheets = till.stock.pending_counts()
    finally:
        till.close()
    if args.json:
        print(json.dumps([_sheet_json(s) for s in sheets], ensure_ascii=False))
    elif not sheets:
        print("没有待审批的盘点表 (no count sheet is waiting)")
    else:
        print("\n".join(_sheet_text(s) for s in sheets))
    return EXIT_OK


def cmd_approve_count(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        who = _login(till, args)
        sheet = _approved(till, args, who, lambda a: till.stock.approve_count(args.count_no, a, who))
    finally:
        till.close()
    _print(_sheet_json(sheet), args.json, _sheet_text(sheet))
    return EXIT_OK


# --- settings --------------------------------------------------------------------------------------


def cmd_category_settings(args: argparse.Namespace) -> int:
    changing = args.certificate is not None or args.quarantine is not None or args.near_days is not None
    till = _open(args)
    try:
        if changing:
            if not args.category:
                raise UsageError("name the category to change, e.g. stock category-settings 牛肉 --quarantine yes")
            who = _login(till, args)
            till.stock.set_category_setting(args.category, who, needs_certificate=_yes(args.certificate),
                                            needs_quarantine=_yes(args.quarantine), near_days=args.near_days)
        if args.category:
            settings = [till.stock.category_setting(args.category)]
        else:
            settings = till.stock.category_list()
    finally:
        till.close()
    rows = [{"category": s.category, "certificate": s.needs_certificate, "quarantine": s.needs_quarantine,
             "near_days": s.near_days, "set": s.explicit} for s in settings]
    text = "\n".join(f"{s.category}  合格证 {'要' if s.needs_certificate else '不要'}  检疫证明 "
                     f"{'要' if s.needs_quarantine else '不要'}  临期 {s.near_days} 天{'' if s.explicit else '（默认）'}"
                     for s in settings)
    _print(rows, args.json, text)
    return EXIT_OK


def _yes(v: str | None) -> bool | None:
    return None if v is None else v == "yes"


def cmd_expiry_policy(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        if args.policy:
            who = _login(till, args)
            till.stock.set_expiry_policy(args.policy, who)
        policy = till.stock.expiry_policy().value
    finally:
        till.close()
    print(f"过期商品扫码：{'提醒' if policy == 'warn' else '禁止销售'} (expiry policy: {policy})")
    return EXIT_OK


# --- reports and traces ----------------------------------------------------------------------------


def _report_row(r) -> dict[str, Any]:  # noqa: ANN001
    return {"batch_no": r.batch_no, "origin": r.origin, "supplier": r.supplier, "arrival": r.arrival, "lots": r.lots,
            "received_cost": _yuan(r.received_cost_fen), "sold_cost": _yuan(r.sold_cost_fen),
            "revenue": _yuan(r.revenue_fen), "margin": _yuan(r.margin_fen),
            "margin_pct": "" if r.margin_pct is None else f"{r.margin_pct:.1f}",
            "returned_revenue": _yuan(r.returned_revenue_fen), "written_off_cost": _yuan(r.written_off_cost_fen),
            "adjusted_cost": _yuan(r.adjusted_cost_fen), "on_hand_cost": _yuan(r.on_hand_cost_fen),
            "sold_units": r.sold_units, "sold_kg": _kg(r.sold_grams), "on_hand_units": r.on_hand_units,
            "on_hand_kg": _kg(r.on_hand_grams), "sold_out_on": r.sold_out_on or "",
            "days_to_sell_out": "" if r.days_to_sell_out is None else r.days_to_sell_out}


def _kg(grams: int) -> str:
    return _qty(grams, True).removesuffix(" kg")


def cmd_batch_report(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.out:
        raise UsageError("--format xlsx needs --out FILE.xlsx")
    till = _open(args)
    try:
        reports = till.stock.batch_report(args.batch_no, by_origin=args.by_origin)
    finally:
        till.close()
    if args.batch_no and not reports:
        error_line(f"本机没有批次 {args.batch_no} (no delivery batch {args.batch_no} on this till)")
        return EXIT_USAGE
    rows = [_report_row(r) for r in reports]
    if args.format == "json":
        text = json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=1)
    elif args.format == "csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([zh for _k, zh in REPORT_COLUMNS])
        for r in rows:
            w.writerow([r[k] for k, _zh in REPORT_COLUMNS])
        text = buf.getvalue()
    elif args.format == "xlsx":
        _write_xlsx(Path(args.out), rows)
        print(f"已写入 {args.out}（{len(rows)} 行）")
        return EXIT_OK
    else:
        lines = []
        for r in reports:
            name = r.batch_no or r.origin
            pct = "" if r.margin_pct is None else f"（{r.margin_pct:.1f}%）"
            sold_out = f"  {r.days_to_sell_out} 天售罄" if r.days_to_sell_out is not None else ""
            lines.append(f"{name}  {r.origin if r.batch_no else ''}  到货 {r.arrival}  进货 ¥{_yuan(r.received_cost_fen)}  "
                         f"销售额 ¥{_yuan(r.revenue_fen)}  成本 ¥{_yuan(r.sold_cost_fen)}  毛利 ¥{_yuan(r.margin_fen)}{pct}  "
                         f"报损 ¥{_yuan(r.written_off_cost_fen)}  库存 ¥{_yuan(r.on_hand_cost_fen)}{sold_out}")
        if not lines:
            lines = ["还没有收货批次 (no delivery batch received yet)"]
        text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        print(f"已写入 {args.out}（{len(rows)} 行）")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _write_xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "批次报表"
    ws.append([zh for _k, zh in REPORT_COLUMNS])
    for r in rows:
        ws.append([r[k] for k, _zh in REPORT_COLUMNS])
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)


def cmd_trace(args: argparse.Namespace) -> int:
    if bool(args.receipt_no) == bool(args.batch):
        raise UsageError("give a receipt number, or --batch NO (not both)")
    till = _open(args)
    try:
        if args.batch:
            t = till.stock.trace_batch(args.batch)
        else:
            r = till.stock.trace_receipt(args.receipt_no)
    finally:
        till.close()
    if args.batch:
        if args.json:
            print(json.dumps({"batch": t.batch_no, "supplier": t.supplier, "contact": t.contact, "arrival": t.arrival,
                              "lots": [{"lot": x.lot_id, "certificate": x.certificate_no, "origin": x.origin,
                                        "expiry": x.expiry, "received": x.received_qty, "on_hand": x.on_hand}
                                       for x in t.lots],
                              "receipts": list(t.receipts), "sales": [x.to_json() for x in t.sales],
                              "returns": [x.to_json() for x in t.returns]}, ensure_ascii=False))
            return EXIT_OK
        print(f"批次 {t.batch_no}  {t.supplier}  {t.contact}  到货 {t.arrival}  （{len(t.receipts)} 张小票 receipts）")
        for x in t.lots:
            print(f"  {x.lot_id}  合格证 {x.certificate_no or '—'}  {x.origin}  到期 {x.expiry or '—'}")
        for x in t.sales:
            print(f"  售 {x.doc_no}  第{x.line_no}行  {x.sku} {x.name}  {_qty(x.quantity, x.weighed)}  {x.lot_id}  "
                  f"{x.business_day}")
        for x in t.returns:
            print(f"  退 {x.doc_no}  第{x.line_no}行  {x.sku} {x.name}  {_qty(x.quantity, x.weighed)}  {x.lot_id}")
        return EXIT_OK
    if args.json:
        print(json.dumps({"receipt_no": r.receipt_no, "lines": [x.to_json() for x in r.lines]}, ensure_ascii=False))
        return EXIT_OK
    if not r.lines:
        print(f"{r.receipt_no}：没有批次记录（no lot was drawn: stock not followed for its goods）")
    for x in r.lines:
        lot = x.lot_id or "无批次（负库存）"
        print(f"{r.receipt_no}  第{x.line_no}行  {x.sku} {x.name}  {_qty(x.quantity, x.weighed)}  {lot}  批次 {x.batch_no or '—'}  "
              f"合格证 {x.certificate_no or '—'}  产地 {x.origin or '—'}  到货 {x.arrival or '—'}  到期 {x.expiry or '—'}")
    return EXIT_OK
