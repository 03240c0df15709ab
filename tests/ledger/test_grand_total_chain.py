"""``ledger verify`` re-adds the perpetual grand total (累计): each Z continues the Z taken before it."""

from __future__ import annotations

from datetime import timedelta

from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.ledger import EntryKind
from pos.services.ports import utc_iso
from tests.conftest import login_cashier

EGGS = "6972316000170"  # ¥45.00


def _sell_and_close_day(till, cashier, manager):  # noqa: ANN001, ANN202
    from pos.domain.tenders import Tender, TenderKind

    till.shifts.open(cashier, CashCount())
    till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 1), [Tender(TenderKind.CASH, 4500)], cashier)
    till.shifts.close(cashier, CashCount.of({1000: 4, 500: 1}))
    return till.closing.z_close(manager)


def test_two_honest_zs_verify_and_a_forged_grand_total_is_named(fresh_till, clock) -> None:
    till = fresh_till
    cashier, manager = login_cashier(till), till.auth.login("manager1", "2222")
    first = _sell_and_close_day(till, cashier, manager)
    clock.at += timedelta(days=1)
    second = _sell_and_close_day(till, cashier, manager)
    assert second.grand_total_before_fen == first.grand_total_fen == 4500
    assert till.verify().ok

    # A Z written through the journal (so its hash is right) that starts its 累计 from zero again,
    # as a till that lost its closure history would: the chain is intact, the grand total is not.
    totals = till.closing.day_totals(second.business_day).to_json()
    with till.uow() as uow:
        entry = uow.journal.append(EntryKind.Z_CLOSURE, business_day="2026-11-30", created_at=utc_iso(clock.now()),
                                   payload={"day": "2026-11-30", "by": "manager1", "totals": totals,
                                            "grand_total_before": 0, "grand_total": totals["net"],
                                            "first_seq": None, "last_seq": None, "entries": 0})
        uow.commit()
    report = till.verify()
    assert not report.ok and report.problem.seq == entry.seq
    assert "grand total" in report.problem.reason
