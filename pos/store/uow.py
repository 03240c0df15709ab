"""The unit of work: one SQLite write transaction; rolls back unless ``commit()`` is called.

The transaction is ``BEGIN IMMEDIATE`` on the writer's plain ``sqlite3`` connection, checked out
of the writer engine's pool (its pragmas, hooks and error translation are the engine's). The hot
path — the journal append with its read models, receipt numbering, business day, open shift,
gift-box components — runs fixed SQL on it with what every sale re-reads cached in the writer
(pos.store.writer). Everything else asks ``uow.conn``: a SQLAlchemy Connection made on first use
on the SAME connection and transaction, so a sale that never needs SQLAlchemy never builds one.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from sqlalchemy import Connection, func, select

from pos.domain.business_day import BusinessDay, till_day
from pos.domain.ledger import ChainHead, EntryKind, JournalEntry, StoredEntry, next_entry_text
from pos.domain.stock import StockState

from . import (
    json_text,  # noqa: F401 - installs msgspec as the canonical JSON encoder (the same text, faster)
    projections,
    stock,
)
from . import writer as W
from .db import Database, plain_error
from .repositories import (
    AccountRepo,
    BundleRepo,
    ClosureRepo,
    DocumentRepo,
    MetaRepo,
    ProductRepo,
    ShiftRepo,
    StoreRepo,
    UserRepo,
    to_stored,
)
from .schema import journal, sales

JOURNAL_HEAD = "journal_head"
_DIGITS = "0123456789"


class JournalRepo:
    def __init__(self, conn: Connection | W.WriteContext, terminal_id: str) -> None:
        self._hot = conn if isinstance(conn, W.WriteContext) else None
        self._sa = None if self._hot is not None else conn
        self.terminal_id = terminal_id
        self.drawn: set[str] = set()  # products whose state after the next sale's draws is in the cache already

    @property
    def conn(self) -> Connection:
        return self._hot.conn if self._hot is not None else self._sa

    def head(self) -> ChainHead | None:
        hot = self._hot
        key = W.head_key(self.terminal_id)
        if hot is not None:
            cached = hot.get(key)
            if cached is not W.WriteContext.MISSING:
                return cached
            raw = hot.raw
        else:
            raw = self._sa.connection.driver_connection
        row = raw.execute(W.SQL_JOURNAL_HEAD, (self.terminal_id,)).fetchone()
        head = ChainHead(row[0], row[1]) if row else None
        if hot is not None:
            hot.put(key, head)
        return head

    def append(self, kind: str, *, business_day: str, created_at: str, payload: dict[str, Any],
               doc: Any = None) -> JournalEntry:
        """Chain a new entry after the head and write its read models, in this transaction.

        ``doc``: the Sale or Return ``payload`` was made from (its read-model rows come from it)."""
        hot = self._hot
        raw = hot.raw if hot is not None else self._sa.connection.driver_connection
        entry, text = next_entry_text(self.head(), terminal_id=self.terminal_id, kind=kind, business_day=business_day,
                                      created_at=created_at, payload=payload)
        before = raw.total_changes
        raw.execute(W.SQL_JOURNAL_INSERT, (entry.terminal_id, entry.seq, entry.kind, entry.business_day,
                                           entry.created_at, text, entry.prev_hash, entry.hash))
        projections.apply(raw, entry, doc)
        # The head of the chain, kept beside it: a journal cut short at its end (which no hash
        # can show) no longer matches it. Someone with the file can rewrite this too; the anchor
        # out of their reach is head office's acknowledged seq and hash.
        raw.execute(W.SQL_META_SET, (f"{JOURNAL_HEAD}:{entry.terminal_id}", f"{entry.seq}:{entry.hash}"))
        if hot is not None:
            hot.known += raw.total_changes - before
            hot.put(W.head_key(self.terminal_id), ChainHead(entry.seq, entry.hash))
            _follow(hot, entry, self.drawn)
        return entry

    def stored(self, seq: int) -> StoredEntry | None:
        row = self.conn.execute(
            select(journal).where(journal.c.terminal_id == self.terminal_id, journal.c.seq == seq)
        ).first()
        return to_stored(row) if row else None


def _forget_stock(hot: W.WriteContext, entry: JournalEntry, drawn: set[str]) -> None:
    """Forget the cached stock of the products an entry moves (pos.store.stock writes their rows from it), but
    those whose state after a sale's draws this transaction put already (``drawn``, then emptied)."""
    p = entry.payload
    kind = entry.kind
    if kind == EntryKind.SALE or kind == EntryKind.RETURN:
        skus = {d["sku"] for d in p.get("draws") or ()}
        if kind == EntryKind.SALE:
            skus -= drawn
    elif kind == EntryKind.STOCK_RECEIPT:
        skus = {lot["sku"] for lot in p["lots"]}
    elif kind == EntryKind.STOCK_WRITEOFF:
        skus = {p["sku"]}
    else:
        skus = {line["sku"] for line in p["lines"]}
    drawn.clear()
    for sku in skus:
        hot.forget(W.lots_key(sku))


