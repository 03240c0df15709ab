"""Sales draw their lots first-expiry-first-out inside the sale's own transaction, and returns put the
goods back into the lot they came from (issue 15), as a manager would see it in the stock tables.

The batch is received with a hand-made ``stock_receipt`` entry following the journal contract, so these
stories test the sale and return write path on its own (the receiving service has its own tests).
"""

from __future__ import annotations

import sqlite3

from pos.domain.cart import Cart
from pos.domain.ledger import EntryKind
from pos.domain.tenders import Tender, TenderKind
from tests.conftest import login_cashier

APPLES = "MX-F001"  # 茂县冰糖心苹果（特级）, sold by weight
EGGS = "MX-E001"  # 松阳土鸡蛋 30枚装, by the box


def _receive(till, batch: str, lots: list[dict], arrival: str = "2026-11-21") -> None:
    with till.uow() as uow:
        payload = {"batch": batch, "supplier": "松阳县供销合作社", "contact": "0578-8066000", "arrival": arrival,
                   "by": "manager1", "source": "test", "kept_until": "2027-05-21",
                   "total_cost": sum(x["cost"] for x in lots), "lots": lots}
        uow.journal.append(EntryKind.STOCK_RECEIPT, business_day="2026-11-21", created_at="2026-11-21T01:00:00Z",
                           payload=payload)
        uow.commit()


def _lot(lot: str, sku: str, qty: int, unit_cost: int, expiry: str, *, weighed: bool, cert: str = "") -> dict:
    cost = (qty * unit_cost * 2 + 1000) // 2000 if weighed else qty * unit_cost
    return {"lot": lot, "sku": sku, "name": sku, "category": "水果", "origin": "茂县", "weighed": weighed,
            "quantity": qty, "unit_cost": unit_cost, "cost": cost, "expiry": expiry, "production_date": None,
            "certificate": cert, "certificate_qr": "", "quarantine": ""}


def _sell(till, *items: tuple[str, int]):
    cart = Cart()
    for sku, qty in items:
        cart = cart.add(till.lookup.find(sku), qty)
    return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 1_000_000)], login_cashier(till))


def _lots(till) -> dict[str, tuple[int, int, int]]:
    with sqlite3.connect(till.db.path) as c:
        return {r[0]: (r[1], r[2], r[3]) for r in c.execute("SELECT lot_id, on_hand, out_qty, out_cost_fen FROM lots")}


def _moves_per_lot(till) -> dict[str, int]:
    with sqlite3.connect(till.db.path) as c:
        return dict(c.execute("SELECT lot_id, SUM(quantity) FROM stock_moves WHERE lot_id IS NOT NULL GROUP BY lot_id"))


def test_80_kg_of_apples_in_two_lots_sell_oldest_expiry_first_and_cost_exactly_what_was_paid(demo_till) -> None:
    # 50 kg expiring 11-28 at ¥6.35/kg and 30 kg expiring 12-02 at ¥7.10/kg: ¥317.50 + ¥213.00
    _receive(demo_till, "SHKC-2026-47", [_lot("SHKC-2026-47/1", APPLES, 30_000, 710, "2026-12-02", weighed=True),
                                         _lot("SHKC-2026-47/2", APPLES, 50_000, 635, "2026-11-28", weighed=True)])
    first = _sell(demo_till, (APPLES, 1_255))
    assert [(d.lot_id, d.quantity, d.cost_fen) for d in first.sale.draws] == [("SHKC-2026-47/2", 1_255, 797)]
    assert first.sale.draws[0].net_fen == first.sale.lines[0].net_fen  # one lot: all the line's revenue
    # a sale across both lots: the rest of lot 2, then lot 1
    second = _sell(demo_till, (APPLES, 50_000))
    assert [(d.lot_id, d.quantity) for d in second.sale.draws] == [("SHKC-2026-47/2", 48_745), ("SHKC-2026-47/1", 1_255)]
    assert sum(d.net_fen for d in second.sale.draws) == second.sale.lines[0].net_fen
    lots = _lots(demo_till)
    assert lots["SHKC-2026-47/2"] == (0, 50_000, 31_750)  # the whole lot out at exactly its line amount
    assert lots["SHKC-2026-47/1"][0] == 28_745
    assert _moves_per_lot(demo_till) == {k: v[0] for k, v in lots.items()}
    assert demo_till.verify().ok


