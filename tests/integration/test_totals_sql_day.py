"""X, 交班 and Z figures (summed in SQL from the report facts) against an independent reading of the journal.

A day at the demo counter with every kind of entry — discounts, a price change, a gift, 抹角, gift
boxes of mixed counties and rates, vouchers, an institution account, change, split payments,
returns full and partial (a gift box among them), removed lines, cash in and out, practice
sales and a shift handover in the middle — is read back with nothing but ``sqlite3`` and
``json``: the X, the handover and the Z must show what those entries add up to.
"""

from __future__ import annotations

import json
import sqlite3

from pos.domain.cart import Cart
from pos.domain.closing import CashCount, period_totals
from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.permissions import Action
from pos.domain.pricing import RoundingMode, parse_discount
from pos.domain.tenders import Tender, TenderKind
from pos.services.shifts import shift_entries
from tests.conftest import login_cashier

EGGS = "6972316000170"  # 松阳土鸡蛋 ¥45.00, 9 %
SCARF = "6958271000240"  # 羌绣围巾 ¥168.00, 13 %
BOX = "6972316000736"  # 松阳农特产大礼包 ¥298.00 (all 松阳)
MIXED = "6945837001018"  # 山海协作礼盒: 茂县核桃, 松阳蜂蜜, 青田米
PEPPER_BOX = "6945837000387"  # made a box of a 13 % sachet and 9 % walnuts and rice below
APPLE_PLU = "101"


def _entries(path) -> list[JournalEntry]:  # noqa: ANN001
    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT terminal_id, seq, kind, business_day, created_at, payload FROM journal ORDER BY seq")
        return [JournalEntry(t, s, k, d, at, json.loads(p), "", "") for t, s, k, d, at, p in rows]


def _by_tender(entries: list[JournalEntry]) -> dict[str, int]:
    """Net taken per tender, worked out here from the payloads: change comes off the last cash tenders."""
    out: dict[str, int] = {}
    for e in entries:
        p = e.payload
        if p.get("training"):
            continue
        if e.kind == EntryKind.SALE:
            change = p["change"]
            for t in reversed(p["tenders"]):
                amount = t["amount"]
                if t["kind"] == "cash" and change:
                    take = min(change, amount)
                    amount, change = amount - take, change - take
                if amount:
                    out[t["kind"]] = out.get(t["kind"], 0) + amount
        elif e.kind == EntryKind.RETURN:
            for t in p["refunds"]:
                out[t["kind"]] = out.get(t["kind"], 0) - t["amount"]
    return out


def _trade(till):  # noqa: ANN001, ANN202
    cashier = login_cashier(till)
    manager = till.auth.login("manager1", "2222")
    with till.uow() as uow:
        uow.bundles.put("MX-S004", [("MX-C001", 1, None), ("MX-N001", 1, None), ("MX-R002", 1, None)])
        uow.commit()
    find = till.lookup.find
    sell = till.checkout.complete_sale
    till.shifts.open(cashier, CashCount.of({10000: 2}))
    eggs = sell(Cart().add(find(EGGS), 3), [Tender(TenderKind.CASH, 20000)], cashier)  # change ¥65.00
    boxes = sell(Cart().add(find(MIXED)).add(find(PEPPER_BOX)).add(find(BOX)),
                 [Tender(TenderKind.WECHAT, 30000, "134567890123456789"), Tender(TenderKind.CASH, 50000)], cashier)
    cut = Cart().add(find(SCARF)).override_price(0, 9900, by=manager.role).add(find(EGGS), 2)
    cut = cut.discount_line(1, parse_discount("100%"), by=manager.role)  # the eggs given away
    sell(cut, [Tender(TenderKind.VOUCHER, 5000, "V100"), Tender(TenderKind.CASH, 5000)], manager)
    cart = Cart().add(find(EGGS)).add(find(SCARF)).discount_sale(parse_discount("95折"), by=manager.role)
    cart = till.checkout.void_line(cart.add(find(BOX)), 2, manager)  # a line taken off: a void entry
    sell(cart, [Tender(TenderKind.ACCOUNT, till.checkout.totals(cart).total_fen, "PHGH")], manager)
    sell(Cart().add(find(SCARF)), [Tender(TenderKind.CASH, 16800)], cashier, training=True)
    ok = till.auth.approve(Action.CASH_IN_OUT, "manager1", "2222", requested_by=cashier)
    till.shifts.move_cash("cash_in", 5000, "补零钱", cashier, approval=ok)
    x = till.shifts.x_report()
    handover = till.shifts.close(cashier, CashCount.of({10000: 3}), {"wechat": 30000})
    till.shifts.open(cashier, CashCount())
    till.checkout.set_rounding(RoundingMode.DROP_JIAO, manager)
    apples = sell(Cart().add(find(APPLE_PLU), 1234).add(find(EGGS)), [Tender(TenderKind.CASH, 10000)], cashier)
    till.shifts.move_cash("cash_out", 3000, "存银行", manager)
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(boxes.sale.receipt_no, {2: 1}, cashier, approval=ok)  # the mixed-rate box
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(eggs.sale.receipt_no, {1: 1}, cashier, approval=ok)  # one of three boxes of eggs
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(apples.sale.receipt_no, {1: 1234, 2: 1}, cashier, approval=ok)  # all of it
    second = till.shifts.x_report()
    till.shifts.close(cashier, CashCount())
    return x, handover, second


