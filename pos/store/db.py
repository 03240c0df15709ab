"""Opening the till's SQLite database: durability pragmas, one writer, migrations at start.

Two engines share one file: the *writer* begins every transaction with ``BEGIN IMMEDIATE`` so
that the journal's next seq is read and written under SQLite's write lock (a second process —
say the CLI while the till runs — waits instead of forking the chain); the *reader* uses plain
deferred transactions and ``query_only``, so lookups never block behind a sale in WAL mode.

Before either engine touches an existing file, :func:`check_startup` looks at it through a
read-only connection: a file that is not SQLite, is damaged, belongs to another program or was
written by a newer LianXin POS is refused with a plain message that names the newest backup and
the exact ``restore`` command — and nothing is written to it.

Every SQLite failure that a cashier can meet (disk full, read-only file, I/O error, damaged file,
a database held too long by another program) becomes a :class:`StoreError` with plain words in
one place, the engines' ``handle_error`` event (:func:`translate_error`), so the UI and the CLI
show it like any other refusal. SQLite rolls the transaction back, so nothing is half-written.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect

from pos.domain.errors import PosError

from .writer import WAL_AUTOCHECKPOINT_PAGES, checkpointer_of

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


class CorruptDatabase(StoreError):
    code = "corrupt_database"


class DiskFull(StoreError):
    code = "disk_full"


class ReadOnlyDatabase(StoreError):
    code = "read_only_database"


class DiskIOError(StoreError):
    code = "disk_io_error"


class DatabaseBusy(StoreError):
    code = "database_busy"


# -- backups: the file names the start-up messages look for -----------------------------------
# lianxin-MX-MX01-20261122T020000Z.db (by hand) / …Z-daily.db (automatic); -2, -3 … if taken twice
# in one second. pos.services.backup writes them; the start-up check only needs to find them.
BACKUP_NAME = re.compile(
    r"^lianxin-(?P<store>[A-Z0-9]{2,12})-(?P<terminal>[A-Z0-9]{2,12})-(?P<at>\d{8}T\d{6}Z)"
    r"(?P<daily>-daily)?(?:-(?P<n>\d+))?\.db$"
)


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    store: str
    terminal: str
    at: datetime  # UTC, whole seconds
    daily: bool
    n: int = 0


def parse_backup_name(path: Path) -> BackupFile | None:
    m = BACKUP_NAME.match(path.name)
    if m is None:
        return None
    at = datetime.strptime(m["at"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return BackupFile(path, m["store"], m["terminal"], at, bool(m["daily"]), int(m["n"] or 0))


def find_backups(dirs: Iterable[Path], *, terminal: str | None = None) -> list[BackupFile]:
    """Backup files in ``dirs`` (oldest first), optionally only those of ``terminal``."""
    found: dict[Path, BackupFile] = {}
    for d in dirs:
        try:
            entries = list(Path(d).iterdir())
        except OSError:
            continue
        for f in entries:
            b = parse_backup_name(f)
            if b is not None and (terminal is None or b.terminal == terminal) and f.is_file():
                found.setdefault(f.resolve(), b)
    return sorted(found.values(), key=lambda b: (b.at, b.n, b.daily, str(b.path)))


def default_backup_dirs(path: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """Where start-up looks for backups: the configured folder(s), then the defaults."""
    from pos.config import data_dir

    out: list[Path] = []
    for d in (*extra, data_dir() / "backups", Path(path).parent / "backups"):
        if Path(d) not in out:
            out.append(Path(d))
    return out


def way_out(path: Path, backup_dirs: Iterable[Path] = ()) -> tuple[str, str]:
    """The English and Chinese sentence telling how to get the till going again (restore a backup)."""
    dirs = default_backup_dirs(path, backup_dirs)
    backups = find_backups(dirs)
    if backups:
        cmd = f"lianxin-pos --db {path} restore {backups[-1].path}"
        return (f"way out: restore the newest backup with `{cmd}` (the current file is kept, renamed)",
                f"解决办法：用最新备份恢复 `{cmd}`（当前文件会改名保留）")
    where = ", ".join(str(d) for d in dirs)
    cmd = f"lianxin-pos --db {path} restore BACKUP_FILE"
    return (f"way out: no backup was found in {where}; restore one with `{cmd}`, or choose another --db",
            f"解决办法：在 {where} 中没有找到备份；请用 `{cmd}` 从备份恢复，或选择其他数据库")


def _with_way_out(problem: StoreError, path: Path, backup_dirs: Iterable[Path] = ()) -> StoreError:
    """The same refusal, saying that nothing was changed and how to get going again."""
    out_en, out_zh = way_out(path, backup_dirs)
    return type(problem)(f"{problem.message}; nothing was changed. {out_en}",
                         message_zh=f"{problem.message_zh}，未做任何修改。{out_zh}", path=str(path), problem=problem)


# -- one place where SQLite failures become plain words ----------------------------------------
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 5, 6, 8, 10, 11, 13, 26


def translate_error(exc: BaseException, *, read_only_engine: bool = False) -> StoreError | None:
    """The StoreError a cashier should see for a sqlite3 failure, or None if it is not one of those."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return DiskFull("the disk is full: the sale (or other change) was not saved; free some disk space and try again",
                        message_zh="磁盘已满，交易未保存：请清理磁盘空间后重试")
    if (primary == SQLITE_READONLY or "readonly database" in text) and not read_only_engine:
        return ReadOnlyDatabase("the database is read-only: the sale (or other change) was not saved; "
                                "check the file's permissions and the drive, then try again",
                                message_zh="数据库只读，交易未保存：请检查数据库文件的权限和存储设备后重试")
    if primary == SQLITE_IOERR or "disk i/o error" in text:
        return DiskIOError("the disk could not be read or written: the sale (or other change) was not saved; "
                           "check the drive, then try again",
                           message_zh="磁盘读写错误，交易未保存：请检查存储设备后重试")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return CorruptDatabase("the database file is damaged: nothing was saved; close the till and restore "
                               "the newest backup (`lianxin-pos restore FILE`)",
                               message_zh="数据库文件已损坏，交易未保存：请关闭收银程序并从最新备份恢复")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseBusy(f"another program kept the database busy for {BUSY_TIMEOUT_MS // 1000} s: nothing was "
                            "saved; try again",
                            message_zh="数据库正被其他程序占用，交易未保存：请稍后重试")
    return None


