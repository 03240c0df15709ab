"""The single writer's hot path: plain ``sqlite3`` with fixed SQL text, and what every sale re-reads, cached.

A sale, return or void is one ``BEGIN IMMEDIATE`` … ``COMMIT`` on the writer's ``sqlite3``
connection (checked out of the writer engine's pool, so its pragmas and hooks are the engine's).
The values every sale reads again — the chain head, the last closed (Z) day, the open shift, the
next receipt number of a series, gift-box components — are kept in a :class:`WriteCache`, one per
open database, and changed only by the writes that change them.

Why the cache cannot go stale:

* it is only used inside a transaction holding SQLite's write lock (BEGIN IMMEDIATE), so no one
  else can write while it is read;
* at BEGIN it is checked against ``PRAGMA data_version`` of the same connection, which changes
  whenever ANY other connection (another process — the CLI while the till runs —, a backup
  restore, a test's raw connection, another pooled connection) committed: then it is dropped;
* a transaction works on its own overlay (:class:`WriteContext`); the overlay joins the cache
  only after COMMIT succeeded. A rolled-back or failed transaction leaves the cache as it was;
* a transaction that wrote anything the hot path does not account for (``total_changes`` counts
  every row changed on the connection: a catalogue import, a bundle edit, SQLAlchemy writes on the
  same connection) drops the whole cache at commit.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from .db import Database

# -- fixed SQL text ------------------------------------------------------------------------------
SQL_DATA_VERSION = "PRAGMA data_version"
SQL_BEGIN = "BEGIN IMMEDIATE"
SQL_COMMIT = "COMMIT"
SQL_USER_VERSION = "PRAGMA user_version"
SQL_BUSY_TIMEOUT = "PRAGMA busy_timeout"

SQL_JOURNAL_HEAD = "SELECT seq, hash FROM journal WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1"
SQL_JOURNAL_INSERT = ("INSERT INTO journal (terminal_id, seq, kind, business_day, created_at, payload, prev_hash, hash) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
SQL_META_GET = "SELECT value FROM meta WHERE key = ?"
SQL_META_SET = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"

SQL_LAST_CLOSED_DAY = "SELECT MAX(business_day) FROM closures"
SQL_OPEN_SHIFT = ("SELECT shift_no, business_day, opened_seq, opened_at, opened_by, opening_float_fen, closed_seq, "
                  "closed_by, expected_cash_fen, counted_cash_fen FROM shifts WHERE closed_seq IS NULL "
                  "ORDER BY shift_no DESC LIMIT 1")
SQL_SHIFT_BY_NO = ("SELECT shift_no, business_day, opened_seq, opened_at, opened_by, opening_float_fen, closed_seq, "
                   "closed_by, expected_cash_fen, counted_cash_fen FROM shifts WHERE shift_no = ?")

SQL_RECENT_SALE_NOS = ("SELECT receipt_no FROM sales WHERE terminal_id = ? AND business_day = ? "
                       "ORDER BY sales.rowid DESC LIMIT 50")
SQL_COUNT_SALE_NOS = "SELECT COUNT(*) FROM sales WHERE receipt_no GLOB ?"
SQL_COUNT_RETURN_NOS = "SELECT COUNT(*) FROM returns WHERE return_no GLOB ?"

SQL_BUNDLE_COMPONENTS = (
    "SELECT bc.component_sku, p.name, bc.quantity, p.category, p.origin, p.tax_rate_bp, "
    "COALESCE(bc.weight, p.price_fen) FROM bundle_components AS bc JOIN products AS p ON p.sku = bc.component_sku "
    "WHERE bc.bundle_sku = ? ORDER BY bc.component_sku")

SQL_SALE_SEQ = "SELECT journal_seq FROM sales WHERE receipt_no = ?"
SQL_ENTRY_PAYLOAD = "SELECT terminal_id, business_day, payload FROM journal WHERE seq = ?"
SQL_SALE_TIME = ("SELECT j.created_at FROM journal AS j JOIN sales AS s ON s.journal_seq = j.seq "
                 "AND s.terminal_id = j.terminal_id WHERE s.receipt_no = ?")
SQL_RETURN_SEQS = "SELECT journal_seq FROM returns WHERE receipt_no = ? ORDER BY journal_seq"
SQL_VOUCHER_USED = ("SELECT p.receipt_no FROM payments AS p JOIN sales AS s ON s.receipt_no = p.receipt_no "
                    "WHERE p.tender = 'voucher' AND p.reference = ? AND s.training = 0 LIMIT 1")
SQL_ACCOUNT_SPENT = ("SELECT COALESCE(SUM(p.amount_fen), 0) FROM payments AS p JOIN sales AS s "
                     "ON s.receipt_no = p.receipt_no WHERE p.tender = 'account' AND p.reference = ? AND s.training = 0")
SQL_ACCOUNT_BACK = ("SELECT COALESCE(SUM(r.amount_fen), 0) FROM refunds AS r JOIN returns AS t "
                    "ON t.return_no = r.return_no WHERE r.tender = 'account' AND r.reference = ? AND t.training = 0")

# -- cache keys ----------------------------------------------------------------------------------
LAST_DAY = ("last_closed_day",)
OPEN_SHIFT = ("open_shift",)
STOCK_FOLLOWED = ("stock_followed",)


def head_key(terminal_id: str) -> tuple[str, str]:
    return ("head", terminal_id)


def number_key(kind: str, prefix: str) -> tuple[str, str, str]:
    return ("next_no", kind, prefix)


def bundle_key(sku: str) -> tuple[str, str]:
    return ("bundle", sku)


def lots_key(sku: str) -> tuple[str, str]:
    """A product's stock as a draw reads it (pos.store.stock.StockPart)."""
    return ("lots", sku)


