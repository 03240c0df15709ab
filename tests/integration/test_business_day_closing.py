"""Issue 11, points 8–10 as a manager tells them: the business day and the Z, shift figures, and
the day's reconciliation. Real SQLite files; the clock is moved as the days go by."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.bootstrap import open_till
from pos.config import load_config
from pos.domain.business_day import BusinessDay, InvalidBusinessDay
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.ledger import EntryKind
from pos.domain.pricing import RoundingMode
from pos.domain.tenders import Tender, TenderKind
from pos.reports.closing import reconciliation_document, shift_close_document, x_document, z_document
from pos.services.ports import FixedClock, utc_iso
from pos.services.shifts import HeldSalesOpen, ShiftError
from tests.conftest import T0, login_cashier

EGGS = "6972316000170"  # ¥45.00
APPLE_PLU = "101"  # 茂县冰糖心苹果（特级）, ¥16.80 per kg, weighed


def at_local(day: str, hh: int, mm: int = 0) -> datetime:
    """A Pinghu wall-clock time (UTC+8) as the UTC instant the till's clock gives."""
    d = datetime.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def people(fresh_till):
    t = fresh_till
    return t, login_cashier(t), t.auth.login("manager1", "2222"), t.auth.login("accountant1", "3333")


def sell(till, cashier, *tenders, code=EGGS, qty=1):
    return till.checkout.complete_sale(Cart().add(till.lookup.find(code), qty), list(tenders), cashier)


def trade_a_day(till, cashier, day: str, eggs: int = 1) -> None:
    """Open at 09:00, sell ``eggs`` boxes of eggs for cash, hand over at 21:00."""
    till.clock.at = at_local(day, 9)
    till.shifts.open(cashier, CashCount())
    for _ in range(eggs):
        sell(till, cashier, Tender(TenderKind.CASH, 4500))
    till.clock.at = at_local(day, 21)
    till.shifts.close(cashier, CashCount.of({1000: 4 * eggs, 500: eggs}))


# -- 8. the business day and the Z --------------------------------------------------------------

def test_a_z_taken_at_half_past_midnight_closes_the_day_just_traded(people) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22")
    till.clock.at = at_local("2026-11-23", 0, 30)
    assert str(till.closing.next_day_to_close()) == "2026-11-22"
    z = till.closing.z_close(manager)
    assert z.business_day == "2026-11-22" and z.totals.net_fen == 4500
    # The night goes on: the next sale belongs to the 23rd, which is today on the wall clock.
    till.shifts.open(cashier, CashCount())
    assert sell(till, cashier, Tender(TenderKind.CASH, 4500)).sale.business_day == "2026-11-23"


@pytest.mark.parametrize("typed", ["20261122", "2026-W47-7", "2026-11-2", "2026-02-30", "2026/11/22", "22.11.2026",
                                   "", "2026-11-22\x1b[2J"])
def test_a_day_typed_any_other_way_than_yyyy_mm_dd_is_refused(people, typed: str) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22")
    with pytest.raises(InvalidBusinessDay) as exc:
        till.closing.z_close(manager, typed)
    assert "YYYY-MM-DD" in exc.value.message or "calendar" in exc.value.message
    assert "日期" in exc.value.message_zh and "\x1b" not in exc.value.message
    z = till.closing.z_close(manager, "2026-11-22")
    with pytest.raises(InvalidBusinessDay):
        till.closing.z_report(typed)
    with pytest.raises(ShiftError, match="already closed"):
        till.closing.z_close(manager, "2026-11-22")  # one day, one Z, whatever the spelling
    assert till.closing.z_report("2026-11-22").seq == z.seq