def plain_error(exc: BaseException, path: Path, *, read_only: bool = False) -> StoreError | None:
    """:func:`translate_error` as a till meets it mid-operation: a damaged file also names the way out.

    The one translation both the SQLAlchemy engines (``handle_error``) and the plain ``sqlite3``
    write path (pos.store.writer) use, so a full disk reads the same whichever way the sale went."""
    plain = translate_error(exc, read_only_engine=read_only)
    if isinstance(plain, CorruptDatabase):  # found mid-operation: the same way out as at start-up
        plain = _with_way_out(_problem(CorruptDatabase, f"the database {path} is damaged; nothing was saved",
                                       f"数据库文件 {path} 已损坏，交易未保存", path), path)
    return plain


def _handle_error(read_only: bool, path: Path):
    def handle(context) -> None:  # noqa: ANN001 - SQLAlchemy ExceptionContext
        plain = plain_error(context.original_exception, path, read_only=read_only)
        if plain is not None:
            raise plain from context.original_exception

    return handle


def _on_connect(read_only: bool):
    def configure(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is off).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
            # Checkpoints run in the background between customers (pos.store.writer.Checkpointer);
            # SQLite's own, inside a COMMIT, only past this many WAL pages (a till that never pauses).
            cur.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cur.execute("PRAGMA query_only = ON")
        cur.close()

    return configure


STATEMENT_CACHE = 512  # prepared statements kept per connection


def _make_engine(path: Path, *, read_only: bool, open_mode: str | None = None) -> Engine:
    """``open_mode`` ("ro", "rw") opens the file through a SQLite URI with that mode, e.g. a
    database on read-only media; by default the file is opened read-write and created if missing."""
    url = f"sqlite:///{path}" if open_mode is None else f"sqlite:///file:{Path(path).resolve()}?mode={open_mode}&uri=true"
    # cached_statements: every fixed statement of the hot path (pos.store.writer, projections, facts,
    # stock, members …) stays prepared on the connection even after the SQLAlchemy side has run many
    # statements of its own on it (sqlite3 keeps 128 by default, least recently used dropped first).
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000,
                                              "cached_statements": STATEMENT_CACHE})
    event.listen(engine, "connect", _on_connect(read_only))
    event.listen(engine, "handle_error", _handle_error(read_only, Path(path)))
    begin_sql = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy event signature
        # A unit of work that began on the plain sqlite3 connection (pos.store.uow) and only later
        # needs SQLAlchemy on it is already inside its BEGIN IMMEDIATE: join that transaction.
        if not conn.connection.driver_connection.in_transaction:
            conn.exec_driver_sql(begin_sql)

    return engine


