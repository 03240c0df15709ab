"""The accountant's desk (issue 16): 会计 · 财务报表 after login, a period, a report as a table, charts,
打印, 导出 to a USB stick, 回款 with a manager's approval.

Most stories use a small report service that records what it was asked for (the period the
accountant picked) and answers with fixed figures, so what the screen does with a period and a
report is seen apart from how the service computes it; exports go through the real writers.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from till_ui import type_enter, wait_ops

from pos.bootstrap import Till
from pos.domain.errors import InvalidInput
from pos.domain.permissions import Approval
from pos.domain.table_report import Column, Qty, TableReport, summed_totals
from pos.domain.users import User
from ui.accountant import AccountantScreen, AccountPaymentDialog, receipt_doc
from ui.app import TillSession
from ui.approval import ApprovalDialog
from ui.i18n import install_language
from ui.ops import OpRunner

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _report(name: str, a: date, b: date) -> TableReport:
    if name == "daily":
        cols: tuple[Column, ...] = (
            Column("day", "营业日", "Business day", "date"), Column("receipts", "笔数", "Receipts", "int", True),
            Column("net", "净销售额", "Net sales", "money", True))
        rows: tuple[tuple[Any, ...], ...] = ((a, 3, 1_234_567), (b, 1, -500))
    elif name == "categories":
        cols = (Column("category", "类别", "Category"), Column("net", "净销售额", "Net sales", "money", True))
        rows = (("花椒", 280_000), ("蜂蜜", 88_000))
    elif name == "hours":
        cols = (Column("hour", "时段", "Hour"), Column("net", "净销售额", "Net sales", "money", True))
        rows = (("09:00", 1_000), ("10:00", 2_000), ("17:00", 500))
    elif name == "accounts":
        cols = (Column("code", "单位编码", "Code"), Column("name", "单位名称", "Institution"),
                Column("balance", "期末欠款", "Closing balance", "money", True))
        rows = (("MXGXS", "茂县供销社", 120_000),)
    else:
        cols = (Column("name", "商品名称", "Product"), Column("qty", "数量", "Quantity", "qty", True),
                Column("net", "净销售额", "Net sales", "money", True))
        rows = (("冰糖心苹果", Qty(2_350, True), 3_948), ("茂县花椒", Qty(2), 5_600))
    titles = {"products": ("商品销售汇总", "Sales by product"), "daily": ("销售日报", "Daily sales")}
    zh, en = titles.get(name, (name, name))
    return TableReport(name, zh, en, a, b, cols, rows, store="茂县专柜", totals=summed_totals(cols, rows),
                       notes=("营业实收与 Z 报表一致",))


class RecordingReports:
    """A period report service that says what it was asked and answers with fixed figures."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, date, date]] = []
        self.payments: list[tuple[str, int, str, Any, str]] = []

    def build(self, name: str, date_from: date, date_to: date, *, store: str | None = None) -> TableReport:
        self.asked.append((name, date_from, date_to))
        if date_to < date_from:
            raise InvalidInput("the period ends before it begins", message_zh="结束日期早于开始日期")
        return _report(name, date_from, date_to)

    def record_account_payment(self, code: str, amount_fen: int, by: User, approval: Approval | None,
                               note: str = "") -> None:
        self.payments.append((code, amount_fen, by.login, approval, note))


@pytest.fixture
def reports() -> RecordingReports:
    return RecordingReports()


@pytest.fixture
def accountant(demo_till: Till) -> User:
    return demo_till.auth.login("accountant1", "3333")


def desk(qtbot: Any, till: Till, runner: OpRunner, user: User, reports: RecordingReports) -> AccountantScreen:
    screen = AccountantScreen(till, runner, user, back_text="退出登录", reports=reports, today=date(2026, 11, 18))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    wait_ops(qtbot, runner)
    return screen


def rows_of(screen: AccountantScreen) -> list[list[str]]:
    m = screen.model
    return [[m.text(r, c) for c in range(m.columnCount())] for r in range(m.rowCount())]


# -- who gets the desk ----------------------------------------------------------------------------------

