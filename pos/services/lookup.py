"""Finding a product by what was scanned or typed: the scan hot path (barcode, PLU, SKU)."""

from __future__ import annotations

from sqlalchemy import Engine

from pos.domain.barcodes import clean_code
from pos.domain.catalog import Product
from pos.domain.errors import InvalidInput, UnknownProduct
from pos.store.repositories import ProductRepo

from .context import TillIdentity


class CatalogLookup:
    """Read-only product lookups on the reader engine (never waits behind a sale being written)."""

    def __init__(self, reader: Engine, till: TillIdentity) -> None:
        self._reader = reader
        self._till = till

    def find(self, code: str) -> Product:
        """The product for a scanned or typed code: barcode first, then PLU, then SKU."""
        c = clean_code(code)
        if not c:
            raise InvalidInput("nothing was scanned", message_zh="未输入条码")
        if len(c) > 64 or not c.isprintable():
            raise UnknownProduct(f"'{code[:40]}' is not a product code", message_zh="无法识别的条码")
        with self._reader.connect() as conn:
            repo = ProductRepo(conn)
            product = repo.by_barcode(c, self._till.store_code)
            if product is None and c.isdigit() and len(c) <= 5:
                product = repo.by_plu(c.lstrip("0") or "0", self._till.store_code) or repo.by_plu(c, self._till.store_code)
            if product is None:
                product = repo.by_sku(c.upper()) or repo.by_sku(c)
        if product is None:
            raise UnknownProduct(f"no product with code {c}", message_zh=f"未找到商品：{c}", code_scanned=c)
        return product

    def by_plu(self, plu: str) -> Product:
        with self._reader.connect() as conn:
            product = ProductRepo(conn).by_plu(plu, self._till.store_code)
        if product is None:
            raise UnknownProduct(f"no product with PLU {plu}", message_zh=f"未找到 PLU {plu} 对应的商品")
        return product