@dataclass
class Database:
    path: Path
    writer: Engine
    reader: Engine

    def dispose(self) -> None:
        checkpointer = getattr(self, "_checkpointer", None)  # pos.store.writer's background checkpoints
        if checkpointer is not None:
            checkpointer.stop()
        cache = getattr(self, "_write_cache", None)  # pos.store.writer keeps the writer's connection
        if cache is not None:
            cache.release()
        self.writer.dispose()
        self.reader.dispose()


def _problem(cls: type[StoreError], en: str, zh: str, path: Path) -> StoreError:
    return cls(en, message_zh=zh, path=str(path))


def check_file(path: Path, backup_dirs: Iterable[Path] = ()) -> None:
    """Refuse a file that is not a SQLite database before SQLAlchemy or alembic touch it."""
    problem = _header_problem(Path(path))
    if problem is not None:
        raise _with_way_out(problem, path, backup_dirs)


def _header_problem(path: Path) -> StoreError | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        head = fh.read(100)
    if head[:16] != SQLITE_HEADER:
        return _problem(NotADatabase, f"{path} is not a LianXin POS database (not a SQLite file)",
                        f"{path} 不是连心收银数据库文件", path)
    size = path.stat().st_size
    page_size = int.from_bytes(head[16:18], "big") if len(head) >= 18 else 0
    page_size = 65536 if page_size == 1 else page_size
    if len(head) < 100 or page_size < 512 or page_size & (page_size - 1):
        return _problem(CorruptDatabase, f"the database {path} is damaged (its header is cut short or garbled)",
                        f"数据库文件 {path} 已损坏（文件头不完整）", path)
    # The header's page count is trustworthy when the change counter matches "version-valid-for";
    # with a WAL or rollback journal beside the file a checkpoint may be half done, so only without
    # one is a file shorter than its header says a cut-off (truncated) file.
    pages = int.from_bytes(head[28:32], "big")
    counter_ok = head[24:28] == head[92:96]
    side_files = any(Path(f"{path}{sfx}").exists() and Path(f"{path}{sfx}").stat().st_size > 0
                     for sfx in ("-wal", "-journal"))
    if counter_ok and pages and not side_files and (size < pages * page_size or size % page_size):
        return _problem(CorruptDatabase,
                        f"the database {path} is damaged: it is cut short ({size} bytes, expected {pages * page_size})",
                        f"数据库文件 {path} 已损坏（文件被截断）", path)
    return None


def _known_revisions() -> set[str]:
    return set(_revisions_on_disk()[0])


# Up to this size start-up runs SQLite's quick_check (about 1 ms per MB when the file is cached);
# above it only the structural checks, so a big till still starts fast. Backups check their copy
# and restore runs a full integrity_check whatever the size.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


