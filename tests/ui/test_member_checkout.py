"""会员 at the checkout: a customer gives the last 4 digits of their phone, the cashier picks them from
the list, and the member is on the sale panel and the customer display — all on the till's own
database (no head office, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget
from screen_fit import settled, sheet_for
from till_ui import HONEY, commit_text, journal, press, scan, type_enter, wait_ops

from pos.bootstrap import Till, open_till
from pos.config import load_config
from pos.domain.cart import Cart
from pos.domain.closing import CashCount
from pos.domain.tenders import Tender, TenderKind
from pos.services.ports import FixedClock
from ui.checkout import CheckoutWindow
from ui.i18n import install_language
from ui.member_dialog import MemberDialog
from ui.ops import OpRunner


@pytest.fixture
def vfd_till(tmp_path: Path, clock: FixedClock) -> Iterator[Till]:
    """The demo store with a two-line customer display (a dummy that keeps what it was sent), shift open."""
    cfg = load_config(db=tmp_path / "till.db", printer="dummy:", display="dummy:?type=vfd")
    till = open_till(cfg, create=True, demo=True, clock=clock)
    till.shifts.open(till.auth.login("cashier1", "1111"), CashCount())
    yield till
    till.close()


@pytest.fixture
def members(vfd_till: Till) -> Iterator[Till]:
    cashier = vfd_till.auth.login("cashier1", "1111")
    vfd_till.members.add("13800131234", "王芳", tier="金卡", birthday="11-22", by=cashier)  # today in Pinghu
    vfd_till.members.add("13977771234", "李强", by=cashier)
    vfd_till.members.add("13655550000", "赵敏", by=cashier)
    yield vfd_till


@pytest.fixture
def till_window(qtbot: Any, members: Till, runner: OpRunner) -> CheckoutWindow:
    w = CheckoutWindow(members, runner, members.auth.login("cashier1", "1111"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    wait_ops(qtbot, runner)
    return w


def shown_on_display(till: Till) -> str:
    display = till.devices.display
    display.wait_idle()
    return display.display.sent[-1].decode("gb18030")


def open_member(qtbot: Any, w: CheckoutWindow) -> Any:
    qtbot.waitUntil(w.isActiveWindow, timeout=5_000)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.member_dialog is not None, timeout=5_000)
    return w.member_dialog


def test_the_last_four_digits_give_a_pick_list_and_the_member_picked_is_on_the_sale_and_the_display(
        qtbot: Any, till_window: CheckoutWindow, members: Till) -> None:
    w = till_window
    scan(qtbot, w, HONEY)
    assert not w.member_bar.isVisible()

    dialog = open_member(qtbot, w)
    type_enter(qtbot, dialog.field, "1234")
    wait_ops(qtbot, w.runner)
    assert dialog.table.isVisible()
    rows = [[dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())]
    assert rows == [["138****1234", "王芳", "金卡", "0"], ["139****1234", "李强", "普通", "0"]]  # not 赵敏
    assert "13800131234" not in dialog.message.text()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # 王芳, the first row
    qtbot.waitUntil(lambda: w.member_dialog is None, timeout=5_000)

    assert w.cart.member is not None and w.cart.member.name == "王芳"
    assert w.member_bar.isVisible()
    assert "138****1234" in w.member_label.full_text() and "王芳" in w.member_label.full_text()
    assert "金卡" in w.member_label.full_text()
    assert w.birthday_label.isVisible()  # 11-22 is today in the store
    shown = shown_on_display(members)
    assert "会员 138****1234" in shown and "0013" not in shown
    assert len(w.cart.lines) == 1  # the sale goes on as it was
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.scan_field, timeout=5_000)  # the next scan goes on


def test_a_full_number_finds_the_member_at_once_and_the_member_can_be_taken_off_before_payment(
        qtbot: Any, till_window: CheckoutWindow) -> None:
    w = till_window
    scan(qtbot, w, HONEY)
    dialog = open_member(qtbot, w)
    type_enter(qtbot, dialog.field, "139 7777 1234")
    qtbot.waitUntil(lambda: w.member_dialog is None, timeout=5_000)
    assert w.cart.member is not None and w.cart.member.name == "李强"
    assert not w.birthday_label.isVisible()

    w.remove_member_button.click()
    assert w.cart.member is None and not w.member_bar.isVisible()
    assert "139****1234" in w.message.text()


def test_a_new_member_is_registered_from_the_number_nobody_has(qtbot: Any, till_window: CheckoutWindow,
                                                               members: Till) -> None:
    w = till_window
    dialog = open_member(qtbot, w)
    type_enter(qtbot, dialog.field, "13512345678")
    wait_ops(qtbot, w.runner)
    assert dialog.form.isVisible() and dialog.phone_field.text() == "13512345678"
    commit_text(dialog.name_field, "陈静")
    qtbot.keyClick(dialog.name_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.member_dialog is None, timeout=5_000)
    assert w.cart.member is not None and w.cart.member.phone_masked == "135****5678"
    assert [m.name for m in members.members.find("5678")] == ["陈静"]


def test_a_mistyped_number_is_refused_in_the_dialog_in_plain_words(qtbot: Any, till_window: CheckoutWindow) -> None:
    w = till_window
    dialog = open_member(qtbot, w)
    type_enter(qtbot, dialog.field, "1380013")
    assert "手机号" in dialog.message.text()
    assert w.member_dialog is dialog  # still asking
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w.member_dialog is None, timeout=5_000)
    assert w.cart.member is None


def test_points_earned_on_one_sale_pay_part_of_the_next(qtbot: Any, till_window: CheckoutWindow,
                                                        members: Till) -> None:
    w = till_window
    cashier = members.auth.login("cashier1", "1111")
    member = members.members.find("13800131234")[0]
    first = Cart().with_member(member).add(members.scan(HONEY).product, 1)
    members.checkout.complete_sale(first, [Tender(TenderKind.CASH, 8800)], cashier)
    assert members.members.find("13800131234")[0].points == 88  # 1 point per yuan

    scan(qtbot, w, HONEY)
    assert not w.points_button.isVisible()  # no member yet
    dialog = open_member(qtbot, w)
    type_enter(qtbot, dialog.field, "13800131234")
    qtbot.waitUntil(lambda: w.member_dialog is None, timeout=5_000)
    assert w.points_button.isVisible() and "积分 88" in w.member_label.full_text()
    w.points_button.click()
    qtbot.waitUntil(lambda: w.value_dialog is not None, timeout=5_000)
    assert w.value_dialog.field.text() == "88"  # as many as the sale may take
    qtbot.keyClick(w.value_dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.value_dialog is None, timeout=5_000)
    assert w.cart.points_redeemed == 88
    assert "积分 88（本单用 88）" in w.member_label.full_text()
    assert "积分抵扣 -￥0.88" in w.discount_label.text()
    assert w.total_label.text() == "应收 ￥87.10"  # ￥87.12, and the demo store's 抹零 drops the fen
    press(qtbot, w, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: w.payment_dialog is not None and w.payment_dialog.isVisible(), timeout=5_000)
    type_enter(qtbot, w.payment_dialog.tendered, "100")
    wait_ops(qtbot, w.runner)
    sale = journal(members, "sale")[-1].payload
    assert sale["member"]["id"] == member.member_id and sale["member"]["points_redeemed"] == 88
    assert w.cart.member is None and not w.member_bar.isVisible()  # the next customer starts without one


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("screen", [QSize(1024, 768), QSize(1920, 1080)], ids=["1024x768", "1920x1080"])
def test_the_member_dialog_is_whole_on_a_small_and_a_big_screen_in_chinese_and_english(
        qtbot: Any, members: Till, runner: OpRunner, screen: QSize, language: str) -> None:
    if language == "en":
        install_language("en")
    counter = QWidget()
    qtbot.addWidget(counter)
    counter.resize(screen)
    counter.show()
    cashier = members.auth.login("cashier1", "1111")
    current = members.members.find("13800131234")[0]  # a member already on the sale: 移除会员 is offered
    dialog = MemberDialog(members, runner, cashier, current=current, parent=counter)
    dialog.setStyleSheet(sheet_for(screen))
    dialog.show()
    qtbot.waitExposed(dialog)
    settled(qtbot, dialog, screen)
    type_enter(qtbot, dialog.field, "1234")  # the pick list
    wait_ops(qtbot, runner)
    assert dialog.table.isVisible()
    settled(qtbot, dialog, screen)
    dialog.field.setText("13512345678")  # nobody: the registration form
    dialog.confirm()
    wait_ops(qtbot, runner)
    assert dialog.form.isVisible()
    settled(qtbot, dialog, screen)
    dialog.reject()


def test_a_member_card_scanned_at_the_till_puts_its_member_on_the_sale(qtbot: Any, till_window: CheckoutWindow,
                                                                      members: Till) -> None:
    w = till_window
    scan(qtbot, w, HONEY)
    card = members.members.find("13977771234")[0].code
    scan(qtbot, w, card)
    assert w.cart.member is not None and w.cart.member.name == "李强"
    assert len(w.cart.lines) == 1  # a card is no goods
    assert "139****1234" in w.member_label.full_text()
    scan(qtbot, w, card[:-1] + ("0" if card[-1] != "0" else "1"))  # one character wrong
    assert "会员码" in w.message.text() and w.cart.member.name == "李强"