def _follow(hot: W.WriteContext, entry: JournalEntry, drawn: set[str]) -> None:
    """Move the cached values an entry just written changes (they join the cache at commit)."""
    kind = entry.kind
    if kind == EntryKind.SALE or kind == EntryKind.RETURN:
        if "draws" in entry.payload or drawn:
            _forget_stock(hot, entry, drawn)
        doc_kind, no = ("sale", entry.payload["receipt_no"]) if kind == EntryKind.SALE else ("return",
                                                                                           entry.payload["return_no"])
        prefix = no.rstrip(_DIGITS)
        key = W.number_key(doc_kind, prefix)
        known = hot.get(key)
        if known is not W.WriteContext.MISSING and len(prefix) < len(no):
            # sales: 1 + the newest number; returns: 1 + how many there are (DocumentRepo.next_number)
            hot.put(key, int(no[len(prefix):]) + 1 if doc_kind == "sale" else known + 1)
    elif kind == EntryKind.SHIFT_OPEN or kind == EntryKind.SHIFT_CLOSE:
        hot.forget(W.OPEN_SHIFT)
    elif kind == EntryKind.Z_CLOSURE:
        hot.forget(W.LAST_DAY)
    elif kind in stock.STOCK_KINDS:
        hot.forget(W.STOCK_FOLLOWED)
        _forget_stock(hot, entry, drawn)


class SalesRepo:
    def __init__(self, conn: Connection, terminal_id: str) -> None:
        self.conn = conn
        self.terminal_id = terminal_id

    def count_for_day(self, business_day: str) -> int:
        return self.conn.execute(
            select(func.count()).select_from(sales).where(
                sales.c.terminal_id == self.terminal_id, sales.c.business_day == business_day
            )
        ).scalar_one()


