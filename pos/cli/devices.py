"""Devices: print-test, devices (ports, configured devices, status), drawer, print-queue."""

from __future__ import annotations

import argparse
import os

from .base import EXIT_FAILED, EXIT_OK, Registry, UsageError, error_line, whole_number
from .base import config as _config
from .base import print_result as _print


def register(reg: Registry) -> None:
    p = reg.command("print-test", "print a test page (Chinese, widths, barcode, QR, ￥) and report the printer's "
                                  "status; --printer URL tries another printer", cmd_print_test)
    p.add_argument("--json", action="store_true")

    p = reg.command("devices", "list serial ports and the configured printer, scanner, scale and display with "
                               "their status", cmd_devices)
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-scale", action="store_true", help="do not ask the scale for a reading")

    p = reg.command("drawer", "open the cash drawer (开钱箱): a cashier needs a manager's approval; journaled",
                    cmd_drawer)
    p.add_argument("--cashier", required=True, help="login of the person opening the drawer")
    p.add_argument("--pin", required=True, help="their PIN")
    p.add_argument("--approver", help="login of the manager approving")
    p.add_argument("--approver-pin", help="the approver's PIN")
    p.add_argument("--reason", default="", help="why, e.g. 换零钱")
    p.add_argument("--json", action="store_true")

    p = reg.command("print-queue", "receipts that did not print: list, retry ID, retry-all, abandon ID", cmd_print_queue)
    p.add_argument("action", nargs="?", default="list", choices=["list", "retry", "retry-all", "abandon"])
    p.add_argument("job_id", nargs="?", type=whole_number, help="the job number (for retry and abandon)")
    p.add_argument("--json", action="store_true")


def _english() -> bool:
    return os.environ.get("LIANXIN_LANG", "") == "en"


def _line(en: str, zh: str) -> str:
    return en if _english() or zh == en else f"{zh} ({en})"


def _standalone_devices(args: argparse.Namespace):  # noqa: ANN202
    """A DeviceService from the config alone (no database): printer, ports, scale, display."""
    from pos.bootstrap import _make_printer
    from pos.services.devices import DeviceService, DeviceSettings, default_ports

    cfg = _config(args)
    cache: dict[str, object] = {}

    def printer():  # noqa: ANN202 - built once, on first use
        if "p" not in cache:
            cache["p"] = _make_printer(cfg)
        return cache["p"]

    return DeviceService(DeviceSettings.from_config(cfg), default_ports(), printer=printer)


def cmd_print_test(args: argparse.Namespace) -> int:
    devices = _standalone_devices(args)
    try:
        result = devices.test_print()
    finally:
        devices.close()
    if args.json:
        _print(result.to_json(), True, "")
    elif result.ok:
        print(_line(result.message, result.message_zh))
    else:
        error_line(_line(result.message, result.message_zh))
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_devices(args: argparse.Namespace) -> int:
    devices = _standalone_devices(args)
    try:
        ports = devices.list_serial_ports()
        rows = devices.status(read_scale=not args.no_scale)
    finally:
        devices.close()
    if args.json:
        _print({"serial_ports": [p.to_json() for p in ports], "devices": [r.to_json() for r in rows]}, True, "")
        return EXIT_OK
    print("serial ports (串口):" if ports else "serial ports (串口): none found (未发现串口)")
    for p in ports:
        ids = f" [{p.vid:04x}:{p.pid:04x}]" if p.vid is not None and p.pid is not None else ""
        print(f"  {p.device}  {p.description}{ids}")
    print("devices (设备):")
    for r in rows:
        mark = {True: "ok", False: "!!", None: "--"}[r.ok]
        extra = f"  [{r.detail['pending_jobs']} waiting in print-queue]" if r.detail.get("pending_jobs") else ""
        print(f"  {mark} {r.label_zh:<6} {r.url or '-'}  {_line(r.message, r.message_zh)}{extra}")
    return EXIT_OK


def cmd_drawer(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    from .till import _approved

    till = open_till(_config(args))
    try:
        who = till.auth.login(args.cashier, args.pin, via="cli")
        result = _approved(till, args, who, lambda a: till.drawer.open(who, a, reason=args.reason))
    finally:
        till.close()
    if args.json:
        _print(result.to_json(), True, "")
    elif result.ok:
        print(_line(result.message, result.message_zh))
    else:
        error_line(_line(result.message, result.message_zh))
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_print_queue(args: argparse.Namespace) -> int:
    from pos.bootstrap import open_till

    if args.action in ("retry", "abandon") and args.job_id is None:
        raise UsageError(f"print-queue {args.action} needs the job number, e.g. print-queue {args.action} 3")
    if args.action in ("list", "retry-all") and args.job_id is not None:
        raise UsageError(f"print-queue {args.action} takes no job number")
    till = open_till(_config(args))
    try:
        queue = till.print_queue
        if args.action == "list":
            jobs = queue.pending()
            if args.json:
                _print({"pending": [j.to_json() for j in jobs]}, True, "")
            elif not jobs:
                print(_line("nothing is waiting to be printed", "没有待打印的任务"))
            else:
                for j in jobs:
                    err = _line(j.last_error or "", j.last_error_zh or "")
                    print(f"{j.id:>4}  {j.created_at[:19]}  {j.label_zh}  attempts {j.attempts}  {err}")
            return EXIT_OK
        if args.action == "retry-all":
            r = queue.retry_all()
            ok, en, zh, extra = r.ok, r.message, r.message_zh, {"printed": list(r.printed), "remaining": r.remaining}
        elif args.action == "retry":
            one = queue.retry(args.job_id)
            ok, en, zh, extra = one.ok, one.message, one.message_zh, {"job_id": one.job_id}
        else:
            one = queue.abandon(args.job_id)
            ok, en, zh, extra = one.ok, one.message, one.message_zh, {"job_id": one.job_id}
    finally:
        till.close()
    if args.json:
        _print({"ok": ok, "message": en, "message_zh": zh, **extra}, True, "")
    elif ok:
        print(_line(en, zh))
    else:
        error_line(_line(en, zh))
    return EXIT_OK if ok else EXIT_FAILED