_INVALID = object()  # in an overlay: "do not trust the cache for this key; read it again"


class WriteCache:
    """Values the writer re-reads, valid while this connection saw no other connection's commit.

    It also keeps the writer's connection checked out of the pool between transactions (no pool
    checkout, reset and return per sale); a second thread that finds it in use takes another from
    the pool, and after ``engine.dispose()`` (a new pool) it is given back and a fresh one taken.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held_lock = threading.Lock()
        self.held: Any = None  # a PoolProxiedConnection of the writer engine
        self.held_pool: Any = None
        self.values: dict[tuple, Any] = {}
        self._conn: sqlite3.Connection | None = None  # a strong reference: an id() could be reused
        self._version: int | None = None
        self._token: object | None = None
        self.drops = 0  # how often the cache was dropped (tests and the bench look at it)
        self.restarting = False  # start_wal_over holds held_lock (about a millisecond): a sale waits for it

    def begin(self, raw: sqlite3.Connection) -> object:
        """Called inside BEGIN IMMEDIATE: drop everything another connection may have changed."""
        version = raw.execute(SQL_DATA_VERSION).fetchone()[0]
        with self.lock:
            if self._conn is not raw or self._version != version:
                if self.values:
                    self.drops += 1
                self.values = {}
                self._conn, self._version = raw, version
            self._token = token = object()
        return token

    def join(self, token: object, overlay: dict[tuple, Any]) -> None:
        """After a successful COMMIT: the transaction's overlay becomes the cache."""
        with self.lock:
            if token is not self._token:  # another transaction began since (another connection)
                return
            values = self.values
            for key, value in overlay.items():
                if value is _INVALID:
                    values.pop(key, None)
                else:
                    values[key] = value

    def checkout(self, engine: Any) -> tuple[Any, bool]:
        """(the writer's connection, whether it is the held one: give it back with :meth:`checkin`)."""
        if not self.held_lock.acquire(blocking=False) and not (self.restarting and self.held_lock.acquire(timeout=1.0)):
            return engine.raw_connection(), False
        try:
            proxy = self.held
            if proxy is None or self.held_pool is not engine.pool or not proxy.is_valid:
                self.held = None
                if proxy is not None:
                    proxy.close()
                proxy = engine.raw_connection()
                self.held, self.held_pool = proxy, engine.pool
        except BaseException:
            self.held_lock.release()
            raise
        return proxy, True

    def checkin(self, proxy: Any, held: bool, *, closed: bool = False) -> None:
        """End of a transaction: the held connection stays checked out (unless something closed it)."""
        if not held:
            if not closed:
                proxy.close()
            return
        if closed:
            if self.held is proxy:
                self.held = None
        elif self.held is not proxy:  # the database was closed meanwhile: give it back now
            proxy.close()
        self.held_lock.release()

    def start_wal_over(self) -> bool:
        """Start the WAL over now, on the writer's own connection, after a checkpoint has copied all of it.

        The first transaction to write after a complete checkpoint starts the WAL from its beginning and,
        with synchronous=FULL, fsyncs its new header before the frames: two fsyncs instead of one (measured:
        a bare one-row COMMIT 0.37 ms first against 0.17 ms after it). Called from the checkpoint thread in
        a pause between customers, so that the cashier's next sale is not that transaction: it writes
        ``user_version`` again with the value it holds (a change of nothing, one page), so no row, no
        ``total_changes`` and — on this connection — no ``data_version`` move, and the cache stays valid.
        Skipped (False) when the writer's connection is in use or in a transaction, and at once when another
        program holds the write lock (no busy wait: a sale meanwhile would wait for this one). A sale that
        comes while it runs waits for it on the same connection (:meth:`checkout`), keeping the cache."""
        if not self.held_lock.acquire(blocking=False):
            return False
        self.restarting = True
        try:
            proxy = self.held
            if proxy is None or not proxy.is_valid:
                return False
            raw = proxy.driver_connection
            if raw.in_transaction:
                return False
            (busy_ms,) = raw.execute(SQL_BUSY_TIMEOUT).fetchone()
            raw.execute(f"{SQL_BUSY_TIMEOUT} = 0")
            try:
                raw.execute(SQL_BEGIN)
                try:
                    (version,) = raw.execute(SQL_USER_VERSION).fetchone()
                    raw.execute(f"{SQL_USER_VERSION} = {int(version)}")
                    raw.execute(SQL_COMMIT)
                finally:
                    if raw.in_transaction:
                        raw.rollback()
            finally:
                raw.execute(f"{SQL_BUSY_TIMEOUT} = {int(busy_ms)}")
            return True
        except sqlite3.Error:  # busy, read-only, gone: the next sale starts it over, as SQLite would
            return False
        finally:
            self.restarting = False
            self.held_lock.release()

    def release(self) -> None:
        """Give the held connection back to its pool (the database is being closed). A transaction
        still using it (another thread) is waited for a while; otherwise it gives it back itself."""
        got = self.held_lock.acquire(timeout=10)
        try:
            proxy, self.held, self.held_pool = self.held, None, None
            if proxy is not None and got:
                proxy.close()
        finally:
            if got:
                self.held_lock.release()
        self.drop()

    def drop(self) -> None:
        with self.lock:
            self.values = {}
            self._conn = None
            self._version = None
            self._token = None
            self.drops += 1


