"""``headoffice demo``: seed a head office with accounts and a month of two demo counters (see demo.py)."""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from pos.cli.base import EXIT_OK, Registry, UsageError


def register(reg: Registry) -> None:
    p = reg.subcommand("headoffice", "demo", "seed a head office with demo accounts and a month of the two demo "
                       "counters' sales (real tills syncing over loopback)", cmd_demo)
    p.add_argument("--month", default=None, help="YYYY-MM to trade in (default: last month)")
    p.add_argument("--days", type=int, default=None, help="how many days of that month (default: all)")
    p.add_argument("--sales-per-day", type=int, default=25, help="about this many sales per counter and day (default 25)")
    p.add_argument("--only-if-new", action="store_true", help="do nothing when head office already has office accounts")


def cmd_demo(args: argparse.Namespace) -> int:
    from pos.config import data_dir

    from .cli import _engine
    from .demo import ACCOUNTS, COUNTERS, DEMO_PASSWORD, seed

    if args.month:
        try:
            first = date.fromisoformat(args.month + "-01")
        except ValueError:
            raise UsageError(f"--month '{args.month}' is not YYYY-MM, e.g. 2026-11") from None
    else:
        first = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    month_days = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    days = month_days if args.days is None else args.days
    if not 1 <= days <= month_days:
        raise UsageError(f"--days must be 1–{month_days}")
    if not 1 <= args.sales_per_day <= 500:
        raise UsageError("--sales-per-day must be 1–500")
    from .accounts import account_count

    engine = _engine(args)
    if args.only_if_new and account_count(engine):
        print("head office already has office accounts: demo not seeded again")
        return EXIT_OK
    folder = data_dir() / "headoffice-demo"
    rep = seed(engine, first_day=first, days=days, sales_per_day=args.sales_per_day, folder=folder,
               progress=lambda m: print(m, flush=True))
    print(f"demo head office: {rep.sales} sales and {rep.returns} returns over {rep.days} days at "
          f"{', '.join(t for _s, t in COUNTERS)}; demo tills in {rep.folder}")
    print(f"office accounts (password {DEMO_PASSWORD}):")
    for login, name, roles in ACCOUNTS:
        print(f"  {login:9} {name}  [{roles}]")
    print("now: python main.py headoffice serve   then open http://127.0.0.1:8080/login")
    return EXIT_OK