class SqlUnitOfWork:
    """``with uow: …; uow.commit()`` — leaving the block without commit rolls everything back.

    A sqlite3 failure inside the block (or at commit) leaves it as the same plain StoreError the
    SQLAlchemy engines raise (disk full, read-only, damaged file …), or as SQLAlchemy's own
    exception class for anything else (an IntegrityError stays an IntegrityError).
    """

    def __init__(self, db: Database, terminal_id: str, tz: tzinfo = timezone(timedelta(hours=8))) -> None:
        self.db = db
        self.terminal_id = terminal_id
        self.tz = tz

    def __enter__(self) -> SqlUnitOfWork:
        self._sa: Connection | None = None
        cache = self._cache = W.cache_of(self.db)
        proxy, self._held = cache.checkout(self.db.writer)
        self._proxy = proxy
        raw = self.raw = proxy.driver_connection
        try:
            raw.execute(W.SQL_BEGIN)
            self.hot = W.WriteContext(raw, cache, self._connection)
        except BaseException as exc:
            try:
                if raw.in_transaction:
                    raw.rollback()
            finally:
                cache.checkin(proxy, self._held)
            if isinstance(exc, sqlite3.Error):
                raise self._translated(exc) from exc
            raise
        self.journal = JournalRepo(self.hot, self.terminal_id)
        self.meta = MetaRepo(self.hot)
        self.documents = DocumentRepo(self.hot)
        self.bundles = BundleRepo(self.hot)
        self.shifts = ShiftRepo(self.hot)
        return self

    # -- the SQLAlchemy side, made on first use on the same connection and transaction ----------
    def _connection(self) -> Connection:
        if self._sa is None:
            self._sa = Connection(self.db.writer, self._proxy)
        return self._sa

    @property
    def conn(self) -> Connection:
        return self._connection()

    @functools.cached_property
    def sales(self) -> SalesRepo:
        return SalesRepo(self.conn, self.terminal_id)

    @functools.cached_property
    def products(self) -> ProductRepo:
        return ProductRepo(self.conn)

    @functools.cached_property
    def users(self) -> UserRepo:
        return UserRepo(self.conn)

    @functools.cached_property
    def stores(self) -> StoreRepo:
        return StoreRepo(self.conn)

    @functools.cached_property
    def accounts(self) -> AccountRepo:
        return AccountRepo(self.conn)

    @functools.cached_property
    def closures(self) -> ClosureRepo:
        return ClosureRepo(self.conn)

    # -- business day --------------------------------------------------------------------------
    def business_day(self, now: datetime) -> str:
        """The business day an operation at ``now`` belongs to (``YYYY-MM-DD``, as journaled): the
        local date, unless that day has been closed (Z) already, in which case it is the day after
        the last closed one. See :meth:`business_day_value` for the value."""
        return self.business_day_value(now).iso

    def business_day_value(self, now: datetime) -> BusinessDay:
        return till_day(BusinessDay.of(now, self.tz), self.last_closed_day())

    def last_closed_day(self) -> BusinessDay | None:
        """The latest business day with a Z. Read from the closures read model (rebuilt from the
        journal), so a restored or re-verified database agrees with it; cached in the writer until
        the next Z."""
        last = self.hot.get(W.LAST_DAY)
        if last is W.WriteContext.MISSING:
            last = self.raw.execute(W.SQL_LAST_CLOSED_DAY).fetchone()[0]
            self.hot.put(W.LAST_DAY, last)
        return BusinessDay.parse(last) if last is not None else None

    # -- stock (issue 15) ------------------------------------------------------------------------
    def stock_followed(self) -> bool:
        """Whether any product's stock is followed at all (a lot was ever received, or a count made):
        until then a sale reads nothing about stock. Cached in the writer until a stock entry."""
        followed = self.hot.get(W.STOCK_FOLLOWED)
        if followed is W.WriteContext.MISSING:
            followed = stock.any_stock(self.raw)
            self.hot.put(W.STOCK_FOLLOWED, followed)
        return followed

    def stock_state(self, skus) -> StockState:  # noqa: ANN001
        """What drawing these products needs, read in this transaction (pos.store.stock.load_state).

        Each product's part is kept in the writer's cache: a sale's draws leave it as the state after them
        (:meth:`stock_drawn`), and any other entry that moves the product's stock forgets it (_follow), so a
        product sold again reads nothing (a lot sale read ~110 µs of lots)."""
        hot = self.hot
        parts: dict[str, stock.StockPart] = {}
        missing = []
        for sku in set(skus):
            part = hot.get(W.lots_key(sku))
            if part is W.WriteContext.MISSING:
                missing.append(sku)
            else:
                parts[sku] = part
        if missing:
            for sku, part in stock.state_parts(stock.load_state(self.raw, missing), missing).items():
                hot.put(W.lots_key(sku), part)
                parts[sku] = part
        return stock.state_of_parts(parts)

    def stock_drawn(self, after: StockState, skus) -> None:  # noqa: ANN001
        """The state after a sale's draws worked out from :meth:`stock_state` (``skus``: the products drawn): what
        the sale's entry, once appended, leaves in its lots. It joins the cache only if this transaction commits;
        a sale appended without it has its products forgotten instead (_follow)."""
        hot = self.hot
        for sku, part in stock.state_parts(after, set(skus)).items():
            hot.put(W.lots_key(sku), part)
            self.journal.drawn.add(sku)

    # -- the end of the transaction ------------------------------------------------------------
    def commit(self) -> None:
        sa = self._sa
        via_sa = sa is not None and sa.in_transaction()
        try:
            if via_sa:
                sa.commit()  # errors are translated by the engine's handle_error
            else:
                self.raw.execute(W.SQL_COMMIT)
        except sqlite3.Error as exc:
            self.hot.failed()
            raise self._translated(exc) from exc
        except BaseException:
            self.hot.failed()
            raise
        self.hot.committed()
        if not via_sa:  # (SQLAlchemy's commit tells it through the engine's commit event)
            W.checkpointer_of(self.db).nudge()  # the WAL is copied back into the file in the background

    def rollback(self) -> None:
        sa = self._sa
        if sa is not None and sa.in_transaction():
            sa.rollback()
        if self.raw.in_transaction:
            self.raw.rollback()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        try:
            self.rollback()
        finally:
            sa = self._sa
            if sa is not None:
                sa.close()  # gives the connection back to the pool (the writer takes a fresh one next time)
            self._cache.checkin(self._proxy, self._held, closed=sa is not None)
        if isinstance(exc, sqlite3.Error):
            raise self._translated(exc) from exc

    def _translated(self, exc: sqlite3.Error) -> Exception:
        plain = plain_error(exc, self.db.path)
        if plain is not None:
            return plain
        from sqlalchemy.exc import DBAPIError

        return DBAPIError.instance(None, None, exc, sqlite3.Error)


def iter_journal(conn: Connection, terminal_id: str | None, *, after_seq: int = 0, batch: int = 2000) -> Iterator[StoredEntry]:
    """Stored entries in seq order, read in batches (constant memory).

    ``terminal_id=None`` reads every row whatever its terminal, so that ``ledger verify`` also
    sees a row whose terminal id was changed behind the triggers' back.
    """
    last = after_seq
    while True:
        q = select(journal).where(journal.c.seq > last)
        if terminal_id is not None:
            q = q.where(journal.c.terminal_id == terminal_id)
        rows = conn.execute(q.order_by(journal.c.seq, journal.c.terminal_id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield to_stored(row)
        last = rows[-1].seq
