"""``python main.py headoffice invoice-requests``: customers' invoice (开票) requests as XLSX."""

from __future__ import annotations

import argparse
from pathlib import Path

from pos.cli.base import EXIT_OK, Registry


def register(reg: Registry) -> None:
    p = reg.subcommand("headoffice", "invoice-requests",
                       "export customers' invoice (开票) requests to XLSX and mark them exported", cmd_invoice_requests)
    p.add_argument("--store", help="only this store's receipts")
    p.add_argument("--from", dest="date_from", help="first receipt day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last receipt day, YYYY-MM-DD")
    p.add_argument("--all", action="store_true",
                   help="also the requests exported before (default: only those not exported yet)")
    p.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")


def cmd_invoice_requests(args: argparse.Namespace) -> int:
    import getpass

    from . import receipts
    from .cli import _engine

    filt = receipts.InvoiceFilter.parse(args.store, args.date_from, args.date_to, "all" if args.all else "open")
    engine = _engine(args)
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        user = "?"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".part")
    with open(tmp, "wb") as fh:  # an unwritable place fails before anything is marked exported
        data, rows, fresh = receipts.export_requests(engine, filt, by=f"cli:{user}"[:64])
        fh.write(data)
    tmp.replace(args.out)
    print(f"wrote {args.out}: {rows} invoice request(s), {fresh} newly marked exported")
    return EXIT_OK
