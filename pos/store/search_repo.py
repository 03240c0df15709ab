"""Keeping the product_search table in step with the products table.

Called from ``ProductRepo.upsert_many`` in the same transaction as the catalogue write, so the
index can never describe a product that was rolled back, nor miss one that was committed.
Re-indexing compares the terms a product should have with those stored (found through
ix_product_search_sku) and writes only the difference: a price-only re-import rewrites nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from pos.domain.catalog import Product
from pos.search_index import terms_for

from .schema import product_search

# Products per round trip. A product has ~23 terms on average (measured on a generated catalogue),
# so a chunk is ~50k rows: large enough that executemany dominates, small enough that a
# 200,000-product import never holds all 4.5 million terms in memory at once.
CHUNK_PRODUCTS = 2_000
# SQLite's default limit on bound parameters is well above this; keep IN lists modest anyway.
DELETE_CHUNK = 500

_INSERT_SQL = f"INSERT OR IGNORE INTO {product_search.name} (term, sku) VALUES (?, ?)"
_DELETE_SQL = f"DELETE FROM {product_search.name} WHERE term = ? AND sku = ?"

Indexed = tuple[str, str, str | None, str | None, str | None]  # sku, name, barcode, plu, style


class SearchRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def reindex(self, items: Iterable[Product]) -> int:
        """Make the terms of ``items`` exactly their current ones; returns rows inserted + deleted."""
        return self._reindex((p.sku, p.name, p.barcode, p.plu, p.style) for p in items)

    def reindex_rows(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Like :meth:`reindex`, from ``products`` column values (what upsert_many writes)."""
        return self._reindex((r["sku"], r["name"], r.get("barcode"), r.get("plu"), r.get("style")) for r in rows)

    def remove(self, skus: Iterable[str]) -> None:
        """Forget the terms of ``skus`` (uses ix_product_search_sku, not a table scan)."""
        sku_list = list(dict.fromkeys(skus))
        for i in range(0, len(sku_list), DELETE_CHUNK):
            self.conn.execute(product_search.delete().where(product_search.c.sku.in_(sku_list[i:i + DELETE_CHUNK])))

    def terms(self, sku: str) -> set[str]:
        rows = self.conn.execute(product_search.select().where(product_search.c.sku == sku))
        return {r.term for r in rows}

    def _reindex(self, items: Iterable[Indexed]) -> int:
        # The last occurrence of a sku wins, as it does in the upsert: otherwise the first name's
        # terms would survive alongside the second's.
        latest: dict[str, Indexed] = {}
        for item in items:
            latest[item[0]] = item
        products = list(latest.values())
        changed = 0
        for i in range(0, len(products), CHUNK_PRODUCTS):
            chunk = products[i:i + CHUNK_PRODUCTS]
            wanted = {(term, sku) for sku, name, barcode, plu, style in chunk
                      for term in terms_for(sku, name, barcode, plu, style)}
            stored = self._stored([p[0] for p in chunk])
            # Write only the difference: a price-only re-import (the usual head-office push)
            # leaves names alone, and reading terms is far cheaper than rewriting them.
            stale = sorted(stored - wanted)
            fresh = sorted(wanted - stored)  # sorted inserts touch each b-tree page once, not at random
            if stale:
                self.conn.exec_driver_sql(_DELETE_SQL, stale)
            if fresh:
                self.conn.exec_driver_sql(_INSERT_SQL, fresh)
            changed += len(stale) + len(fresh)
        return changed

    def _stored(self, skus: list[str]) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        for i in range(0, len(skus), DELETE_CHUNK):
            part = skus[i:i + DELETE_CHUNK]
            # The DB-API cursor of this connection: ~23 rows per product, and wrapping each in a
            # SQLAlchemy Row doubled the time of a 200,000-product re-import.
            sql = f"SELECT term, sku FROM {product_search.name} WHERE sku IN ({', '.join('?' * len(part))})"
            cursor = self.conn.connection.dbapi_connection.cursor()  # same transaction, no Row objects
            try:
                out.update(cursor.execute(sql, part).fetchall())
            finally:
                cursor.close()
        return out


__all__ = ["SearchRepo"]
