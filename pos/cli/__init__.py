"""The command line: ``python main.py COMMAND …`` (also the ``lianxin-pos`` console script).

Every command goes through the same services as the till. Errors are one line in plain words:
exit status 2 for bad arguments or input (nothing is changed), 1 for a failed check or an
internal fault (details go to the log file, never a traceback on the terminal). User text in an
error is shown with control characters escaped. Output into a pipe that closes early (``… | head``)
ends quietly with status 141, as a program killed by SIGPIPE would.

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

from . import desktop, devices, maintenance, members, people, promotions, reports, stock, sync, till, vouchers
from .base import EXIT_FAILED, EXIT_USAGE, Parser, Registry, UsageError, error_line, global_options

log = logging.getLogger("lianxin.cli")

EXIT_PIPE = 141  # 128 + SIGPIPE: what `yes | head` reports, so scripts can tell a cut-off output

COMMAND_MODULES = [till, people, sync, maintenance, devices, desktop, stock, reports, vouchers, members, promotions]


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
    from pos.config import log_to_file

    log_to_file()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None and not args:  # the `lianxin-pos` script with no command: the till, painted first
        from ui.startup import plain_start

        return plain_start()
    try:
        try:
            return _run(args)
        finally:  # also after --help's SystemExit: a closed pipe shows up here, not at the interpreter's exit
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_closed_pipe()
        return EXIT_PIPE


def _silence_closed_pipe() -> None:
    """The reader of our output went away (``… | head``): stop writing, print no traceback.

    Python would flush stdout again at exit and complain; pointing the descriptors at devnull
    ends that (the recipe of the ``signal`` module's documentation).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):  # pytest's capture or a closed stream: nothing to do
            pass
    os.close(devnull)


def _tolerant_stdout() -> None:
    """A console that cannot show Chinese (an ASCII or Latin-1 code page) gets escapes, as stderr
    does by default, instead of a UnicodeEncodeError after the command has done its work."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError, TypeError):  # a detached or exotic stream: leave it as it is
            pass


def _run(argv: list[str]) -> int:
    _tolerant_stdout()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        error_line(str(exc))
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
        error_line(str(exc))
        return EXIT_USAGE
    except PosError as exc:
        msg = exc.message if lang == "en" else f"{exc.message_zh} ({exc.message})" if exc.message_zh != exc.message else exc.message
        error_line(msg)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:  # the one place an unexpected fault becomes a plain line
        log.exception("command %s failed", command)
        error_line(f"internal fault ({type(exc).__name__}: {exc}); details are in the log")
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
