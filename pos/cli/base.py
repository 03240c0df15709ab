"""What every command shares: exit codes, one-line errors, global options, the registry."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


# The largest whole number a command accepts for a count or a number (SQLite's INTEGER is 64-bit).
MAX_WHOLE_NUMBER = 2**53


class UsageError(Exception):
    pass


def shown(text: object) -> str:
    """``text`` safe to echo on a terminal: control and format characters (ESC, BEL, a line break,
    a bidi override …) are written as escapes such as ``\\x1b`` so a typed or scanned argument
    can neither drive the terminal nor break a one-line message."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if cat.startswith("C") or cat in ("Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def error_line(text: str) -> None:
    """Print one ``error: …`` line on stderr, with user text made safe to show."""
    print(f"error: {shown(text)}", file=sys.stderr)


def path_arg(text: str) -> Path:
    """An argparse ``type`` for a file or folder argument: not empty, and a name the system can look
    up (a 300-character name or a NUL byte is refused here instead of failing deep inside a command)."""
    if not text.strip() or "\x00" in text:
        raise argparse.ArgumentTypeError(f"'{text}' is not a file name")
    path = Path(text).expanduser()
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        pass  # a file still to be made, or one the command will say is missing
    except (OSError, ValueError) as exc:
        short = text if len(text) <= 60 else f"{text[:57]}…"
        reason = getattr(exc, "strerror", None) or "not a usable file name"
        raise argparse.ArgumentTypeError(f"cannot use {short}: {reason}") from None
    return path


def whole_number(text: str) -> int:
    """An argparse ``type`` for a count or a number such as a job or hold number: 0 … 2**53.

    ``int()`` alone takes ``１２`` (full-width), ``1_000`` and 4,000-digit numbers that later
    overflow SQLite; this takes plain digits (full-width folded) and says what is wrong.
    """
    folded = text.strip().translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})
    if not (folded.isascii() and folded.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    if len(folded) > 16 or int(folded) > MAX_WHOLE_NUMBER:
        raise argparse.ArgumentTypeError(f"{text} is too large")
    return int(folded)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def global_options(p: argparse.ArgumentParser, *, suppress: bool) -> None:
    d = argparse.SUPPRESS if suppress else None
    p.add_argument("--db", default=d, help="database file (default: user data dir, or env POS_DB)")
    p.add_argument("--config", default=d, help="TOML config file (default: user config dir)")
    p.add_argument("--printer", default=d, help="receipt printer URL, e.g. file:DIR, tcp://host:9100, dummy:")


class Registry:
    """Adds commands to the parser. Each command module has ``register(reg)``."""

    def __init__(self, sub: argparse._SubParsersAction) -> None:
        self._sub = sub
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def command(self, name: str, help_: str, handler: Handler) -> argparse.ArgumentParser:
        p = self._sub.add_parser(name, help=help_, description=help_)
        global_options(p, suppress=True)
        p.set_defaults(_handler=handler)
        return p

    def subcommand(self, group: str, name: str, help_: str, handler: Handler, *, group_help: str = "") -> argparse.ArgumentParser:
        """``group name …`` — e.g. ``catalog import``, ``ledger verify``."""
        if group not in self._groups:
            g = self._sub.add_parser(group, help=group_help or f"{group} commands", description=group_help or None)
            global_options(g, suppress=True)
            self._groups[group] = g.add_subparsers(dest=f"{group}_command", parser_class=Parser, metavar="ACTION",
                                                   required=True)
        p = self._groups[group].add_parser(name, help=help_, description=help_)
        global_options(p, suppress=True)
        p.set_defaults(_handler=handler)
        return p


def config(args: argparse.Namespace, **extra: object):  # noqa: ANN201
    from pos.config import load_config

    return load_config(Path(args.config) if args.config else None, db=args.db, printer=args.printer, **extra)


def print_result(obj: Any, as_json: bool, text: str) -> None:
    print(json.dumps(obj, ensure_ascii=False, sort_keys=True) if as_json else text)