def test_a_return_puts_the_goods_back_into_the_lot_they_came_from_at_the_cost_they_took(demo_till) -> None:
    _receive(demo_till, "SHKC-2026-48", [_lot("SHKC-2026-48/1", EGGS, 3, 3000, "2026-12-10", weighed=False, cert="HG01"),
                                         _lot("SHKC-2026-48/2", EGGS, 10, 3100, "2026-12-20", weighed=False, cert="HG02")])
    done = _sell(demo_till, (EGGS, 5))
    assert [(d.lot_id, d.quantity, d.cost_fen, d.certificate_no) for d in done.sale.draws] == [
        ("SHKC-2026-48/1", 3, 9000, "HG01"), ("SHKC-2026-48/2", 2, 6200, "HG02")]
    # two boxes come back: the latest drawn first, lot 2
    manager = demo_till.auth.login("manager1", "2222")
    back = demo_till.returns.return_items(done.sale.receipt_no, {1: 2}, manager, reason="破损")
    assert [(d.lot_id, d.quantity, d.cost_fen) for d in back.ret.draws] == [("SHKC-2026-48/2", 2, 6200)]
    assert _lots(demo_till)["SHKC-2026-48/2"] == (10, 0, 0)
    assert demo_till.verify().ok


def test_selling_past_zero_is_allowed_and_flagged_and_a_practice_sale_moves_nothing(demo_till) -> None:
    _receive(demo_till, "SHKC-2026-49", [_lot("SHKC-2026-49/1", EGGS, 2, 3000, "2026-12-10", weighed=False)])
    done = _sell(demo_till, (EGGS, 3))
    assert [(d.lot_id, d.quantity, d.flagged) for d in done.sale.draws] == [("SHKC-2026-49/1", 2, False), (None, 1, True)]
    assert done.sale.draws[1].cost_fen == 3000  # the last lot's cost: a margin the manager can believe
    with sqlite3.connect(demo_till.db.path) as c:
        assert c.execute("SELECT quantity FROM stock_unlotted WHERE sku = ?", (EGGS,)).fetchone() == (-1,)
    practice = demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(EGGS)), [Tender(TenderKind.CASH, 10_000)],
                                                login_cashier(demo_till), training=True)
    assert practice.sale.draws == ()
    assert demo_till.verify().ok


def test_products_whose_stock_is_not_followed_sell_as_before(demo_till) -> None:
    done = _sell(demo_till, (EGGS, 1))
    assert done.sale.draws == ()
    assert "draws" not in done.sale.to_payload()
    _receive(demo_till, "SHKC-2026-50", [_lot("SHKC-2026-50/1", APPLES, 1_000, 700, "2026-12-10", weighed=True)])
    again = _sell(demo_till, (EGGS, 1), (APPLES, 500))
    assert [d.sku for d in again.sale.draws] == [APPLES]


def test_a_product_sold_out_in_every_lot_sells_past_zero_at_the_cost_of_its_last_delivery(demo_till) -> None:
    # eggs came twice: 2 boxes at ¥30 on 11-20, then 1 box at ¥32 on 11-21 (expiring sooner); apples once
    _receive(demo_till, "SHKC-2026-51", [_lot("SHKC-2026-51/1", EGGS, 2, 3000, "2026-12-20", weighed=False)],
             arrival="2026-11-20")
    _receive(demo_till, "SHKC-2026-52", [_lot("SHKC-2026-52/1", EGGS, 1, 3200, "2026-12-10", weighed=False),
                                         _lot("SHKC-2026-52/2", APPLES, 10_000, 700, "2026-12-10", weighed=True)])
    out = _sell(demo_till, (EGGS, 3))
    assert [(d.lot_id, d.quantity) for d in out.sale.draws] == [("SHKC-2026-52/1", 1), ("SHKC-2026-51/1", 2)]
    # every egg lot is empty now; one sale of eggs and apples: the apples from their lot, the egg past zero
    # at the last delivery's ¥32 (not the ¥30 of the lot that expires last)
    done = _sell(demo_till, (APPLES, 1_000), (EGGS, 1))
    by_sku = {d.sku: d for d in done.sale.draws}
    assert (by_sku[APPLES].lot_id, by_sku[APPLES].quantity) == ("SHKC-2026-52/2", 1_000)
    assert (by_sku[EGGS].lot_id, by_sku[EGGS].quantity, by_sku[EGGS].cost_fen, by_sku[EGGS].flagged) == (None, 1, 3200, True)
    assert _lots(demo_till)["SHKC-2026-51/1"][0] == 0 and _lots(demo_till)["SHKC-2026-52/1"][0] == 0
    assert demo_till.verify().ok
