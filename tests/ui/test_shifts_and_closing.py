"""Shifts and the day through the windows: 开班 with a counted float, cash in/out with a manager's PIN,
the X report, 交班 with a blind count, 日结 (Z), 对账 with 审核, people, the idle lock, PDF export.

Offscreen, real SQLite, dummy printer; every service call goes through the op runner. Figures on
screen are compared with what the services say, to the fen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from till_ui import HONEY, WALNUTS, commit_text, journal, press, press_in, scan, type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.closing import DENOMINATIONS_FEN
from pos.domain.users import Role, User
from ui.app import TillSession
from ui.checkout import CheckoutWindow
from ui.manager import ManagerScreen, ReconciliationPage
from ui.ops import OpRunner
from ui.reports_view import ReportView
from ui.shift import CloseShiftDialog, OpenShiftDialog
from ui.style import ERROR_COLOR, OK_COLOR, OVER_COLOR
from ui.widgets import yuan

DAY = "2026-11-22"


# -- helpers -----------------------------------------------------------------------------------------

def log_in(qtbot: Any, session: TillSession, login: str, pin: str) -> None:
    qtbot.waitUntil(lambda: session.login is not None)
    dialog = session.login
    assert dialog is not None
    qtbot.addWidget(dialog)
    wait_ops(qtbot, session.runner)
    dialog.select_login(login)
    type_enter(qtbot, dialog.pin, pin)
    qtbot.waitUntil(lambda: session.window is not None or session.manager is not None)
    wait_ops(qtbot, session.runner)


def focused(dialog: QWidget) -> QWidget:
    w = dialog.focusWidget()
    assert w is not None
    return w


def type_count(qtbot: Any, dialog: QWidget, pieces: dict[int, int]) -> None:
    """Type a count row by row as a cashier does: pieces (or nothing) and Enter, top to bottom."""
    for denom in DENOMINATIONS_FEN:
        field = focused(dialog)
        assert field is dialog.editor.fields[denom], f"focus is not on the {denom} row"
        if pieces.get(denom):
            qtbot.keyClicks(field, str(pieces[denom]))
        qtbot.keyClick(field, Qt.Key.Key_Return)


def texts(widget: QWidget) -> str:
    """Every text the dialog shows or holds (labels, fields, buttons, title)."""
    out = [widget.windowTitle()]
    for w in widget.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append(w.text())
        elif isinstance(w, QLineEdit):
            out += [w.text(), w.placeholderText()]
        out.append(w.toolTip())
    return "\n".join(out)


def open_shift_menu(qtbot: Any, window: CheckoutWindow, choice: Qt.Key) -> None:
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.shift_menu is not None)
    menu = window.shift_menu
    assert menu is not None
    wait_ops(qtbot, window.runner)
    press_in(qtbot, menu, menu, choice)


def pay_cash(qtbot: Any, window: CheckoutWindow, tendered: str) -> None:
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None)
    dialog = window.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    type_enter(qtbot, dialog.tendered, tendered)
    wait_ops(qtbot, window.runner)


def approve_in(qtbot: Any, dialog: Any, runner: OpRunner, login: str = "manager1", pin: str = "2222") -> None:
    qtbot.waitUntil(lambda: dialog.approval_dialog is not None)
    approval = dialog.approval_dialog
    qtbot.waitUntil(approval.managers.isEnabled)
    approval.select_login(login)
    type_enter(qtbot, approval.pin, pin)
    wait_ops(qtbot, runner)


# -- the whole day -----------------------------------------------------------------------------------

def test_a_day_open_sell_cash_out_x_blind_close_z_reconcile_approve(qtbot: Any, fresh_till: Till,
                                                                     runner: OpRunner) -> None:
    till = fresh_till
    session = TillSession(till, runner)
    session.start()

    # -- the cashier logs in: no shift, so 开班 with ¥100×2 + ¥10×5 --------------------------
    log_in(qtbot, session, "cashier1", "1111")
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.open_shift_dialog is not None)
    opening = window.open_shift_dialog
    assert isinstance(opening, OpenShiftDialog)
    assert opening.manager_button.isHidden()  # a cashier has no manager screen to go to
    assert window.shift_label.text() == "未开班"
    type_count(qtbot, opening, {10000: 2, 1000: 5})  # Enter on the last row opens the shift
    wait_ops(qtbot, runner)
    assert window.open_shift_dialog is None and window.shift is not None
    [opened] = journal(till, "shift_open")
    assert opened.payload["float"] == {"10000": 2, "1000": 5} and opened.payload["float_total"] == 25_000
    assert window.shift_label.text() == f"班次 {opened.payload['shift']}"
    assert "备用金 ￥250.00" in window.message.text()

    # -- a sale: honey ￥88.00, cash ￥100 ------------------------------------------------------
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    [sale] = [e.payload for e in journal(till, "sale")]
    assert sale["total"] == 8_800 and sale["change"] == 1_200

    # -- 取出现金 ￥100, the cashier needs the manager's PIN ------------------------------------
    open_shift_menu(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.cash_dialog is not None)
    cash = window.cash_dialog
    assert cash is not None and cash.windowTitle() == "取出现金"
    qtbot.waitUntil(cash.isActiveWindow, timeout=5_000)
    type_enter(qtbot, cash.amount, "100")
    commit_text(cash.reason, "存银行")
    qtbot.keyClick(cash.reason, Qt.Key.Key_Return)
    wait_ops(qtbot, runner)
    assert "需要店长授权" in cash.message.text()
    approve_in(qtbot, cash, runner)
    qtbot.waitUntil(lambda: window.cash_dialog is None)
    [out] = [e.payload for e in journal(till, "cash_out")]
    assert out["amount"] == 10_000 and out["reason"] == "存银行" and out["approver"] == "manager1"
    assert window.message.text() == "已取出现金 ￥100.00（存银行）"

    # -- X: the expected cash so far ----------------------------------------------------------
    expected = till.shifts.x_report().expected_cash_fen
    assert expected == 25_000 + 8_800 - 10_000
    open_shift_menu(qtbot, window, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.report_dialog is not None)
    x = window.report_dialog
    assert x is not None
    text = x.view.text()
    assert "X 报表" in text and "应有现金" in text and yuan(expected) in text
    assert x.summary.text() == f"班次 1  备用金 ￥250.00  应有现金 {yuan(expected)}"
    assert "现金取出" in text and "￥100.00" in text
    x.reject()
    qtbot.waitUntil(lambda: window.report_dialog is None)

    # -- 交班: blind count ￥1 short ------------------------------------------------------------
    open_shift_menu(qtbot, window, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: window.close_dialog is not None)
    closing = window.close_dialog
    assert isinstance(closing, CloseShiftDialog)
    qtbot.waitUntil(closing.isActiveWindow, timeout=5_000)
    blind = texts(closing)
    assert yuan(expected) not in blind and "238" not in blind and "应有现金" not in blind
    type_count(qtbot, closing, {10000: 2, 1000: 3, 500: 1, 100: 2})  # ￥237.00
    assert closing.editor.total_label.text() == "￥237.00"
    for key in ("wechat", "alipay", "unionpay", "voucher", "account"):  # nothing declared: Enter down
        field = focused(closing)
        assert field is closing.declared[key]
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "实点现金 ￥237.00" in closing.counted_label.text()  # asked to confirm, still blind
    assert not journal(till, "shift_close")
    blind = texts(closing)
    assert yuan(expected) not in blind and "238" not in blind and "应有现金" not in blind
    qtbot.keyClick(focused(closing), Qt.Key.Key_Return)  # confirmed
    wait_ops(qtbot, runner)

    result = closing.result
    assert result is not None
    assert result.expected_cash_fen == expected and result.counted_cash_fen == 23_700
    assert result.variance_fen == -100
    assert closing.expected_label.text() == yuan(expected)
    assert closing.counted_result_label.text() == "￥237.00"
    assert closing.variance_label is not None
    assert closing.variance_label.text() == "短款 -￥1.00"
    assert ERROR_COLOR in closing.variance_label.styleSheet()
    assert closing.report_view is not None and "交班报表" in closing.report_view.text()
    [closed] = [e.payload for e in journal(till, "shift_close")]
    assert closed["counted_total"] == 23_700 and closed["expected_cash"] == expected and closed["variance"] == -100
    assert closed["counted"] == {"10000": 2, "1000": 3, "500": 1, "100": 2}

    closing.done_button.click()  # back to the login for the next person
    qtbot.waitUntil(lambda: session.window is None and session.login is not None)

    # -- the manager logs in: no shift to open, 店长管理 instead ---------------------------------
    log_in(qtbot, session, "manager1", "2222")
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.open_shift_dialog is not None)
    opening = window.open_shift_dialog
    assert opening is not None and not opening.manager_button.isHidden()
    press_in(qtbot, opening, focused(opening), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.manager_dialog is not None)
    screen = window.manager_dialog
    assert isinstance(screen, ManagerScreen)
    wait_ops(qtbot, runner)
    assert list(screen.pages) == ["z", "reconcile", "people", "stock", "expiry", "receive", "writeoff", "count", "batches",
                                  "trace"]
    screen.ask = lambda question: True  # type: ignore[method-assign]

    # -- Z ---------------------------------------------------------------------------------------
    day_page = screen.day_page
    assert day_page is not None and day_page.day_label.text() == f"营业日 {DAY}"
    day_page.z_button.click()
    wait_ops(qtbot, runner)
    z = till.closing.z_report(DAY)
    assert day_page.last_z is not None and day_page.last_z.seq == z.seq
    assert z.totals.net_fen == 8_800 and z.totals.by_tender == {"cash": 8_800}
    assert z.totals.cash_out_fen == 10_000
    assert day_page.report_view is not None
    ztext = day_page.report_view.text()
    assert "Z 报表" in ztext and "净销售额" in ztext and yuan(z.totals.net_fen) in ztext
    assert yuan(z.grand_total_fen) in ztext
    assert "已日结" in day_page.status.text()

    # -- 对账: the statements say ￥87.00 cash was deposited, WeChat ￥0 ------------------------
    press_in(qtbot, screen, screen.tabs, Qt.Key.Key_F2)
    page = screen.reconcile_page
    assert isinstance(page, ReconciliationPage) and screen.current_page() is page
    wait_ops(qtbot, runner)
    assert page.day() == DAY and page.rec is not None
    rec = till.closing.reconciliation(DAY)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        "现金", "微信支付", "支付宝", "银联卡", "消费券", "单位挂账"]
    for r, line in enumerate(rec.lines):
        assert page.table.item(r, 1).text() == yuan(line.expected_fen)
    page.fields["cash"].clear()
    qtbot.keyClicks(page.fields["cash"], "87")
    assert page.variance_item("cash").text() == "-￥1.00" and page.is_highlighted("cash")
    qtbot.keyClick(page.fields["cash"], Qt.Key.Key_Return)  # Enter moves down a row
    qtbot.keyClicks(page.fields["wechat"], "0")
    assert page.variance_item("wechat").text() == "￥0.00" and not page.is_highlighted("wechat")
    assert page.variance_item("alipay").text() == "—"
    qtbot.keyClicks(page.fields["alipay"], "5.5")  # a typo, then corrected: highlighted meanwhile
    assert page.variance_item("alipay").text() == "+￥5.50" and page.is_highlighted("alipay")
    page.fields["alipay"].clear()
    assert page.variance_item("alipay").text() == "—" and not page.is_highlighted("alipay")
    assert page.total_label.text() == "差额合计 -￥1.00"
    commit_text(page.notes, "现金短款1元，交班已记录")
    page.save_button.click()
    wait_ops(qtbot, runner)
    rec = till.closing.reconciliation(DAY)
    assert {ln.tender: ln.declared_fen for ln in rec.lines if ln.declared_fen is not None} == {
        "cash": 8_700, "wechat": 0}
    assert rec.notes == "现金短款1元，交班已记录" and not rec.approved
    assert "已保存" in page.approved_label.text()

    page.approve_button.click()  # the manager prepared these figures: someone else approves them
    wait_ops(qtbot, runner)
    assert "另一人审核" in page.status.text() and not till.closing.reconciliation(DAY).approved

    accountant = ManagerScreen(till, runner, till.auth.login("accountant1", "3333"))
    qtbot.addWidget(accountant)
    accountant.ask = lambda question: True  # type: ignore[method-assign]
    wait_ops(qtbot, runner)
    page = accountant.show_page("reconcile")
    assert isinstance(page, ReconciliationPage)
    wait_ops(qtbot, runner)
    assert page.day() == DAY and "须由另一人审核" in page.approved_label.text()
    page.approve_button.click()
    wait_ops(qtbot, runner)
    rec = till.closing.reconciliation(DAY)
    assert rec.approved and rec.approved_by == "accountant1"
    assert page.read_only and all(f.isReadOnly() for f in page.fields.values()) and page.notes.isReadOnly()
    assert page.approved_label.text() == "已审核（王会计）"  # the name, not the login
    for r, line in enumerate(rec.lines):  # every figure on screen is the service's, to the fen
        assert page.table.item(r, 1).text() == yuan(line.expected_fen)
        shown = page.table.item(r, 3).text()
        if line.variance_fen is None:
            assert shown == "—"
        else:
            assert shown == ("+" if line.variance_fen > 0 else "") + yuan(line.variance_fen)
    assert page.report_view is not None and "已审核（" in page.report_view.text()
    assert "accountant1" not in page.report_view.text()  # the report names people, not logins
    accountant.reject()
    qtbot.keyClicks(page.fields["cash"], "1")  # read-only: nothing changes
    assert page.fields["cash"].text() == "87.00"

    # -- the journal tells the same story and its chain holds --------------------------------------
    kinds = [e.kind for e in journal(till) if e.kind not in ("login", "terminal_init", "setting", "user_add")]
    for k in ("shift_open", "sale", "override", "cash_out", "shift_close", "z_closure", "reconcile",
              "day_approved"):
        assert k in kinds
    assert kinds.index("shift_open") < kinds.index("sale") < kinds.index("cash_out") < kinds.index("shift_close")
    assert kinds.index("shift_close") < kinds.index("z_closure") < kinds.index("reconcile") < kinds.index(
        "day_approved")
    [approved] = [e.payload for e in journal(till, "day_approved")]
    assert approved["by"] == "accountant1"
    assert {ln["tender"]: ln["variance"] for ln in approved["lines"]}["cash"] == -100
    [zentry] = [e.payload for e in journal(till, "z_closure")]
    assert zentry["totals"]["net"] == 8_800 and zentry["grand_total"] == z.grand_total_fen
    assert till.verify().ok

    # -- leaving the manager screen: still no shift, so 开班 is asked again; 退出登录 ends it -------
    screen.reject()
    qtbot.waitUntil(lambda: window.open_shift_dialog is not None)
    window.open_shift_dialog.reject()
    qtbot.waitUntil(lambda: session.window is None and session.login is not None)
    qtbot.addWidget(session.login)


# -- who gets what ----------------------------------------------------------------------------------

def test_an_accountant_gets_the_accountants_desk_and_cannot_sell(qtbot: Any, fresh_till: Till,
                                                                  runner: OpRunner) -> None:
    from ui.accountant import AccountantScreen

    session = TillSession(fresh_till, runner)
    session.start()
    log_in(qtbot, session, "accountant1", "3333")
    assert session.window is None  # no checkout at all
    desk = session.manager
    assert isinstance(desk, AccountantScreen)  # 会计 · 财务报表, not 店长管理
    qtbot.addWidget(desk)
    assert desk.back_button.text().startswith("退出登录")
    desk.open_day_close()  # 日结与对账, one button away
    screen = desk.manager_screen
    assert isinstance(screen, ManagerScreen)
    assert list(screen.pages) == ["z", "reconcile", "batches"]  # no 人员 and no stock changes for an accountant
    assert "王会计（会计）" in texts(screen)
    screen.reject()
    from pos.domain.closing import CashCount
    from pos.domain.permissions import NotPermitted

    accountant = User("accountant1", "王会计", Role.ACCOUNTANT)
    try:
        fresh_till.shifts.open(accountant, CashCount())
    except NotPermitted:
        pass
    else:  # pragma: no cover
        raise AssertionError("an accountant opened a shift")
    desk.reject()
    qtbot.waitUntil(lambda: session.manager is None and session.login is not None)
    qtbot.addWidget(session.login)


def test_a_cashier_cannot_open_the_z(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    window.act_manager.trigger()  # Ctrl+M 店长管理
    assert window.manager_dialog is None
    assert window.message.text() == "收银员无权进行日结"
    window.manager_button.click()
    assert window.manager_dialog is None
    assert not journal(demo_till, "z_closure")


def test_a_manager_cannot_take_the_z_while_a_shift_is_open(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    manager = demo_till.auth.login("manager1", "2222")
    window = CheckoutWindow(demo_till, runner, manager)
    qtbot.addWidget(window)
    window.show()
    wait_ops(qtbot, runner)
    assert window.open_shift_dialog is None  # cashier1's shift is still open: the manager sells on it
    window.open_manager()
    screen = window.manager_dialog
    assert screen is not None
    wait_ops(qtbot, runner)
    screen.ask = lambda question: True  # type: ignore[method-assign]
    screen.day_page.z_button.click()
    wait_ops(qtbot, runner)
    assert screen.day_page.status.text() == "还有未交班的班次，请先交班再日结"
    assert not journal(demo_till, "z_closure")
    screen.reject()


def test_a_manager_opens_the_shift_and_moves_cash_without_approval(qtbot: Any, fresh_till: Till,
                                                                    runner: OpRunner) -> None:
    session = TillSession(fresh_till, runner)
    session.start()
    log_in(qtbot, session, "manager1", "2222")
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.open_shift_dialog is not None)
    opening = window.open_shift_dialog
    opening.editor.set_pieces(5000, 4)
    assert opening.editor.total_label.text() == "￥200.00"
    opening.ok_button.click()
    wait_ops(qtbot, runner)
    assert fresh_till.shifts.current().opening_float_fen == 20_000

    open_shift_menu(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.cash_dialog is not None)
    cash = window.cash_dialog
    type_enter(qtbot, cash.amount, "50")
    cash.reason_buttons[0].click()  # 补充零钱
    wait_ops(qtbot, runner)
    assert window.cash_dialog is None
    [moved] = [e.payload for e in journal(fresh_till, "cash_in")]
    assert moved == {"shift": 1, "amount": 5_000, "reason": "补充零钱", "by": "manager1", "approver": None}

    # More out than the drawer holds is refused in the dialog, which stays open.
    open_shift_menu(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.cash_dialog is not None)
    cash = window.cash_dialog
    type_enter(qtbot, cash.amount, "1000")
    cash.reason_buttons[0].click()
    wait_ops(qtbot, runner)
    assert cash.isVisible() and cash.message.text() == "钱箱内现金不足"
    cash.reject()


def test_a_long_close_shows_orange_and_declared_tenders(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, WALNUTS)  # ￥35.00 in cash on cashier1's zero float
    pay_cash(qtbot, window, "35")
    open_shift_menu(qtbot, window, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: window.close_dialog is not None)
    closing = window.close_dialog
    closing.editor.set_pieces(2000, 2)  # ￥40.00 counted: ￥5.00 over
    closing.declared["wechat"].setText("12.5")
    closing.confirm_button.click()
    assert not journal(demo_till, "shift_close")
    closing.confirm_button.click()
    wait_ops(qtbot, window.runner)
    assert closing.variance_label.text() == "长款 +￥5.00"
    assert OVER_COLOR in closing.variance_label.styleSheet()
    assert closing.tender_variance_labels["wechat"].text() == "应收 ￥0.00 申报 ￥12.50 差额 +￥12.50"
    [closed] = [e.payload for e in journal(demo_till, "shift_close")]
    assert closed["declared_by_tender"] == {"wechat": 1_250} and closed["variance"] == 500
    with qtbot.waitSignal(window.logout_requested):
        closing.reject()  # closed is closed: Esc also ends the shift's session


def test_a_close_with_no_variance_is_green(qtbot: Any, window: CheckoutWindow) -> None:
    open_shift_menu(qtbot, window, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: window.close_dialog is not None)
    closing = window.close_dialog
    closing.confirm_button.click()
    closing.confirm_button.click()
    wait_ops(qtbot, window.runner)
    assert closing.variance_label.text() == "无差额 ￥0.00"
    assert OK_COLOR in closing.variance_label.styleSheet()
    closing.accept()


def test_no_shift_when_paying_asks_for_one_and_keeps_the_cart(qtbot: Any, window: CheckoutWindow,
                                                              demo_till: Till) -> None:
    from pos.domain.closing import CashCount

    demo_till.shifts.close(demo_till.auth.login("cashier1", "1111"), CashCount())  # closed elsewhere (CLI)
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "100")
    assert window.message.text() == "尚未开班，请先开班并清点备用金"
    qtbot.waitUntil(lambda: window.open_shift_dialog is not None)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]
    window.open_shift_dialog.ok_button.click()
    wait_ops(qtbot, window.runner)
    pay_cash(qtbot, window, "100")
    assert len(journal(demo_till, "sale")) == 1


# -- people -----------------------------------------------------------------------------------------

def test_people_add_and_disable(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    manager = demo_till.auth.login("manager1", "2222")
    screen = ManagerScreen(demo_till, runner, manager)
    qtbot.addWidget(screen)
    screen.show()
    screen.ask = lambda question: True  # type: ignore[method-assign]
    page = screen.show_page("people")
    wait_ops(qtbot, runner)
    rows = {page.table.item(r, 0).text(): [page.table.item(r, c).text() for c in range(4)]
            for r in range(page.table.rowCount())}
    assert rows["cashier1"] == ["cashier1", "张小芳", "收银员", "在用"]
    assert rows["accountant1"][2] == "会计"

    page.add_person()
    dialog = page.add_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.login, "cashier2")
    commit_text(dialog.name, "赵小燕")
    qtbot.keyClicks(dialog.pin, "4444")
    qtbot.keyClicks(dialog.pin_again, "4445")
    dialog.submit()
    assert dialog.message.text() == "两次输入的密码不一致"
    qtbot.keyClicks(dialog.pin_again, "4444")
    dialog.submit()
    wait_ops(qtbot, runner)
    assert page.add_dialog is None
    assert demo_till.auth.login("cashier2", "4444") == User("cashier2", "赵小燕", Role.CASHIER)
    wait_ops(qtbot, runner)
    row = page.row_of("cashier2")
    assert row is not None and page.table.item(row, 3).text() == "在用"

    page.table.selectRow(row)
    page.disable_selected()
    wait_ops(qtbot, runner)
    assert page.table.item(page.row_of("cashier2"), 3).text() == "已停用"
    assert [e.payload["login"] for e in journal(demo_till, "user_disable")] == ["cashier2"]


# -- the idle lock ----------------------------------------------------------------------------------

def test_the_idle_lock_ignores_scans_and_opens_with_the_pin(qtbot: Any, window: CheckoutWindow,
                                                           demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    window.lock_after_ms = 150
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    window.lock_after_ms = 60_000  # no second lock while the test types
    overlay = window.lock_overlay
    assert overlay is not None and overlay.isVisible()
    assert overlay.geometry() == window.rect()
    assert "已锁定" in texts(overlay) and "张小芳" in overlay.name_label.text()
    assert not window.act_pay.isEnabled() and not window.scan_field.isEnabled()
    logins = len(journal(demo_till, "login"))

    # A scanner's burst lands in the PIN field: thrown away, never tried as a PIN.
    qtbot.keyClicks(overlay.pin, WALNUTS)
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert overlay.message.text() == "已锁定：扫码无效，请先解锁"
    assert len(journal(demo_till, "login")) == logins
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001"]
    window.act_pay.trigger()  # F12 is off while locked
    assert window.payment_dialog is None

    # A wrong PIN, typed like a person: journaled, counted towards the lockout.
    qtbot.keyClicks(overlay.pin, "1234", delay=60)
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert overlay.message.text() == "密码错误（还可尝试 4 次）" and window.locked
    last = journal(demo_till, "login")[-1].payload
    assert last["login"] == "cashier1" and last["ok"] is False and last["via"] == "unlock"

    # The cashier's own PIN opens it.
    qtbot.keyClicks(overlay.pin, "1111", delay=60)
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert not window.locked and not overlay.isVisible()
    assert window.scan_field.isEnabled() and window.act_pay.isEnabled()
    assert window.message.text() == "已解锁"
    scan(qtbot, window, WALNUTS)
    assert [ln.product.sku for ln in window.cart.lines] == ["MX-H001", "MX-N001"]


def test_a_manager_can_unlock_the_cashiers_till(qtbot: Any, window: CheckoutWindow) -> None:
    window.lock()
    overlay = window.lock_overlay
    wait_ops(qtbot, window.runner)
    assert [overlay.who.item(i).text() for i in range(overlay.who.count())] == ["张小芳（本人）", "李建国（店长）"]
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Down)
    assert overlay.selected_login() == "manager1"
    qtbot.keyClicks(overlay.pin, "2222", delay=60)
    qtbot.keyClick(overlay.pin, Qt.Key.Key_Return)
    wait_ops(qtbot, window.runner)
    assert not window.locked and window.message.text() == "已由 李建国 解锁"


def test_the_lock_waits_while_a_dialog_is_open(qtbot: Any, window: CheckoutWindow) -> None:
    scan(qtbot, window, HONEY)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.payment_dialog is not None)
    window.lock_after_ms = 50
    qtbot.wait(300)
    assert not window.locked
    window.payment_dialog.reject()
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    window.lock_after_ms = 0


# -- reports: print and PDF ----------------------------------------------------------------------------

def test_the_x_report_prints_and_exports_a_pdf(qtbot: Any, window: CheckoutWindow, demo_till: Till) -> None:
    scan(qtbot, window, HONEY)
    pay_cash(qtbot, window, "88")
    window.x_report()
    qtbot.waitUntil(lambda: window.report_dialog is not None)
    view = window.report_dialog.view
    assert isinstance(view, ReportView)
    with qtbot.waitSignal(view.exported, timeout=15_000) as exported:
        view.pdf_button.click()
    path = exported.args[0]
    assert path == view.last_pdf and path.exists() and path.read_bytes().startswith(b"%PDF")
    assert path.parent == demo_till.documents.reports_dir
    assert view.status.text() == f"已导出：{path}"
    with qtbot.waitSignal(view.printed, timeout=15_000) as printed:
        press_in(qtbot, window.report_dialog, window.report_dialog, Qt.Key.Key_F9)
    assert printed.args[0].ok and view.status.text() == "X 报表（班中）已打印"
    window.report_dialog.reject()


def test_the_english_ui_names_the_shift_keys(qtbot: Any, qapp: Any, demo_till: Till, runner: OpRunner,
                                             cashier: User) -> None:
    from ui.app import setup_application

    setup_application(qapp, "en")
    window = CheckoutWindow(demo_till, runner, cashier)
    qtbot.addWidget(window)
    wait_ops(qtbot, runner)
    assert window.shift_button.text() == "Shift/drawer\nF2"
    assert window.manager_button.text() == "Manager\nCtrl+M"
    assert window.lock_button.text() == "Lock\nCtrl+L"
    assert window.shift_label.text() == "Shift 1"


def test_leaving_the_manager_screen_with_unsaved_figures_asks_first(qtbot: Any, demo_till: Till,
                                                                     runner: OpRunner) -> None:
    from pos.domain.closing import CashCount

    cashier = demo_till.auth.login("cashier1", "1111")
    demo_till.shifts.close(cashier, CashCount())
    manager = demo_till.auth.login("manager1", "2222")
    demo_till.closing.z_close(manager)
    screen = ManagerScreen(demo_till, runner, manager)
    qtbot.addWidget(screen)
    screen.show()
    wait_ops(qtbot, runner)
    page = screen.show_page("reconcile")
    assert isinstance(page, ReconciliationPage) and page.day() == DAY and not page.dirty
    qtbot.keyClicks(page.fields["cash"], "5")
    assert page.dirty
    asked: list[str] = []
    screen.ask = lambda question: asked.append(question) or False  # type: ignore[method-assign]
    screen.reject()
    assert asked == ["对账数据尚未保存，确定离开？"] and screen.isVisible()
    screen.ask = lambda question: True  # type: ignore[method-assign]
    screen.reject()
    assert not screen.isVisible()


def test_the_shift_screenshots_are_written(qapp: Any, tmp_path: Any) -> None:
    from ui.screenshot_shift import SHOTS, take

    written = take(tmp_path / "shots", None)
    assert sorted(p.stem for p in written) == sorted(SHOTS)
    for p in written:
        assert p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 10_000
