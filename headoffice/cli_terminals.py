"""``headoffice counters``, ``headoffice enrol-qr``, ``headoffice ledger-verify``: the counters page on the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pos.cli.base import EXIT_FAILED, EXIT_OK, Registry, UsageError, shown


def register(reg: Registry) -> None:
    g = "headoffice"
    p = reg.subcommand(g, "counters", "each terminal: last sync, entries waiting, version, flags, days without Z", cmd_counters)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand(g, "enrol-qr", "register a till (or give it a new code) and show the QR code its wizard scans",
                       cmd_enrol_qr)
    p.add_argument("--store", required=True)
    p.add_argument("--terminal", required=True)
    p.add_argument("--url", required=True, help="head office's address as the till reaches it, e.g. https://office.example.cn")
    p.add_argument("--reissue", action="store_true", help="a new code for an enrolled or revoked till")
    p.add_argument("--out", type=Path, help="also write the QR code to this .svg or .png file")

    p = reg.subcommand(g, "ledger-verify", "re-check the hash chain of what head office holds for a terminal", cmd_verify)
    p.add_argument("--terminal", required=True)


def _engine(args: argparse.Namespace):  # noqa: ANN202
    from .db import open_engine

    return open_engine(getattr(args, "db", None))


def cmd_counters(args: argparse.Namespace) -> int:
    from .terminals_view import overview

    rows = overview(_engine(args))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str))
        return EXIT_OK
    for r in rows:
        waiting = "?" if r["waiting"] is None else r["waiting"]
        flags = ", ".join(en for _zh, en in r["flags"]) or "ok"
        print(f"{r['store_code']:6} {r['terminal_id']:8} {r['status']:8} last sync {r['last_batch'] or 'never':16} "
              f"held {r['held_seq']}, waiting {waiting}, version {r['version'] or '-'}; {shown(flags)}"
              + (f"; no Z on {', '.join(r['days_without_z'][:5])}" if r["days_without_z"] else ""))
    return EXIT_OK


def cmd_enrol_qr(args: argparse.Namespace) -> int:
    import segno

    from .terminals_view import enrol

    url = args.url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--url '{args.url}' is not an address like https://office.example.cn")
    if args.out and args.out.suffix.lower() not in (".svg", ".png"):
        raise UsageError("--out must end in .svg or .png")
    e = enrol(_engine(args), "cli", args.store, args.terminal, url, reissue=args.reissue)
    qr = segno.make(e.text, error="m")
    qr.terminal(compact=True)
    print(f"terminal {e.issued.terminal_id} of store {e.issued.store_code}: enrolment code {e.issued.code} "
          f"(one use, valid until {e.expires_local} Asia/Shanghai)")
    print(f"QR text: {e.text}")
    print(f"on the till: scan the QR code in the enrolment wizard, or run: python main.py enroll '{e.text}'")
    if args.out:
        qr.save(str(args.out), scale=8, border=2)
        print(f"QR code written to {args.out}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .terminals_view import verify

    r = verify(_engine(args), args.terminal)
    if r["ok"]:
        print(f"chain intact: {r['checked']} entries of {args.terminal.upper()} verified")
        return EXIT_OK
    print(shown(f"chain broken at seq {r['bad_seq']}: {r['reason']} ({r['checked']} entries read)"))
    return EXIT_FAILED
