"""Ringing up a sale: find products, then commit the whole sale as one journal entry.

The sale, its lines and payments are written in one SQLite transaction with the journal entry
(synchronous=FULL): either all of it is on disk or none of it. Printing happens afterwards
(see ReceiptService) so that a printer fault can never lose a sale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from pos.domain.barcodes import clean_code
from pos.domain.cart import Cart
from pos.domain.catalog import Product
from pos.domain.errors import InvalidInput, UnknownProduct
from pos.domain.ledger import EntryKind
from pos.domain.receipt import Receipt
from pos.domain.sale import Sale, build_receipt, build_sale, format_receipt_no
from pos.domain.tenders import Tender, settle
from pos.domain.users import User
from pos.store.repositories import ProductRepo

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class CompletedSale:
    sale: Sale
    receipt: Receipt
    seq: int


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
                product = repo.by_plu(c, self._till.store_code)
            if product is None:
                product = repo.by_sku(c.upper()) or repo.by_sku(c)
        if product is None:
            raise UnknownProduct(f"no product with code {c}", message_zh=f"未找到商品：{c}", code_scanned=c)
        return product


class CheckoutService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity) -> None:
        self._uow = uow
        self._clock = clock
        self._till = till

    def complete_sale(self, cart: Cart, tenders: list[Tender], cashier: User, *, training: bool = False) -> CompletedSale:
        """Settle the cart against the tenders and commit the sale durably; raises PosError if refused."""
        if cart.is_empty():
            raise InvalidInput("the sale has no items", message_zh="本单没有商品")
        settlement = settle(cart.total_fen, tenders)
        now = self._clock.now()
        day = self._till.business_day(now)
        with self._uow() as uow:
            number = uow.sales.count_for_day(day) + 1
            receipt_no = format_receipt_no(self._till.terminal_id, date.fromisoformat(day), number)
            sale = build_sale(
                receipt_no=receipt_no, terminal_id=self._till.terminal_id, business_day=day,
                cashier_login=cashier.login, cashier_name=cashier.display_name, cart=cart,
                settlement=settlement, training=training,
            )
            entry = uow.journal.append(EntryKind.SALE, business_day=day, created_at=utc_iso(now), payload=sale.to_payload())
            uow.commit()
        receipt = build_receipt(
            sale, store_name=self._till.store_name, counter_name=self._till.counter_name,
            printed_at=self._till.shown_time(now),
        )
        return CompletedSale(sale=sale, receipt=receipt, seq=entry.seq)
