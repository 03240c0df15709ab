"""``setup``: the first-run wizard's steps in one command, through the same service (pos/services/first_run.py).

    python main.py setup --store AB --name 平湖新店 --counter 一号专柜 --admin-pin 2468 \\
        --printer tcp://192.168.1.50:9100 --paper-width 58 --enroll http://192.168.1.10:8080 --enroll-code ABCD-EFGH
"""

from __future__ import annotations

import argparse
import sys

from .base import EXIT_FAILED, EXIT_OK, Registry, UsageError, shown
from .base import config as _config


def register(reg: Registry) -> None:
    p = reg.command("setup", "set up a new till without the window: store, terminal, devices, head office, "
                             "first administrator (what the 设置向导 does)", cmd_setup)
    p.add_argument("--store", required=True, help="store code, 2–12 letters or digits, e.g. AB")
    p.add_argument("--name", required=True, help="the store's name, e.g. 平湖新店")
    p.add_argument("--counter", default="", help="the counter's name (default: the store's name)")
    p.add_argument("--address", default="", help="the store's address")
    p.add_argument("--terminal", default="", help="terminal id (default: store code + 01)")
    p.add_argument("--admin-pin", required=True, help="the first administrator's PIN, 4–8 digits")
    p.add_argument("--admin-login", default="admin", help="the first administrator's login (default admin)")
    p.add_argument("--admin-name", default="系统管理员", help="the first administrator's name")
    p.add_argument("--paper-width", type=int, default=80, choices=(58, 80), help="receipt paper in mm (default 80)")
    p.add_argument("--scale", help="the scale's serial URL, e.g. serial:///dev/ttyUSB1?protocol=8217")
    p.add_argument("--display", help="the customer display's serial URL, e.g. serial:///dev/ttyUSB2?type=led8")
    p.add_argument("--enroll", metavar="URL_OR_QR",
                   help="head office's address (then --enroll-code) or the whole enrolment QR text")
    p.add_argument("--enroll-code", default="", help="the one-time enrolment code head office gave you")


def _checked(checked):  # noqa: ANN001, ANN202 - first_run.Checked -> its plan
    if not checked.ok:
        raise UsageError("; ".join(f"{p.message_zh} / {p.message}" for p in checked.problems))
    return checked.plan


def cmd_setup(args: argparse.Namespace) -> int:
    from pos.config import config_file
    from pos.domain.errors import PosError
    from pos.services import first_run as fr

    cfg = _config(args)
    store = _checked(fr.read_store(args.store, args.name, args.counter, args.address, args.terminal))
    printer = _checked(fr.read_printer(args.printer, args.paper_width))
    devices = _checked(fr.read_devices(args.scale, args.display))
    head_office = _checked(fr.read_head_office(args.enroll, args.enroll_code, store)) if args.enroll else None
    admin = _checked(fr.read_admin(args.admin_name, args.admin_login, args.admin_pin, args.admin_pin))
    plan = fr.FirstRunPlan(store, admin, printer, devices, head_office, language=args.lang)
    till = fr.apply_plan(plan, cfg)
    try:
        print(f"set up store {store.code} ({store.name} · {store.counter}), terminal {store.terminal}: "
              f"database {till.config.db}, settings {config_file(till.config)}, administrator {admin.login}")
        if head_office is None:
            return EXIT_OK
        try:
            rep = fr.enrol(till, head_office)
        except PosError as exc:
            print(shown(f"not enrolled with head office: {exc.message_zh} / {exc.message}; the till is set up, "
                        f"run `enroll` when head office can be reached"), file=sys.stderr)
            return EXIT_FAILED
        print(f"enrolled terminal {rep.terminal_id} with head office {rep.url}; key kept in {rep.secret_kept_in}")
        return EXIT_OK
    finally:
        till.close()
