"""Backups and restore of the till's database, and what to tell a cashier when it will not open.

**Backup** uses SQLite's online backup API while the till keeps selling. The copy runs in steps
of ``step_pages`` pages inside one read transaction on the source: in WAL mode a reader never
blocks the writer, so a sale waits for nothing, and because the snapshot is fixed the copy never
restarts however busy the till is (SQLite restarts a stepped backup when the source changes
between steps *unless* the source connection keeps its read transaction). The copy is written
as ``.NAME.partial``, switched to a self-contained rollback-journal file, checked with
``quick_check``, fsynced and only then renamed to ``lianxin-STORE-TERMINAL-YYYYMMDDTHHMMSSZ.db``
(``…Z-daily.db`` for the automatic daily one).

**Daily backups**: :meth:`BackupService.auto_backup_if_due` takes one when there is none from
the store's local day yet, or when the newest daily backup does not hold the last Z closure (so
the backup taken after the Z holds the whole day). It then keeps the newest daily backup of each
of the last ``backup_keep`` days; backups taken by hand are never deleted.

**Disk space**: a backup is as big as the database. Before copying, the free space of the backup
folder's disk must hold the copy plus a reserve (``RESERVE_BYTES``), or the backup is refused in
plain words and nothing is written: a backup must never be what fills the disk the till's next
sale needs. Copies left behind by a backup or an upgrade that was killed half-way
(``.NAME.partial``, ``before-upgrade-….db.part``) are swept before the next backup once no one has
written them for ``pos.store.db.STALE_S``.

**Restore** checks the backup (SQLite ``integrity_check``, a LianXin schema this program knows,
the terminal it belongs to, and ``ledger verify`` on a migrated copy) before anything is
replaced; refuses while another program has the database open; keeps the replaced file as
``NAME.replaced-YYYYMMDDTHHMMSSZ.db`` (with its ``-wal`` if it had one); and swaps the checked
copy in with one atomic rename, so the database path never points at a half-written file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from pos.domain.errors import PosError
from pos.store.db import (
    BUSY_TIMEOUT_MS,
    RESERVE_BYTES,
    BackupFile,
    StoreError,
    diagnose,
    find_backups,
    open_database,
    room_short,
    sweep_leftovers,
    translate_error,
    way_out,
)

from .ledger import verify_ledger
from .ports import CHINA_TZ, TillParts

if TYPE_CHECKING:
    from pos.config import Config

STEP_PAGES = 256  # 1 MiB per step with SQLite's 4 KiB pages


class BackupError(PosError):
    code = "backup_error"


class RestoreRefused(PosError):
    code = "restore_refused"


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int  # bytes
    pages: int
    last_seq: int  # the newest journal entry the backup holds (0: none)
    seconds: float


@dataclass(frozen=True, slots=True)
class RestoreResult:
    database: Path
    backup: Path
    kept: Path | None  # where the replaced database now is (None: there was none)
    store: str
    terminal: str
    entries: int  # journal entries in the restored database
    last_seq: int
    lost_entries: int  # entries the replaced database had after the backup's last seq (kept in ``kept`` only)
    seconds: float


def _utc_stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def backup_name(store: str, terminal: str, at: datetime, *, daily: bool, n: int = 0) -> str:
    """``lianxin-MX-MX01-20261122T020000Z[-daily][-N].db`` (UTC, whole seconds)."""
    return f"lianxin-{store}-{terminal}-{_utc_stamp(at)}{'-daily' if daily else ''}{f'-{n}' if n else ''}.db"


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None, check_same_thread=False)


def _fsync(path: Path, *, directory: bool = False) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    except OSError:
        return  # e.g. directories cannot be opened on Windows; the rename is still durable enough there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def check_room(folder: Path, needed: int, *, reserve: int = RESERVE_BYTES) -> None:
    """Refuse (plainly, before anything is written) a copy of ``needed`` bytes that would leave less than
    ``reserve`` free on the disk of ``folder``."""
    short = room_short(folder, needed, reserve=reserve)
    if short is not None:
        mb = 1024 * 1024
        need, free = short[0] // mb, short[1] // mb
        raise BackupError(
            f"not enough free space for a backup in {folder}: it needs about {need} MB and "
            f"{free} MB are free; nothing was written. Free some space or back up to another drive",
            message_zh=f"{folder} 所在磁盘空间不足，无法备份：约需 {need} MB，仅剩 {free} MB；"
                       "未写入任何内容。请清理磁盘或备份到其他磁盘")


def _db_bytes(path: Path) -> int:
    total = 0
    for p in (path, Path(f"{path}-wal")):
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total


def _last_seq(conn: sqlite3.Connection) -> int:
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='journal'").fetchone()
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM journal").fetchone()[0]) if has else 0


def _plain(exc: BaseException, what_en: str, what_zh: str) -> PosError:
    """A sqlite3 or OS failure during a backup or restore as one plain sentence."""
    if isinstance(exc, PosError):
        return exc
    plain = translate_error(exc) if isinstance(exc, sqlite3.Error) else None
    if plain is None and isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
        plain = translate_error(sqlite3.OperationalError("database or disk is full"))
    if plain is not None:
        return BackupError(f"{what_en}: {plain.message}", message_zh=f"{what_zh}：{plain.message_zh}")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BackupError(f"{what_en} ({reason}); check the drive and try again", message_zh=f"{what_zh}：{exc}")


def copy_database(src: Path, dest: Path, *, step_pages: int = STEP_PAGES,
                  progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Copy the live database ``src`` into the new file ``dest``; return (pages, last journal seq).

    One read transaction on ``src`` is held for the whole copy: the copy is one consistent
    snapshot and the till's writer (another thread or process) is never blocked. ``dest`` ends
    up as a self-contained rollback-journal file that passed ``quick_check``.
    """
    source = _ro(src)
    target = sqlite3.connect(dest, isolation_level=None)
    try:
        source.execute("BEGIN")
        last = _last_seq(source)  # the first read fixes the snapshot
        source.backup(target, pages=max(1, step_pages),
                      progress=(lambda _status, remaining, total: progress(total - remaining, total)) if progress else None)
        pages = int(source.execute("PRAGMA page_count").fetchone()[0])
        source.execute("COMMIT")
        target.execute("PRAGMA journal_mode=DELETE")
        bad = [r[0] for r in target.execute("PRAGMA quick_check(5)")]
        if bad != ["ok"]:
            raise BackupError(f"the copy of {src} does not pass SQLite's check ({'; '.join(bad)[:160]}); it was not kept",
                              message_zh=f"{src} 的备份副本未通过完整性检查，已丢弃")
    finally:
        source.close()
        target.close()
    _fsync(dest)
    return pages, last


