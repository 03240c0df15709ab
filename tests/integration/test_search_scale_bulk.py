"""The benchmark's bulk catalogue build leaves exactly what the till's own import leaves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench.catalog_db import BUILT_AT, bulk_load
from bench.common import generate_products
from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.catalog import Product
from pos.services.ports import FixedClock


def _catalogue() -> list[Product]:
    items = list(generate_products(600))
    items.append(Product(sku="V-JACKET-M", name="羽绒服 男款", price_fen=39_900, barcode="6999999000017",
                         style="羽绒服-男款", size="M", color="黑"))
    return items


def _rows(path: Path) -> tuple[list, list, dict]:
    with sqlite3.connect(path) as c:
        columns = [r[1] for r in c.execute("PRAGMA table_info(products)") if r[1] != "updated_at"]  # when it ran
        products = c.execute(f"SELECT {', '.join(columns)} FROM products ORDER BY sku").fetchall()
        terms = c.execute("SELECT term, sku FROM product_search ORDER BY term, sku").fetchall()
        kind, payload = c.execute("SELECT kind, payload FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    return products, terms, {"kind": kind, **json.loads(payload)}


def test_bulk_load_writes_the_same_products_terms_and_journal_entry_as_the_import(tmp_path: Path) -> None:
    clock = FixedClock(BUILT_AT)
    by_import = load_config(db=tmp_path / "import.db", printer="dummy:")
    till = open_till(by_import, create=True, demo=True, clock=clock)
    try:
        till.catalog.apply(_catalogue(), source="bench", digest="bench", store_code="MX")
    finally:
        till.close()
    by_bulk = load_config(db=tmp_path / "bulk.db", printer="dummy:")
    open_till(by_bulk, create=True, demo=True, clock=clock).close()
    assert bulk_load(by_bulk.db, iter(_catalogue()), store_code="MX", source="bench", digest="bench", cfg=by_bulk) == 601

    imported, bulk = _rows(by_import.db), _rows(by_bulk.db)
    assert len(bulk[0]) > 601 and len(bulk[1]) > 601 * 10
    assert bulk[0] == imported[0]
    assert bulk[1] == imported[1]
    assert bulk[2] == imported[2]