def test_a_day_closed_late_keeps_the_grand_total_right(people) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22", eggs=1)  # nobody takes the Z that night
    trade_a_day(till, cashier, "2026-11-23", eggs=2)
    assert str(till.closing.next_day_to_close()) == "2026-11-22"  # the missed day is offered first
    z23 = till.closing.z_close(manager, "2026-11-23")  # the manager closes the 23rd first …
    z22 = till.closing.z_close(manager)  # … and the till offers the 22nd next
    assert (z23.business_day, z22.business_day) == ("2026-11-23", "2026-11-22")
    assert (z23.grand_total_before_fen, z23.grand_total_fen) == (0, 9000)
    assert (z22.grand_total_before_fen, z22.grand_total_fen) == (9000, 13500)  # chained in closing order
    assert "累计总额" in till.documents.text(z_document(z22, till.identity))
    assert till.closing.next_day_to_close() is None  # both closed; the 24th has not begun at 21:00 on the 23rd
    assert till.verify().ok


def test_a_missed_day_is_offered_from_the_till_days_later(people) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22")
    till.clock.at = at_local("2026-11-25", 10)
    assert str(till.closing.next_day_to_close()) == "2026-11-22"
    assert till.closing.z_close(manager).business_day == "2026-11-22"
    assert str(till.closing.next_day_to_close()) == "2026-11-25"  # nothing since: today is next
    with pytest.raises(ShiftError) as exc:
        till.closing.z_close(manager, "2026-11-24")  # a day without business is not closed by hand
    assert "没有营业记录" in exc.value.message_zh


def test_right_after_a_z_no_day_that_has_not_begun_is_offered(people) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22")
    till.closing.z_close(manager)
    assert till.closing.current_day() == "2026-11-23"  # sales from now on belong to tomorrow …
    assert till.closing.next_day_to_close() is None  # … but tomorrow cannot be closed yet
    with pytest.raises(ShiftError) as exc:
        till.closing.z_close(manager)
    assert "尚未开始" in exc.value.message_zh and "2026-11-23" in exc.value.message
    with pytest.raises(ShiftError):
        till.closing.z_close(manager, "2026-11-23")


def test_a_past_z_can_be_viewed_reprinted_and_exported(people, tmp_path) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22")
    z = till.closing.z_close(manager)
    till.clock.at = at_local("2026-11-30", 10)
    [past] = till.closing.closed_days()
    assert (past.business_day, past.closed_by_name, past.net_fen) == ("2026-11-22", "李建国", 4500)
    assert past.closed_at.startswith("2026-11-22 21:00")  # local time, not UTC (13:00)
    again = till.closing.z_report("2026-11-22")
    assert (again.seq, again.grand_total_fen, again.closed_at) == (z.seq, z.grand_total_fen, past.closed_at)
    doc = z_document(again, till.identity)
    assert f"日结 李建国  {past.closed_at}" in till.documents.text(doc)
    assert till.documents.pdf(doc, tmp_path / "z.pdf").read_bytes().startswith(b"%PDF")
    assert till.documents.print(doc).ok


# -- 9. shift figures -------------------------------------------------------------------------------

def test_the_x_report_counts_a_voided_line(people) -> None:
    till, cashier, _m, _a = people
    till.shifts.open(cashier, CashCount())
    cart = Cart().add(till.lookup.find(APPLE_PLU), 500).add(till.lookup.find(EGGS), 2)
    till.checkout.void_line(cart, 1, cashier)
    x = till.shifts.x_report()
    assert (x.totals.voids_count, x.totals.void_fen) == (1, 9000)
    text = till.documents.text(x_document(x, till.identity))
    assert "张小芳" in text and "cashier1" not in text
    result = till.shifts.close(cashier, CashCount())
    with till.db.reader.connect() as conn:
        closed = conn.exec_driver_sql("SELECT payload FROM journal WHERE kind='shift_close'").scalar_one()
    assert '"voids_count":1' in closed and result.shift_no == 1


def test_a_void_written_before_voids_named_their_shift_still_counts(people) -> None:
    till, cashier, _m, _a = people
    till.shifts.open(cashier, CashCount())
    now = till.clock.now()
    with till.uow() as uow:  # a void as older versions wrote it: no shift number in the payload
        uow.journal.append(EntryKind.VOID, business_day=uow.business_day(now), created_at=utc_iso(now),
                           payload={"cashier": "cashier1", "sku": "X", "name": "鸡蛋", "quantity": 1, "amount": 4500,
                                    "approver": None})
        uow.commit()
    assert till.shifts.x_report().totals.void_fen == 4500
    till.shifts.close(cashier, CashCount())
    till.shifts.open(cashier, CashCount())
    assert till.shifts.x_report().totals.voids_count == 0  # it was the first shift's, not this one's


