"""Helpers shared by the ledger, backup and crash tests: sell like a till does, build a realistic ledger."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from pos.bootstrap import Till, open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock

T0 = datetime(2026, 11, 22, 2, 0, 0, tzinfo=UTC)


def barcodes(till: Till, store: str = "MX") -> list[str]:
    with till.db.reader.connect() as c:
        return [r[0] for r in c.execute(text(
            "SELECT barcode FROM products WHERE store_code = :s AND barcode IS NOT NULL AND active ORDER BY sku"), {"s": store})]


def open_shift_if_needed(till: Till, user) -> None:  # noqa: ANN001
    """Sales need an open shift once the shifts work is in; before that there is nothing to open."""
    shifts = getattr(till, "shifts", None)
    if shifts is not None and shifts.current() is None:
        from pos.domain.closing import CashCount

        shifts.open(user, CashCount())


def sell(till: Till, cashier, rng: random.Random, codes: list[str], *, lines: int | None = None):  # noqa: ANN001, ANN201
    cart = Cart()
    for _ in range(lines or rng.randint(1, 3)):
        cart = cart.add(till.lookup.find(rng.choice(codes)), rng.randint(1, 2))
    total = till.checkout.totals(cart).total_fen
    if rng.random() < 0.3 and total > 200:
        part = rng.randint(1, total - 100)
        tenders = [Tender(TenderKind.WECHAT, part, f"W{rng.randrange(10**9)}"), Tender(TenderKind.CASH, total - part + 100)]
    else:
        tenders = [Tender(TenderKind.CASH, total + rng.choice((0, 50, 1000)))]
    return till.checkout.complete_sale(cart, tenders, cashier)


@dataclass(frozen=True)
class Ledger:
    path: Path
    terminal: str
    entries: int


def build_ledger(path: Path, *, sales: int = 150, seed: int = 7) -> Ledger:
    """Sales (one to three lines, cash and split tenders), holds and recalls, voids, returns,
    reprints and logins — and, so that every kind of deletion is visible, a sale last."""
    rng = random.Random(seed)
    till = open_till(load_config(db=path, printer="dummy:"), create=True, demo=True, clock=FixedClock(T0))
    try:
        codes = barcodes(till)
        cashier = till.auth.login("cashier1", "1111")
        manager = till.auth.login("manager1", "2222")
        open_shift_if_needed(till, cashier)
        done, returned = [], set()
        for i in range(sales):
            done.append(sell(till, cashier, rng, codes, lines=rng.randint(1, 2)))
            if i % 15 == 7:
                cart = Cart().add(till.lookup.find(rng.choice(codes)))
                hold_no = till.checkout.hold(cart, cashier)
                if i % 30 == 7:
                    till.checkout.recall(hold_no, cashier)
            if i % 20 == 11:
                cart = Cart().add(till.lookup.find(rng.choice(codes))).add(till.lookup.find(rng.choice(codes)))
                till.checkout.void_line(cart, 0, manager)
            if i % 25 == 13:
                sale = rng.choice([d.sale for d in done if d.sale.receipt_no not in returned])
                returned.add(sale.receipt_no)
                till.returns.return_items(sale.receipt_no, {sale.lines[0].line_no: 1}, manager, reason="质量问题")
            if i % 40 == 21:
                till.checkout.reprint(rng.choice(done).sale.receipt_no, cashier)
        sell(till, cashier, rng, codes)
        with till.db.reader.connect() as c:
            n = c.execute(text("SELECT COUNT(*) FROM journal")).scalar_one()
        assert till.verify().ok
        return Ledger(path, till.identity.terminal_id, n)
    finally:
        till.close()
