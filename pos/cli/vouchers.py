"""``export-vouchers``: the accountant's voucher file (记账凭证) for 用友 or 金蝶 (issue 16)."""

from __future__ import annotations

import argparse

from .base import EXIT_OK, Registry, path_arg
from .base import config as _config
from .base import print_result as _print


def _day(text: str) -> str:
    from pos.domain.business_day import BusinessDay
    from pos.domain.errors import InvalidInput

    try:
        return BusinessDay.parse(text).iso
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def register(reg: Registry) -> None:
    p = reg.command("export-vouchers", "write the accounting vouchers (记账凭证) of a period for 用友 or 金蝶, "
                    "from a mapping of figures to accounts (resources/vouchers/mapping-example.json)", cmd_export_vouchers)
    p.add_argument("--from", dest="date_from", type=_day, required=True, metavar="YYYY-MM-DD", help="first business day")
    p.add_argument("--to", dest="date_to", type=_day, required=True, metavar="YYYY-MM-DD", help="last business day")
    p.add_argument("--style", choices=["yonyou", "kingdee"], required=True, help="yonyou (用友) or kingdee (金蝶) layout")
    p.add_argument("--mapping", type=path_arg, required=True, metavar="FILE", help="the JSON mapping of figures to accounts")
    p.add_argument("--out", type=path_arg, required=True, metavar="FILE", help="the voucher file to write (.xlsx or .csv; .pdf to print)")
    p.add_argument("--per", choices=["day", "period"], default="day", help="one voucher per business day (default) "
                   "or one for the whole period")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")


def cmd_export_vouchers(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till
    from pos.services.vouchers import export_vouchers, period_days

    period_days(args.date_from, args.date_to)  # a reversed range is refused before the database is opened
    till = open_till(_config(args))
    try:
        path = export_vouchers(till.uow, args.date_from, args.date_to, args.style, args.mapping, args.out, per=args.per)
    finally:
        till.close()
    _print({"path": str(path), "style": args.style, "per": args.per, "from": args.date_from, "to": args.date_to},
           args.json, f"vouchers written: {path}")
    return EXIT_OK
