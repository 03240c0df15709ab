"""``setup``: the first-run wizard's steps in one command, through the same service (pos/services/first_run.py);
``config show`` / ``config set``: the settings file, changed the way the wizard writes it.

    python main.py setup --store AB --name 平湖新店 --counter 一号专柜 --admin-pin 2468 \\
        --printer tcp://192.168.1.50:9100 --paper-width 58 --enroll http://192.168.1.10:8080 --enroll-code ABCD-EFGH
    python main.py config set printer=tcp://192.168.1.51:9100 scale=      # an empty value: back to the default
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
    p.add_argument("--cashier-name", default="", help="the first cashier's name (optional; with --cashier-pin)")
    p.add_argument("--cashier-login", default="cashier1", help="the first cashier's login (default cashier1)")
    p.add_argument("--cashier-pin", default="", help="the first cashier's PIN, 4–8 digits")
    p.add_argument("--paper-width", type=int, default=80, choices=(58, 80), help="receipt paper in mm (default 80)")
    p.add_argument("--scale", help="the scale's serial URL, e.g. serial:///dev/ttyUSB1?protocol=8217")
    p.add_argument("--display", help="the customer display's serial URL, e.g. serial:///dev/ttyUSB2?type=led8")
    p.add_argument("--enroll", metavar="URL_OR_QR",
                   help="head office's address (then --enroll-code) or the whole enrolment QR text")
    p.add_argument("--enroll-code", default="", help="the one-time enrolment code head office gave you")

    reg.subcommand("config", "show", "the settings file and every setting's value now", cmd_config_show,
                   group_help="the settings file (config.toml)")
    p = reg.subcommand("config", "set", "change settings in the settings file, keeping the others; "
                                        "checked before the file is replaced", cmd_config_set)
    p.add_argument("pairs", nargs="+", metavar="KEY=VALUE",
                   help="e.g. printer=tcp://192.168.1.50:9100 paper_width=58 display= (empty: the default)")


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
    cashier = _checked(fr.read_cashier(args.cashier_name, args.cashier_login, args.cashier_pin, admin_login=admin.login))
    plan = fr.FirstRunPlan(store, admin, printer, devices, head_office, language=args.lang, cashier=cashier)
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


def cmd_config_show(args: argparse.Namespace) -> int:
    from pos.config import SETTINGS, config_file

    cfg = _config(args)
    file = config_file(cfg)
    print(f"settings file: {file}" + ("" if file.exists() else " (not there yet: every value is the default)"))
    for key in sorted(SETTINGS):
        value = getattr(cfg, key, None)
        if isinstance(value, bool):
            shown_value = "true" if value else "false"
        else:
            shown_value = "; ".join(value) if isinstance(value, tuple) else "" if value is None else str(value)
        print(f"{key} = {shown(shown_value)}")
    return EXIT_OK


def setting_value(key: str, text: str) -> object:
    """A ``KEY=VALUE`` typed on the command line as the value the file holds (checked later, as a whole)."""
    from pos.config import SETTINGS

    kind = SETTINGS[key].kind
    if text == "":
        return None
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"{key} must be a whole number, not {text!r} ({key} 应为整数)") from None
    if kind == "bool":
        if text.lower() not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
            raise UsageError(f"{key} must be true or false, not {text!r} ({key} 只能是 true 或 false)")
        return text.lower() in ("true", "yes", "1", "on")
    if kind == "formats":
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


def cmd_config_set(args: argparse.Namespace) -> int:
    from pos.config import SETTINGS, config_file, save_settings

    values: dict[str, object] = {}
    for pair in args.pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or key not in SETTINGS:
            raise UsageError(f"{pair!r}: give KEY=VALUE with one of: {', '.join(sorted(SETTINGS))}")
        values[key] = setting_value(key, text.strip())
    file = config_file(_config(args))
    save_settings(file, values)
    print(f"saved {', '.join(sorted(values))} in {file}; the till uses them from its next start")
    return EXIT_OK
