"""The manager's 日结 and 对账 pages and the 交班 dialog, issue 11 points 8–10: which day 日结 offers
(the oldest day with business and no Z, never one that has not begun), the list of past Zs with
查看 / 重印 / 导出PDF, held sales asked about before 交班 and Z, 无对账单 with a reason, and the
four-eyes rule for 审核. Offscreen, real SQLite, dummy printer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from till_ui import APPLE_PLU, commit_text, journal, wait_ops

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.pricing import RoundingMode
from pos.domain.tenders import Tender, TenderKind
from ui.holds import HeldSalesDialog
from ui.manager import ManagerScreen, ReconciliationPage
from ui.ops import OpRunner
from ui.shift import CloseShiftDialog

EGGS = "6972316000170"  # ¥45.00


def at_local(day: str, hh: int, mm: int = 0) -> datetime:
    d = datetime.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


def trade_a_day(till: Till, day: str, *, tender: Tender | None = None) -> None:
    cashier = till.auth.login("cashier1", "1111")
    till.clock.at = at_local(day, 9)
    till.shifts.open(cashier, CashCount())
    cart = Cart().add(till.lookup.find(EGGS), 1)
    till.checkout.complete_sale(cart, [tender or Tender(TenderKind.CASH, 4500)], cashier)
    till.clock.at = at_local(day, 21)
    till.shifts.close(cashier, CashCount.of({1000: 4, 500: 1}) if tender is None else CashCount())


def manager_screen(qtbot: Any, till: Till, runner: OpRunner, login: str = "manager1", pin: str = "2222",
                   answers: list[bool] | None = None) -> tuple[ManagerScreen, list[str]]:
    screen = ManagerScreen(till, runner, till.auth.login(login, pin))
    qtbot.addWidget(screen)
    asked: list[str] = []
    replies = list(answers) if answers is not None else None

    def ask(question: str) -> bool:
        asked.append(question)
        return replies.pop(0) if replies else True

    screen.ask = ask  # type: ignore[method-assign]
    screen.show()
    wait_ops(qtbot, runner)
    return screen, asked


def test_the_z_page_offers_the_missed_day_first_and_names_it(qtbot: Any, fresh_till: Till, runner: OpRunner) -> None:
    till = fresh_till
    trade_a_day(till, "2026-11-22")  # nobody took the Z that night
    trade_a_day(till, "2026-11-23")
    till.clock.at = at_local("2026-11-23", 22)
    screen, asked = manager_screen(qtbot, till, runner)
    page = screen.day_page
    assert page is not None
    assert "2026-11-22" in page.day_label.text() and "最早" in page.day_label.text()
    page.z_button.click()
    wait_ops(qtbot, runner)
    assert asked[-1].startswith("确定对营业日 2026-11-22 日结")  # the question names the day it closes
    assert page.last_z is not None and page.last_z.business_day == "2026-11-22"
    assert page.day_label.text() == "营业日 2026-11-23" and page.z_button.isEnabled()

    page.z_button.click()
    wait_ops(qtbot, runner)
    assert asked[-1].startswith("确定对营业日 2026-11-23 日结")
    # Both days closed: the 24th has not begun, so nothing is offered and the button is off.
    assert page.day_label.text() == "没有待日结的营业日（2026-11-23 已日结）"
    assert not page.z_button.isEnabled()
    page.z_close()  # Enter on the page does nothing either
    wait_ops(qtbot, runner)
    assert [e.payload["day"] for e in journal(till, "z_closure")] == ["2026-11-22", "2026-11-23"]
    # The grand total follows the closing order.
    assert [e.payload["grand_total"] for e in journal(till, "z_closure")] == [4500, 9000]
    screen.reject()


def test_past_zs_are_listed_and_can_be_viewed_reprinted_and_exported(qtbot: Any, fresh_till: Till,
                                                                      runner: OpRunner) -> None:
    till = fresh_till
    trade_a_day(till, "2026-11-22")
    till.closing.z_close(till.auth.login("manager1", "2222"))
    trade_a_day(till, "2026-11-24")
    till.closing.z_close(till.auth.login("accountant1", "3333"))
    till.clock.at = at_local("2026-11-30", 10)
    screen, _asked = manager_screen(qtbot, till, runner)
    page = screen.day_page
    assert page is not None
    table = page.z_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [r[0] for r in rows] == ["2026-11-24", "2026-11-22"]  # newest first
    assert [r[2] for r in rows] == ["王会计", "李建国"]  # names, not logins
    assert rows[1][1].startswith("2026-11-22 21:0")  # local time of the Z
    assert rows[0][3:] == ["￥45.00", "￥90.00"]

    page.select_day("2026-11-22")
    page.view_button.click()
    wait_ops(qtbot, runner)
    assert page.shown_day == "2026-11-22" and page.report_view is not None
    text = page.report_view.text()
    assert "Z 报表" in text and "营业日 2026-11-22" in text and "李建国" in text

    page.reprint_button.click()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    assert page.report_view.status.text()  # the print result is said under the report

    page.export_button.click()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    pdf = page.report_view.last_pdf
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    screen.reject()


def test_the_z_asks_about_held_sales_before_going_on(qtbot: Any, fresh_till: Till, runner: OpRunner) -> None:
    till = fresh_till
    cashier = till.auth.login("cashier1", "1111")
    till.shifts.open(cashier, CashCount())
    till.checkout.hold(Cart().add(till.lookup.find(EGGS), 1), cashier)
    till.shifts.close(cashier, CashCount(), keep_held=True)
    screen, asked = manager_screen(qtbot, till, runner, answers=[True, False, True, True])
    page = screen.day_page
    assert page is not None
    page.z_button.click()
    wait_ops(qtbot, runner)
    assert "还有 1 张挂单未取" in asked[-1] and "张小芳" in asked[-1] and "￥45.00" in asked[-1]
    assert page.status.text() == "未日结：请先处理挂单" and not journal(till, "z_closure")
    page.z_button.click()
    wait_ops(qtbot, runner)
    assert "仍要日结 2026-11-22" in asked[-1]
    assert [e.payload["day"] for e in journal(till, "z_closure")] == ["2026-11-22"]
    screen.reject()


def test_handing_over_with_a_held_sale_asks_first(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    till = demo_till
    cashier = till.auth.login("cashier1", "1111")
    till.checkout.hold(Cart().add(till.lookup.find(EGGS), 1), cashier)
    dialog = CloseShiftDialog(till, runner, cashier)
    qtbot.addWidget(dialog)
    asked: list[str] = []
    replies = [False, True]
    dialog.ask = lambda q: asked.append(q) or replies.pop(0)  # type: ignore[method-assign]
    dialog.show()
    dialog.submit()  # first press: what was counted
    dialog.submit()  # second: close
    wait_ops(qtbot, runner)
    assert "还有 1 张挂单未取" in asked[0] and "仍要交班" in asked[0]
    assert dialog.result is None and till.shifts.current() is not None  # not handed over
    assert "挂单" in dialog.message.text()
    dialog.submit()
    dialog.submit()
    wait_ops(qtbot, runner)
    assert dialog.result is not None and till.shifts.current() is None
    assert [h.hold_no for h in till.shifts.held()] == [1]  # the held sale waits for the next shift
    assert dialog.report_view is not None and "张小芳" in dialog.report_view.text()


def test_the_held_list_shows_names_and_the_total_after_rounding(qtbot: Any, demo_till: Till,
                                                                 runner: OpRunner) -> None:
    till = demo_till
    till.checkout.set_rounding(RoundingMode.DROP_JIAO, till.auth.login("manager1", "2222"))
    cashier = till.auth.login("cashier1", "1111")
    till.checkout.hold(Cart().add(till.lookup.find(APPLE_PLU), 1234), cashier)  # ￥20.73 before 抹角
    dialog = HeldSalesDialog(till, runner)
    qtbot.addWidget(dialog)
    wait_ops(qtbot, runner)
    m = dialog.model
    row = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    assert row[2] == "张小芳" and row[4] == "￥20.00" and row[1] == "11-22 10:00"


def test_reconciliation_marks_no_statement_and_needs_a_second_person(qtbot: Any, fresh_till: Till,
                                                                      runner: OpRunner) -> None:
    till = fresh_till
    trade_a_day(till, "2026-11-22", tender=Tender(TenderKind.ACCOUNT, 4500, "PHGH"))
    till.closing.z_close(till.auth.login("manager1", "2222"))
    screen, _asked = manager_screen(qtbot, till, runner)
    page = screen.show_page("reconcile")
    assert isinstance(page, ReconciliationPage)
    wait_ops(qtbot, runner)
    assert page.day() == "2026-11-22"
    page.reasons["account"].setFocus()
    commit_text(page.reasons["account"], "单位月底统一对账")  # typed with the IME
    assert page.dirty and page.variance_item("account").text() == "无对账单"
    page.save_button.click()
    wait_ops(qtbot, runner)
    rec = till.closing.reconciliation("2026-11-22")
    assert rec.no_statement == {"account": "单位月底统一对账"} and rec.missing == ()
    assert page.reasons["account"].text() == "单位月底统一对账"
    page.approve_button.click()
    wait_ops(qtbot, runner)
    assert "另一人审核" in page.status.text() and not till.closing.reconciliation("2026-11-22").approved
    screen.reject()

    other, _ = manager_screen(qtbot, till, runner, "accountant1", "3333")
    page = other.show_page("reconcile")
    assert isinstance(page, ReconciliationPage)
    wait_ops(qtbot, runner)
    assert "李建国" in page.approved_label.text()  # who prepared it, by name
    page.approve_button.click()
    wait_ops(qtbot, runner)
    rec = till.closing.reconciliation("2026-11-22")
    assert rec.approved and rec.approved_by == "accountant1"
    assert page.reasons["account"].isReadOnly()
    other.reject()


def test_approving_with_figures_not_saved_asks_to_save_first(qtbot: Any, fresh_till: Till,
                                                              runner: OpRunner) -> None:
    till = fresh_till
    trade_a_day(till, "2026-11-22")
    manager = till.auth.login("manager1", "2222")
    till.closing.z_close(manager)
    till.closing.declare("2026-11-22", {"cash": 4500}, "", manager)
    screen, _asked = manager_screen(qtbot, till, runner, "accountant1", "3333")
    page = screen.show_page("reconcile")
    assert isinstance(page, ReconciliationPage)
    wait_ops(qtbot, runner)
    qtbot.keyClicks(page.fields["wechat"], "0")
    page.approve_button.click()
    wait_ops(qtbot, runner)
    assert "请先保存" in page.status.text() and not till.closing.reconciliation("2026-11-22").approved
    screen.ask = lambda q: True  # type: ignore[method-assign]
    screen.reject()
