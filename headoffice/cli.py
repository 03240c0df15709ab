"""``python main.py headoffice …``: serve, terminals, master data, reports.

``--db`` is the head-office database URL (a file path means SQLite; ``postgresql://…`` uses
psycopg 3); default ``$HEADOFFICE_DB`` or ``headoffice.db`` in the user data dir.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from pos.cli.base import EXIT_OK, EXIT_USAGE, Registry, UsageError, error_line, shown


def register(reg: Registry) -> None:
    g = "headoffice"
    gh = "head office (总部): serve the sync API, enrol terminals, publish master data, reports"
    p = reg.subcommand(g, "serve", "run the head-office HTTP service (uvicorn)", cmd_serve, group_help=gh)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--insecure-cookies", action="store_true",
                   help="session cookies without the Secure flag, for plain HTTP on an office LAN (not the internet)")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="reverse proxies trusted for X-Forwarded-For (the client address login throttling counts)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (default 1); more use more CPU cores when many counters sync at once")

    p = reg.subcommand(g, "create-admin", "create an office account with the admin role (the first account)", cmd_create_admin)
    p.add_argument("--login", required=True)
    p.add_argument("--name", default="", help="display name, e.g. 李主任")
    p.add_argument("--password", help="at least 10 characters; default: read from $HEADOFFICE_PASSWORD or asked for")
    p.add_argument("--roles", default="admin", help="comma-separated: analyst, master_data, auditor, admin (default admin)")

    p = reg.subcommand(g, "create-token", "issue a read-only report token for machine access", cmd_create_token)
    p.add_argument("--label", required=True, help="what the token is for, e.g. 'finance BI nightly'")

    p = reg.subcommand(g, "revoke-token", "revoke a report token", cmd_revoke_token)
    p.add_argument("--id", type=int, required=True)

    p = reg.subcommand(g, "add-terminal", "register a till and print its one-time enrolment code", cmd_add_terminal)
    p.add_argument("--store", required=True)
    p.add_argument("--terminal", required=True)
    p.add_argument("--reissue", action="store_true", help="give an enrolled or revoked till a new code")
    p.add_argument("--json", action="store_true")

    p = reg.subcommand(g, "revoke-terminal", "refuse every further request from a till", cmd_revoke)
    p.add_argument("--terminal", required=True)

    p = reg.subcommand(g, "terminals", "list terminals, what head office holds of each, and problems", cmd_terminals)
    p.add_argument("--json", action="store_true")

    p = reg.subcommand(g, "publish-catalog", "publish a catalogue file (CSV/XLSX) to a store's tills", cmd_publish_catalog)
    p.add_argument("file", type=Path)
    p.add_argument("--store", required=True)
    p.add_argument("--effective", help="when the prices take effect (ISO time, e.g. 2026-12-01T00:00+08:00); default now")

    p = reg.subcommand(g, "publish-promotions", "publish a promotion file (CSV/XLSX, the store's whole set) to a "
                       "store's tills", cmd_publish_promotions)
    p.add_argument("file", type=Path)
    p.add_argument("--store", required=True)
    p.add_argument("--effective", help="when the set takes effect (ISO time, e.g. 2026-12-01T00:00+08:00); default now")

    p = reg.subcommand(g, "set-user", "add or change a user for a store's tills (initial PIN hashed by each till)",
                       cmd_set_user)
    p.add_argument("--store", required=True)
    p.add_argument("--login", required=True)
    p.add_argument("--name", help="display name, e.g. 张小芳")
    p.add_argument("--role", help="cashier, manager, accountant or admin")
    p.add_argument("--initial-pin", help="4–8 digits; required for a new user; giving it again resets the PIN")
    p.add_argument("--disable", action="store_true", help="the user can no longer log in")

    p = reg.subcommand(g, "set-setting", "change a store setting on its tills", cmd_set_setting)
    p.add_argument("--store", required=True)
    p.add_argument("--rounding", required=True, help="抹零: none, drop_fen, drop_jiao, round_jiao, round_yuan")

    register_areas(reg)


def register_areas(reg: Registry) -> None:
    """More commands, one module per area of head office."""
    from . import cli_demo, cli_master, cli_receipts, cli_reports, cli_terminals

    for module in (cli_reports, cli_terminals, cli_master, cli_receipts, cli_demo):
        module.register(reg)


def _engine(args: argparse.Namespace):  # noqa: ANN202
    from .db import open_engine

    return open_engine(getattr(args, "db", None))


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from .accounts import account_count
    from .app import ENV_DB, ENV_INSECURE, create_app
    from .db import normalise_url

    engine = _engine(args)
    app = create_app(engine, insecure_cookies=args.insecure_cookies)
    shown = normalise_url(getattr(args, "db", None)).split("@")[-1]
    print(f"head office on http://{args.host}:{args.port}/ (database {shown}); log in at /login", flush=True)
    if not account_count(engine):
        print("no office account yet: create the first with `python main.py headoffice create-admin --login NAME`",
              file=sys.stderr, flush=True)
    if args.workers < 1 or args.workers > 64:
        raise UsageError("--workers is a number of processes from 1 to 64")
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=True,
                    forwarded_allow_ips=args.forwarded_allow_ips)
        return EXIT_OK
    engine.dispose()  # each worker process opens its own connections (headoffice.app.app_from_env)
    os.environ[ENV_DB] = normalise_url(getattr(args, "db", None))
    os.environ[ENV_INSECURE] = "1" if args.insecure_cookies else ""
    uvicorn.run("headoffice.app:app_from_env", factory=True, workers=args.workers, host=args.host, port=args.port,
                log_level="warning", proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips)
    return EXIT_OK


def cmd_add_terminal(args: argparse.Namespace) -> int:
    from .service import add_terminal

    issued = add_terminal(_engine(args), args.store, args.terminal, reissue=args.reissue)
    if args.json:
        print(json.dumps(issued.__dict__, ensure_ascii=False))
    else:
        print(f"terminal {issued.terminal_id} of store {issued.store_code}: enrolment code {issued.code} "
              f"(one use, valid until {issued.expires_at})")
        print(f"on the till: python main.py enroll URL {issued.code}")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    from .service import revoke_terminal

    revoke_terminal(_engine(args), args.terminal)
    print(f"terminal {args.terminal.upper()} revoked: head office refuses its requests from now on")
    return EXIT_OK


def cmd_terminals(args: argparse.Namespace) -> int:
    from .service import list_problems, list_terminals

    engine = _engine(args)
    rows, problems = list_terminals(engine), list_problems(engine)
    if args.json:
        print(json.dumps({"terminals": rows, "problems": problems}, ensure_ascii=False, default=str))
        return EXIT_OK
    for r in rows:
        flag = "  ⚠ flagged" if r["flagged"] else ""
        print(f"{r['store_code']:6} {r['terminal_id']:8} {r['status']:8} holds up to seq {r['last_seq']}"
              f"  last batch {r['last_batch_at'] or '-'}{flag}")
    for p in problems:
        print(f"problem {p['at']} {p['terminal_id']} {p['kind']}: expected seq {p['expected_seq']}, got {p['got_seq']} — {p['reason']}")
    return EXIT_OK


def _effective(args: argparse.Namespace) -> datetime | None:
    if not args.effective:
        return None
    try:
        effective = datetime.fromisoformat(args.effective.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--effective '{args.effective}' is not an ISO time like 2026-12-01T00:00+08:00") from None
    if effective.tzinfo is None:
        raise UsageError("--effective needs a time zone, e.g. 2026-12-01T00:00+08:00")
    return effective.astimezone(UTC)


def cmd_publish_promotions(args: argparse.Namespace) -> int:
    from . import masterdata
    from .masterdata import FileRefused

    effective = _effective(args)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    engine = _engine(args)
    try:
        draft = masterdata.upload_promotions(engine, "cli", args.store, args.file.name, data)
    except FileRefused as exc:
        error_line(f"{exc.message_zh} / {exc.message}")
        for r in exc.extra["rows"]:
            print(shown(f"  {r['zh']} / {r['en']}"), file=sys.stderr)
        return EXIT_USAGE
    version = masterdata.publish_draft(engine, "cli", draft, effective)
    _v, doc = masterdata.published(engine, args.store)
    promos = doc.get("promotions") or {}
    print(f"published master data version {version} for store {args.store.upper()}: "
          f"{len(promos.get('promotions', []))} promotions (promotion set {promos.get('version')})")
    return EXIT_OK


def cmd_publish_catalog(args: argparse.Namespace) -> int:
    from pos.services.catalog import CatalogRejected

    from .service import publish_catalog

    effective = _effective(args)
    try:
        rep = publish_catalog(_engine(args), args.store, args.file, effective_at=effective)
    except CatalogRejected as exc:
        error_line(exc.message)
        for e in exc.errors:
            print(f"  {'row ' + str(e.row) if e.row else 'file'}, {e.column}: {shown(e.reason)}", file=sys.stderr)
        if exc.more:
            print(f"  … and {exc.more} more problem(s) not shown", file=sys.stderr)
        return EXIT_USAGE
    print(f"published master data version {rep.version} for store {args.store.upper()}: {rep.products} products "
          f"({rep.added} new, {rep.price_changes} price changes)")
    return EXIT_OK


def cmd_set_user(args: argparse.Namespace) -> int:
    from .service import set_user

    v = set_user(_engine(args), args.store.upper(), args.login, args.name, args.role, initial_pin=args.initial_pin,
                 active=not args.disable)
    print(f"published master data version {v} for store {args.store.upper()}: user {args.login}")
    return EXIT_OK


def cmd_set_setting(args: argparse.Namespace) -> int:
    from .service import set_setting

    v = set_setting(_engine(args), args.store.upper(), rounding=args.rounding)
    print(f"published master data version {v} for store {args.store.upper()}: rounding {args.rounding}")
    return EXIT_OK


def cmd_create_admin(args: argparse.Namespace) -> int:
    import getpass
    import os

    from .accounts import create_account

    password = args.password or os.environ.get("HEADOFFICE_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise UsageError("give --password or set HEADOFFICE_PASSWORD (no terminal to ask on)")
        password = getpass.getpass("password (10+ characters): ")
        if getpass.getpass("again: ") != password:
            raise UsageError("the two passwords differ")
    login = create_account(_engine(args), args.login, args.name, password, args.roles, by="cli")
    print(f"office account {login} created ({args.roles}); log in at /login")
    return EXIT_OK


def cmd_create_token(args: argparse.Namespace) -> int:
    from .accounts import create_token

    tid, token = create_token(_engine(args), args.label, by="cli")
    print(f"report token {tid} ({args.label}), read-only; shown once, keep it safe:")
    print(token)
    print("use it as: Authorization: Bearer <token>  on /api/v1/reports/…")
    return EXIT_OK


def cmd_revoke_token(args: argparse.Namespace) -> int:
    from .accounts import revoke_token

    revoke_token(_engine(args), args.id, by="cli")
    print(f"report token {args.id} revoked")
    return EXIT_OK
