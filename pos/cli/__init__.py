"""The command line: ``python main.py COMMAND …`` (also the ``lianxin-pos`` console script).

Every command goes through the same services as the till. Errors are one line in plain words:
exit status 2 for bad arguments or input (nothing is changed), 1 for a failed check or an
internal fault (details go to the log file, never a traceback on the terminal).

Commands live in modules of this package, each with ``register(reg)``; add a module to
``COMMAND_MODULES`` to add its commands.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pos.domain.errors import PosError

from . import devices, maintenance, people, sync, till
from .base import EXIT_FAILED, EXIT_USAGE, Parser, Registry, UsageError, global_options

log = logging.getLogger("lianxin.cli")

COMMAND_MODULES = [till, people, sync, maintenance, devices]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="lianxin-pos", description="LianXin POS (连心收银) — till and tools")
    global_options(parser, suppress=False)
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="UI language (default zh_CN)")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    reg = Registry(sub)
    for module in COMMAND_MODULES:
        module.register(reg)
    return parser


def _setup_logging() -> None:
    from pos.config import data_dir

    try:
        logdir = data_dir() / "logs"
        logdir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(logdir / "lianxin.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _setup_logging()
    command = args.command or "gui"
    handler = getattr(args, "_handler", None)
    if handler is None:  # no command at all: open the till
        args = parser.parse_args([*argv, "gui"])
        handler = args._handler
    lang = os.environ.get("LIANXIN_LANG", "")
    try:
        return handler(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PosError as exc:
        msg = exc.message if lang == "en" else f"{exc.message_zh} ({exc.message})" if exc.message_zh != exc.message else exc.message
        print(f"error: {msg}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place an unexpected fault becomes a plain line
        log.exception("command %s failed", command)
        print(f"error: internal fault ({type(exc).__name__}: {exc}); details are in the log", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
