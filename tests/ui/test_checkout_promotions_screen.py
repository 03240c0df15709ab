"""促销 on the checkout screen: the demo store's promotions (resources/demo/promotions-demo.csv) in force;
the second 枇杷礼盒 scanned shows 第二件半价 on its line, and the promotions applied are named above the
total, updated as the cart changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication
from screen_fit import sheet_for
from till_ui import HONEY, WALNUTS, press, scan, type_enter, wait_ops

from pos.bootstrap import Till
from ui.accountant import AccountantScreen
from ui.cart_model import COL_DISCOUNT
from ui.checkout import CheckoutWindow
from ui.fit import problems
from ui.i18n import install_language

PROMOTIONS = Path(__file__).resolve().parents[2] / "resources" / "demo" / "promotions-demo.csv"
LOQUAT_BOX = "6945837000943"  # 茂县枇杷礼盒 2.5kg, ￥128.00


@pytest.fixture
def promo_till(demo_till: Till) -> Till:
    demo_till.promotions.import_file(PROMOTIONS, demo_till.auth.login("manager1", "2222"))
    return demo_till


@pytest.fixture
def promo_window(qtbot: Any, promo_till: Till, runner: Any, cashier: Any) -> CheckoutWindow:
    w = CheckoutWindow(promo_till, runner, cashier)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    wait_ops(qtbot, runner)
    return w


def line_offer(w: CheckoutWindow, row: int) -> str:
    return w.model.index(row, COL_DISCOUNT).data()


def test_the_second_loquat_box_shows_half_price_on_its_line_and_the_promotions_above_the_total(
        qtbot: Any, promo_window: CheckoutWindow) -> None:
    w = promo_window
    scan(qtbot, w, LOQUAT_BOX)
    assert "第二件半价" not in line_offer(w, 0)
    assert w.promo_label.text() == "全场满100减10 -￥10.00"  # ￥128 already passes ￥100
    assert w.total_label.text() == "应收 ￥118.00"

    scan(qtbot, w, LOQUAT_BOX)  # the second box: 第二件半价
    assert len(w.cart.lines) == 1 and w.cart.lines[0].quantity == 2
    assert line_offer(w, 0) == "枇杷礼盒第二件半价 -￥64.00"
    assert not w.table.isColumnHidden(COL_DISCOUNT)
    assert w.promo_label.isVisible()
    assert "枇杷礼盒第二件半价 -￥64.00" in w.promo_label.text() and "全场满100减10 -￥10.00" in w.promo_label.text()
    assert "促销 -￥74.00" in w.discount_label.text()
    assert w.total_label.text() == "应收 ￥182.00"  # ￥256 - ￥64 - ￥10


def test_the_promotions_go_when_the_cart_no_longer_earns_them(qtbot: Any, promo_window: CheckoutWindow) -> None:
    w = promo_window
    scan(qtbot, w, WALNUTS)
    scan(qtbot, w, WALNUTS)  # ￥70: under the ￥100 threshold
    assert not w.promo_label.isVisible()
    assert w.table.isColumnHidden(COL_DISCOUNT)
    scan(qtbot, w, WALNUTS)  # ￥105
    assert w.promo_label.text() == "全场满100减10 -￥10.00"
    assert line_offer(w, 0) == ""  # a basket promotion is named above the total, not on the line
    w.select_row(0)
    w.remove_line()
    wait_ops(qtbot, w.runner)
    assert w.cart.is_empty() and not w.promo_label.isVisible()


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_a_members_sale_with_promotions_is_whole_on_a_small_and_a_big_counter_screen(
        qtbot: Any, promo_till: Till, runner: Any, size: tuple[int, int], language: str) -> None:
    if language == "en":
        install_language("en")
    cashier = promo_till.auth.login("cashier1", "1111")
    member = promo_till.members.add("13800131234", "欧阳娜娜", tier="金卡", birthday="11-22", by=cashier)
    w = CheckoutWindow(promo_till, runner, cashier)
    qtbot.addWidget(w)
    w.setStyleSheet(sheet_for(QSize(*size)))
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    wait_ops(qtbot, runner)
    for code in (LOQUAT_BOX, LOQUAT_BOX, HONEY, WALNUTS):
        scan(qtbot, w, code)
    w.set_member(member)
    QApplication.processEvents()
    assert w.member_bar.isVisible() and w.birthday_label.isVisible() and w.promo_label.isVisible()
    assert problems(w, QRect(0, 0, *size)) == []
    assert w.table.height() >= 140  # three lines at least, under the member and above the promotions


def test_a_held_sale_recalled_gets_its_promotions_again(qtbot: Any, promo_window: CheckoutWindow) -> None:
    w = promo_window
    scan(qtbot, w, LOQUAT_BOX)
    scan(qtbot, w, LOQUAT_BOX)
    press(qtbot, w, Qt.Key.Key_F8)  # 挂单
    wait_ops(qtbot, w.runner)
    assert w.cart.is_empty() and not w.promo_label.isVisible()
    press(qtbot, w, Qt.Key.Key_F9)  # 取单
    qtbot.waitUntil(lambda: w.held_dialog is not None, timeout=5_000)
    wait_ops(qtbot, w.runner)
    type_enter(qtbot, w.held_dialog.field, "1")
    wait_ops(qtbot, w.runner)
    assert w.cart.lines[0].quantity == 2
    assert line_offer(w, 0) == "枇杷礼盒第二件半价 -￥64.00"
    assert w.total_label.text() == "应收 ￥182.00"


def test_the_accountant_sees_what_the_promotions_cost_after_the_sale_at_the_checkout(
        qtbot: Any, promo_window: CheckoutWindow, promo_till: Till, runner: Any) -> None:
    w = promo_window
    scan(qtbot, w, LOQUAT_BOX)
    scan(qtbot, w, LOQUAT_BOX)
    press(qtbot, w, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: w.payment_dialog is not None and w.payment_dialog.isVisible(), timeout=5_000)
    type_enter(qtbot, w.payment_dialog.tendered, "200")
    wait_ops(qtbot, runner)
    assert w.cart.is_empty()

    screen = AccountantScreen(promo_till, runner, promo_till.auth.login("accountant1", "3333"), back_text="退出登录",
                              today=date(2026, 11, 22))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    wait_ops(qtbot, runner)
    titles = [screen.report_list.item(i).text() for i in range(screen.report_list.count())]
    assert "促销成本" in titles and "会员销售与积分" in titles
    screen.select_report("promotions")
    wait_ops(qtbot, runner)
    assert screen.report_title.text() == "促销成本"
    m = screen.model
    rows = [[m.text(r, c) for c in range(m.columnCount())] for r in range(m.rowCount())]
    assert any("枇杷礼盒第二件半价" in row and "64.00" in row for row in rows), rows
    assert any("全场满100减10" in row and "10.00" in row for row in rows), rows
