"""Paint first: what the login window needs, read with ``sqlite3`` alone, and the till loaded behind it.

A normal start of a set-up till shows the login window before the services, SQLAlchemy, alembic,
the devices and the sync client are even imported: :func:`peek` reads the store, the counter and
the users list over one read-only ``sqlite3`` connection, and :func:`load_till` (run on the writer
lane while the cashier chooses a name and types the PIN) opens the till as before — every start-up
check of ``open_till`` still runs, and a refusal still ends the start with its message.

This module imports the standard library and the domain only, so that it is cheap;
``tests/ui/test_startup_imports.py`` fails if the first-paint modules pull in SQLAlchemy.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos.domain.users import Role, User

if TYPE_CHECKING:
    from pos.bootstrap import Till
    from pos.config import Config

log = logging.getLogger("lianxin.ui.startup")

VERSIONS = Path(__file__).resolve().parents[1] / "pos" / "store" / "migrations" / "versions"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.M)
_QUOTED = re.compile(r"""["']([^"']+)["']""")

# The modules the session needs once the till is open: imported on the loader's thread, not on the GUI's.
SESSION_MODULES = ("ui.checkout", "ui.manager", "ui.session_devices")


@dataclass(frozen=True, slots=True)
class FirstIdentity:
    """What the login window names: the store, the counter and the till (as pos.services.context.TillIdentity)."""

    store_code: str
    terminal_id: str
    store_name: str
    counter_name: str
    tz: tzinfo


@dataclass(frozen=True, slots=True)
class FirstPaint:
    identity: FirstIdentity
    users: list[User]


def head_revisions(versions: Path = VERSIONS) -> frozenset[str]:
    """The schema revisions this program's migrations end at, read from the migration files' text
    (``revision = "0009"``, ``down_revision = ("0004", …)``) without importing alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        for key, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            names = _QUOTED.findall(value)
            (revisions if key == "revision" else parents).update(names)
    return frozenset(revisions - parents)


def _read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    conn.execute("PRAGMA query_only = 1")
    return conn


def peek(cfg: Config) -> FirstPaint | None:
    """The login window's facts, if this is a set-up till at this program's schema; else None.

    None sends the start down the long way (everything loaded, then checked, then painted) — a
    missing, damaged, foreign, older or newer database keeps the messages and the upgrade copy
    it has always had. Nothing is written, and no lock is held after this returns.
    """
    path = Path(cfg.db)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        heads = head_revisions()
        conn = _read_only(path)
        try:
            versions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
            if not heads or versions != heads:
                return None
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_code', 'terminal_id')"))
            store, terminal = meta.get("store_code"), meta.get("terminal_id")
            if not store or not terminal:
                return None
            row = conn.execute("SELECT name, counter_name FROM stores WHERE code = ?", (store,)).fetchone()
            rows = conn.execute("SELECT login, display_name, role FROM users WHERE active ORDER BY role, login").fetchall()
        finally:
            conn.close()
        users = [User(login, name, Role(role)) for login, name, role in rows]
    except (sqlite3.Error, OSError, ValueError) as exc:  # whatever it is, open_till names it properly
        log.info("first paint falls back to the full start: %s", exc)
        return None
    tz = timezone(timedelta(hours=cfg.timezone_offset_hours))
    name, counter = (row[0], row[1]) if row else (store, "")
    return FirstPaint(FirstIdentity(store, terminal, name, counter, tz), users)


def load_till(cfg: Config, opened: dict[str, Any]) -> Till:
    """Open the till (every check ``open_till`` makes) and import the session's windows; off the GUI thread.

    The till is also left in ``opened["till"]`` so that whoever started the load can close it even
    if the window was closed before the till arrived.
    """
    import importlib

    from pos.bootstrap import open_till

    till = open_till(cfg)
    opened["till"] = till
    for name in SESSION_MODULES:
        importlib.import_module(name)
    return till


def plain_start() -> int:
    """``python main.py`` with no command — the menu entry, the autostart, the installed bundle: the
    till window, without first building the whole command line (its parser and the modules of every
    command cost about a quarter of the first paint). Errors end as the command line ends them: one
    plain line, status 2 for a refused setting or database, 1 for an internal fault (details in the
    log file), 130 for Ctrl+C.
    """
    from pos.config import load_config
    from pos.domain.errors import PosError

    try:
        cfg = load_config()
    except PosError:  # a bad config file: the command line reports it, in its own words
        from pos.cli import main as cli_main

        return cli_main([])
    _log_to_file()
    from .app import run_gui

    try:
        return run_gui(cfg, None)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the command line's last resort, for the one command this start runs
        from pos.cli.base import EXIT_FAILED, EXIT_USAGE, error_line

        if isinstance(exc, PosError):
            error_line(f"{exc.message_zh} ({exc.message})" if exc.message_zh != exc.message else exc.message)
            return EXIT_USAGE
        logging.getLogger("lianxin.cli").exception("command gui failed")
        error_line(f"internal fault ({type(exc).__name__}: {exc}); details are in the log")
        return EXIT_FAILED


def _log_to_file() -> None:
    """The till's log file, as ``pos.cli`` sets it up for every command."""
    from pos.config import log_to_file

    log_to_file()