def test_x_handover_and_z_show_what_the_journal_adds_up_to(fresh_till) -> None:
    till = fresh_till
    x, handover, second = _trade(till)
    z = till.closing.z_close(till.auth.login("accountant1", "3333"))
    entries = _entries(till.db.path)
    day = [e for e in entries if e.business_day == z.business_day and e.kind != EntryKind.Z_CLOSURE]
    first_shift = shift_entries(entries, x.shift)
    second_shift = shift_entries(entries, second.shift)

    assert x.totals == period_totals(first_shift)  # nothing was sold between the X and the handover
    assert handover.totals == period_totals(first_shift)
    assert second.totals == period_totals(second_shift)
    assert z.totals == period_totals(day)
    assert z.totals.to_json() == period_totals(day).to_json()

    # The figures people look at, worked out here from the payloads alone.
    real_sales = [e.payload for e in day if e.kind == EntryKind.SALE and not e.payload["training"]]
    returns = [e.payload for e in day if e.kind == EntryKind.RETURN]
    t = z.totals
    assert t.sales_count == len(real_sales) == 5 and t.training_count == 1
    assert t.sales_fen == sum(p["total"] for p in real_sales)
    assert t.refunds_fen == sum(p["refund"] for p in returns) and t.returns_count == 3
    assert t.by_tender == _by_tender(day)
    assert t.voids_count == sum(1 for e in day if e.kind == EntryKind.VOID) == 1
    assert (t.cash_in_fen, t.cash_out_fen) == (5000, 3000)
    assert sum(t.by_origin.values()) == sum(t.by_category.values()) == t.net_fen
    assert {"茂县", "松阳", "青田"} <= set(t.by_origin)
    assert sum(r["gross"] for r in t.tax_by_rate.values()) == t.net_fen
    assert set(t.tax_by_rate) == {"9%", "13%"}
    assert handover.expected_by_tender == _by_tender(first_shift)
    assert handover.expected_cash_fen == 20000 + _by_tender(first_shift)["cash"] + 5000

    # The Z names its day's first and last entry and how many there were, as the journal has them.
    seqs = [e.seq for e in entries if e.business_day == z.business_day and e.kind != EntryKind.Z_CLOSURE]
    assert (z.first_seq, z.last_seq) == (min(seqs), max(seqs))
    with sqlite3.connect(till.db.path) as c:
        stored = json.loads(c.execute("SELECT payload FROM journal WHERE kind = 'z_closure'").fetchone()[0])
    assert stored["entries"] == len(seqs)
    assert stored["totals"] == period_totals(day).to_json()
    assert till.closing.z_report(z.business_day).totals == z.totals
    assert till.verify().ok


def test_day_totals_before_the_z_are_the_z_s(fresh_till) -> None:
    till = fresh_till
    _trade(till)
    day = till.closing.current_day()
    before = till.closing.day_totals(day)
    z = till.closing.z_close(till.auth.login("accountant1", "3333"))
    assert before == z.totals
    assert till.closing.day_totals(day) == z.totals  # the Z adds nothing to its own day's figures