class BackupService:
    """Backups of one till's database into ``backup_dir``; see the module notes."""

    def __init__(self, db_path: Path, backup_dir: Path, *, store: str, terminal: str, tz: tzinfo = CHINA_TZ,
                 keep: int = 14, step_pages: int = STEP_PAGES) -> None:
        self.db_path = Path(db_path)
        self.backup_dir = Path(backup_dir)
        self.store = store
        self.terminal = terminal
        self.tz = tz
        self.keep = keep
        self.step_pages = step_pages

    @classmethod
    def for_till(cls, till: TillParts) -> BackupService:
        """For a running till (``pos.bootstrap.Till``): its database, backup folder, store and terminal."""
        cfg = till.config
        return cls(till.db.path, cfg.backup_dir, store=till.identity.store_code, terminal=till.identity.terminal_id,
                   tz=till.identity.tz, keep=cfg.backup_keep)

    @classmethod
    def for_config(cls, cfg: Config) -> BackupService:
        """For the command line: the store and terminal are read from the database itself (read-only)."""
        path = Path(cfg.db)
        if not path.exists():
            raise BackupError(f"there is no database at {path} to back up", message_zh=f"{path} 处没有数据库，无法备份")
        problem = diagnose(path)
        if problem is not None:
            raise BackupError(f"cannot back up: {problem.message}", message_zh=f"无法备份：{problem.message_zh}")
        conn = _ro(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_code', 'terminal_id')").fetchall())
        except sqlite3.Error as exc:
            raise _plain(exc, "cannot back up", "无法备份") from exc
        finally:
            conn.close()
        if "terminal_id" not in meta:
            raise BackupError(f"the database {path} has not been initialised; there is nothing to back up",
                              message_zh=f"数据库 {path} 尚未初始化，没有可备份的内容")
        tz = timezone(timedelta(hours=cfg.timezone_offset_hours))
        return cls(path, cfg.backup_dir, store=meta.get("store_code", cfg.store), terminal=meta["terminal_id"], tz=tz,
                   keep=cfg.backup_keep)

    # -- taking backups ------------------------------------------------------------------------
    def backup(self, *, now: datetime | None = None, to: Path | None = None, daily: bool = False,
               progress: Callable[[int, int], None] | None = None) -> BackupResult:
        """Write one backup now (into ``to`` or the backup folder); the till may keep selling meanwhile."""
        started = time.perf_counter()
        now = now or datetime.now(UTC)
        folder = Path(to) if to is not None else self.backup_dir
        if not self.db_path.exists():
            raise BackupError(f"there is no database at {self.db_path} to back up",
                              message_zh=f"{self.db_path} 处没有数据库，无法备份")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _plain(exc, f"cannot create the backup folder {folder}", f"无法创建备份文件夹 {folder}") from exc
        sweep_leftovers(folder)
        check_room(folder, _db_bytes(self.db_path))
        n = 0
        while (folder / backup_name(self.store, self.terminal, now, daily=daily, n=n)).exists():
            n += 1
        final = folder / backup_name(self.store, self.terminal, now, daily=daily, n=n)
        partial = folder / f".{final.name}.partial"
        _remove(partial)
        try:
            pages, last = copy_database(self.db_path, partial, step_pages=self.step_pages, progress=progress)
            os.replace(partial, final)
            _fsync(folder, directory=True)
        except BaseException as exc:
            _remove(partial)
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise _plain(exc, f"the backup to {folder} failed", f"备份到 {folder} 失败") from exc
            raise
        if daily:
            self.prune()
        return BackupResult(final, final.stat().st_size, pages, last, time.perf_counter() - started)

    def backups(self) -> list[BackupFile]:
        """This terminal's backups in the backup folder, oldest first."""
        return find_backups([self.backup_dir], terminal=self.terminal)

    def _day(self, at: datetime) -> str:
        return at.astimezone(self.tz).date().isoformat()

    def due(self, now: datetime) -> bool:
        """True if there is no daily backup from today (local) or the newest one lacks the last Z closure."""
        dailies = [b for b in self.backups() if b.daily]
        if not dailies:
            return True
        newest = dailies[-1]
        if self._day(newest.at) < self._day(now):
            return True
        z = self._last_z_seq()
        return z is not None and not self._holds(newest.path, z)

    def auto_backup_if_due(self, now: datetime) -> BackupResult | None:
        """Call at start-up and after each Z closure (off the GUI thread). Raises PosError if a
        due backup fails: show it as a warning; the till itself is unaffected."""
        if not self.due(now):
            return None
        return self.backup(now=now, daily=True)

    def prune(self) -> list[Path]:
        """Keep the newest daily backup of each of the last ``keep`` days; delete the other daily ones."""
        dailies = [b for b in self.backups() if b.daily]
        newest_of_day: dict[str, BackupFile] = {}
        for b in dailies:  # oldest first: the last one of a day wins
            newest_of_day[self._day(b.at)] = b
        keep = {newest_of_day[d].path for d in sorted(newest_of_day)[-self.keep:]}
        removed = []
        for b in dailies:
            if b.path not in keep:
                try:
                    b.path.unlink()
                    removed.append(b.path)
                except OSError:
                    pass
        return removed

    def _last_z_seq(self) -> int | None:
        try:
            conn = _ro(self.db_path)
            try:
                row = conn.execute("SELECT MAX(seq) FROM journal WHERE kind = 'z_closure' AND terminal_id = ?",
                                   (self.terminal,)).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def _holds(self, backup: Path, seq: int) -> bool:
        try:
            conn = _ro(backup)
            try:
                return conn.execute("SELECT 1 FROM journal WHERE terminal_id = ? AND seq = ?",
                                    (self.terminal, seq)).fetchone() is not None
            finally:
                conn.close()
        except sqlite3.Error:
            return False


# -- restore -----------------------------------------------------------------------------------
def _refuse(en: str, zh: str) -> RestoreRefused:
    return RestoreRefused(f"{en}; nothing was changed", message_zh=f"{zh}，未做任何修改")


def _take_over(db: Path) -> None:
    """Best effort: refuse if any other connection (this process or another) has ``db`` open, then
    checkpoint it so the file holds everything before it is set aside.

    ``locking_mode=EXCLUSIVE`` + ``BEGIN EXCLUSIVE`` needs the file's exclusive lock, which in WAL
    mode every open connection blocks (each holds a shared lock while open), even an idle one.
    There is a short window between this probe and the rename in which a new till could open it.
    """
    if not db.exists():
        return
    conn = sqlite3.connect(db, timeout=0.5, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _refuse(f"the database {db} is open in another program (the till or a command); close it, "
                          "then run restore again", f"数据库 {db} 正被其他程序（收银程序或命令）使用，请先关闭再恢复") from exc
    except sqlite3.DatabaseError:
        pass  # a damaged file: there is nothing to checkpoint; it is set aside as it is
    finally:
        conn.close()


def _set_aside(db: Path, stamp: str) -> Path:
    kept = db.with_name(f"{db.stem}.replaced-{stamp}{db.suffix}")
    n = 1
    while kept.exists():
        n += 1
        kept = db.with_name(f"{db.stem}.replaced-{stamp}-{n}{db.suffix}")
    try:
        os.link(db, kept)  # the database path keeps pointing at a whole file until the swap
    except OSError:
        shutil.copy2(db, kept)
    for sfx in ("-wal", "-shm", "-journal"):  # a stale -wal beside the restored file would be replayed into it
        side = Path(f"{db}{sfx}")
        if side.exists():
            os.replace(side, Path(f"{kept}{sfx}"))
    return kept


def _identity(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_code', 'terminal_id')").fetchall())
    except sqlite3.Error:
        return {}


def restore(db_path: Path, backup: Path, *, now: datetime | None = None, force: bool = False) -> RestoreResult:
    """Replace the database at ``db_path`` with the checked ``backup``; see the module notes.

    ``force`` allows a backup of another terminal than the database it replaces.
    """
    started = time.perf_counter()
    db_path, backup = Path(db_path), Path(backup)
    stamp = _utc_stamp(now or datetime.now(UTC))
    if not backup.is_file():
        raise _refuse(f"there is no backup file {backup}", f"备份文件 {backup} 不存在")
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise _refuse(f"{backup} is the database itself", f"{backup} 就是当前数据库")
    _take_over(db_path)  # early: do not spend a minute verifying if the till is still running
    problem = diagnose(backup, full=True)
    if problem is not None:
        raise _refuse(f"{backup} cannot be restored: {problem.message}", f"{backup} 无法用于恢复：{problem.message_zh}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.restoring-{stamp}")
    _remove(tmp)
    try:
        try:
            copy_database(backup, tmp)
        except (sqlite3.Error, OSError) as exc:
            raise _plain(exc, f"cannot copy {backup}", f"无法复制 {backup}") from exc
        conn = _ro(tmp)
        try:
            ident = _identity(conn)
        finally:
            conn.close()
        if "terminal_id" not in ident:
            raise _refuse(f"{backup} is not a LianXin POS till database (it belongs to no terminal)",
                          f"{backup} 不是连心收银的收银机数据库")
        terminal, store = ident["terminal_id"], ident.get("store_code", "")
        db = open_database(tmp, keep_copy=False)  # migrates an older backup (the backup itself is the copy)
        try:
            report = verify_ledger(db.reader, terminal)
        finally:
            db.dispose()
        if not report.ok:
            p = report.problem
            raise _refuse(f"the ledger in {backup} is broken at entry {p.seq} ({p.reason}); choose an older backup",
                          f"{backup} 中的账本在第 {p.seq} 条处损坏：{p.reason}")
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to rename into place
            last = _last_seq(conn)
        finally:
            conn.close()
        lost = _check_current(db_path, terminal, last, force)
        _take_over(db_path)  # again, right before the swap
        kept = _set_aside(db_path, stamp) if db_path.exists() else None
        os.replace(tmp, db_path)
        _fsync(db_path.parent, directory=True)
    except StoreError as exc:
        raise _refuse(f"{backup} cannot be restored: {exc.message}", f"{backup} 无法用于恢复：{exc.message_zh}") from exc
    finally:
        _remove(tmp)
    return RestoreResult(db_path, backup, kept, store, terminal, report.entries, last, lost, time.perf_counter() - started)


def _check_current(db_path: Path, terminal: str, backup_last: int, force: bool) -> int:
    """Refuse a backup of another terminal; return how many entries the current database has after it."""
    if not db_path.exists():
        return 0
    try:
        if diagnose(db_path) is not None:
            return 0  # damaged, foreign, newer: it is only set aside
        conn = _ro(db_path)
        try:
            current = _identity(conn).get("terminal_id")
            after = conn.execute("SELECT COUNT(*) FROM journal WHERE seq > ?", (backup_last,)).fetchone()[0]
        finally:
            conn.close()
    except (StoreError, sqlite3.Error):
        return 0
    if current is not None and current != terminal and not force:
        raise _refuse(f"the backup belongs to terminal {terminal} but this database to {current}; "
                      "pass --force to replace it anyway", f"该备份属于 {terminal} 号收银机，当前数据库属于 {current}；"
                      "如确需替换请加 --force")
    return int(after)


# -- start-up ----------------------------------------------------------------------------------
def startup_advice(path: Path, backup_dir: Path | None = None, *, extra_dirs: Iterable[Path] = ()) -> str:
    """For the till's start-up message box: what is wrong with the database at ``path`` and the
    exact command that restores the newest backup, in Chinese then English ("" if nothing is wrong).
    Only reads the file."""
    path = Path(path)
    dirs = [*([Path(backup_dir)] if backup_dir else []), *extra_dirs]
    try:
        problem = diagnose(path)
    except StoreError as exc:
        problem = exc
    if problem is None:
        return ""
    out_en, out_zh = way_out(path, dirs)
    return (f"{problem.message_zh}。未做任何修改。\n{out_zh}\n\n"
            f"{problem.message}. Nothing was changed.\n{out_en[0].upper()}{out_en[1:]}")


__all__ = ["BackupService", "BackupResult", "BackupError", "RestoreRefused", "RestoreResult", "backup_name",
           "copy_database", "restore", "startup_advice", "STEP_PAGES"]
