"""The till's own commands: init, catalogue, selling, holds, returns, reprints, ledger, gui."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Registry, UsageError, error_line, path_arg, shown, whole_number
from .base import config as _config
from .base import print_result as _print


def register(reg: Registry) -> None:
    p = reg.command("gui", "open the till window (the default with no command)", cmd_gui)
    p.add_argument("--store", help="open this store's counter, e.g. PM (平茂连心馆), on its own database "
                                   "(default: lianxin-PM.db in the data folder; the demo is seeded on first run)")
    p.add_argument("--demo", action="store_true",
                   help="with no database, seed and open the demo store instead of the set-up wizard (make run)")

    p = reg.command("init", "create or migrate the database; --demo seeds the demo store", cmd_init)
    p.add_argument("--demo", action="store_true", help="seed both demo counters, users and catalogues")
    p.add_argument("--no-demo-stock", action="store_true",
                   help="with --demo: no demo delivery batches (the counters start with no stock followed)")
    p.add_argument("--store", help="store code, e.g. MX (茂县专柜) or PM (平茂连心馆)")
    p.add_argument("--terminal", help="terminal id, e.g. MX01 (default: store code + 01)")
    p.add_argument("--admin-pin", help="on a new database without --demo: create the first person, `admin`, with this PIN")

    ci = reg.subcommand("catalog", "import", "import products from CSV (UTF-8/GBK) or XLSX; all rows or none",
                        cmd_catalog_import, group_help="catalogue commands")
    ci.add_argument("file", type=path_arg)
    ci.add_argument("--store", help="store the products belong to (default: this till's store)")

    def person(p: argparse.ArgumentParser) -> None:
        p.add_argument("--cashier", required=True, help="login of the cashier")
        p.add_argument("--pin", required=True, help="the cashier's PIN")
        p.add_argument("--approver", help="login of the manager approving what needs approval")
        p.add_argument("--approver-pin", help="the approver's PIN")
        p.add_argument("--json", action="store_true", help="print the result as a JSON object")

    def cart_args(p: argparse.ArgumentParser, *, scans_required: bool) -> None:
        p.add_argument("--scan", action="append", required=scans_required, default=[], metavar="CODE[*QTY]",
                       help="barcode, scale label, PLU or SKU; *QTY for several (weighed goods: *1.255 kg or *1255g)")
        p.add_argument("--discount", action="append", default=[], metavar="LINE:SPEC",
                       help="line discount, e.g. 1:10%% or 2:9折 or 1:5.00 (yuan off)")
        p.add_argument("--sale-discount", metavar="SPEC", help="whole-sale discount, e.g. 5%% or 10.00")
        p.add_argument("--price", action="append", default=[], metavar="LINE:YUAN", help="price override, e.g. 1:39.90")

    p = reg.command("sell", "ring up one sale through the till's checkout service", cmd_sell)
    person(p)
    cart_args(p, scans_required=True)
    p.add_argument("--pay", action="append", default=[], metavar="TENDER:AMOUNT[:REF]",
                   help="tender and amount in yuan, e.g. cash:50 or wechat:12.80:CODE; repeat to split "
                        "(none for a ¥0 sale)")
    p.add_argument("--training", action="store_true", help="练习 mode: marked, numbered apart, excluded from totals")
    p.add_argument("--member", metavar="PHONE|CODE",
                   help="the member (会员) on the sale: full phone number or member code (the last 4 digits only "
                        "when they name one member)")
    p.add_argument("--points", type=whole_number, default=0, metavar="N",
                   help="use N of the member's points (积分抵扣), within the sale's limit")

    p = reg.command("hold", "put a sale on hold (挂单) and print its number", cmd_hold)
    person(p)
    cart_args(p, scans_required=True)

    p = reg.command("held", "list the held sales", cmd_held)

    p = reg.command("recall", "recall a held sale (取单), add to it, and complete it", cmd_recall)
    p.add_argument("hold_no", type=whole_number)
    person(p)
    cart_args(p, scans_required=False)
    p.add_argument("--pay", action="append", default=[], metavar="TENDER:AMOUNT[:REF]")
    p.add_argument("--training", action="store_true")

    p = reg.command("return", "return goods by receipt (退货), refunding the original tenders", cmd_return)
    person(p)
    p.add_argument("--receipt", help="the receipt number, e.g. MX01-20261122-0042")
    p.add_argument("--no-receipt", action="store_true", help="return without a receipt (needs permission), cash refund")
    p.add_argument("--line", action="append", required=True, metavar="SKU[*QTY]",
                   help="sku, barcode or line number (#2) and quantity to return")
    p.add_argument("--pay", action="append", default=[], metavar="TENDER:AMOUNT[:REF]",
                   help="optional: the refund you expect; refused if it is not what the receipt allows")
    p.add_argument("--reason", default="", help="why the goods came back")
    p.add_argument("--voucher-refund", default="cash", metavar="TENDER[:REF]",
                   help="how a voucher's share is refunded (a voucher is single-use): cash (default), wechat, "
                        "alipay, or unionpay:REF")

    p = reg.command("reprint", "print a receipt again, marked 重印", cmd_reprint)
    p.add_argument("receipt_no")
    person(p)

    lv = reg.subcommand("ledger", "verify", "recompute the hash chain and the read models", cmd_ledger_verify,
                        group_help="ledger commands")
    lv.add_argument("--json", action="store_true")

    from .first_run import register as register_setup

    register_setup(reg)  # setup: the 设置向导's steps in one command


def cmd_init(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    explicit = args.store is not None or args.terminal is not None
    extra: dict[str, object] = {}
    if args.store:
        extra["store"] = args.store.upper()
    if args.terminal:
        extra["terminal"] = args.terminal.upper()
    cfg = _config(args, **extra)
    if args.admin_pin is not None:
        from pos.domain.users import check_pin_format

        check_pin_format(args.admin_pin)  # before anything is created
    existed = Path(cfg.db).exists()
    till = open_till(cfg, create=True, demo=args.demo, rebind=explicit, demo_stock=args.demo and not getattr(args, "no_demo_stock", False))
    try:
        with till.uow() as uow:
            n = uow.products.count(till.identity.store_code)
            people = len(uow.users.all())
        if args.admin_pin is not None and people == 0:
            from pos.domain.users import Role

            till.auth.add_user("admin", "系统管理员", Role.ADMIN, args.admin_pin, by=None)
            people = 1
        state = "migrated" if existed else "created"
        print(f"{state} {cfg.db}: store {till.identity.store_code} ({till.identity.store_name} · "
              f"{till.identity.counter_name}), terminal {till.identity.terminal_id}, {n} products, {people} people")
        if people == 0:
            print("note: nobody can log in yet: run `init --admin-pin PIN`, then `user add … --by admin`",
                  file=sys.stderr)
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
        error_line(exc.message)
        for e in exc.errors:
            where = f"row {e.row}" if e.row else "file"
            print(f"  {where}, {e.column}: {shown(e.reason)}" if e.column else f"  {where}: {shown(e.reason)}",
                  file=sys.stderr)
        more = getattr(exc, "more", 0)
        if more:
            print(f"  … and {more} more problem(s) not shown (另有 {more} 处错误未列出)", file=sys.stderr)
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
    from pos.domain.errors import InvalidInput
    from pos.domain.quantities import parse_quantity

    if qty is None:
        if product.weighed:
            raise InvalidInput(f"{product.name} is sold by weight: give the weight, e.g. {product.plu or product.sku}*1.255",
                               message_zh=f"{product.name} 为称重商品，请给出重量")
        return 1
    return parse_quantity(product, qty)


def parse_pay_arg(text: str):  # noqa: ANN201
    from pos.domain.money import parse_yuan
    from pos.domain.tenders import Tender, TenderKind

    kind, sep, rest = text.partition(":")
    if not sep:
        raise UsageError(f"--pay '{text}' should look like cash:50 or wechat:12.80")
    amount, _, reference = rest.partition(":")
    return Tender(TenderKind.parse(kind), parse_yuan(amount, strict=True), reference or None)


def _line_spec(text: str, what: str) -> tuple[int, str]:
    line, sep, spec = text.partition(":")
    if not sep or not line.strip().isdigit() or int(line) < 1:
        raise UsageError(f"{what} '{text}' should look like LINE:VALUE, e.g. 1:10%")
    return int(line) - 1, spec


def _approved(till, args: argparse.Namespace, cashier, attempt):  # noqa: ANN001, ANN202
    """Run ``attempt(approval)``; if it needs a manager, get their approval from --approver and retry once."""
    from pos.domain.permissions import ApprovalRequired

    try:
        return attempt(None)
    except ApprovalRequired as need:
        if not args.approver or not args.approver_pin:
            raise UsageError(f"{need.message_zh} ({need.message}): pass --approver LOGIN --approver-pin PIN") from None
        approval = till.auth.approve(need.action, args.approver, args.approver_pin, requested_by=cashier,
                                     detail=need.message_zh)
        return attempt(approval)


def _approve_sale(till, args: argparse.Namespace, cashier, cart):  # noqa: ANN001, ANN202
    """The sale as a whole (line and sale discounts together, overrides) within the cashier's limits,
    or approved by --approver for exactly what it is over; complete_sale checks it again."""
    from pos.domain.limits import SaleNeedsApproval

    needs = till.checkout.pending_approvals(cart, cashier)
    for action in dict.fromkeys(n.action for n in needs):
        group = tuple(n for n in needs if n.action is action)
        if not args.approver or not args.approver_pin:
            raise UsageError(f"{SaleNeedsApproval(group).message}: pass --approver LOGIN --approver-pin PIN")
        approval = till.auth.approve(action, args.approver, args.approver_pin, requested_by=cashier,
                                     detail="；".join(n.what_zh for n in group))
        for need in group:
            cart = cart.approve(need, approval)
    return cart


def _scan_into(till, cart, scans):  # noqa: ANN001, ANN202
    """Add each --scan: barcodes, PLUs, SKUs and scale labels (charged at the label's amount)."""
    from pos.domain.errors import InvalidInput
    from pos.services.scanning import ResolvedPayment, ResolvedProduct

    for code, qty in scans:
        found = till.scan(code)
        if isinstance(found, ResolvedPayment):
            raise InvalidInput(f"that is a {found.provider} payment code, not a product: pass it as --pay {found.provider}:AMOUNT:CODE",
                               message_zh="这是付款码，不是商品条码")
        if not isinstance(found, ResolvedProduct):
            raise InvalidInput(f"'{code}' is search text, not a product code", message_zh=f"“{code}”不是商品条码")
        if found.expiry_warning:  # the store warns (not refuses) when the oldest lot has expired
            print(f"提醒 warning: {found.expiry_warning}", file=sys.stderr)
        if found.label is not None:
            if qty:
                raise InvalidInput("a scale label is sold as printed; no *QTY", message_zh="称重条码按标签计价，不能指定数量")
            cart = cart.add(found.product, found.quantity or 1, label_amount_fen=found.amount_fen)
        else:
            cart = cart.add(found.product, _quantity(found.product, qty))
    return cart


def _adjust(till, args: argparse.Namespace, cashier, cart):  # noqa: ANN001, ANN202
    from pos.domain.money import parse_yuan
    from pos.domain.pricing import parse_discount

    for spec in args.price:
        i, value = _line_spec(spec, "--price")
        price = parse_yuan(value, strict=True)
        cart = _approved(till, args, cashier, lambda a, c=cart, i=i, p=price: c.override_price(i, p, by=cashier.role, approval=a))
    for spec in args.discount:
        i, value = _line_spec(spec, "--discount")
        d = parse_discount(value)
        cart = _approved(till, args, cashier, lambda a, c=cart, i=i, d=d: c.discount_line(i, d, by=cashier.role, approval=a))
    if args.sale_discount:
        d = parse_discount(args.sale_discount)
        cart = _approved(till, args, cashier, lambda a, c=cart, d=d: c.discount_sale(d, by=cashier.role, approval=a))
    return cart


def _ensure_shift(till, who) -> None:  # noqa: ANN001
    """A sale needs an open shift: the CLI opens one with a zero float when none is open, and says so."""
    shift, opened = till.shifts.ensure_open(who)
    if opened:
        print(f"note: no shift was open; opened shift {shift.shift_no} for {who.login} with a zero float "
              f"(未开班，已自动开班，备用金为零)", file=sys.stderr)


def _with_shift(till, who, attempt):  # noqa: ANN001, ANN202
    """Run ``attempt()``; open a shift and retry only when the one refusal was "no shift is open".

    The services check the open shift last, so a sale or return refused for any other reason
    (payment, voucher, credit, quantity, permission) leaves the till as it was: no shift opened.
    """
    from pos.services.checkout import NoOpenShift

    try:
        return attempt()
    except NoOpenShift:
        _ensure_shift(till, who)
        return attempt()


def _sale_result(till, args: argparse.Namespace, done) -> int:  # noqa: ANN001
    from pos.domain.money import format_yuan

    printed = till.receipts.print(done.receipt)
    s = done.sale
    result = {
        "receipt_no": s.receipt_no, "total": format_yuan(s.total_fen), "paid": format_yuan(s.paid_fen),
        "total_fen": s.total_fen,
        "change": format_yuan(s.change_fen), "discount": format_yuan(s.discount_fen),
        "rounding": format_yuan(s.rounding_fen), "lines": len(s.lines), "seq": done.seq, "training": s.training,
        "printed": printed.ok, "print_message": printed.message,
        # List value less reductions by kind is the total, to the fen; tax is the sale's 价税分离.
        "list_total": format_yuan(s.list_total_fen),
        "reductions": {k: format_yuan(v) for k, v in s.reductions.to_json().items()},
        "tax": format_yuan(s.tax.tax_fen),
    }
    if s.promos:
        result["promotions"] = [{"id": p.promo_id, "version": p.version, "name": p.name, "off": format_yuan(p.off_fen)}
                                for p in s.promos]
    if s.member is not None:
        m = s.member
        result["member"] = {"phone": m.phone_masked, "tier": m.tier, "points_earned": m.points_earned,
                            "points_redeemed": m.points_redeemed, "points_balance": m.balance}
    extra = ""
    if s.promos:
        extra += f"  促销 promotions -{format_yuan(sum(p.off_fen for p in s.promos))}"
    if s.member is not None:
        extra += f"  会员 member {s.member.phone_masked} +{s.member.points_earned} 积分 points"
    _print(result, args.json, f"{s.receipt_no}  total {format_yuan(s.total_fen)}  paid {format_yuan(s.paid_fen)}  "
                              f"change {format_yuan(s.change_fen)}" + extra + ("  (training)" if s.training else ""))
    if not printed.ok and not args.json:
        print(f"warning: {shown(printed.message)}", file=sys.stderr)
    return EXIT_OK


def cmd_sell(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.domain.cart import Cart

    scans = [parse_scan_arg(s) for s in args.scan]
    tenders = [parse_pay_arg(p) for p in args.pay]
    till = open_till(_config(args))
    try:
        # Priced as the till prices it: the promotions in force now and the member, if one is named.
        start = Cart().with_context(till.promotions.context(_member(till, args.member)))
        cart = _scan_into(till, start, scans)  # unknown codes are refused before any PIN is tried
        _precheck_payment(till, args, cart, tenders)
        cashier = till.auth.login(args.cashier, args.pin, via="cli")
        cart = _approve_sale(till, args, cashier, _adjust(till, args, cashier, cart))
        if args.points:
            cart = cart.redeem_points(args.points, till.checkout.points_rule)
        done = _with_shift(till, cashier, lambda: till.checkout.complete_sale(cart, tenders, cashier,
                                                                               training=args.training))
        return _sale_result(till, args, done)
    finally:
        till.close()


def _member(till, text: str | None):  # noqa: ANN001, ANN202
    """The one member ``text`` (phone, member code, or last 4 digits naming one member) finds; None for none."""
    from pos.domain.errors import InvalidInput

    if not text:
        return None
    found = till.members.find(text)
    if not found:
        raise InvalidInput(f"no member is found by '{text}'", message_zh=f"没有找到会员“{text}”")
    if len(found) > 1:
        raise InvalidInput(f"{len(found)} members end in {text}; give the full phone number",
                           message_zh=f"尾号 {text} 的会员有 {len(found)} 位，请输入完整手机号")
    return found[0]


def _precheck_payment(till, args: argparse.Namespace, cart, tenders) -> None:  # noqa: ANN001
    """Refuse a payment that cannot settle before anyone logs in, so bad input writes nothing.

    Adjustments are applied as a manager would (amounts do not depend on who approves them);
    the real run after login still checks the cashier's rights.
    """
    from pos.domain.tenders import settle
    from pos.domain.users import Role, User

    as_manager = User("precheck", "precheck", Role.MANAGER)
    dry = _adjust(till, argparse.Namespace(**{**vars(args), "approver": None}), as_manager, cart)
    if getattr(args, "points", 0):
        dry = dry.redeem_points(args.points, till.checkout.points_rule)
    settle(till.checkout.totals(dry).total_fen, tenders)


def cmd_hold(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.domain.cart import Cart
    from pos.domain.money import format_yuan

    scans = [parse_scan_arg(s) for s in args.scan]
    till = open_till(_config(args))
    try:
        cart = _scan_into(till, Cart(), scans)
        cashier = till.auth.login(args.cashier, args.pin, via="cli")
        cart = _adjust(till, args, cashier, cart)
        hold_no = till.checkout.hold(cart, cashier)
        total = till.checkout.totals(cart).total_fen
    finally:
        till.close()
    _print({"hold_no": hold_no, "lines": len(cart.lines), "total": format_yuan(total)}, args.json,
           f"held as number {hold_no}: {len(cart.lines)} lines, total {format_yuan(total)}")
    return EXIT_OK


def cmd_held(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.domain.money import format_yuan

    till = open_till(_config(args))
    try:
        held = till.shifts.held()  # names, local times, totals after the store's 抹零
    finally:
        till.close()
    if not held:
        print("no held sales")
    for h in held:
        print(f"{h.hold_no:>4}  {h.shown_at}  {h.cashier_name}  {h.lines} lines  {format_yuan(h.total_fen)}")
    return EXIT_OK


def cmd_recall(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    scans = [parse_scan_arg(s) for s in args.scan]
    tenders = [parse_pay_arg(p) for p in args.pay]
    till = open_till(_config(args))
    try:
        held = {h.hold_no for h in till.checkout.held()}
        if args.hold_no not in held:
            raise UsageError(f"there is no held sale number {args.hold_no}")
        # The whole sale is checked on a copy of the held cart before anything is written.
        _precheck_payment(till, args, _scan_into(till, _held_cart(till, args.hold_no), scans), tenders)
        cashier = till.auth.login(args.cashier, args.pin, via="cli")
        cart = till.checkout.recall(args.hold_no, cashier)
        try:
            cart = _approve_sale(till, args, cashier, _adjust(till, args, cashier, _scan_into(till, cart, scans)))
            done = _with_shift(till, cashier, lambda: till.checkout.complete_sale(cart, tenders, cashier,
                                                                                   training=args.training))
        except BaseException:
            till.checkout.hold(cart, cashier)  # put it back rather than lose it
            raise
        return _sale_result(till, args, done)
    finally:
        till.close()


def _held_cart(till, hold_no: int):  # noqa: ANN001, ANN202
    """The cart of held sale ``hold_no`` as it is, without recalling it (nothing is written)."""
    import json

    from sqlalchemy import select

    from pos.domain.holds import cart_from_json
    from pos.store.schema import held_sales

    with till.uow() as uow:
        row = uow.conn.execute(select(held_sales.c.cart).where(held_sales.c.hold_no == hold_no)).first()
    if row is None:
        raise UsageError(f"there is no held sale number {hold_no}")
    return cart_from_json(json.loads(row.cart))


def cmd_return(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.domain.money import format_yuan

    if bool(args.receipt) == bool(args.no_receipt):
        raise UsageError("give either --receipt NO or --no-receipt")
    specs = [parse_scan_arg(s) for s in args.line]
    expected = [parse_pay_arg(p) for p in args.pay]
    voucher_to = _voucher_refund_arg(getattr(args, "voucher_refund", "cash"))
    till = open_till(_config(args))
    try:
        service = till.returns
        # Products, quantities and the refund are checked before anyone logs in; the shift is
        # opened only once the return has passed every other check (see _with_shift).
        if args.no_receipt:
            items = []
            for code, qty in specs:
                product = till.lookup.find(code)
                items.append((product, _quantity(product, qty)))
        else:
            sale, lines = service.lookup(args.receipt)
            quantities = _return_quantities(sale, lines, specs)
            service.plan(sale.receipt_no, quantities, voucher_refund_to=voucher_to)
            if expected:
                _check_expected_refund(service, sale, quantities, expected, voucher_to)
        cashier = till.auth.login(args.cashier, args.pin, via="cli")
        if args.no_receipt:
            done = _approved(till, args, cashier, lambda a: _with_shift(till, cashier, lambda: service.return_without_receipt(
                items, cashier, approval=a, reason=args.reason)))
        else:
            done = _approved(till, args, cashier, lambda a: _with_shift(till, cashier, lambda: service.return_items(
                sale.receipt_no, quantities, cashier, approval=a, reason=args.reason, voucher_refund_to=voucher_to)))
        printed = till.receipts.print(done.receipt)
    finally:
        till.close()
    r = done.ret
    refunds = [{"tender": t.kind.value, "amount": format_yuan(t.amount_fen), "reference": t.reference} for t in r.refunds]
    _print({"return_no": r.return_no, "receipt_no": r.receipt_no, "refund": format_yuan(r.refund_fen),
            "refunds": refunds, "seq": done.seq, "printed": printed.ok}, args.json,
           f"{r.return_no}  refund {format_yuan(r.refund_fen)}  to " +
           ", ".join(f"{t.kind.value} {format_yuan(t.amount_fen)}" for t in r.refunds))
    return EXIT_OK


def _return_quantities(sale, lines, specs) -> dict[int, int]:  # noqa: ANN001
    """--line SKU*QTY / BARCODE*QTY / #LINE*QTY → {line_no: quantity} against what can still come back."""
    from pos.domain.errors import InvalidInput
    from pos.domain.quantities import parse_quantity

    out: dict[int, int] = {}
    by_no = {ln.line_no: ln for ln in sale.lines}
    for code, qty in specs:
        if code.startswith("#") and code[1:].isdigit():
            matches = [ln for ln in lines if ln.line_no == int(code[1:])]
        else:
            matches = [ln for ln in lines if ln.sku == code or by_no[ln.line_no].barcode == code]
        if not matches:
            raise InvalidInput(f"{code} is not on receipt {sale.receipt_no}", message_zh=f"小票 {sale.receipt_no} 上没有 {code}")
        first = by_no[matches[0].line_no]
        want = parse_quantity(first, qty) if qty else sum(m.returnable for m in matches)
        for m in matches:  # the same product on several lines: take from each in turn
            take = min(want, m.returnable - out.get(m.line_no, 0)) if len(matches) > 1 else want
            if take > 0:
                out[m.line_no] = out.get(m.line_no, 0) + take
                want -= take
        if want > 0:
            out[matches[-1].line_no] = out.get(matches[-1].line_no, 0) + want  # the service refuses the excess
    return out


def _voucher_refund_arg(text: str):  # noqa: ANN202
    """--voucher-refund cash | wechat | unionpay:REF → what plan_return takes (a kind, or a Tender with its reference)."""
    from pos.domain.tenders import Tender, TenderKind

    kind_text, _, reference = text.partition(":")
    kind = TenderKind.parse(kind_text)
    return Tender(kind, 1, reference) if reference or kind is TenderKind.UNIONPAY else kind


def _check_expected_refund(service, sale, quantities, expected, voucher_to=None) -> None:  # noqa: ANN001
    from pos.domain.errors import InvalidInput
    from pos.domain.money import format_yuan
    from pos.domain.tenders import TenderKind

    refunds = service.plan(sale.receipt_no, quantities, voucher_refund_to=voucher_to or TenderKind.CASH).refunds

    def by_kind(tenders) -> list[tuple[str, int]]:  # noqa: ANN001 - a voucher's share in cash adds to the cash
        out: dict[str, int] = {}
        for t in tenders:
            out[t.kind.value] = out.get(t.kind.value, 0) + t.amount_fen
        return sorted(out.items())

    want, got = by_kind(refunds), by_kind(expected)
    if want != got:
        shown = ", ".join(f"{k}:{format_yuan(a)}" for k, a in want)
        raise InvalidInput(f"the refund goes to the original tenders: {shown}", message_zh=f"退款按原付款方式退回：{shown}")


def cmd_reprint(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    till = open_till(_config(args))
    try:
        who = till.auth.login(args.cashier, args.pin, via="cli")
        receipt = till.checkout.reprint(args.receipt_no, who)
        printed = till.receipts.print(receipt)
    finally:
        till.close()
    _print({"receipt_no": receipt.receipt_no, "reprint": True, "printed": printed.ok, "print_message": printed.message},
           args.json, f"{receipt.receipt_no} reprinted (重印)" if printed.ok else f"warning: {shown(printed.message)}")
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

    demo = bool(getattr(args, "demo", False))
    if not getattr(args, "store", None):
        return run_gui(_config(args), language=args.lang, demo=demo)
    return run_gui(gui_store_config(args), language=args.lang, rebind=True, demo=demo)


def gui_store_config(args: argparse.Namespace):  # noqa: ANN201
    """``gui --store PM``: that store's counter (terminal PM01), on a database of its own unless --db or
    POS_DB names one, so the demo's second counter opens with one command next to the first."""
    import os

    from pos.config import data_dir

    store = args.store.strip().upper()
    if not args.db and not os.environ.get("POS_DB"):
        args.db = str(data_dir() / f"lianxin-{store}.db")
    return _config(args, store=store)


