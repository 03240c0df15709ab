"""How the checkout window is laid out: header, scan field and cart, last receipt, totals, keys, status.

A part of :class:`ui.checkout.CheckoutWindow` (its texts keep the window's translation context).
Sizes come from the (scaled) style sheet; the key bar wraps and the receipt narrows on a small screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos.domain.tenders import TenderKind

from .cart_model import (
    COL_AMOUNT,
    COL_DISCOUNT,
    COL_NAME,
    COL_NO,
    COL_PRICE,
    COL_QTY,
)
from .checkout_parts import ElidedLabel, KeyBar, ScanField
from .device_panels import StatusStrip
from .i18n import translate
from .manager import role_text
from .receipt_view import ReceiptPaper
from .style import scaled
from .widgets import touch_table


class CheckoutLayout:
    """The window's widgets and actions (mixed into CheckoutWindow, which owns the slots they call)."""

    # -- construction -----------------------------------------------------------------------

    def _action(self, text: str, key: QKeySequence | str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())  # the slots take no "checked" flag
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.act_search = self._action(translate("CheckoutWindow", "搜索"), "F3", self.open_search)
        self.act_quantity = self._action(translate("CheckoutWindow", "数量"), "F4", self.change_quantity)
        self.act_discount = self._action(translate("CheckoutWindow", "折扣"), "F5", self.discount_line)
        self.act_sale_discount = self._action(translate("CheckoutWindow", "整单折扣"), "F6", self.discount_sale)
        self.act_price = self._action(translate("CheckoutWindow", "改价"), "F7", self.override_price)
        self.act_hold = self._action(translate("CheckoutWindow", "挂单"), "F8", self.hold_sale)
        self.act_recall = self._action(translate("CheckoutWindow", "取单"), "F9", self.recall_sale)
        self.act_return = self._action(translate("CheckoutWindow", "退货"), "F10", self.open_returns)
        self.act_reprint = self._action(translate("CheckoutWindow", "重印"), "F11", self.reprint)
        self.act_pay = self._action(translate("CheckoutWindow", "收款"), "F12", self.pay)
        # F1 is 现金 in the payment dialog; here too: payment opens with cash ready.
        self.act_cash = self._action(translate("CheckoutWindow", "现金"), "F1", lambda: self.pay(TenderKind.CASH))
        self.act_delete = self._action(translate("CheckoutWindow", "删除"), QKeySequence(Qt.Key.Key_Delete), self.remove_line)
        self.act_clear = self._action(translate("CheckoutWindow", "清空"), None, self.clear_cart)
        self.act_logout = self._action(translate("CheckoutWindow", "退出登录"), None, self.log_out)
        self.act_manager = self._action(translate("CheckoutWindow", "店长管理"), "Ctrl+M", self.open_manager)
        self.act_shift = self._action(translate("CheckoutWindow", "班次/钱箱"), "F2", self.open_shift_menu)
        self.act_lock = self._action(translate("CheckoutWindow", "锁屏"), "Ctrl+L", self.lock)
        self.act_member = self._action(translate("CheckoutWindow", "会员"), "Ctrl+H", self.open_member)
        self.act_training = QAction(translate("CheckoutWindow", "练习"), self)
        self.act_training.setCheckable(True)
        self.act_training.triggered.connect(self.toggle_training)
        self.addAction(self.act_training)

    def _button(self, action: QAction, key: str | None, name: str | None = None) -> QPushButton:
        b = QPushButton(f"{action.text()}\n{key}" if key else action.text())
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
        b.setAutoDefault(False)
        if name:
            b.setObjectName(name)
        if action.isCheckable():
            b.setCheckable(True)
            action.toggled.connect(b.setChecked)
            b.clicked.connect(lambda _=False: action.trigger())
            b.clicked.connect(lambda _=False: b.setChecked(action.isChecked()))
        else:
            b.clicked.connect(action.trigger)
        action.enabledChanged.connect(b.setEnabled)
        return b

    def _build_header(self) -> QWidget:
        ident = self._till.identity
        header = QFrame()
        header.setObjectName("header")
        self.store_label = ElidedLabel(f"{ident.store_name} · {ident.counter_name}")
        self.store_label.setObjectName("storeLabel")
        self.terminal_label = QLabel(translate("CheckoutWindow", "收银机 {terminal}").format(terminal=ident.terminal_id))
        self.cashier_label = QLabel(translate("CheckoutWindow", "{role} {name}").format(role=role_text(self._cashier.role),
                                                                    name=self._cashier.display_name))
        self.shift_label = QLabel("")
        self.shift_label.setObjectName("shiftLabel")
        self.clock_label = QLabel("")
        row = QHBoxLayout(header)
        row.setContentsMargins(12, 6, 12, 6)
        row.setSpacing(16)
        row.addWidget(self.store_label, 1)  # the one that gives way on a narrow screen
        for w in (self.terminal_label, self.shift_label, self.cashier_label, self.clock_label):
            row.addWidget(w)
        return header

    def _build_cart_side(self) -> QWidget:
        self.scan_field = ScanField()
        self.scan_field.setObjectName("scanField")
        self.scan_field.setPlaceholderText(translate("CheckoutWindow", "扫描或输入条码 / PLU / 货号 / 拼音"))
        self.scan_field.returnPressed.connect(self.submit_scan)
        self.scan_field.text_committed.connect(self.submit_scan)
        self.scan_field.move_selection.connect(self.move_selection)
        self.scan_field.delete_line.connect(self.act_delete.trigger)
        scan_label = QLabel(translate("CheckoutWindow", "条码"))
        scan_label.setObjectName("scanLabel")
        # 会员 beside the scan field (the key bar keeps its two rows of eight): the customer is asked
        # for their number as the first goods are scanned.
        self.member_button = QPushButton(f"{self.act_member.text()} Ctrl+H")
        self.member_button.setObjectName("memberButton")
        self.member_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.member_button.setAutoDefault(False)
        self.member_button.setMinimumHeight(44)
        self.member_button.clicked.connect(self.act_member.trigger)
        self.act_member.enabledChanged.connect(self.member_button.setEnabled)
        scan_row = QHBoxLayout()
        scan_row.addWidget(scan_label)
        scan_row.addWidget(self.scan_field, 1)
        scan_row.addWidget(self.member_button)

        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        self.table = touch_table(self.model, "cartTable")
        h = self.table.horizontalHeader()
        h.setMinimumSectionSize(0)
        h.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)  # the name takes what is left
        for col in (COL_NO, COL_QTY, COL_PRICE, COL_DISCOUNT, COL_AMOUNT):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        totals = QFrame()
        totals.setObjectName("totalsBar")
        self.count_label = QLabel("")
        self.count_label.setObjectName("countLabel")
        self.gross_label = QLabel("")
        self.gross_label.setObjectName("grossLabel")
        self.discount_label = QLabel("")
        self.discount_label.setObjectName("discountLabel")
        self.rounding_label = QLabel("")
        self.rounding_label.setObjectName("roundingLabel")
        self.total_label = QLabel("")
        self.total_label.setObjectName("totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # After a cash sale, 找零 in place of the (then empty) 应收, as large, until the next scan.
        self.change_label = QLabel("")
        self.change_label.setObjectName("saleChangeLabel")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.change_label.hide()
        self.change_fen: int | None = None
        # Two small rows (件数 合计 / 优惠 抹零) beside the big 应收.
        top, bottom = QHBoxLayout(), QHBoxLayout()
        for row, labels in ((top, (self.count_label, self.gross_label)),
                            (bottom, (self.discount_label, self.rounding_label))):
            row.setSpacing(22)
            for w in labels:
                row.addWidget(w)
            row.addStretch(1)
        stack = QVBoxLayout()
        stack.setSpacing(0)
        stack.addLayout(top)
        stack.addLayout(bottom)
        trow = QHBoxLayout(totals)
        trow.setContentsMargins(14, 2, 14, 2)
        trow.addLayout(stack, 1)
        trow.addWidget(self.total_label)
        trow.addWidget(self.change_label)

        side = QWidget()
        col = QVBoxLayout(side)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(scan_row)
        col.addWidget(self.message)
        col.addWidget(self._build_member_bar())
        col.addWidget(self.table, 1)
        col.addWidget(self.promo_label)
        self.totals_bar = totals  # under the cart and the receipt: the whole width for 应收
        return side

    def _build_member_bar(self) -> QWidget:
        """会员 on the sale (hidden without one): masked phone, name, tier, points, 生日, 移除会员; and the
        promotions applied, one named line each, shown under the cart above the total."""
        bar = QFrame()
        bar.setObjectName("memberBar")
        bar.setStyleSheet(scaled("#memberBar { background: #fff8e1; border: 1px solid #ffe082; border-radius: 6px; }"
                                 "#memberLabel { font-size: 18px; color: #5d4037; }"
                                 "#birthdayLabel { font-size: 18px; color: #c62828; font-weight: bold; }"))
        self.member_label = ElidedLabel("")
        self.member_label.setObjectName("memberLabel")
        self.birthday_label = QLabel(translate("CheckoutWindow", "今天生日"))
        self.birthday_label.setObjectName("birthdayLabel")
        self.remove_member_button = QPushButton(translate("CheckoutWindow", "移除会员"))
        self.remove_member_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_member_button.setAutoDefault(False)
        self.remove_member_button.clicked.connect(lambda _=False: self.remove_member())
        self.points_button = QPushButton(translate("CheckoutWindow", "积分抵扣"))
        self.points_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.points_button.setAutoDefault(False)
        self.points_button.clicked.connect(lambda _=False: self.redeem_points())
        self.points_button.hide()
        for b in (self.points_button, self.remove_member_button):
            b.setMinimumHeight(44)  # a finger's height, as every key
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 2, 4, 2)
        row.addWidget(self.member_label, 1)
        row.addWidget(self.birthday_label)
        row.addWidget(self.points_button)
        row.addWidget(self.remove_member_button)
        bar.hide()
        self.member_bar = bar
        self.member_panel = None
        self.promo_label = QLabel("")
        self.promo_label.setObjectName("promoLabel")
        self.promo_label.setWordWrap(True)
        self.promo_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.promo_label.setStyleSheet(scaled("#promoLabel { font-size: 18px; color: #e65100; font-weight: bold; }"))
        self.promo_label.hide()
        return bar

    def _build_receipt_side(self) -> QWidget:
        title = QLabel(translate("CheckoutWindow", "上一单小票"))
        title.setObjectName("receiptTitle")
        self.receipt_no_label = QLabel(translate("CheckoutWindow", "暂无"))
        self.receipt_no_label.setObjectName("receiptNo")
        self.receipt_no_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt_paper = ReceiptPaper(self._till.config.columns)
        self.receipt_scroll = QScrollArea()
        self.receipt_scroll.setObjectName("receiptView")
        self.receipt_scroll.setWidget(self.receipt_paper)
        self.receipt_scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.receipt_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.receipt_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.print_status = QLabel("")
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        side = QWidget()
        col = QVBoxLayout(side)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(title)
        col.addWidget(self.receipt_no_label)
        col.addWidget(self.receipt_scroll, 1)
        col.addWidget(self.print_status)
        self.receipt_side = side
        self.receipt_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        return side

    def _fit_receipt_side(self) -> None:
        # The whole roll (32 or 48 columns) plus a scroll bar where there is room; on a narrow
        # screen at most a third of the width (the roll then scrolls sideways).
        paper = self.receipt_paper.paper_width() + 24
        self.receipt_side.setFixedWidth(max(1, min(paper, self.width() // 3)))

    def _build_buttons(self) -> QWidget:
        self.search_button = self._button(self.act_search, "F3")
        self.quantity_button = self._button(self.act_quantity, "F4")
        self.delete_button = self._button(self.act_delete, "Del")
        self.discount_button = self._button(self.act_discount, "F5")
        self.price_button = self._button(self.act_price, "F7")
        self.hold_button = self._button(self.act_hold, "F8")
        self.recall_button = self._button(self.act_recall, "F9")
        self.sale_discount_button = self._button(self.act_sale_discount, "F6")
        self.return_button = self._button(self.act_return, "F10")
        self.reprint_button = self._button(self.act_reprint, "F11")
        self.training_button = self._button(self.act_training, None, "trainingButton")
        self.clear_button = self._button(self.act_clear, None, "dangerButton")
        self.logout_button = self._button(self.act_logout, None)
        self.pay_button = self._button(self.act_pay, "F12", "payButton")
        self.shift_button = self._button(self.act_shift, "F2")
        self.manager_button = self._button(self.act_manager, "Ctrl+M")
        self.lock_button = self._button(self.act_lock, "Ctrl+L")
        keys = (self.search_button, self.quantity_button, self.delete_button, self.discount_button,
                self.price_button, self.hold_button, self.recall_button, self.shift_button,
                self.sale_discount_button, self.return_button, self.reprint_button, self.training_button,
                self.clear_button, self.manager_button, self.lock_button, self.logout_button)
        self.key_bar = KeyBar(keys, self.pay_button)
        return self.key_bar

    def _build_body(self) -> QWidget:
        body = QWidget()
        main = QVBoxLayout(body)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        main.addWidget(self._build_header())
        self.training_banner = QLabel(translate("CheckoutWindow", "练习模式 — 不计入营业额"))
        self.training_banner.setObjectName("trainingBanner")
        self.training_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.training_banner.hide()
        main.addWidget(self.training_banner)
        content = QWidget()
        grid = QVBoxLayout(content)
        grid.setContentsMargins(12, 8, 12, 10)
        grid.setSpacing(8)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self._build_cart_side(), 1)
        middle.addWidget(self._build_receipt_side())
        grid.addLayout(middle, 1)
        grid.addWidget(self.totals_bar)
        grid.addWidget(self._build_buttons())
        main.addWidget(content, 1)
        self.status_strip = StatusStrip(self._till, self._runner, body)
        self.status_strip.queue_clicked.connect(self.open_print_queue)
        self.status_strip.sync_clicked.connect(self.open_sync_panel)
        self.status_strip.settings_clicked.connect(self.open_settings)
        main.addWidget(self.status_strip)
        return body
