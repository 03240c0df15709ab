"""The big catalogue every till benchmark uses: built once per machine into bench/.data/.

At 1,000,000 products the till's own import (``CatalogService.apply``: one SQLAlchemy upsert and
a difference-only re-index in one transaction) is correct but slow and holds the whole catalogue
in memory, so the catalogue is written by :func:`bulk_load`: the same ``products`` rows
(``product_values``) and the same ``product_search`` rows (``terms_for``) through plain
``sqlite3`` in chunks, then the import's journal entry through the till. tests/integration/
test_search_scale_bulk.py checks that both paths leave the same rows on a small catalogue.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .common import CATALOG_SIZE, DATA, generate_products

VERSION = "1"
BUILT_AT = datetime(2026, 11, 22, 1, tzinfo=UTC)
CHUNK = 20_000  # products per executemany: ~500,000 search rows, sorted so each b-tree page is visited once


def db_path() -> Path:
    return DATA / f"catalog-{CATALOG_SIZE}.db"


def config(path: Path | None = None):  # noqa: ANN201
    from pos.config import load_config

    return load_config(db=path or db_path(), printer="dummy:", device_key=DATA / "device.key")


def bulk_load(path: Path, items: Iterable, *, store_code: str, source: str, digest: str,  # noqa: ANN001
              now: datetime = BUILT_AT, cfg=None) -> int:  # noqa: ANN001 - a pos.config.Config
    """Write ``items`` (new products) into the till database at ``path`` as CatalogService.apply
    would for a first import: products, search terms and the catalogue-import journal entry.
    The till must be closed. Returns the number of products written."""
    from pos.bootstrap import open_till
    from pos.domain.ledger import EntryKind
    from pos.search_index import terms_for
    from pos.services.ports import FixedClock, utc_iso
    from pos.store.repositories import product_values

    stamp = utc_iso(now)
    conn = sqlite3.connect(path, isolation_level=None)
    count = 0
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a benchmark fixture, rebuilt if the machine crashes mid-build
        conn.execute("PRAGMA cache_size = -2000000")  # 2 GB: the search b-tree stays in memory while it grows
        conn.execute("PRAGMA temp_store = FILE")
        columns = list(product_values(_probe(), store_code, stamp))
        insert_product = (f"INSERT INTO products ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                          f"ON CONFLICT (sku) DO UPDATE SET "
                          + ", ".join(f"{c} = excluded.{c}" for c in columns if c != "sku"))
        insert_term = "INSERT OR IGNORE INTO product_search (term, sku) VALUES (?, ?)"
        conn.execute("BEGIN IMMEDIATE")
        chunk: list = []
        for p in items:
            chunk.append(p)
            if len(chunk) >= CHUNK:
                count += _write(conn, chunk, store_code, stamp, columns, insert_product, insert_term, terms_for)
                chunk = []
        if chunk:
            count += _write(conn, chunk, store_code, stamp, columns, insert_product, insert_term, terms_for)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    till = open_till(cfg or config(path), clock=FixedClock(now))
    try:
        with till.uow() as uow:
            uow.journal.append(
                EntryKind.CATALOG_IMPORT, business_day=uow.business_day(now), created_at=stamp,
                payload={"source": source, "sha256": digest, "store": store_code, "products": count, "added": count,
                         "updated": 0, "price_changes": [], "price_change_count": 0},
            )
            uow.commit()
    finally:
        till.close()
    return count


def _probe():  # noqa: ANN202 - a Product, only for the column names
    from pos.domain.catalog import Product

    return Product(sku="x", name="x", price_fen=1)


def _write(conn: sqlite3.Connection, chunk: list, store_code: str, stamp: str, columns: list[str],  # noqa: PLR0913
           insert_product: str, insert_term: str, terms_for) -> int:  # noqa: ANN001
    from pos.store.repositories import product_values

    rows = []
    for p in chunk:
        v = product_values(p, store_code, stamp)
        v["active"] = int(v["active"])
        rows.append(tuple(v[c] for c in columns))
    conn.executemany(insert_product, rows)
    terms = sorted({(t, p.sku) for p in chunk for t in terms_for(p.sku, p.name, p.barcode, p.plu, p.style)})
    conn.executemany(insert_term, terms)
    return len(chunk)


def ensure_catalog() -> tuple[Path, float | None]:
    """The database with CATALOG_SIZE products (plus the demo store); seconds spent building, or None if reused."""
    from pos.bootstrap import open_till
    from pos.services.ports import FixedClock

    path = db_path()
    if path.exists():
        till = open_till(config(path))
        try:
            with till.uow() as uow:
                if uow.meta.get("bench_catalog") == f"{VERSION}:{CATALOG_SIZE}":
                    return path, None
        finally:
            till.close()
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    DATA.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    till = open_till(config(path), create=True, demo=True, clock=FixedClock(BUILT_AT))
    till.close()
    bulk_load(path, generate_products(CATALOG_SIZE), store_code="MX", source="bench", digest="bench")
    till = open_till(config(path))
    try:
        with till.uow() as uow:
            uow.meta.set("bench_catalog", f"{VERSION}:{CATALOG_SIZE}")
            uow.commit()
    finally:
        till.close()
    return path, time.perf_counter() - t


if __name__ == "__main__":
    from .common import bench_home

    with bench_home("catalog"):
        built_path, seconds = ensure_catalog()
    print(built_path, "reused" if seconds is None else f"built in {seconds:.1f} s")
