"""Opening the till's SQLite database: durability pragmas, one writer, migrations at start.

Two engines share one file: the *writer* begins every transaction with ``BEGIN IMMEDIATE`` so
that the journal's next seq is read and written under SQLite's write lock (a second process —
say the CLI while the till runs — waits instead of forking the chain); the *reader* uses plain
deferred transactions and ``query_only``, so lookups never block behind a sale in WAL mode.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect

from pos.domain.errors import PosError

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


class StoreError(PosError):
    code = "store_error"


class NotADatabase(StoreError):
    code = "not_a_database"


class ForeignDatabase(StoreError):
    code = "foreign_database"


class NewerDatabase(StoreError):
    code = "newer_database"


def _on_connect(read_only: bool):
    def configure(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is off).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cur.execute("PRAGMA query_only = ON")
        cur.close()

    return configure


def _make_engine(path: Path, *, read_only: bool) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect(read_only))
    begin_sql = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy event signature
        conn.exec_driver_sql(begin_sql)

    return engine


@dataclass
class Database:
    path: Path
    writer: Engine
    reader: Engine

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def check_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database before SQLAlchemy or alembic touch it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != SQLITE_HEADER:
        raise NotADatabase(
            f"{path} is not a LianXin POS database (not a SQLite file); restore one from a backup or choose another --db",
            message_zh=f"{path} 不是连心收银数据库文件，请从备份恢复或选择其他数据库",
        )


def _alembic_config(connection) -> Config:  # noqa: ANN001
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision(s), comma-separated if work in progress left several heads."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ",".join(sorted(ScriptDirectory.from_config(cfg).get_heads()))


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision(s); return (revisions before, revisions after)."""
    script = ScriptDirectory.from_config(_alembic_config(None))
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as conn:
        currents = MigrationContext.configure(conn).get_current_heads()
        tables = set(inspect(conn).get_table_names())
    current = ",".join(sorted(currents)) or None
    if current is None and tables - {"alembic_version"}:
        raise ForeignDatabase(
            "this SQLite file belongs to another program (it has tables but no LianXin POS schema); nothing was changed",
            message_zh="该 SQLite 文件属于其他程序，未做任何修改",
        )
    if any(rev not in known for rev in currents):
        raise NewerDatabase(
            f"this database was written by a newer LianXin POS (schema {current}); update the program or restore a backup",
            message_zh=f"该数据库由更新版本的连心收银创建（结构版本 {current}），请升级程序或从备份恢复",
        )
    heads = ",".join(sorted(script.get_heads()))
    if current != heads:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "heads")
    return current, heads


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    path = Path(path)
    check_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _make_engine(path, read_only=False)
    try:
        migrate(writer)
    except PosError:
        writer.dispose()
        raise
    except Exception as exc:  # sqlite3.DatabaseError: "file is not a database", disk I/O error …
        writer.dispose()
        raise StoreError(
            f"cannot open the database {path}: {exc}",
            message_zh=f"无法打开数据库 {path}：{exc}",
        ) from exc
    reader = _make_engine(path, read_only=True)
    return Database(path=path, writer=writer, reader=reader)


__all__ = ["Database", "StoreError", "NotADatabase", "ForeignDatabase", "NewerDatabase", "open_database", "migrate"]
