"""The command line: ``python main.py COMMAND …`` (also the ``lianxin-pos`` console script).

Every command goes through the same services as the till. Errors are one line in plain words:
exit status 2 for bad arguments or input (nothing is changed), 1 for a failed check or an
internal fault (details go to the log file, never a traceback on the terminal).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pos.domain.errors import PosError

log = logging.getLogger("lianxin.cli")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _global_options(p: argparse.ArgumentParser, *, suppress: bool) -> None:
    d = argparse.SUPPRESS if suppress else None
    p.add_argument("--db", default=d, help="database file (default: user data dir, or env POS_DB)")
    p.add_argument("--config", default=d, help="TOML config file (default: user config dir)")
    p.add_argument("--printer", default=d, help="receipt printer URL, e.g. file:DIR, tcp://host:9100, dummy:")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lianxin-pos", description="LianXin POS (连心收银) — till and tools")
    _global_options(parser, suppress=False)
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="UI language (default zh_CN)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _global_options(p, suppress=True)
        return p

    command("gui", "open the till window (the default with no command)")

    p = command("init", "create or migrate the database; --demo seeds the demo store")
    p.add_argument("--demo", action="store_true", help="seed both demo counters, users and catalogues")
    p.add_argument("--store", help="store code, e.g. MX (茂县专柜) or PM (平茂连心馆)")
    p.add_argument("--terminal", help="terminal id, e.g. MX01 (default: store code + 01)")

    p = command("catalog", "catalogue commands")
    csub = p.add_subparsers(dest="catalog_command", parser_class=_Parser, metavar="ACTION", required=True)
    ci = csub.add_parser("import", help="import products from CSV (UTF-8/GBK) or XLSX; all rows or none")
    _global_options(ci, suppress=True)
    ci.add_argument("file", type=Path)
    ci.add_argument("--store", help="store the products belong to (default: this till's store)")

    p = command("sell", "ring up one sale through the till's checkout service")
    p.add_argument("--cashier", required=True, help="login of the cashier")
    p.add_argument("--pin", required=True, help="the cashier's PIN")
    p.add_argument("--scan", action="append", required=True, metavar="CODE[*QTY]",
                   help="barcode, PLU or SKU; *QTY for several (weighed goods: *1.255 kg or *1255g)")
    p.add_argument("--pay", action="append", required=True, metavar="TENDER:AMOUNT",
                   help="tender and amount in yuan, e.g. cash:50 or wechat:12.80; repeat to split")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")

    p = command("ledger", "ledger commands")
    lsub = p.add_subparsers(dest="ledger_command", parser_class=_Parser, metavar="ACTION", required=True)
    lv = lsub.add_parser("verify", help="recompute the hash chain and the read models")
    _global_options(lv, suppress=True)
    lv.add_argument("--json", action="store_true")
    return parser


def _config(args: argparse.Namespace, **extra: object):
    from pos.config import load_config

    return load_config(Path(args.config) if args.config else None, db=args.db, printer=args.printer, **extra)


def _print(obj: Any, as_json: bool, text: str) -> None:
    print(json.dumps(obj, ensure_ascii=False, sort_keys=True) if as_json else text)


def cmd_init(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    explicit = args.store is not None or args.terminal is not None
    extra: dict[str, object] = {}
    if args.store:
        extra["store"] = args.store.upper()
    if args.terminal:
        extra["terminal"] = args.terminal.upper()
    cfg = _config(args, **extra)
    existed = Path(cfg.db).exists()
    till = open_till(cfg, create=True, demo=args.demo, rebind=explicit)
    try:
        with till.uow() as uow:
            n = uow.products.count(till.identity.store_code)
        state = "migrated" if existed else "created"
        print(f"{state} {cfg.db}: store {till.identity.store_code} ({till.identity.store_name} · "
              f"{till.identity.counter_name}), terminal {till.identity.terminal_id}, {n} products")
    finally:
        till.close()
    return EXIT_OK


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.services.catalog import CatalogRejected

    till = open_till(_config(args))
    try:
        report = till.catalog.import_file(args.file, store_code=args.store.upper() if args.store else None)
    except CatalogRejected as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        for e in exc.errors:
            where = f"row {e.row}" if e.row else "file"
            print(f"  {where}, {e.column}: {e.reason}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        till.close()
    print(f"imported {report.products} products from {report.file}: {report.added} new, {report.updated} updated, "
          f"{report.price_changes} price changes")
    return EXIT_OK


def parse_scan_arg(text: str) -> tuple[str, str | None]:
    code, sep, qty = text.partition("*")
    if not code.strip():
        raise UsageError(f"--scan '{text}' has no code")
    return code.strip(), (qty.strip() if sep else None)


def _quantity(product, qty: str | None) -> int:  # noqa: ANN001
    from decimal import Decimal, InvalidOperation

    from pos.domain.errors import InvalidInput

    if qty is None:
        if product.weighed:
            raise InvalidInput(f"{product.name} is sold by weight: give the weight, e.g. {product.sku}*1.255",
                               message_zh=f"{product.name} 为称重商品，请给出重量")
        return 1
    try:
        if product.weighed:
            if qty.lower().endswith("g") and not qty.lower().endswith("kg"):
                grams = Decimal(qty[:-1])
            else:
                grams = Decimal(qty.lower().removesuffix("kg")) * 1000
            if grams != grams.to_integral_value():
                raise InvalidOperation
            return int(grams)
        if not qty.isdigit():
            raise InvalidOperation
        return int(qty)
    except InvalidOperation:
        raise InvalidInput(f"quantity '{qty}' for {product.name} is not valid", message_zh=f"数量“{qty}”无效") from None


def parse_pay_arg(text: str):  # noqa: ANN201
    from pos.domain.money import parse_yuan
    from pos.domain.tenders import Tender, TenderKind

    kind, sep, rest = text.partition(":")
    if not sep:
        raise UsageError(f"--pay '{text}' should look like cash:50 or wechat:12.80")
    amount, _, reference = rest.partition(":")
    return Tender(TenderKind.parse(kind), parse_yuan(amount), reference or None)


def cmd_sell(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.domain.cart import Cart
    from pos.domain.money import format_yuan

    scans = [parse_scan_arg(s) for s in args.scan]
    tenders = [parse_pay_arg(p) for p in args.pay]
    till = open_till(_config(args))
    try:
        cart = Cart()
        for code, qty in scans:
            product = till.lookup.find(code)
            cart = cart.add(product, _quantity(product, qty))
        # Settle before logging in so that a typo in --pay never costs a PIN attempt.
        from pos.domain.tenders import settle

        settle(cart.total_fen, tenders)
        cashier = till.auth.login(args.cashier, args.pin, via="cli")
        done = till.checkout.complete_sale(cart, tenders, cashier)
        printed = till.receipts.print(done.receipt)
    finally:
        till.close()
    s = done.sale
    result = {
        "receipt_no": s.receipt_no, "total": format_yuan(s.total_fen), "paid": format_yuan(s.paid_fen),
        "change": format_yuan(s.change_fen), "lines": len(s.lines), "seq": done.seq,
        "printed": printed.ok, "print_message": printed.message,
    }
    _print(result, args.json, f"{s.receipt_no}  total {format_yuan(s.total_fen)}  paid {format_yuan(s.paid_fen)}  "
                              f"change {format_yuan(s.change_fen)}")
    if not printed.ok and not args.json:
        print(f"warning: {printed.message}", file=sys.stderr)
    return EXIT_OK


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    till = open_till(_config(args))
    try:
        report = till.verify()
    finally:
        till.close()
    if report.ok:
        _print({"ok": True, "entries": report.entries}, args.json, f"ledger ok: {report.entries} entries, chain and read models agree")
        return EXIT_OK
    p = report.problem
    assert p is not None
    _print({"ok": False, "entries": report.entries, "first_bad_seq": p.seq, "reason": p.reason}, args.json,
           f"ledger BROKEN at seq {p.seq}: {p.reason}")
    return EXIT_FAILED


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.app import run_gui

    return run_gui(_config(args), language=args.lang)


COMMANDS = {
    ("gui", None): cmd_gui,
    ("init", None): cmd_init,
    ("catalog", "import"): cmd_catalog_import,
    ("sell", None): cmd_sell,
    ("ledger", "verify"): cmd_ledger_verify,
}


def _setup_logging() -> None:
    from pos.config import data_dir

    try:
        logdir = data_dir() / "logs"
        logdir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(logdir / "lianxin.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _setup_logging()
    command = args.command or "gui"
    if command == "gui" and not hasattr(args, "command"):
        args.command = "gui"
    sub = getattr(args, f"{command}_command", None)
    handler = COMMANDS.get((command, sub))
    if handler is None:
        print(f"error: unknown command {command} {sub or ''}".rstrip(), file=sys.stderr)
        return EXIT_USAGE
    lang = os.environ.get("LIANXIN_LANG", "")
    try:
        return handler(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PosError as exc:
        msg = exc.message if lang == "en" else f"{exc.message_zh} ({exc.message})" if exc.message_zh != exc.message else exc.message
        print(f"error: {msg}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place an unexpected fault becomes a plain line
        log.exception("command %s failed", command)
        print(f"error: internal fault ({type(exc).__name__}: {exc}); details are in the log", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
