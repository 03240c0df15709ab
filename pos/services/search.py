"""Finding products as the cashier types: codes, pinyin, initials or Chinese.

Reads on plain read-only ``sqlite3`` connections beside the reader engine (pos.services.lookup:
per thread, fixed SQL text, never waits behind a sale being written). Order of results:

1. exact barcode, PLU or SKU hits (a typed code should land on its product first);
2. prefix matches on the search terms (pos/search_index.py), best first: the shortest matching
   term (``pg`` is a closer hit on 苹果 than on 苹果干), then the shorter name, then the name.

Only active products sold at this till's store (store_code NULL or equal) are returned.
"""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import Engine

from pos.domain.barcodes import clean_code
from pos.domain.catalog import Product
from pos.domain.scan import payment_provider
from pos.search_index import normalize

from .context import TillIdentity
from .lookup import PRODUCT_COLUMNS, SqliteReader, product_from_tuple

# The highest code point: ``q + _MAX_CHAR`` is above every string that starts with ``q``, so the
# prefix test is a range on the primary key (term >= q AND term < q || max) rather than LIKE,
# which SQLite cannot answer from the index here.
_MAX_CHAR = "\U0010ffff"
# Terms read per round trip, and how many rounds a query may take when filtering (other stores'
# products, inactive ones) leaves too few results. A page is the costly part of a search (read in
# key order, grouped per product): at 1,000,000 products on a loaded 2-CPU host 2,000 terms
# cost ~4 ms of SQLite, 500 ~1.3 ms, 300 ~0.9 ms (the fastest of three runs; a busy host's p99 is
# ~10× that). A range wider than a page (one or two letters typed) is ranked on its first page
# either way; anything narrower is ranked exactly.
PAGE_TERMS = 300
MAX_PAGES = 5
# Of a page's products, the CANDIDATES with the shortest matching terms are ranked on their names
# (a product row read each; at least 3× the results asked for); the rest of the page only when
# filtering left too few.
CANDIDATES = 60

_VISIBLE = "p.active = 1 AND (p.store_code IS NULL OR p.store_code = :store)"
_P_COLUMNS = ", ".join(f"p.{c.strip()}" for c in PRODUCT_COLUMNS.split(","))

# Barcode, then PLU, then SKU equal to what was typed (as typed and upper-cased): each an index seek.
_EXACT_SQL = f"""
SELECT {_P_COLUMNS} FROM products AS p
WHERE (p.barcode IN (:c1, :c2) OR p.plu IN (:c1, :c2) OR p.sku IN (:c1, :c2)) AND {_VISIBLE}
ORDER BY CASE WHEN p.barcode IN (:c1, :c2) THEN 0 WHEN p.plu IN (:c1, :c2) THEN 1 ELSE 2 END, p.name, p.sku
LIMIT :limit
"""

# One page of terms in key order (after the keyset :after_term/:after_sku when given), each
# product's shortest matching term, the :candidates best of those ranked on their rows.
_PAGE = """
SELECT term, sku FROM product_search
WHERE term >= :lo AND term < :hi AND (:after_term IS NULL OR (term, sku) > (:after_term, :after_sku))
ORDER BY term, sku LIMIT :page
"""
_PREFIX_SQL = f"""
WITH page AS ({_PAGE}),
matches AS (SELECT sku, min(length(term)) AS best FROM page GROUP BY sku ORDER BY best, sku LIMIT :candidates)
SELECT {_P_COLUMNS}, m.best FROM matches AS m JOIN products AS p ON p.sku = m.sku
WHERE {_VISIBLE} AND p.sku NOT IN (SELECT value FROM json_each(:exclude))
ORDER BY m.best, length(p.name), p.name, p.sku
LIMIT :limit
"""
# The page's size in products and its last (term, sku): whether the rest of it, or another page, is worth reading.
_PAGE_END_SQL = f"""
WITH page AS ({_PAGE})
SELECT (SELECT count(DISTINCT sku) FROM page), (SELECT count(*) FROM page),
       (SELECT term FROM page ORDER BY term DESC, sku DESC LIMIT 1), (SELECT sku FROM page ORDER BY term DESC, sku DESC LIMIT 1)
"""


def prefix_bounds(q: str) -> tuple[str, str]:
    """The half-open range of terms that start with ``q``."""
    return q, q + _MAX_CHAR


class ProductSearch:
    def __init__(self, reader: Engine, till: TillIdentity) -> None:
        self._reader = reader
        self._till = till
        self._db = SqliteReader.for_engine(reader)

    def search(self, text: str, limit: int = 20) -> list[Product]:
        """Products for what has been typed so far; [] for nothing or a single ASCII character."""
        code = clean_code(text)
        q = normalize(text)
        if limit <= 0 or not q or (len(q) == 1 and q.isascii()):
            return []
        if payment_provider(code):  # a customer's payment code is never a search (FIELD-NOTES)
            return []
        try:
            conn = self._db.connection()
            found = self._exact(conn, code, limit)
            if len(found) < limit:
                found += self._prefix(conn, q, limit - len(found), exclude=[p.sku for p in found])
        except sqlite3.Error as exc:
            raise self._db.plain(exc) from exc
        return found[:limit]

    def _exact(self, conn: sqlite3.Connection, code: str, limit: int) -> list[Product]:
        if not code or len(code) > 64:
            return []
        rows = conn.execute(_EXACT_SQL, {"c1": code, "c2": code.upper(), "store": self._till.store_code,
                                         "limit": limit}).fetchall()
        return [product_from_tuple(r) for r in rows]

    def _prefix(self, conn: sqlite3.Connection, q: str, limit: int, exclude: list[str]) -> list[Product]:
        """Products with a term starting with ``q``: shortest matching term, then shorter name.

        The term range is read in pages of PAGE_TERMS rows in key order, so a one-syllable query
        on a huge catalogue (``ji`` matches tens of thousands of terms) costs one page, not the
        whole range: ranking is exact whenever the range fits in a page (as soon as the cashier
        has typed a little more), and a wide range yields its first page's best. Of a page, the
        CANDIDATES products with the shortest terms are ranked on their names; the whole page
        only when filtering left too few. Further pages are read only when store/active
        filtering left too few results, up to MAX_PAGES.
        """
        lo, hi = prefix_bounds(q)
        found: dict[str, tuple[int, Product]] = {}
        params = {"lo": lo, "hi": hi, "after_term": None, "after_sku": None, "page": PAGE_TERMS,
                  "store": self._till.store_code, "exclude": json.dumps(exclude), "limit": limit}
        candidates = max(CANDIDATES, 3 * limit)
        for _ in range(MAX_PAGES):
            rows = conn.execute(_PREFIX_SQL, {**params, "candidates": candidates}).fetchall()
            end = None
            if len(rows) < limit:
                end = conn.execute(_PAGE_END_SQL, params).fetchone()
                if end[0] > candidates:  # the page has more products than were ranked: rank them all
                    rows = conn.execute(_PREFIX_SQL, {**params, "candidates": PAGE_TERMS}).fetchall()
            for r in rows:
                sku, best = r[0], r[-1]
                if sku not in found or best < found[sku][0]:
                    found[sku] = (best, product_from_tuple(r[:-1]))
            if len(found) >= limit or end is None or end[1] < PAGE_TERMS:
                break
            params["lo"], params["after_term"], params["after_sku"] = end[2], end[2], end[3]
        ranked = sorted(found.values(), key=lambda bp: (bp[0], len(bp[1].name), bp[1].name, bp[1].sku))
        return [p for _, p in ranked[:limit]]


__all__ = ["ProductSearch", "prefix_bounds"]
