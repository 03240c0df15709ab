"""People and money: users, shifts (open, cash in/out, X, blind close), Z closure, reconciliation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import EXIT_OK, Registry, UsageError, shown
from .base import config as _config
from .base import print_result as _print


def _who(p: argparse.ArgumentParser, flag: str = "--by", help_: str = "login of the person doing this") -> None:
    p.add_argument(flag, required=True, dest="login", help=help_)
    p.add_argument("--pin", required=True, help="their PIN")
    p.add_argument("--approver", help="login of the manager approving, when the action needs it")
    p.add_argument("--approver-pin", help="the approver's PIN")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")


def _outputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--print", dest="print_it", action="store_true", help="also print it on the receipt printer")
    p.add_argument("--pdf", type=Path, help="also export it as a PDF to this file")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="the report's language on screen, paper and PDF (default zh, 中文)")


def register(reg: Registry) -> None:
    p = reg.subcommand("user", "add", "add a person (needs the user-admin right)", cmd_user_add, group_help="people")
    p.add_argument("new_login")
    p.add_argument("--name", required=True, help="display name, e.g. 张小芳")
    p.add_argument("--role", required=True, choices=["cashier", "manager", "accountant", "admin"])
    p.add_argument("--new-pin", required=True, help="the new person's PIN (4–8 digits)")
    _who(p)
    p = reg.subcommand("user", "list", "list people, their roles and whether they are active or locked", cmd_user_list)
    p.add_argument("--json", action="store_true")
    p = reg.subcommand("user", "disable", "disable a person (needs the user-admin right)", cmd_user_disable)
    p.add_argument("target_login")
    _who(p)

    p = reg.subcommand("shift", "open", "open the drawer's shift with a float counted by denomination", cmd_shift_open,
                       group_help="shifts and cash")
    _who(p, "--cashier", "login of the cashier opening the shift")
    p.add_argument("--count", action="append", default=[], metavar="DENOM:PIECES",
                   help="float counted, e.g. --count 100:2 --count 10:5 --count 0.5:4 (denominations 100…0.1)")
    for name, kind, help_ in (("cash-in", "cash_in", "put cash into the drawer (备用金补充)"),
                              ("cash-out", "cash_out", "take cash out of the drawer (e.g. to the bank)")):
        p = reg.subcommand("shift", name, help_, cmd_cash_move)
        p.add_argument("amount", help="yuan, e.g. 200 or 200.00")
        p.add_argument("--reason", required=True)
        p.set_defaults(kind=kind)
        _who(p, "--cashier", "login of the person moving the cash")
    p = reg.subcommand("shift", "x", "X report of the open shift (closes nothing)", cmd_shift_x)
    _who(p, "--cashier", "login asking for the report")
    _outputs(p)
    p = reg.subcommand("shift", "close", "close the shift with a blind cash count", cmd_shift_close)
    _who(p, "--cashier", "login of the cashier handing over")
    p.add_argument("--count", action="append", default=[], metavar="DENOM:PIECES", help="cash counted by denomination")
    p.add_argument("--declare", action="append", default=[], metavar="TENDER:AMOUNT",
                   help="other tenders' totals from their terminals, e.g. unionpay:350.00")
    _keep_held(p)
    _outputs(p)

    p = reg.command("z-close", "close a business day (日结) for this counter; once per day", cmd_z_close)
    _who(p)
    p.add_argument("--day", help="business day YYYY-MM-DD (default: the oldest day with business and no Z yet)")
    _keep_held(p)
    _outputs(p)

    p = reg.command("z-report", "show, reprint or export the Z of a closed business day", cmd_z_report)
    p.add_argument("day", help="business day YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")
    _outputs(p)

    p = reg.command("reconcile", "the manager's reconciliation of a day: statements against the Z", cmd_reconcile)
    p.add_argument("day", help="business day YYYY-MM-DD")
    _who(p)
    p.add_argument("--declare", action="append", default=[], metavar="TENDER:AMOUNT",
                   help="settlement figure from a statement, e.g. wechat:1234.50 or cash:800")
    p.add_argument("--no-statement", action="append", default=[], metavar="TENDER:REASON",
                   help="a tender with no statement, and why, e.g. voucher:本日无消费券结算单")
    p.add_argument("--notes", default="", help="notes kept with the day")
    p.add_argument("--approve", action="store_true", help="approve the day: locks its figures")
    _outputs(p)


def _keep_held(p: argparse.ArgumentParser) -> None:
    p.add_argument("--yes", "--force", dest="keep_held", action="store_true",
                   help="go on although sales are still on hold (挂单); without it they are listed and nothing is done")


def _day(text: str | None):  # noqa: ANN202
    """--day / DAY: strictly YYYY-MM-DD (20251231 and 2025-W01-1 are refused)."""
    from pos.domain.business_day import BusinessDay

    return None if text is None else BusinessDay.parse(text)


def _held_listed(attempt):  # noqa: ANN001, ANN202
    """Run ``attempt()``; sales still on hold are listed on stderr and the command refused."""
    from pos.domain.money import format_yuan
    from pos.services.shifts import HeldSalesOpen

    try:
        return attempt()
    except HeldSalesOpen as exc:
        print("sales on hold (挂单):", file=sys.stderr)
        for h in exc.held:
            print(f"  {h.hold_no:>4}  {h.shown_at}  {h.cashier_name}  {h.lines} line(s)  {format_yuan(h.total_fen)}",
                  file=sys.stderr)
        raise UsageError(f"{exc.message_zh} / {exc.message} (pass --yes to go on)") from None


def _open(args: argparse.Namespace):  # noqa: ANN202
    from pos.bootstrap import open_till

    return open_till(_config(args))


def _login(till, args: argparse.Namespace):  # noqa: ANN001, ANN202
    return till.auth.login(args.login, args.pin, via="cli")


def _declared(specs: list[str]) -> dict[str, int]:
    from pos.domain.money import parse_yuan
    from pos.domain.tenders import TenderKind

    out: dict[str, int] = {}
    for spec in specs:
        kind, sep, amount = spec.partition(":")
        if not sep:
            raise UsageError(f"--declare '{spec}' should look like wechat:1234.50")
        out[TenderKind.parse(kind).value] = parse_yuan(amount, strict=True)
    return out


def _no_statement(specs: list[str]) -> dict[str, str | None]:
    from pos.domain.tenders import TenderKind

    out: dict[str, str | None] = {}
    for spec in specs:
        kind, sep, reason = spec.partition(":")
        if not sep or not reason.strip():
            raise UsageError(f"--no-statement '{spec}' should look like voucher:REASON (the reason is required)")
        out[TenderKind.parse(kind).value] = reason.strip()
    return out


def _emit_doc(till, args: argparse.Namespace, doc, extra: dict) -> None:  # noqa: ANN001
    if getattr(args, "print_it", False):
        result = till.documents.print(doc)
        extra["printed"] = result.ok
        if not result.ok:
            print(f"warning: {shown(result.message)}", file=sys.stderr)
    if getattr(args, "pdf", None):
        extra["pdf"] = str(till.documents.pdf(doc, args.pdf))
    if args.json:
        _print(extra, True, "")
    else:
        print(till.documents.text(doc), end="")
        if "pdf" in extra:
            print(f"PDF: {extra['pdf']}")


def cmd_user_add(args: argparse.Namespace) -> int:
    from pos.domain.users import Role

    till = _open(args)
    try:
        by = _login(till, args)
        user = till.auth.add_user(args.new_login, args.name, Role(args.role), args.new_pin, by=by)
    finally:
        till.close()
    _print({"login": user.login, "name": user.display_name, "role": user.role.value}, args.json,
           f"added {user.login} ({user.display_name}, {user.role.label_zh})")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        people = till.auth.all_users()
    finally:
        till.close()
    rows = [{"login": u.login, "name": u.display_name, "role": u.role.value, "active": active, "locked": locked}
            for u, active, locked in people]
    if args.json:
        _print(rows, True, "")
    else:
        for r in rows:
            state = "disabled" if not r["active"] else "LOCKED" if r["locked"] else "active"
            print(f"{r['login']:<14} {r['name']:<10} {r['role']:<11} {state}")
    return EXIT_OK


def cmd_user_disable(args: argparse.Namespace) -> int:
    till = _open(args)
    try:
        by = _login(till, args)
        till.auth.disable_user(args.target_login, by=by)
    finally:
        till.close()
    _print({"login": args.target_login, "active": False}, args.json, f"disabled {args.target_login}")
    return EXIT_OK


def cmd_shift_open(args: argparse.Namespace) -> int:
    from pos.domain.closing import parse_count
    from pos.domain.money import format_yuan

    count = parse_count(args.count)
    till = _open(args)
    try:
        who = _login(till, args)
        shift = till.shifts.open(who, count)
    finally:
        till.close()
    _print({"shift": shift.shift_no, "float": format_yuan(shift.opening_float_fen)}, args.json,
           f"opened shift {shift.shift_no} with a float of {format_yuan(shift.opening_float_fen)}")
    return EXIT_OK


def cmd_cash_move(args: argparse.Namespace) -> int:
    from pos.domain.money import format_yuan, parse_yuan

    from .till import _approved

    amount = parse_yuan(args.amount, strict=True)
    till = _open(args)
    try:
        who = _login(till, args)
        seq = _approved(till, args, who, lambda a: till.shifts.move_cash(args.kind, amount, args.reason, who, approval=a))
    finally:
        till.close()
    word = "in" if args.kind == "cash_in" else "out"
    _print({"kind": args.kind, "amount": format_yuan(amount), "seq": seq}, args.json,
           f"cash {word}: {format_yuan(amount)} ({args.reason})")
    return EXIT_OK


def cmd_shift_x(args: argparse.Namespace) -> int:
    from pos.domain.money import format_yuan
    from pos.reports.closing import x_document

    till = _open(args)
    try:
        _login(till, args)
        x = till.shifts.x_report()
        doc = x_document(x, till.identity, args.lang)
        _emit_doc(till, args, doc, {"shift": x.shift.shift_no, "totals": x.totals.to_json(),
                                    "expected_cash": format_yuan(x.expected_cash_fen)})
    finally:
        till.close()
    return EXIT_OK


def cmd_shift_close(args: argparse.Namespace) -> int:
    from pos.domain.closing import parse_count
    from pos.domain.money import format_yuan
    from pos.reports.closing import shift_close_document

    from .till import _approved

    count = parse_count(args.count)
    declared = _declared(args.declare)
    till = _open(args)
    try:
        who = _login(till, args)
        result = _held_listed(lambda: _approved(till, args, who, lambda a: till.shifts.close(
            who, count, declared, approval=a, keep_held=args.keep_held)))
        doc = shift_close_document(result, till.identity, who.display_name, till.identity.shown_time(till.clock.now()),
                                   args.lang)
        _emit_doc(till, args, doc, {"shift": result.shift_no, "expected_cash": format_yuan(result.expected_cash_fen),
                                    "counted_cash": format_yuan(result.counted_cash_fen),
                                    "variance": format_yuan(result.variance_fen),
                                    "variance_by_tender": {k: format_yuan(v) for k, v in result.variance_by_tender().items()}})
    finally:
        till.close()
    return EXIT_OK


def cmd_z_close(args: argparse.Namespace) -> int:
    from pos.domain.money import format_yuan
    from pos.reports.closing import z_document

    from .till import _approved

    day = _day(args.day)
    till = _open(args)
    try:
        who = _login(till, args)
        z = _held_listed(lambda: _approved(till, args, who, lambda a: till.closing.z_close(
            who, day, approval=a, keep_held=args.keep_held)))
        if not args.json:
            print(f"closed business day {z.business_day} (已日结营业日 {z.business_day})")
        _daily_backup(till)
        doc = z_document(z, till.identity, args.lang)
        _emit_doc(till, args, doc, {"day": z.business_day, "totals": z.totals.to_json(), "seq": z.seq,
                                    "net": format_yuan(z.totals.net_fen), "grand_total": format_yuan(z.grand_total_fen)})
    finally:
        till.close()
    return EXIT_OK


def cmd_z_report(args: argparse.Namespace) -> int:
    """A past Z as it was taken: shown, and with --print / --pdf reprinted or exported."""
    from pos.domain.money import format_yuan
    from pos.reports.closing import z_document

    day = _day(args.day)
    till = _open(args)
    try:
        z = till.closing.z_report(day)
        doc = z_document(z, till.identity, args.lang)
        _emit_doc(till, args, doc, {"day": z.business_day, "totals": z.totals.to_json(), "seq": z.seq,
                                    "closed_by": z.closed_by_name, "closed_at": z.closed_at,
                                    "net": format_yuan(z.totals.net_fen), "grand_total": format_yuan(z.grand_total_fen)})
    finally:
        till.close()
    return EXIT_OK


def _daily_backup(till) -> None:  # noqa: ANN001
    """After a Z the day's backup is due; a failed backup is a warning, never a failed Z."""
    from pos.domain.errors import PosError

    try:
        done = till.auto_backup()
    except PosError as exc:
        print(f"warning: the daily backup failed: {shown(exc.message)} (备份失败：{shown(exc.message_zh)})", file=sys.stderr)
        return
    if done is not None:
        print(f"note: daily backup written to {done.path}", file=sys.stderr)


def cmd_reconcile(args: argparse.Namespace) -> int:
    from pos.domain.money import format_yuan
    from pos.reports.closing import reconciliation_document

    day = _day(args.day)
    declared = _declared(args.declare)
    no_statement = _no_statement(args.no_statement)
    till = _open(args)
    try:
        who = _login(till, args)
        rec = till.closing.reconciliation(day)
        if declared or args.notes or no_statement:
            rec = till.closing.declare(day, declared, args.notes, who, no_statement=no_statement)
        if args.approve:
            rec = till.closing.approve(day, who)
        doc = reconciliation_document(rec, till.identity, args.lang)
        lines = [{"tender": ln.tender, "expected": format_yuan(ln.expected_fen),
                  "declared": None if ln.declared_fen is None else format_yuan(ln.declared_fen),
                  "variance": None if ln.variance_fen is None else format_yuan(ln.variance_fen)} for ln in rec.lines]
        _emit_doc(till, args, doc, {"day": rec.business_day, "lines": lines, "approved": rec.approved,
                                    "approved_by": rec.approved_by, "declared_by": rec.declared_by,
                                    "no_statement": rec.no_statement, "missing": list(rec.missing),
                                    "notes": rec.notes})
    finally:
        till.close()
    return EXIT_OK