def test_handing_over_with_a_held_sale_warns_and_lists_it(people) -> None:
    till, cashier, manager, _a = people
    till.checkout.set_rounding(RoundingMode.DROP_JIAO, manager)
    till.shifts.open(cashier, CashCount())
    hold_no = till.checkout.hold(Cart().add(till.lookup.find(APPLE_PLU), 1234), cashier)  # 1.234 kg = ¥20.73
    with pytest.raises(HeldSalesOpen) as exc:
        till.shifts.close(cashier, CashCount())
    [held] = exc.value.held
    assert (held.hold_no, held.cashier_name, held.total_fen) == (hold_no, "张小芳", 2000)  # the total after 抹角
    assert held.shown_at.startswith("2026-11-22 10:00")  # local time, not UTC (02:00)
    assert "挂单" in exc.value.message_zh and till.shifts.current() is not None  # nothing was closed
    till.shifts.close(cashier, CashCount(), keep_held=True)  # seen, and handed over
    with pytest.raises(HeldSalesOpen):
        till.closing.z_close(manager)
    assert till.closing.z_close(manager, keep_held=True).business_day == "2026-11-22"
    assert [h.hold_no for h in till.shifts.held()] == [hold_no]  # still there for tomorrow


def test_the_shift_close_and_z_reports_name_people(people) -> None:
    till, cashier, manager, _a = people
    trade_a_day(till, cashier, "2026-11-22")
    z = till.closing.z_close(manager)
    ztext = till.documents.text(z_document(z, till.identity))
    assert "李建国" in ztext and "manager1" not in ztext
    till.clock.at = at_local("2026-11-23", 9)
    till.shifts.open(cashier, CashCount())
    result = till.shifts.close(cashier, CashCount())
    text = till.documents.text(shift_close_document(result, till.identity, cashier.display_name, "2026-11-23 09:00:00"))
    assert "张小芳" in text


# -- 10. reconciliation -----------------------------------------------------------------------------

def a_day_with_cash_and_account(till, cashier, manager):
    till.shifts.open(cashier, CashCount())
    sell(till, cashier, Tender(TenderKind.CASH, 4500))
    sell(till, cashier, Tender(TenderKind.ACCOUNT, 4500, "PHGH"))
    till.shifts.close(cashier, CashCount.of({1000: 4, 500: 1}))
    return till.closing.z_close(manager).business_day


def test_the_person_who_entered_the_figures_cannot_approve_them(people) -> None:
    till, cashier, manager, accountant = people
    day = a_day_with_cash_and_account(till, cashier, manager)
    till.closing.declare(day, {"cash": 4500, "account": 4500}, "", manager)
    with pytest.raises(ShiftError) as exc:
        till.closing.approve(day, manager)
    assert "另一人审核" in exc.value.message_zh and "someone else" in exc.value.message
    rec = till.closing.approve(day, accountant)
    assert rec.approved_by == "accountant1" and rec.approved_by_name == "王会计"
    assert "已审核（王会计）" in till.documents.text(reconciliation_document(rec, till.identity))


def test_a_day_with_the_account_tender_undeclared_cannot_be_approved(people) -> None:
    till, cashier, manager, accountant = people
    day = a_day_with_cash_and_account(till, cashier, manager)
    rec = till.closing.declare(day, {"cash": 4500}, "", manager)
    assert rec.missing == ("account",)
    assert "未申报：单位挂账" in till.documents.text(reconciliation_document(rec, till.identity))
    with pytest.raises(ShiftError) as exc:
        till.closing.approve(day, accountant)
    assert "单位挂账" in exc.value.message_zh and "institution account" in exc.value.message
    # No statement from the institution yet: marked so, with the reason, and the day can be approved.
    rec = till.closing.declare(day, {}, "", manager, no_statement={"account": "单位月底统一对账"})
    assert rec.no_statement == {"account": "单位月底统一对账"} and rec.missing == ()
    text = till.documents.text(reconciliation_document(rec, till.identity))
    assert "无对账单" in text and "单位月底统一对账" in text and "录入 李建国" in text
    with pytest.raises(ShiftError):  # a figure and a reason for one tender: one or the other
        till.closing.declare(day, {"account": 4500}, "", manager, no_statement={"account": "x"})
    assert till.closing.approve(day, accountant).approved
    assert till.verify().ok


