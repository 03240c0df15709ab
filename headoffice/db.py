"""Head office database: a URL (SQLite file or PostgreSQL), one engine, migrations at start.

``--db`` takes a SQLAlchemy URL or a plain file path (SQLite). ``postgresql://…`` and
``postgres://…`` are read as ``postgresql+psycopg://…`` (psycopg 3).

On SQLite every transaction begins with ``BEGIN IMMEDIATE`` (WAL, busy timeout), so two batches
of one terminal are stored one after the other; on PostgreSQL the terminal's row is locked with
``SELECT … FOR UPDATE`` for the same effect (see service.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pos.domain.errors import PosError

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "headoffice_alembic_version"


class HeadOfficeDbError(PosError):
    code = "headoffice_db"


def default_url() -> str:
    from pos.config import data_dir

    return os.environ.get("HEADOFFICE_DB") or f"sqlite:///{data_dir() / 'headoffice.db'}"


def normalise_url(text: str | None) -> str:
    text = (text or "").strip() or default_url()
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix):]
    return text


def _alembic_config(connection) -> Config:  # noqa: ANN001
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> None:
    script = ScriptDirectory.from_config(_alembic_config(None))
    heads = set(script.get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_heads())
    known = {rev.revision for rev in script.walk_revisions()}
    if current - known:
        raise HeadOfficeDbError(
            f"this head-office database was written by a newer program (schema {','.join(sorted(current))}); update first",
            message_zh="该总部数据库由更新版本的程序创建，请先升级程序")
    if current != heads:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "heads")


# A new SQLite head office is made with 16 KiB pages (SQLite's default is 4 KiB). Nearly everything it
# writes comes in batches of whole journal entries (a sale's payload is 1-2 KB) appended to a few tables,
# and every page is written twice (WAL, then the checkpoint): with 4 times fewer pages a batch is written
# with 4 times fewer calls. Measured 4 Dec, 24 batches of 2,000 sales stored one after another: 11.6 µs
# of CPU an entry with 4 KiB pages, 8.5 with 16 KiB (32 KiB 8.0, 64 KiB 7.7: bigger pages make each
# derived row's upsert write more). An existing database keeps the size it was made with.
SQLITE_PAGE_SIZE = 16_384


def open_engine(url: str | None) -> Engine:
    """An engine for ``url`` (migrated to the newest schema)."""
    text = normalise_url(url)
    try:
        parsed = make_url(text)
    except ArgumentError as exc:
        raise HeadOfficeDbError(f"'{url}' is not a database URL or file", message_zh=f"“{url}”不是有效的数据库地址") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(text, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _rec) -> None:  # noqa: ANN001
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")  # a new, empty file only; before WAL fixes it
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA cache_size = -32768")  # 32 MB: a 2,000-entry batch (4 MB) is written without spilling
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(text, pool_pre_ping=True, pool_size=10, max_overflow=20)
    else:
        raise HeadOfficeDbError(f"head office runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}",
                                message_zh="总部数据库只支持 SQLite 或 PostgreSQL")
    try:
        migrate(engine)
    except PosError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise HeadOfficeDbError(f"cannot open the head-office database {parsed.render_as_string(hide_password=True)}: {exc}",
                                message_zh=f"无法打开总部数据库：{exc}") from exc
    return engine