def diagnose(path: Path, *, full: bool = False, thorough: bool | None = None) -> StoreError | None:
    """What is wrong with the existing database file at ``path`` (None: nothing, or no file yet).

    Only reads, through a ``mode=ro`` connection: the SQLite header (a file cut short is found
    here), the schema, the newest journal entry, the schema revision, and — if ``thorough``
    (default: files up to QUICK_CHECK_MAX_BYTES) — ``PRAGMA quick_check``, or ``integrity_check``
    if ``full``. Older revisions are fine (they are migrated); unknown ones mean a newer program
    wrote the file. An error that is not about the file itself (an I/O error, say) is raised.
    """
    path = Path(path)
    problem = _header_problem(path)
    if problem is not None or not path.exists() or path.stat().st_size == 0:
        return problem
    if thorough is None:
        thorough = full or path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _cannot_open(path, exc) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if thorough:
            bad = [r[0] for r in conn.execute("PRAGMA integrity_check(5)" if full else "PRAGMA quick_check(5)")]
        else:  # the pages a till touches first: the newest entry and the identity
            bad = ["ok"]
            if "journal" in tables:
                conn.execute("SELECT * FROM journal ORDER BY terminal_id DESC, seq DESC LIMIT 1").fetchall()
            if "meta" in tables:
                conn.execute("SELECT * FROM meta").fetchall()
        versions = ([r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
                    if "alembic_version" in tables else [])
    except sqlite3.DatabaseError as exc:
        plain = translate_error(exc)
        if plain is not None and not isinstance(plain, CorruptDatabase):
            raise plain from exc
        return _problem(CorruptDatabase, f"the database {path} is damaged ({exc})", f"数据库文件 {path} 已损坏（{exc}）", path)
    finally:
        conn.close()
    if bad != ["ok"]:
        found = " ".join("; ".join(bad).split())  # one line: the CLI prints one
        return _problem(CorruptDatabase, f"the database {path} is damaged (integrity check: {found[:160]})",
                        f"数据库文件 {path} 已损坏（完整性检查未通过）", path)
    if not versions:
        if tables - {"alembic_version"}:
            return _problem(ForeignDatabase, f"{path} belongs to another program (it has tables but no LianXin POS schema)",
                            f"{path} 属于其他程序（不是连心收银数据库）", path)
        return None
    unknown = sorted(set(versions) - _known_revisions())
    if unknown:
        return _problem(NewerDatabase,
                        f"{path} was written by a newer LianXin POS (schema {','.join(unknown)}); update the program, "
                        "or restore a backup made by this version",
                        f"{path} 由更新版本的连心收银创建（结构版本 {','.join(unknown)}），请升级程序或从本版本的备份恢复", path)
    return None


def check_startup(path: Path, backup_dirs: Iterable[Path] = (), *, thorough: bool | None = None) -> None:
    """Refuse, with a way out, an existing file that is not a healthy LianXin POS database this
    program can open; nothing is written to it. ``quick_check`` (see QUICK_CHECK_MAX_BYTES) costs
    a few ms on a small till and 0.2–0.9 s on a 100,000-entry (280 MB) one; damage it does not
    look for at start-up is reported when a page is read (CorruptDatabase, with the way out).
    """
    problem = diagnose(Path(path), thorough=thorough)
    if problem is not None:
        raise _with_way_out(problem, Path(path), backup_dirs)


def _cannot_open(path: Path, exc: BaseException) -> StoreError:
    plain = translate_error(exc)
    if plain is not None and not isinstance(plain, CorruptDatabase):
        return plain
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return StoreError(f"cannot open the database {path} ({reason}); check the file and the drive",
                      message_zh=f"无法打开数据库 {path}：{exc}")


def _alembic_config(connection):  # noqa: ANN001, ANN202
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@functools.lru_cache(maxsize=1)
def _revisions_on_disk() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads), read from the migration files without importing alembic.

    Importing alembic costs a quarter of a second; a till whose schema is current never needs it.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in (MIGRATIONS / "versions").glob("*.py"):
        for node in ast.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name in ("revision", "down_revision"):
                    value = ast.literal_eval(node.value)
                    values = value if isinstance(value, (tuple, list)) else (value,)
                    (revisions if name == "revision" else parents).update(v for v in values if v)
    return frozenset(revisions), frozenset(revisions - parents)


def head_revision() -> str:
    """The newest schema revision(s), comma-separated if work in progress left several heads."""
    return ",".join(sorted(_revisions_on_disk()[1]))


KEEP_UPGRADE_COPIES = 3
RESERVE_BYTES = 64 * 1024 * 1024  # free space a copy of the database (a backup, a copy before an upgrade) must leave


STALE_S = 15 * 60  # a half-written copy nobody has touched for this long was left by a killed backup or upgrade


def sweep_leftovers(folder: Path, *, now: float | None = None, stale_s: float = STALE_S) -> list[Path]:
    """Delete half-written copies in ``folder`` that a killed backup or upgrade left behind (not written
    for ``stale_s``); returns what was deleted. A copy still being written is younger and stays."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for f in entries:
        name = f.name
        leftover = (name.startswith(".") and ".partial" in name) or (name.startswith("before-upgrade-") and ".part" in name)
        if not leftover:
            continue
        try:
            if now - f.stat().st_mtime < stale_s:
                continue
            f.unlink()
            removed.append(f)
        except OSError:
            pass
    return removed


def room_short(folder: Path, needed: int, *, reserve: int = RESERVE_BYTES) -> tuple[int, int] | None:
    """None when a copy of ``needed`` bytes leaves at least ``reserve`` free on the disk of ``folder`` (or the
    free space cannot be read: the copy itself then fails plainly if it must); else (bytes needed with the
    reserve, bytes free)."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    return (needed + reserve, free) if free - needed < reserve else None