def test_a_figure_entered_later_replaces_the_no_statement_mark(people) -> None:
    till, cashier, manager, accountant = people
    day = a_day_with_cash_and_account(till, cashier, manager)
    till.closing.declare(day, {"cash": 4500}, "", manager, no_statement={"account": "未到"})
    rec = till.closing.declare(day, {"account": 4500}, "", manager)
    assert rec.no_statement == {} and rec.missing == ()
    assert till.closing.approve(day, accountant).approved


# -- the grand total whatever the closing order ----------------------------------------------------

@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 2), min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_any_closing_order_keeps_the_grand_total_equal_to_all_sales(tmp_path_factory, eggs_per_day, rnd) -> None:
    home = tmp_path_factory.mktemp("order")
    till = open_till(load_config(db=home / "t.db", printer="dummy:", device_key=home / "k"), create=True, demo=True,
                     clock=FixedClock(T0))
    try:
        cashier, manager = login_cashier(till), till.auth.login("manager1", "2222")
        first = BusinessDay.parse("2026-11-22")
        days = []
        for i, eggs in enumerate(eggs_per_day):
            day = BusinessDay(first.date + timedelta(days=i)).iso
            trade_a_day(till, cashier, day, eggs)
            days.append(day)
        till.clock.at = at_local(BusinessDay(first.date + timedelta(days=len(days))).iso, 10)
        order = list(days)
        rnd.shuffle(order)
        previous = 0
        for day in order:
            z = till.closing.z_close(manager, day)
            assert z.grand_total_before_fen == previous
            previous = z.grand_total_fen
        assert previous == 4500 * sum(eggs_per_day)
        with sqlite3.connect(till.db.path) as c:
            net = c.execute("SELECT COALESCE(SUM(total_fen), 0) FROM sales WHERE training = 0").fetchone()[0]
        assert previous == net
        assert till.verify().ok
    finally:
        till.close()


# -- a ledger written before issue 11 ------------------------------------------------------------

def test_an_old_ledger_counts_its_void_in_the_shift_and_shows_its_z_again(tmp_path, pos_home) -> None:
    import shutil
    from pathlib import Path

    from pos.domain.closing import period_totals
    from pos.services.shifts import shift_entries

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    db = tmp_path / "old.db"
    shutil.copy(fixtures / "ledger_v0007.db", db)
    key = pos_home / "config" / "device.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixtures / "ledger_v0007.device.key", key)
    key.chmod(0o600)
    till = open_till(load_config(db=db, printer="dummy:"), clock=FixedClock(at_local("2026-12-04", 15)))
    try:
        with till.uow() as uow:
            first = uow.shifts.get(1)
            assert first is not None and first.closed_seq is not None
            entries = uow.closures.entries_between(first.opened_seq, first.closed_seq)
            voids = [e for e in entries if e.kind == EntryKind.VOID]
        assert voids and all("shift" not in e.payload for e in voids)  # written before voids named their shift
        assert period_totals(shift_entries(entries, first)).voids_count == len(voids)
        [old] = till.closing.closed_days()
        z = till.closing.z_report(old.business_day)
        assert z.business_day == "2026-12-03" and z.closed_by_name != z.closed_by  # a name, not the login
        rec = till.closing.reconciliation("2026-12-03")
        assert rec.approved and rec.no_statement == {}  # old entries carry no marks and still read
        assert till.verify().ok
    finally:
        till.close()
