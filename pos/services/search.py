"""Finding products as the cashier types: codes, pinyin, initials or Chinese.

Reads on the reader engine (never waits behind a sale being written). Order of results:

1. exact barcode, PLU or SKU hits (a typed code should land on its product first);
2. prefix matches on the search terms (pos/search_index.py), best first: the shortest matching
   term (``pg`` is a closer hit on 苹果 than on 苹果干), then the shorter name, then the name.

Only active products sold at this till's store (store_code NULL or equal) are returned.
"""

from __future__ import annotations

from sqlalchemy import Engine, and_, case, func, or_, select, tuple_

from pos.domain.barcodes import clean_code
from pos.domain.catalog import Product
from pos.domain.scan import payment_provider
from pos.search_index import normalize
from pos.store.repositories import product_from_row
from pos.store.schema import product_search, products

from .context import TillIdentity

# The highest code point: ``q + _MAX_CHAR`` is above every string that starts with ``q``, so the
# prefix test is a range on the primary key (term >= q AND term < q || max) rather than LIKE,
# which SQLite cannot answer from the index here.
_MAX_CHAR = "\U0010ffff"
# Terms read per round trip, and how many rounds a query may take when filtering (other stores'
# products, inactive ones) leaves too few results. Measured on 200,000 products: see the report.
PAGE_TERMS = 2_000
MAX_PAGES = 5


def prefix_bounds(q: str) -> tuple[str, str]:
    """The half-open range of terms that start with ``q``."""
    return q, q + _MAX_CHAR


class ProductSearch:
    def __init__(self, reader: Engine, till: TillIdentity) -> None:
        self._reader = reader
        self._till = till

    def search(self, text: str, limit: int = 20) -> list[Product]:
        """Products for what has been typed so far; [] for nothing or a single ASCII character."""
        code = clean_code(text)
        q = normalize(text)
        if limit <= 0 or not q or (len(q) == 1 and q.isascii()):
            return []
        if payment_provider(code):  # a customer's payment code is never a search (FIELD-NOTES)
            return []
        with self._reader.connect() as conn:
            found = self._exact(conn, code, limit)
            if len(found) < limit:
                found += self._prefix(conn, q, limit, exclude={p.sku for p in found})
        return found[:limit]

    def _visible(self):  # noqa: ANN202 - a SQLAlchemy clause
        return and_(
            products.c.active.is_(True),
            or_(products.c.store_code.is_(None), products.c.store_code == self._till.store_code),
        )

    def _exact(self, conn, code: str, limit: int) -> list[Product]:  # noqa: ANN001
        """Barcode, then PLU, then SKU equal to what was typed (each an indexed lookup)."""
        if not code or len(code) > 64:
            return []
        codes = list(dict.fromkeys((code, code.upper())))
        rank = func.min(
            case((products.c.barcode.in_(codes), 0), (products.c.plu.in_(codes), 1), else_=2)
        ).label("rank")
        rows = conn.execute(
            select(products, rank)
            .where(or_(products.c.barcode.in_(codes), products.c.plu.in_(codes), products.c.sku.in_(codes)), self._visible())
            .group_by(products.c.sku)
            .order_by("rank", products.c.name, products.c.sku)
            .limit(limit)
        ).all()
        return [product_from_row(r) for r in rows]

    def _prefix(self, conn, q: str, limit: int, exclude: set[str]) -> list[Product]:  # noqa: ANN001
        """Products with a term starting with ``q``: shortest matching term, then shorter name.

        The term range is read in pages of PAGE_TERMS rows in key order, so a one-syllable query
        on a huge catalogue (``ji`` matches tens of thousands of terms) costs one page, not the
        whole range: ranking is exact whenever the range fits in a page (as soon as the cashier
        has typed a little more), and a wide range yields its first page's best — key order
        puts the exact term (``ji``) and its shortest extensions first anyway. Further pages
        are read only when store/active filtering left too few results, up to MAX_PAGES.
        """
        lo, hi = prefix_bounds(q)
        found: dict[str, tuple[int, Product]] = {}
        after: tuple[str, str] | None = None
        for _ in range(MAX_PAGES):
            page = self._range(lo, hi, after).limit(PAGE_TERMS).subquery("page")
            matches = (
                select(page.c.sku, func.min(func.length(page.c.term)).label("best"))
                .group_by(page.c.sku)
                .subquery("matches")
            )
            # Rank and cut in SQL: only `limit` product rows per page cross into Python.
            rows = conn.execute(
                select(products, matches.c.best)
                .join(matches, matches.c.sku == products.c.sku)
                .where(self._visible())
                .order_by(matches.c.best, func.length(products.c.name), products.c.name, products.c.sku)
                .limit(limit + len(exclude))
            ).all()
            for r in rows:
                if r.sku not in exclude and (r.sku not in found or r.best < found[r.sku][0]):
                    found[r.sku] = (r.best, product_from_row(r))
            if len(found) >= limit:
                break
            after = self._page_end(conn, lo, hi, after)
            if after is None:
                break
        ranked = sorted(found.values(), key=lambda bp: (bp[0], len(bp[1].name), bp[1].name, bp[1].sku))
        return [p for _, p in ranked[:limit]]

    @staticmethod
    def _range(lo: str, hi: str, after: tuple[str, str] | None):  # noqa: ANN205 - a SQLAlchemy Select
        """(term, sku) rows with lo <= term < hi, after the keyset ``after``, in primary-key order."""
        q = select(product_search.c.term, product_search.c.sku).where(
            product_search.c.term >= lo, product_search.c.term < hi
        )
        if after is not None:
            q = q.where(tuple_(product_search.c.term, product_search.c.sku) > tuple_(*after))
        return q.order_by(product_search.c.term, product_search.c.sku)

    @classmethod
    def _page_end(cls, conn, lo: str, hi: str, after: tuple[str, str] | None) -> tuple[str, str] | None:  # noqa: ANN001
        """The last (term, sku) of a full page, or None when the range ended within the page."""
        row = conn.execute(cls._range(lo, hi, after).offset(PAGE_TERMS - 1).limit(1)).first()
        return (row.term, row.sku) if row else None


__all__ = ["ProductSearch", "prefix_bounds"]
