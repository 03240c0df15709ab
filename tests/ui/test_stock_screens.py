"""The manager's stock pages (issue 15) as a manager uses them: receive a 山海快车 batch from its
delivery note (or refuse a wrong one, naming its rows), receive with the scanner, see stock and lots,
the near-expiry list, write off a spoiled box, count the shelf and approve it, read the batch report;
and the cashier warned when an expired lot is scanned. Offscreen, real SQLite, dummy printer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from till_ui import journal, scan, wait_ops

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.permissions import Action
from pos.domain.stock import WriteOffReason
from pos.domain.tenders import Tender, TenderKind
from pos.domain.users import Role
from ui.approval import ApprovalDialog
from ui.checkout import CheckoutWindow
from ui.manager import (
    BATCH_PAGE,
    COUNT_PAGE,
    EXPIRY_PAGE,
    RECEIVE_PAGE,
    STOCK_PAGE,
    WRITEOFF_PAGE,
    ManagerScreen,
    manager_pages,
)
from ui.ops import OpRunner
from ui.stock import BatchReportPage, NearExpiryPage, RowsModel, StockPage
from ui.stock_adjust import CountPage, WriteOffPage
from ui.stock_receiving import SCAN_MODE, ReceivingPage

EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装, MX-E001, ￥45.00

# Arrived the day before the tests' clock (2026-11-22 10:00 in Pinghu).
NOTE = """批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号
SHKC-2026-47,松阳县山海合作社,13800000000,2026-11-21,MX-F001,80,9.60,2026-12-05,茂县,HG2026112101
SHKC-2026-47,,,,MX-E001,30,28.00,2026-11-23,松阳,HG2026112102
SHKC-2026-47,,,,MX-E001,10,28.00,2026-11-21,松阳,HG2026112103
"""

BAD_NOTE = """批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号
SHKC-2026-48,松阳县山海合作社,13800000000,2026-11-21,MX-F001,80,9.605,2026-12-05,茂县,HG1
SHKC-2026-48,,,,NO-SUCH,3,1.00,2026-12-05,茂县,HG2
SHKC-2026-48,,,,MX-E001,30,28.00,2026-12-01,松阳,
"""


def write_note(tmp_path: Path, text: str, name: str = "delivery-note.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def manager_screen(qtbot: Any, till: Till, runner: OpRunner, login: str = "manager1",
                   pin: str = "2222") -> tuple[ManagerScreen, list[str]]:
    screen = ManagerScreen(till, runner, till.auth.login(login, pin))
    qtbot.addWidget(screen)
    asked: list[str] = []

    def ask(question: str) -> bool:
        asked.append(question)
        return True

    screen.ask = ask  # type: ignore[method-assign]
    screen.resize(1280, 800)
    screen.show()
    wait_ops(qtbot, runner)
    return screen, asked


def texts(model: RowsModel) -> list[tuple[str, ...]]:
    return [row.texts for row in model.rows]


def near_expiry_after_the_note(qtbot: Any, till: Till, runner: OpRunner,
                               tmp_path: Path) -> tuple[ManagerScreen, list[str], NearExpiryPage]:
    """NOTE received by the manager, then the manager screen on its 临期 page (and what it asked)."""
    till.stock.receive_file(write_note(tmp_path, NOTE), till.auth.login("manager1", "2222"))
    screen, asked = manager_screen(qtbot, till, runner)
    page = screen.show_page(EXPIRY_PAGE)
    assert isinstance(page, NearExpiryPage)
    wait_ops(qtbot, runner)
    return screen, asked, page


def receive_note(qtbot: Any, screen: ManagerScreen, runner: OpRunner, path: str) -> ReceivingPage:
    page = screen.show_page(RECEIVE_PAGE)
    assert isinstance(page, ReceivingPage)
    page.open_file(path)
    wait_ops(qtbot, runner)
    return page


def test_a_manager_receives_a_delivery_note_and_sees_its_lots_on_the_stock_page(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    screen, asked = manager_screen(qtbot, demo_till, runner)
    page = receive_note(qtbot, screen, runner, write_note(tmp_path, NOTE))
    # The preview: the batch, its supplier and the total before anything is written.
    assert "SHKC-2026-47" in page.note_header.text() and "松阳县山海合作社" in page.note_header.text()
    assert "￥1888.00" in page.note_header.text()  # 768 + 840 + 280
    rows = texts(page.preview_model)
    assert [r[1] for r in rows] == ["MX-F001", "MX-E001", "MX-E001"]
    assert rows[0][3] == "80.000 kg" and rows[0][4] == "￥9.60/kg" and rows[0][7] == "HG2026112101"
    assert page.confirm_button.isEnabled()
    assert demo_till.stock.stock_list() == []  # nothing received yet

    page.confirm()
    wait_ops(qtbot, runner)
    assert asked and "SHKC-2026-47" in asked[-1]
    assert "已收货" in page.status.text() and "3 个批号" in page.status.text()
    assert not page.confirm_button.isEnabled()  # received once: not twice by a second tap

    stock = screen.show_page(STOCK_PAGE)
    assert isinstance(stock, StockPage)
    wait_ops(qtbot, runner)
    products = {r[0]: r for r in texts(stock.model)}
    assert products["MX-F001"][3] == "80.000" and products["MX-F001"][4] == "kg"
    assert products["MX-F001"][5] == "￥768.00"
    assert products["MX-E001"][3] == "40" and products["MX-E001"][5] == "￥1120.00"
    stock.search.setText("鸡蛋")  # filtered once typing pauses
    qtbot.waitUntil(lambda: [r[0] for r in texts(stock.model)] == ["MX-E001"], timeout=3000)
    stock.table.selectRow(0)
    wait_ops(qtbot, runner)
    lots = texts(stock.lot_model)
    # First expiry first: the lot that expired yesterday, then the one of the 23rd; 合格证 with each.
    assert [(lot[0], lot[2], lot[3], lot[5]) for lot in lots] == [
        ("SHKC-2026-47", "2026-11-21", "昨天过期", "HG2026112103"),
        ("SHKC-2026-47", "2026-11-23", "明天到期", "HG2026112102")]
    assert stock.lot_model.rows[0].color is not None  # the expired lot in red


def test_a_wrong_delivery_note_is_refused_whole_with_its_row_numbers(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = receive_note(qtbot, screen, runner, write_note(tmp_path, BAD_NOTE))
    problems = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any(p.startswith("第2行") and "进价" in p for p in problems)
    assert any(p.startswith("第3行") and "NO-SUCH" in p for p in problems)
    assert any(p.startswith("第4行") and "合格证" in p for p in problems)  # eggs need their 合格证
    assert "整单未收货" in page.note_header.text()
    assert not page.confirm_button.isEnabled()
    page.confirm()
    wait_ops(qtbot, runner)
    assert demo_till.stock.stock_list() == []


def test_receiving_with_the_scanner_checks_each_line_as_it_is_added(
        qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(RECEIVE_PAGE)
    assert isinstance(page, ReceivingPage)
    page.set_mode(SCAN_MODE)
    page.batch_field.setText("SHKC-2026-49")
    page.supplier_field.setText("松阳县山海合作社")
    page.contact_field.setText("13800000000")
    page.code_field.setText(EGGS)
    page.qty_field.setText("20")
    page.cost_field.setText("28")
    page.expiry_field.setText("2026-12-01")
    page.add_line()
    wait_ops(qtbot, runner)
    assert "合格证" in page.line_message.text() and page.scanned.lines == []  # eggs: no 合格证, refused
    page.cert_field.setText("编号:HG2026112201;产地:松阳;日期:2026-11-21")  # the certificate's QR, scanned
    page.add_line()
    wait_ops(qtbot, runner)
    assert "已加入" in page.line_message.text()
    assert len(page.scanned.lines) == 1 and page.scanned.lines[0].certificate == "HG2026112201"
    assert page.scanned.lines[0].certificate_qr.startswith("编号:HG2026112201")
    assert page.code_field.text() == ""  # ready for the next product
    assert "￥560.00" in page.scan_total.text()
    page.confirm()
    wait_ops(qtbot, runner)
    assert "已收货" in page.status.text(), page.status.text()
    [eggs] = demo_till.stock.stock_list(sku="MX-E001", lots=True)
    assert eggs.on_hand == 20 and eggs.lots[0].certificate_no == "HG2026112201"
    assert page.scanned.lines == []


def test_the_near_expiry_list_puts_expired_lots_first_and_writing_one_off_takes_it_away(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    screen, asked, page = near_expiry_after_the_note(qtbot, demo_till, runner, tmp_path)
    rows = texts(page.model)
    assert [(r[2], r[3]) for r in rows] == [("2026-11-21", "昨天过期"), ("2026-11-23", "明天到期")]  # apples: not near
    assert page.model.rows[0].background is not None and page.model.rows[1].background is None
    assert "已过期 1 个" in page.summary.text()

    page.table.selectRow(0)
    page.write_off_button.click()  # 报损此批次: to 报损 with that lot chosen
    write_off = screen.current_page()
    assert isinstance(write_off, WriteOffPage)
    assert write_off.selected_lot() == "SHKC-2026-47/3"
    assert write_off.selected_reason() is WriteOffReason.EXPIRED
    write_off.qty_field.setText("10")
    write_off.submit()
    wait_ops(qtbot, runner)
    assert "已报损" in write_off.status.text() and "￥280.00" in write_off.status.text(), write_off.status.text()
    assert "过期" in asked[-1]
    [eggs] = demo_till.stock.stock_list(sku="MX-E001")
    assert eggs.on_hand == 30

    screen.show_page(EXPIRY_PAGE)
    wait_ops(qtbot, runner)
    assert [r[2] for r in texts(page.model)] == ["2026-11-23"]


def test_a_write_off_asks_for_a_reason_and_refuses_more_than_is_on_hand(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), demo_till.auth.login("manager1", "2222"))
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(WRITEOFF_PAGE)
    assert isinstance(page, WriteOffPage)
    page.find("MX-F001")
    wait_ops(qtbot, runner)
    assert "80.000 kg" in page.product_label.text()
    page.qty_field.setText("1.5")
    page.submit()
    assert page.status.text() == "请选择报损原因"
    page.set_reason(WriteOffReason.SPOILED)
    page.qty_field.setText("81")
    page.submit()
    assert "库存只有 80.000kg" in page.status.text()
    page.qty_field.setText("1.5")
    page.submit()
    wait_ops(qtbot, runner)
    assert "已报损" in page.status.text() and "￥14.40" in page.status.text()  # 1.5 kg × ￥9.60
    [apples] = demo_till.stock.stock_list(sku="MX-F001")
    assert apples.on_hand == 78_500


def test_a_cashier_writing_off_gets_a_managers_approval_first(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), demo_till.auth.login("manager1", "2222"))
    cashier = demo_till.auth.login("cashier1", "1111")
    page = WriteOffPage(demo_till, runner, cashier, lambda _q: True)
    qtbot.addWidget(page)
    page.show()
    page.find(EGGS)
    wait_ops(qtbot, runner)
    page.set_reason(WriteOffReason.BROKEN)
    page.qty_field.setText("2")
    page.submit()
    wait_ops(qtbot, runner)
    dialog = page.approval_dialog
    assert isinstance(dialog, ApprovalDialog) and dialog.action is Action.STOCK_WRITEOFF
    wait_ops(qtbot, runner)
    dialog.select_login("manager1")
    dialog.pin.setText("2222")
    dialog.submit()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    assert "已报损" in page.status.text(), page.status.text()
    [eggs] = demo_till.stock.stock_list(sku="MX-E001")
    assert eggs.on_hand == 38


def test_a_count_by_scanner_shows_the_variance_at_cost_and_is_applied_when_approved(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), demo_till.auth.login("manager1", "2222"))
    screen, asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(COUNT_PAGE)
    assert isinstance(page, CountPage)
    wait_ops(qtbot, runner)
    assert not page.approve_button.isEnabled() and "没有待审核" in page.variance_total.text()
    page.code_field.setText(EGGS)
    page.scan()
    wait_ops(qtbot, runner)
    assert "松阳土鸡蛋" in page.item_label.text()
    page.counted_field.setText("37")
    page.add_counted()
    assert texts(page.sheet_model) == [("MX-E001", "松阳土鸡蛋 30枚装", "37")]
    page.take()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    assert texts(page.variance_model) == [("松阳土鸡蛋 30枚装", "40", "37", "-3", "-￥84.00")]
    assert "-￥84.00" in page.variance_total.text()
    # The shop keeps selling while the sheet waits: that sale is not counted as missing.
    cashier = demo_till.auth.login("cashier1", "1111")
    demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(EGGS), 1), [Tender(TenderKind.CASH, 4500)],
                                     cashier)
    page.approve()
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    assert "已审核" in page.status.text(), page.status.text()
    assert "审核盘点单" in asked[-1]
    [eggs] = demo_till.stock.stock_list(sku="MX-E001")
    assert eggs.on_hand == 36  # 40 − 1 sold − 3 missing
    assert page.pending == []


def test_a_count_sheet_file_is_loaded_as_a_pending_sheet(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                        tmp_path: Path) -> None:
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), demo_till.auth.login("manager1", "2222"))
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(COUNT_PAGE)
    assert isinstance(page, CountPage)
    page.load_file(write_note(tmp_path, "商品编码,实盘数量\nMX-F001,81.2\n", "count.csv"))
    wait_ops(qtbot, runner)
    wait_ops(qtbot, runner)
    assert texts(page.variance_model) == [("茂县冰糖心苹果（特级）", "80.000", "81.200", "+1.200", "+￥11.52")]


def test_the_batch_report_shows_revenue_margin_and_what_is_left(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                               tmp_path: Path) -> None:
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), demo_till.auth.login("manager1", "2222"))
    cashier = demo_till.auth.login("cashier1", "1111")
    demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(EGGS), 2), [Tender(TenderKind.CASH, 9000)],
                                     cashier)
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(BATCH_PAGE)
    assert isinstance(page, BatchReportPage)
    wait_ops(qtbot, runner)
    [row] = texts(page.model)
    assert row[0] == "SHKC-2026-47" and row[1] == "2026-11-21"
    assert row[3] == "￥1888.00" and row[4] == "2"
    assert row[5] == "￥90.00" and row[6] == "￥56.00" and row[7] == "￥34.00" and row[8] == "37.8%"
    assert row[10] == "38 + 80.000kg" and row[11] == "未售完"
    origins = {r[0] for r in texts(page.origin_model)}
    assert {"茂县", "松阳"} <= origins


def test_selling_past_zero_is_flagged_in_red_on_top_of_the_stock_list(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), demo_till.auth.login("manager1", "2222"))
    cashier = demo_till.auth.login("cashier1", "1111")
    demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(EGGS), 41), [Tender(TenderKind.CASH, 41 * 4500)],
                                     cashier)
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(STOCK_PAGE)
    wait_ops(qtbot, runner)
    assert isinstance(page, StockPage)
    first = page.model.rows[0]
    assert first.texts[0] == "MX-E001" and first.texts[3] == "-1" and first.texts[6] == "负库存"
    assert first.background is not None
    assert "负库存 1 种" in page.summary.text()


def test_who_sees_which_stock_page() -> None:
    assert {STOCK_PAGE, EXPIRY_PAGE, RECEIVE_PAGE, WRITEOFF_PAGE, COUNT_PAGE, BATCH_PAGE} <= set(
        manager_pages(Role.MANAGER))
    assert BATCH_PAGE in manager_pages(Role.ACCOUNTANT) and STOCK_PAGE not in manager_pages(Role.ACCOUNTANT)
    assert not {STOCK_PAGE, BATCH_PAGE} & set(manager_pages(Role.ADMIN))


@pytest.mark.parametrize("policy", ["warn", "refuse"])
def test_the_cashier_is_told_when_the_oldest_lot_of_a_scanned_item_has_expired(
        qtbot: Any, window: CheckoutWindow, demo_till: Till, runner: OpRunner, tmp_path: Path, policy: str) -> None:
    manager = demo_till.auth.login("manager1", "2222")
    demo_till.stock.receive_file(write_note(tmp_path, NOTE), manager)
    demo_till.stock.set_expiry_policy(policy, manager)
    scan(qtbot, window, EGGS)
    text = window.message.text()
    assert "已于 2026-11-21 过期" in text, text
    if policy == "warn":
        assert len(window.cart.lines) == 1 and "注意" in text  # the sale goes on
    else:
        assert window.cart.is_empty() and "不能销售" in text
    demo_till.clock.at = demo_till.clock.now() - timedelta(days=1)  # the lot's last day: nothing said
    scan(qtbot, window, EGGS)
    assert "过期" not in window.message.text()


def test_the_rows_model_passes_qts_model_tester(qtmodeltester: Any) -> None:
    from ui.stock import Cells

    model = RowsModel(["a", "b"], right=(1,))
    model.set_rows([Cells(("x", "1")), Cells(("y", "2"), "#c62828")])
    qtmodeltester.check(model)


def test_leaving_with_scanned_lines_not_received_asks_first(qtbot: Any, demo_till: Till, runner: OpRunner) -> None:
    screen, asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(RECEIVE_PAGE)
    assert isinstance(page, ReceivingPage)
    page.set_mode(SCAN_MODE)
    for field, value in ((page.code_field, EGGS), (page.qty_field, "20"), (page.cost_field, "28"),
                         (page.expiry_field, "2026-12-01"), (page.cert_field, "HG2026112201")):
        field.setText(value)
    page.add_line()
    wait_ops(qtbot, runner)
    assert len(page.scanned.lines) == 1
    screen.show_page(STOCK_PAGE)
    screen.ask = lambda question: asked.append(question) or False  # type: ignore[method-assign]
    screen.reject()
    assert asked[-1] == "扫码收货的 1 行还没有确认收货，确定离开？"
    assert screen.isVisible() and screen.current_page() is page  # stayed, on the lines


def test_in_english_the_pages_and_a_wrong_notes_rows_read_in_english(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    from ui.i18n import install_language

    install_language("en")
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    labels = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert labels[3:] == ["Stock", "Expiring", "Receive", "Write-off", "Count", "Batches", "Trace"]
    page = receive_note(qtbot, screen, runner, write_note(tmp_path, BAD_NOTE))
    problems = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert problems[0].startswith("row 2, unit_cost:")
    assert page.note_header.text().startswith("The delivery note has 3 problem(s); nothing was received")


def test_a_category_given_more_near_expiry_days_brings_its_lots_into_the_list_at_once(
        qtbot: Any, demo_till: Till, runner: OpRunner, tmp_path: Path) -> None:
    screen, _asked, page = near_expiry_after_the_note(qtbot, demo_till, runner, tmp_path)
    assert [r[2] for r in texts(page.model)] == ["2026-11-21", "2026-11-23"]  # apples (12-05) not yet near
    panel = page.settings
    assert not panel.isVisible()
    page.settings_button.click()  # 品类设置
    assert panel.isVisible()
    cats = [r[0] for r in texts(panel.model)]
    assert "水果" in cats and cats == sorted(cats)  # the catalogue's categories, in order
    panel.table.selectRow(cats.index("水果"))
    assert "水果" in panel.category_label.text()

    panel.days_field.setText("两周")  # not a number: refused in plain words, nothing saved
    panel.save()
    assert "整数" in panel.status.text(), panel.status.text()
    assert not demo_till.stock.category_setting("水果").explicit

    panel.days_field.setText("１４")  # full-width digits, as a Chinese IME types them
    panel.quarantine_box.setChecked(True)  # implies a 合格证
    assert panel.certificate_box.isChecked()
    panel.save()
    wait_ops(qtbot, runner)
    assert "已保存" in panel.status.text(), panel.status.text()
    fruit = demo_till.stock.category_setting("水果")
    assert (fruit.near_days, fruit.needs_certificate, fruit.needs_quarantine, fruit.explicit) == (14, True, True, True)
    assert [r[2] for r in texts(page.model)] == ["2026-11-21", "2026-11-23", "2026-12-05"]  # apples now near
    row = texts(panel.model)[cats.index("水果")]
    assert row[1:] == ("14 天", "要", "要", "已设置")
    [entry] = [e for e in journal(demo_till, "setting") if e.payload.get("key") == "stock_category"]
    assert (entry.payload["category"], entry.payload["near_days"], entry.payload["by"]) == ("水果", 14, "manager1")

    panel.save()  # the same values again: nothing to save
    assert "没有改动" in panel.status.text()

    i = panel.policy_box.findData("refuse")
    panel.policy_box.setCurrentIndex(i)
    panel.save_policy()
    wait_ops(qtbot, runner)
    assert demo_till.stock.expiry_policy().value == "refuse"
    assert "拒绝" in panel.status.text()
