"""A manager's day at the counter: open, sell, move cash, blind close, Z, reconcile, approve."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount, parse_count, period_totals
from pos.domain.errors import AuthError
from pos.domain.ledger import EntryKind, parse_stored
from pos.domain.permissions import Action, ApprovalRequired, NotPermitted
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock
from pos.services.shifts import ShiftError
from pos.store.uow import iter_journal
from tests.conftest import T0, login_cashier

EGGS = "6972316000170"  # ¥45.00
BOX = "6972316000736"  # 松阳农特产大礼包 ¥298.00: 山茶油 + 蜂蜜 + 2 × 红糖, all 松阳


@pytest.fixture
def people(fresh_till):
    t = fresh_till
    return t, login_cashier(t), t.auth.login("manager1", "2222"), t.auth.login("accountant1", "3333")


def sell(till, cashier, *tenders, code=EGGS, qty=1):
    return till.checkout.complete_sale(Cart().add(till.lookup.find(code), qty), list(tenders), cashier)


def test_a_sale_needs_an_open_shift(people) -> None:
    from pos.services.checkout import NoOpenShift

    till, cashier, _m, _a = people
    with pytest.raises(NoOpenShift) as exc:
        sell(till, cashier, Tender(TenderKind.CASH, 5000))
    assert "开班" in exc.value.message_zh


def test_a_day_that_reconciles_to_the_fen(people) -> None:
    till, cashier, manager, accountant = people
    till.shifts.open(cashier, parse_count(["100:2", "10:5", "0.5:2"]))  # float ¥251.00
    s1 = sell(till, cashier, Tender(TenderKind.CASH, 10000), qty=2)  # 90.00, change 10.00
    sell(till, cashier, Tender(TenderKind.WECHAT, 4500, "134567890123456789"))
    sell(till, cashier, Tender(TenderKind.ACCOUNT, 29800, "PHGH"), code=BOX)
    ok = till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    till.returns.return_items(s1.sale.receipt_no, {1: 1}, cashier, approval=ok)  # refund ¥45 cash
    with pytest.raises(ApprovalRequired):
        till.shifts.move_cash(EntryKind.CASH_OUT, 10000, "存银行", cashier)
    till.shifts.move_cash(EntryKind.CASH_OUT, 10000, "存银行", manager)
    till.shifts.move_cash(EntryKind.CASH_IN, 2000, "补零钱", manager)
    x = till.shifts.x_report()
    assert x.expected_cash_fen == 25100 + 9000 - 4500 - 10000 + 2000 == 21600

    result = till.shifts.close(cashier, parse_count(["100:2", "10:1", "1:5"]), {"wechat": 4500})  # ¥215.00 counted
    assert (result.expected_cash_fen, result.counted_cash_fen, result.variance_fen) == (21600, 21500, -100)
    assert result.variance_by_tender() == {"cash": -100, "wechat": 0}

    with pytest.raises(NotPermitted):
        till.closing.z_close(cashier)
    z = till.closing.z_close(accountant)
    t = z.totals
    assert (t.sales_count, t.returns_count, t.sales_fen, t.refunds_fen, t.net_fen) == (3, 1, 43300, 4500, 38800)
    assert t.by_tender == {"cash": 4500, "wechat": 4500, "account": 29800}
    assert t.by_origin == {"松阳": 38800}  # the gift box counts under its components' county
    assert sum(t.by_tax_rate.values()) == sum(t.by_category.values()) == sum(t.by_origin.values()) == t.net_fen
    assert z.grand_total_fen == 38800
    with pytest.raises(ShiftError):
        till.closing.z_close(manager, z.business_day)

    till.closing.declare(z.business_day, {"cash": 4400, "wechat": 4500, "account": 29800}, "现金短款1元", manager)
    rec = till.closing.approve(z.business_day, accountant)
    assert rec.approved and {ln.tender: ln.variance_fen for ln in rec.lines if ln.declared_fen is not None} == {
        "cash": -100, "wechat": 0, "account": 0}
    with pytest.raises(ShiftError):
        till.closing.declare(z.business_day, {"cash": 4500}, "", manager)
    assert till.verify().ok


def test_sales_after_the_z_belong_to_the_next_business_day(people) -> None:
    till, cashier, manager, _a = people
    till.shifts.open(cashier, CashCount())
    sell(till, cashier, Tender(TenderKind.CASH, 4500))
    till.shifts.close(cashier, CashCount.of({1000: 4, 500: 1}))
    z = till.closing.z_close(manager)
    till.shifts.open(cashier, CashCount())
    later = sell(till, cashier, Tender(TenderKind.CASH, 4500))
    assert z.business_day == "2026-11-22" and later.sale.business_day == "2026-11-23"
    assert later.sale.receipt_no == "MX01-20261123-0001"
    with pytest.raises(ShiftError) as exc:
        till.shifts.close(cashier, CashCount()) and till.closing.z_close(manager)
    assert "尚未开始" in exc.value.message_zh  # the 23rd has not begun on the 22nd's clock


def test_z_needs_the_shift_closed(people) -> None:
    till, cashier, manager, _a = people
    till.shifts.open(cashier, CashCount())
    with pytest.raises(ShiftError) as exc:
        till.closing.z_close(manager)
    assert "交班" in exc.value.message_zh


def test_pin_lockout_after_five_wrong_pins(fresh_till) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthError, match=f"{left} tries left"):
            fresh_till.auth.login("cashier1", "0000")
    with pytest.raises(AuthError, match="locked"):
        fresh_till.auth.login("cashier1", "0000")
    with pytest.raises(AuthError, match="locked"):
        fresh_till.auth.login("cashier1", "1111")  # even the right PIN, until the lock runs out
    fresh_till.clock.at += timedelta(minutes=6)
    assert fresh_till.auth.login("cashier1", "1111").login == "cashier1"
    with sqlite3.connect(fresh_till.db.path) as c:
        oks = [r[0] for r in c.execute("SELECT json_extract(payload, '$.ok') FROM journal WHERE kind='login'")]
    assert oks == [0, 0, 0, 0, 0, 0, 1]


def test_a_database_copied_to_another_machine_cannot_log_in(fresh_till, tmp_path, monkeypatch) -> None:
    assert fresh_till.auth.login("manager1", "2222")
    copy = tmp_path / "stolen.db"
    fresh_till.close()
    shutil.copy(fresh_till.db.path, copy)
    monkeypatch.setenv("LIANXIN_HOME", str(tmp_path / "another-machine"))  # its own device key
    other = open_till(load_config(db=copy, printer="dummy:"), clock=FixedClock(T0))
    try:
        with pytest.raises(AuthError):
            other.auth.login("manager1", "2222")
    finally:
        other.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["sale", "return", "cash_in", "cash_out", "training"]),
                          st.integers(1, 3), st.sampled_from([TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY])),
                min_size=1, max_size=12))
def test_z_totals_equal_the_sum_of_the_days_entries(tmp_path_factory, ops) -> None:
    home = tmp_path_factory.mktemp("z")
    till = open_till(load_config(db=home / "t.db", printer="dummy:", device_key=home / "k"), create=True, demo=True,
                     clock=FixedClock(T0))
    try:
        cashier, manager = login_cashier(till), till.auth.login("manager1", "2222")
        till.shifts.open(cashier, CashCount.of({10000: 5}))
        sold = []
        for op, n, kind in ops:
            if op in ("sale", "training"):
                cart = Cart().add(till.lookup.find(EGGS), n)
                ref = "134567890123456789" if kind is not TenderKind.CASH else None
                done = till.checkout.complete_sale(cart, [Tender(kind, 4500 * n, ref)], cashier,
                                                   training=op == "training")
                if op == "sale":
                    sold.append((done.sale.receipt_no, n))
            elif op == "return" and sold:
                receipt, left = sold.pop()
                till.returns.return_items(receipt, {1: left}, manager)
            elif op in ("cash_in", "cash_out"):
                try:
                    till.shifts.move_cash(op, 1000 * n, "测试", manager)
                except ShiftError:
                    pass  # not that much cash in the drawer
        till.shifts.close(cashier, CashCount())
        z = till.closing.z_close(manager)
        with till.db.reader.connect() as conn:
            entries = [parse_stored(r) for r in iter_journal(conn, None) if r.business_day == z.business_day]
        day_entries = [e for e in entries if e.kind != EntryKind.Z_CLOSURE]
        sales = [e.payload for e in day_entries if e.kind == EntryKind.SALE and not e.payload["training"]]
        refunds = [e.payload for e in day_entries if e.kind == EntryKind.RETURN]
        assert z.totals.sales_fen == sum(p["total"] for p in sales)
        assert z.totals.refunds_fen == sum(p["refund"] for p in refunds)
        assert z.totals.net_fen == sum(z.totals.by_tender.values()) == sum(z.totals.by_origin.values())
        assert z.totals.training_count == sum(1 for op, *_ in ops if op == "training")
        assert z.totals.to_json() == period_totals(day_entries).to_json()
        assert till.verify().ok
    finally:
        till.close()
