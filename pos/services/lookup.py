"""Finding a product by what was scanned or typed: the scan hot path (barcode, PLU, SKU).

The lookups run on plain ``sqlite3`` read-only connections to the till's file (one per thread:
the UI thread and a worker may both scan or search), with fixed SQL text that sqlite3 prepares
once and keeps in its statement cache, and no BEGIN/ROLLBACK around a lookup: in WAL mode each
autocommit SELECT reads one consistent snapshot, and it never waits behind a sale being written.
Through SQLAlchemy the same lookup cost ×25–55 a bare indexed SELECT (pool checkout, BEGIN,
statement building, Row objects); here it costs about the SELECT itself.

SQLite failures (a damaged file, an I/O error) still become the plain :class:`StoreError` of
pos.store.db, exactly as on the SQLAlchemy engines.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from pos.domain.barcodes import clean_code
from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import InvalidInput, UnknownProduct
from pos.store.db import (
    BUSY_TIMEOUT_MS,
    CorruptDatabase,
    _problem,
    _with_way_out,
    translate_error,
)

from .context import TillIdentity

# The columns a Product is made of, in the order PRODUCT_COLUMNS' tuples arrive in.
PRODUCT_COLUMNS = "sku, name, price_fen, sold_by, barcode, category, origin, unit, plu, tax_rate_bp, style, size, color, active"
_SOLD_BY = {s.value: s for s in SoldBy}


def product_from_tuple(row: Sequence[Any]) -> Product:
    """A Product from a row of ``SELECT PRODUCT_COLUMNS`` (the same values product_from_row gives)."""
    sku, name, price, sold_by, barcode, category, origin, unit, plu, tax, style, size, color, active = row
    return Product(sku, name, price, _SOLD_BY.get(sold_by) or SoldBy(sold_by), barcode, category, origin, unit, plu,
                   tax, style, size, color, bool(active))


def _connect_args(engine: Engine) -> tuple[str, bool]:
    """(what to pass to sqlite3.connect, uri?) for the file ``engine`` opens."""
    url = engine.url
    database = url.database or ""
    if url.query.get("uri") in ("true", "1", "True"):
        query = "&".join(f"{k}={v}" for k, v in url.query.items() if k != "uri")
        return (f"{database}?{query}" if query else database), True
    return database, False


class SqliteReader:
    """Per-thread read-only ``sqlite3`` connections to the file a SQLAlchemy reader engine opens.

    ``query_only`` and the busy timeout are set as on the reader engine; connections are closed
    when the engine is disposed (Till.close), so nothing holds the file after the till is shut.
    One per engine (:meth:`for_engine`): the lookup and the search share a thread's connection.
    """

    _by_engine: weakref.WeakKeyDictionary[Engine, SqliteReader] = weakref.WeakKeyDictionary()
    _by_engine_lock = threading.Lock()

    @classmethod
    def for_engine(cls, engine: Engine) -> SqliteReader:
        with cls._by_engine_lock:
            reader = cls._by_engine.get(engine)
            if reader is None:
                reader = cls._by_engine[engine] = cls(engine)
            return reader

    def __init__(self, engine: Engine) -> None:
        self._target, self._uri = _connect_args(engine)
        self._path = Path(engine.url.database or "")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []
        self._generation = 0
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of one read, a damaged or locked file said in plain words (StoreError)."""
        try:
            return self.connection().execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as exc:
            raise self.plain(exc) from exc

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation == self._generation:
            return conn
        try:
            conn = sqlite3.connect(self._target, uri=self._uri, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False, cached_statements=256)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise self.plain(exc) from exc
        with self._lock:
            self._open.append(conn)
            self._local.conn, self._local.generation = conn, self._generation
        return conn

    def plain(self, exc: BaseException) -> BaseException:
        """The StoreError a cashier sees for ``exc`` (or ``exc`` itself if it is not a known failure)."""
        plain = translate_error(exc, read_only_engine=True)
        if isinstance(plain, CorruptDatabase):  # found mid-operation: the same way out as at start-up
            plain = _with_way_out(_problem(CorruptDatabase, f"the database {self._path} is damaged; nothing was saved",
                                           f"数据库文件 {self._path} 已损坏，交易未保存", self._path), self._path)
        return plain if plain is not None else exc

    def close(self) -> None:
        """Close every connection opened so far (threads open a fresh one on their next read)."""
        with self._lock:
            conns, self._open = self._open, []
            self._generation += 1
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:  # closing from another thread mid-statement: it goes with the thread
                pass


_BY_BARCODE = f"SELECT {PRODUCT_COLUMNS} FROM products WHERE barcode = ? AND (store_code IS NULL OR store_code = ?)"
_BY_PLU = f"SELECT {PRODUCT_COLUMNS} FROM products WHERE plu = ? AND (store_code IS NULL OR store_code = ?)"
_BY_SKU = f"SELECT {PRODUCT_COLUMNS} FROM products WHERE sku = ?"


class CatalogLookup:
    """Read-only product lookups beside the reader engine (never waits behind a sale being written)."""

    def __init__(self, reader: Engine, till: TillIdentity) -> None:
        self._reader = reader
        self._till = till
        self._db = SqliteReader.for_engine(reader)

    def find(self, code: str) -> Product:
        """The product for a scanned or typed code: barcode first, then PLU, then SKU."""
        c = clean_code(code)
        if not c:
            raise InvalidInput("nothing was scanned", message_zh="未输入条码")
        if len(c) > 64 or not c.isprintable():
            raise UnknownProduct(f"'{code[:40]}' is not a product code", message_zh="无法识别的条码")
        store = self._till.store_code
        try:
            conn = self._db.connection()
            row = conn.execute(_BY_BARCODE, (c, store)).fetchone()
            if row is None and c.isdigit() and len(c) <= 5:
                row = conn.execute(_BY_PLU, (c.lstrip("0") or "0", store)).fetchone()
                if row is None:
                    row = conn.execute(_BY_PLU, (c, store)).fetchone()
            if row is None:
                upper = c.upper()
                row = conn.execute(_BY_SKU, (upper,)).fetchone()
                if row is None and upper != c:
                    row = conn.execute(_BY_SKU, (c,)).fetchone()
        except sqlite3.Error as exc:
            raise self._db.plain(exc) from exc
        if row is None:
            raise UnknownProduct(f"no product with code {c}", message_zh=f"未找到商品：{c}", code_scanned=c)
        return product_from_tuple(row)

    def by_plu(self, plu: str) -> Product:
        try:
            row = self._db.connection().execute(_BY_PLU, (plu, self._till.store_code)).fetchone()
        except sqlite3.Error as exc:
            raise self._db.plain(exc) from exc
        if row is None:
            raise UnknownProduct(f"no product with PLU {plu}", message_zh=f"未找到 PLU {plu} 对应的商品")
        return product_from_tuple(row)


__all__ = ["PRODUCT_COLUMNS", "CatalogLookup", "SqliteReader", "product_from_tuple"]
