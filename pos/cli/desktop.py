"""The desktop: ``autostart on|off|status`` opens the till when the counter's user logs in."""

from __future__ import annotations

import argparse
from pathlib import Path

from pos.autostart import NotOurEntry, disable, enable, state

from .base import EXIT_OK, Registry, UsageError
from .base import print_result as _print


def register(reg: Registry) -> None:
    p = reg.command("autostart", "open the till when this user logs in (kiosk counters): on, off or status",
                    cmd_autostart)
    p.add_argument("action", choices=["on", "off", "status"])
    p.add_argument("--store", help="with on: open this store's counter, e.g. PM (gui --store PM)")
    p.add_argument("--json", action="store_true", help="print the result as a JSON object")


def cmd_autostart(args: argparse.Namespace) -> int:
    try:
        if args.action == "on":
            extra: list[str] = []
            for option in ("db", "config"):  # a relative path would be read from the login's folder
                if getattr(args, option, None):
                    extra += [f"--{option}", str(Path(getattr(args, option)).expanduser().resolve())]
            if args.store:
                extra += ["gui", "--store", args.store.strip().upper()]
            result = enable(extra)
        elif args.action == "off":
            result = disable()
        else:
            result = state()
    except NotOurEntry as exc:
        raise UsageError(f"{exc} was not written by LianXin POS; it is left as it is (该文件不是连心收银写的，未改动)") from None
    except OSError as exc:
        raise UsageError(f"cannot change autostart: {exc.strerror or exc} (无法设置开机自动打开收银台)") from None
    if result.enabled:
        text = (f"autostart on: the till opens when this user logs in (登录后自动打开收银台)\n"
                f"  {result.path}\n  runs: {result.command}")
    else:
        text = f"autostart off: the till does not open by itself (不自动打开收银台)\n  {result.path}"
    _print({"enabled": result.enabled, "path": str(result.path), "command": result.command}, args.json, text)
    return EXIT_OK