def keep_copy_before_upgrade(path: Path, folder: Path, current: str) -> Path:
    """A consistent copy of the database as it was (SQLite's online backup), kept in ``folder`` as
    ``before-upgrade-<schema>-<UTC time>.db`` before a newer program changes its schema. The daily
    backups' pruning leaves these alone; the newest ``KEEP_UPGRADE_COPIES`` of them are kept, and a copy
    left half-written by a killed upgrade is removed before the next one."""
    folder.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(folder)  # copies an upgrade or a backup killed half-way left here
    short = room_short(folder, path.stat().st_size)
    if short is not None:
        raise OSError(f"{short[1] >> 20} MB free, the copy needs {short[0] >> 20} MB")
    at = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"before-upgrade-{current.replace(',', '+')}-{at}.db"
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    tmp.replace(target)
    copies = sorted(folder.glob("before-upgrade-*.db"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-KEEP_UPGRADE_COPIES]:
        old.unlink(missing_ok=True)
    return target


def migrate(engine: Engine, *, copy_to: Path | None = None) -> tuple[str | None, str]:
    """Bring the schema to the newest revision(s); return (revisions before, revisions after).

    ``copy_to``: a folder where a copy of the database as it was is kept before an existing schema is
    upgraded (an upgrade of the program must never cost the ledger).
    """
    known, head_set = _revisions_on_disk()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        currents = ([r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
                    if "alembic_version" in tables else [])
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
    heads = ",".join(sorted(head_set))
    if current != heads:
        from alembic import command

        if current is not None and copy_to is not None and engine.url.database:
            try:
                keep_copy_before_upgrade(Path(engine.url.database), copy_to, current)
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(
                    f"could not keep a copy of the database in {copy_to} before upgrading its schema ({exc}); "
                    "nothing was changed: free some disk space and start again",
                    message_zh=f"升级数据库结构前无法在 {copy_to} 保存副本（{exc}），未做任何更改；请腾出磁盘空间后重新启动",
                ) from exc
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "heads")
    return current, heads


def open_database(path: Path, *, backup_dirs: Iterable[Path] = (), keep_copy: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    An existing file is checked first (:func:`check_startup`); ``backup_dirs`` are where the
    refusal message looks for the newest backup (besides ``<data dir>/backups`` and ``backups/``
    beside the file); before a schema upgrade a copy of the file as it was is kept in the first of
    them (``keep_copy=False``: the caller already holds one, e.g. the backup being restored).
    """
    path = Path(path)
    check_startup(path, backup_dirs)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _make_engine(path, read_only=False)
    dirs = list(backup_dirs)
    try:
        migrate(writer, copy_to=None if not keep_copy else Path(dirs[0]) if dirs else path.parent / "backups")
    except CorruptDatabase as exc:
        writer.dispose()
        raise _with_way_out(_problem(CorruptDatabase, f"the database {path} is damaged", f"数据库文件 {path} 已损坏", path),
                            path, backup_dirs) from exc
    except PosError:
        writer.dispose()
        raise
    except Exception as exc:  # anything else SQLite or alembic may raise on a strange file
        writer.dispose()
        orig = getattr(exc, "orig", exc)
        raise _cannot_open(path, orig) from exc
    reader = _make_engine(path, read_only=True)
    db = Database(path=path, writer=writer, reader=reader)
    # Writes through SQLAlchemy tell the background checkpoint too (the sale path tells it itself).
    event.listen(writer, "commit", lambda _conn: checkpointer_of(db).nudge())
    return db


__all__ = [
    "Database", "StoreError", "NotADatabase", "ForeignDatabase", "NewerDatabase", "CorruptDatabase", "DiskFull",
    "ReadOnlyDatabase", "DiskIOError", "DatabaseBusy", "open_database", "migrate", "check_startup", "translate_error",
    "find_backups", "parse_backup_name", "way_out", "diagnose", "QUICK_CHECK_MAX_BYTES", "plain_error",
]