def test_the_accountant_logs_in_to_the_accountants_desk_and_leaving_it_logs_out(
        qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    session = TillSession(demo_till, runner)
    session.start()
    qtbot.waitUntil(lambda: session.login is not None)
    login = session.login
    assert login is not None
    wait_ops(qtbot, runner)
    login.select_login("accountant1")
    type_enter(qtbot, login.pin, "3333")
    qtbot.waitUntil(lambda: session.manager is not None)
    screen = session.manager
    assert isinstance(screen, AccountantScreen)
    assert session.window is None  # no checkout
    assert screen.title_label.text() == "会计 · 财务报表" and "店长管理" not in screen.windowTitle()
    titles = [screen.report_list.item(i).text() for i in range(screen.report_list.count())]
    assert titles[:5] == ["销售日报", "商品销售汇总", "分类汇总", "产地汇总", "收款方式汇总"]
    assert "税额汇总" in titles and "挂账对账单" in titles
    assert screen.back_button.text().startswith("退出登录")
    assert screen.payment_button is not None and screen.day_button is not None  # 回款; 日结与对账 still there
    wait_ops(qtbot, runner)
    screen.reject()
    qtbot.waitUntil(lambda: session.manager is None and session.login is not None)
    qtbot.addWidget(session.login)
    session.login.reject()


def test_the_accountant_still_closes_and_reconciles_days_from_the_desk(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    assert screen.day_button is not None
    screen.open_day_close()
    manager = screen.manager_screen
    assert manager is not None and manager.isVisible()
    assert [manager.tabs.tabText(i) for i in range(manager.tabs.count())][:2] == ["日结 F1", "对账 F2"]
    wait_ops(qtbot, runner)
    manager.reject()


# -- the period -------------------------------------------------------------------------------------------

def test_the_desk_opens_on_this_month_and_the_report_is_asked_for_that_month(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    assert screen.kind_buttons["month"].isChecked()
    assert screen.period_label.text() == "2026年11月"
    assert reports.asked[-1] == ("daily", *NOVEMBER)
    assert screen.calendar.locale().language().name == "Chinese"  # 一 二 三 … and 十一月
    assert screen.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday


def test_week_previous_next_and_a_custom_period_picked_on_the_calendar(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.kind_buttons["week"].click()
    wait_ops(qtbot, runner)
    assert reports.asked[-1] == ("daily", date(2026, 10, 26), date(2026, 11, 1))  # the week of 1 November
    screen.next_button.click()
    wait_ops(qtbot, runner)
    assert reports.asked[-1] == ("daily", date(2026, 11, 2), date(2026, 11, 8))
    assert screen.period_label.text() == "2026-11-02 至 2026-11-08"
    qtbot.keyClick(screen, Qt.Key.Key_PageUp)  # 上一期
    qtbot.keyClick(screen, Qt.Key.Key_PageUp)
    wait_ops(qtbot, runner)
    assert reports.asked[-1] == ("daily", date(2026, 10, 19), date(2026, 10, 25))

    screen.kind_buttons["custom"].click()
    assert screen.custom_hint.isVisible()
    screen.calendar.clicked.emit(QDate(2026, 11, 3))  # the start …
    screen.calendar.clicked.emit(QDate(2026, 11, 17))  # … then the end
    wait_ops(qtbot, runner)
    assert reports.asked[-1] == ("daily", date(2026, 11, 3), date(2026, 11, 17))
    assert screen.report is not None and screen.report.period_to == date(2026, 11, 17)


def test_a_custom_period_ending_before_it_starts_is_said_and_not_asked_for(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    asked = len(reports.asked)
    screen.set_custom(date(2026, 11, 20), date(2026, 11, 10))
    wait_ops(qtbot, runner)
    assert "结束日期早于开始日期" in screen.status.text()
    assert len(reports.asked) == asked and screen.period_label.text() == "2026年11月"


# -- the report --------------------------------------------------------------------------------------------

def test_a_report_shows_as_a_table_with_figures_right_aligned_a_bold_totals_row_and_its_notes(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.select_report("products")
    wait_ops(qtbot, runner)
    assert reports.asked[-1] == ("products", *NOVEMBER)
    assert screen.report_title.text() == "商品销售汇总"
    headers = [screen.model.headerData(c, Qt.Orientation.Horizontal) for c in range(screen.model.columnCount())]
    assert headers == ["商品名称", "数量", "净销售额"]
    assert rows_of(screen) == [["冰糖心苹果", "2.350kg", "39.48"], ["茂县花椒", "2", "56.00"], ["合计", "", "95.48"]]
    m = screen.model
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert m.data(m.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) == right  # money
    assert m.data(m.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) == right  # quantity
    assert m.data(m.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) != right  # names read from the left
    font = m.data(m.index(2, 0), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()  # 合计
    assert m.data(m.index(0, 0), Qt.ItemDataRole.FontRole) is None
    assert screen.notes.isVisible() and screen.notes.text() == "营业实收与 Z 报表一致"
    assert screen.print_button.isEnabled() and screen.export_button.isEnabled()


def test_print_and_export_wait_for_the_report_being_made_so_they_never_take_the_last_one(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    assert screen.export_button.isEnabled()
    screen.select_report("products")  # asked for; not back yet
    assert not screen.export_button.isEnabled() and not screen.print_button.isEnabled()
    wait_ops(qtbot, runner)
    assert screen.export_button.isEnabled() and screen.report is not None and screen.report.name == "products"


def test_thousands_separators_and_a_negative_day_in_red(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    assert rows_of(screen) == [["2026-11-01", "3", "12,345.67"], ["2026-11-30", "1", "-5.00"], ["合计", "4", "12,340.67"]]
    m = screen.model
    assert m.data(m.index(1, 2), Qt.ItemDataRole.ForegroundRole) is not None
    assert m.data(m.index(0, 2), Qt.ItemDataRole.ForegroundRole) is None


def test_the_model_passes_qt_model_checks(qtmodeltester: Any, qtbot: Any, demo_till: Till, runner: OpRunner,
                                          accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    qtmodeltester.check(screen.model)


def test_a_report_the_service_refuses_is_said_in_plain_words(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User) -> None:
    class Refusing(RecordingReports):
        def build(self, name: str, date_from: date, date_to: date, *, store: str | None = None) -> TableReport:
            raise InvalidInput("no such store", message_zh="没有这个门店")

    screen = desk(qtbot, demo_till, runner, accountant, Refusing())  # type: ignore[arg-type]
    assert screen.status.text() == "没有这个门店"
    assert screen.model.rowCount() == 0 and not screen.export_button.isEnabled()


def test_english_names_every_report_and_column(qtbot: Any, qapp: QApplication, demo_till: Till, runner: OpRunner,
                                               accountant: User, reports: RecordingReports) -> None:
    install_language("en")
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    titles = [screen.report_list.item(i).text() for i in range(screen.report_list.count())]
    assert titles[:2] == ["Daily sales", "Sales by product"]
    assert all(t.isascii() for t in titles)
    assert screen.period_label.text() == "November 2026"
    assert screen.model.headerData(2, Qt.Orientation.Horizontal) == "Net sales"
    assert rows_of(screen)[-1][0] == "Total"


# -- charts ----------------------------------------------------------------------------------------------

def test_the_charts_draw_sales_by_day_by_category_and_by_hour_for_the_period(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.show_charts()
    wait_ops(qtbot, runner)
    assert {("categories", *NOVEMBER), ("hours", *NOVEMBER)} <= set(reports.asked)
    by_day = [(p.label, p.fen) for p in screen.charts.by_day.points]
    assert len(by_day) == 30 and by_day[0] == ("1", 1_234_567) and by_day[-1] == ("30", -500)  # no totals row
    assert sum(fen for _d, fen in by_day) == 1_234_067
    assert [p.label for p in screen.charts.by_category.points] == ["花椒", "蜂蜜"]
    axis = screen.charts.by_category.chart().axes(Qt.Orientation.Vertical)[0]
    assert axis.categories() == ["蜂蜜", "花椒"]  # drawn bottom-up: the report's first row is the top bar
    hours = [(p.label, p.fen) for p in screen.charts.by_hour.points]
    assert hours[:2] == [("09", 1_000), ("10", 2_000)] and hours[-1] == ("17", 500) and len(hours) == 9
    assert screen.charts.by_category.tip(0) == "花椒: ¥2,800.00"
    assert screen.charts.by_day.chart().series()  # bars are drawn
    screen.next_button.click()  # December: the charts follow the period
    wait_ops(qtbot, runner)
    assert ("hours", date(2026, 12, 1), date(2026, 12, 31)) in reports.asked


# -- 打印 and 导出 --------------------------------------------------------------------------------------

def test_export_suggests_the_usb_stick_and_the_reports_file_name_and_writes_xlsx(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports,
        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    stick = tmp_path / "media" / "wang" / "KINGSTON"
    stick.mkdir(parents=True)
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.select_report("products")
    wait_ops(qtbot, runner)
    screen.export_folder = lambda: stick
    suggested: list[Path] = []

    def answer(path: Path) -> tuple[str, str]:
        suggested.append(path)
        return str(path), "Excel 工作簿 (*.xlsx)"

    screen.ask_save_path = answer  # type: ignore[method-assign]
    qtbot.keyClick(screen, Qt.Key.Key_F10)
    wait_ops(qtbot, runner)
    assert suggested == [stick / "商品销售汇总_2026-11-01_2026-11-30.xlsx"]
    assert screen.last_export == suggested[0] and suggested[0].exists()
    assert "已导出" in screen.status.text()
    sheet = load_workbook(suggested[0]).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "冰糖心苹果" in values and "茂县花椒" in values


def test_export_as_csv_when_the_csv_filter_is_chosen_for_a_name_without_suffix(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports,
        tmp_path: Path) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.ask_save_path = lambda _p: (str(tmp_path / "十一月日报"), "CSV 文件 (*.csv)")  # type: ignore[method-assign]
    screen.export()
    wait_ops(qtbot, runner)
    out = tmp_path / "十一月日报.csv"
    assert screen.last_export == out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel wants
    text = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert any("2026-11-01" in row for row in text)


def test_cancelling_the_save_dialog_writes_nothing(qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User,
                                                   reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.ask_save_path = lambda _p: None  # type: ignore[method-assign]
    screen.export()
    wait_ops(qtbot, runner)
    assert screen.last_export is None and screen.status.text() == ""


def test_printing_on_the_receipt_printer_and_as_an_a4_preview(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    assert screen.report is not None
    doc = receipt_doc(screen.report, "zh")
    assert doc.title == "销售日报" and doc.sections[-1].heading == "合计"
    assert ("净销售额", "12,340.67") in [(r.label, r.value) for r in doc.sections[-1].rows]
    screen.print_receipt()
    wait_ops(qtbot, runner)
    assert "打印" in screen.status.text() or "已" in screen.status.text()
    screen.print_a4()
    wait_ops(qtbot, runner)
    qtbot.waitUntil(lambda: getattr(screen, "preview_dialog", None) is not None)
    screen.preview_dialog.reject()


# -- 回款 ----------------------------------------------------------------------------------------------

def test_payment_received_needs_a_managers_approval_then_is_recorded(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.select_report("accounts")
    wait_ops(qtbot, runner)
    screen.record_payment()
    dialog = screen.payment_dialog
    assert isinstance(dialog, AccountPaymentDialog)  # at once: the statement is on screen
    assert dialog.account.currentText() == "茂县供销社（MXGXS）"
    dialog.amount.setText("0")
    dialog.submit()
    assert "大于 0.00" in dialog.message.text() and dialog.isVisible()
    assert dialog.owed_label.text() == "期末欠款 ¥1,200.00"
    dialog.amount.setText("1200.01")
    dialog.submit()
    assert "超过欠款" in dialog.message.text() and getattr(screen, "approval_dialog", None) is None
    dialog.amount.setText("1200.00")
    dialog.note.setText("BANK-20261130")
    dialog.submit()
    approval = screen.approval_dialog
    assert isinstance(approval, ApprovalDialog)
    wait_ops(qtbot, runner)
    approval.select_login("manager1")
    approval.pin.setText("2222")
    approval.submit()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    assert len(reports.payments) == 1
    code, fen, by, given, note = reports.payments[0]
    assert (code, fen, by, note) == ("MXGXS", 120_000, "accountant1", "BANK-20261130")
    assert given is not None and given.approver == "manager1"
    assert "已记录回款" in screen.status.text()
    assert reports.asked[-1] == ("accounts", *NOVEMBER)  # the statement is read again


def test_a_manager_records_payment_received_alone(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                  reports: RecordingReports) -> None:
    manager = demo_till.auth.login("manager1", "2222")
    screen = desk(qtbot, demo_till, runner, manager, reports)
    assert screen.payment_button is not None
    screen.record_payment()  # from 销售日报: the statement is read for the dialog's list
    wait_ops(qtbot, runner)
    dialog = screen.payment_dialog
    assert dialog.account.currentText() == "茂县供销社（MXGXS）"
    dialog.amount.setText("50")
    dialog.submit()
    wait_ops(qtbot, runner)
    assert [(c, f, b, a) for c, f, b, a, _n in reports.payments] == [("MXGXS", 5_000, "manager1", None)]


# -- with the till's own report service ---------------------------------------------------------------

def test_an_institution_buys_on_account_and_the_accountant_brings_its_balance_down(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User) -> None:
    from pos.domain.cart import Cart
    from pos.domain.tenders import Tender, TenderKind

    cashier = demo_till.auth.login("cashier1", "1111")
    cart = Cart().add(demo_till.lookup.find("6972316000521"), 2)  # 松阳土蜂蜜 ×2, ¥176.00
    demo_till.checkout.complete_sale(cart, [Tender(TenderKind.ACCOUNT, cart.total_fen, "MXGXS")], cashier)

    screen = AccountantScreen(demo_till, runner, accountant, back_text="退出登录")  # the till's own service
    qtbot.addWidget(screen)
    screen.show()
    wait_ops(qtbot, runner)
    daily = rows_of(screen)
    assert daily[-1][0] == "合计" and "176.00" in daily[-1]  # 销售日报: the sale, in this month
    screen.select_report("accounts")
    wait_ops(qtbot, runner)
    row = next(r for r in rows_of(screen) if r[0] == "MXGXS")
    assert row[-1] == "176.00"  # 期末欠款

    screen.record_payment()
    dialog = screen.payment_dialog
    assert dialog.account.currentText() == "茂县供销合作社（MXGXS）"
    dialog.amount.setText("100")
    dialog.submit()
    approval = screen.approval_dialog
    wait_ops(qtbot, runner)
    approval.select_login("manager1")
    approval.pin.setText("2222")
    approval.submit()
    qtbot.waitUntil(lambda: "已记录回款" in screen.status.text(), timeout=10_000)
    wait_ops(qtbot, runner)
    row = next(r for r in rows_of(screen) if r[0] == "MXGXS")
    assert row[-1] == "76.00" and "100.00" in row  # 本期回款 and the balance brought down


def test_a_grouped_report_heads_each_group_across_the_table_and_a_long_one_goes_to_a4_only(
        qtbot: Any, demo_till: Till, runner: OpRunner, accountant: User, reports: RecordingReports) -> None:
    cols = (Column("name", "名称", "Name"), Column("net", "净销售额", "Net sales", "money", True))
    rows = tuple((f"商品{i}", 100 * i) for i in range(70))
    grouped = TableReport("margin", "毛利分析", "Gross margin", *NOVEMBER, cols, rows,
                          totals=summed_totals(cols, rows), sections=(("按商品 By product", 0), ("按日期 By day", 35)))
    screen = desk(qtbot, demo_till, runner, accountant, reports)
    screen.show_report(grouped)
    shown = rows_of(screen)
    assert shown[0][0] == "按商品 By product" and shown[36][0] == "按日期 By day" and len(shown) == 70 + 2 + 1
    assert screen.table.columnSpan(0, 0) == 2 and screen.table.columnSpan(36, 0) == 2
    assert screen.table.columnSpan(1, 0) == 1
    screen.print_receipt()  # 70 rows: metres of paper
    assert "请用 A4" in screen.status.text()