_caches_lock = threading.Lock()


def cache_of(db: Database) -> WriteCache:
    """The one cache of an open database (kept on the Database object)."""
    cache = getattr(db, "_write_cache", None)
    if cache is None:
        with _caches_lock:
            cache = getattr(db, "_write_cache", None)
            if cache is None:
                cache = WriteCache()
                db._write_cache = cache  # type: ignore[attr-defined]
    return cache


class WriteContext:
    """One write transaction's plain connection and its overlay over the writer's cache.

    ``known`` counts the rows the hot path changed (journal, read models, report facts, meta); at
    commit, ``total_changes`` beyond that means something else wrote and the cache is dropped.
    """

    __slots__ = ("raw", "overlay", "known", "_cache", "_token", "_changes0", "_sa")

    def __init__(self, raw: sqlite3.Connection, cache: WriteCache, sa: Any) -> None:
        self.raw = raw
        self.overlay: dict[tuple, Any] = {}
        self.known = 0
        self._cache = cache
        self._token = cache.begin(raw)
        self._changes0 = raw.total_changes
        self._sa = sa  # a callable giving the SQLAlchemy Connection of this transaction

    @property
    def conn(self) -> Any:
        """The SQLAlchemy Connection on the same transaction (made on first use)."""
        return self._sa()

    MISSING = _INVALID

    def get(self, key: tuple) -> Any:
        """The cached value, or MISSING (read it, then :meth:`put` it)."""
        value = self.overlay.get(key, self)
        if value is not self:
            return value
        return self._cache.values.get(key, _INVALID)

    def put(self, key: tuple, value: Any) -> None:
        self.overlay[key] = value

    def forget(self, key: tuple) -> None:
        self.overlay[key] = _INVALID

    def committed(self) -> None:
        """COMMIT succeeded: keep what this transaction learnt, unless it wrote things we do not follow."""
        if self.raw.total_changes - self._changes0 != self.known:
            self._cache.drop()
        else:
            self._cache.join(self._token, self.overlay)

    def failed(self) -> None:
        """COMMIT itself failed (e.g. disk full): whatever is on disk now, read it again."""
        self._cache.drop()


# -- checkpoints off the cashier's path ------------------------------------------------------------
# SQLite copies the WAL back into the database file ("checkpoint") by itself inside the COMMIT that
# takes the WAL past ``wal_autocheckpoint`` pages (1,000 by default). A sale dirties about twenty
# pages, so about one sale in thirty paid for writing and fsyncing the database file (2-16 ms against
# a 1.9 ms median in bench_ledger). Here a background thread with a connection of its own runs a
# PASSIVE checkpoint once the till has been quiet for CHECKPOINT_IDLE_S after a commit — between two
# customers — so the WAL is copied back and the next sale writes it from its beginning again (the
# thread starts it over itself, WriteCache.start_wal_over, so that the new WAL header's own fsync is
# paid in the pause, not by that sale); the in-line checkpoint at WAL_AUTOCHECKPOINT_PAGES is then
# only the bound for a till that never pauses.
# Measured: checkpointing beside back-to-back sales (every 8 commits) doubled their median on ext4,
# because the WAL seldom started over and every fsync of a growing file waits for the file system's
# journal, and the checkpoint's own fsyncs queue with the sale's; so it waits for a pause.
# The bound is 2,000 pages (8 MiB of WAL), not SQLite's 1,000: a sale appends about 17 pages, so
# sales rung up back to back with no pause between them run SQLite's checkpoint in one COMMIT in
# about 118 instead of one in 60 — under 1 %, so no longer the p99 of such a run (bench_ledger) —
# each such stall copying at most twice the frames. A till that pauses never reaches it.
# Durability is unchanged: a committed sale is in the WAL, fsynced, before COMMIT returns.
WAL_AUTOCHECKPOINT_PAGES = 2_000
CHECKPOINT_IDLE_S = 0.1
SQL_CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)"


class Checkpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` in a daemon thread on a short-lived connection of its own.

    :meth:`nudge` (after every committed write) notes the time of the commit and wakes the thread
    only when it sleeps with nothing to do: sales rung up back to back never wake it (waking it at
    each commit made the cashier's thread hand over the GIL and the CPU to it in the middle of the
    next sale). The thread, once woken, sleeps until ``idle_s`` has passed since the LAST commit and
    then checkpoints. It starts on the first nudge and is stopped (and waited for) by :meth:`stop`,
    which :meth:`pos.store.db.Database.dispose` calls, so nothing holds the file after the till is
    closed. A failure is left to the next pause and to SQLite's own checkpoint in line.
    """

    def __init__(self, path: Any, *, idle_s: float = CHECKPOINT_IDLE_S, timeout_s: float = 10.0,
                 start_over: Callable[[], bool] | None = None) -> None:
        self.path = str(path)
        self.start_over = start_over  # WriteCache.start_wal_over of the database, after a complete checkpoint
        self.started_over = 0  # WALs started over in a pause (the tests look at it)
        self.idle_s = idle_s
        self.timeout_s = timeout_s
        self.catch_up = 4
        self.pending = 0
        self.runs = 0  # checkpoints run (tests and the bench look at it)
        self.last: tuple[int, int, int] | None = None  # (busy, WAL frames, frames copied) of the last run
        self._wake = threading.Event()  # set: a commit came while the thread had nothing to do
        self._halt = threading.Event()  # set by stop(): ends the thread's sleeps at once
        self._idle = True  # the thread waits on _wake (no commit since its last checkpoint)
        self._last = 0.0  # time.monotonic() of the last commit
        self._stopped = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def nudge(self) -> None:
        self._last = time.monotonic()
        self.pending += 1  # a lost increment under a race only delays a checkpoint
        if self._idle:
            self._idle = False
            if self._thread is None:
                self._start()
            self._wake.set()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        halt = self._halt
        while True:
            self._wake.wait()
            self._wake.clear()
            while not self._stopped:  # wait for a pause: no commit for idle_s
                quiet = time.monotonic() - self._last
                if quiet >= self.idle_s:
                    break
                halt.wait(self.idle_s - quiet)
            if self._stopped:
                return
            self._idle = True  # from here a commit wakes the thread again …
            if self.pending:
                last = self.run_once()
                # all of it copied and no commit since: start the WAL over here, not in the next sale
                if (last is not None and last[0] == 0 and last[1] == last[2] > 0 and not self.pending
                        and not self._stopped and self.start_over is not None and self.start_over()):
                    self.started_over += 1
            if self.pending and self._idle:  # … and one that came during the checkpoint is not lost
                self._idle = False
                self._wake.set()

    def run_once(self) -> tuple[int, int, int] | None:
        """PASSIVE checkpoints now (on the caller's thread) until one finds nothing new to copy: frames
        committed while a checkpoint ran would keep the next transaction from writing the WAL from its
        beginning again (a few tries; a busy till is caught up at its next pause). None: it could not run."""
        self.pending = 0
        try:
            # mode=rw: a database removed meanwhile is not created again, empty
            conn = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=rw", uri=True, timeout=self.timeout_s,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            conn.execute("PRAGMA synchronous = FULL")  # the database file is fsynced after the copy
            for _ in range(self.catch_up):
                busy, frames, copied = conn.execute(SQL_CHECKPOINT).fetchone()
                before, self.last = self.last, (int(busy), int(frames), int(copied))
                self.runs += 1
                if busy or frames != copied or self._stopped or (before is not None and before[1] == frames):
                    break
            return self.last
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            thread = self._thread
        self._halt.set()
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.timeout_s + 5)


def checkpointer_of(db: Database) -> Checkpointer:
    """The one Checkpointer of an open database (kept on the Database object)."""
    cp = getattr(db, "_checkpointer", None)
    if cp is None:
        cache = cache_of(db)  # (takes _caches_lock itself)
        with _caches_lock:
            cp = getattr(db, "_checkpointer", None)
            if cp is None:
                cp = Checkpointer(db.path, start_over=cache.start_wal_over)
                db._checkpointer = cp  # type: ignore[attr-defined]
    return cp
