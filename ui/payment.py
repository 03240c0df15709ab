"""收款: the split-tender dialog. Amount due, the tenders taken so far, what is still due, change.

Keys (each shown on its button): F1 现金, F2 微信, F3 支付宝, F4 银联/聚合, F5 消费券, F6 单位挂账,
F8 删除一笔, Enter 确认收款, Esc 取消; with 单位挂账, ↑↓ move in the list of the store's accounts.
The amount field starts at what is still due and has the keyboard whenever the next key is an amount.
Enter takes the tender typed; a tender that does not cover the rest is added to the list and the
dialog asks for the rest. WeChat/Alipay take an optional payment code (scanned or typed). A payment
code is recognised wherever it arrives — a scanner's burst into the amount or the reference field
(even one that already holds text), a paste, or a whole field typed by hand — by the domain's one
classifier, and becomes the reference of the right provider (WeChat or Alipay, whatever tender was
selected) for the amount typed or still due; it never stays in a field and is never read as an
amount. UnionPay and aggregated terminals need the terminal's reference number, vouchers their
number. 单位挂账 lists the store's institution accounts (name, code, credit left): touch one, or type
part of its name, its code or the name's pinyin initials; a code typed or scanned in full works too.

Dropping a tender that is money already taken outside the till (WeChat, Alipay, a card on the
UnionPay/aggregated terminal) asks first, naming it with its code masked — Esc, the cancel button,
closing the window, F8 or the remove button alike; "no" keeps it. Cash is still in the cashier's
hand and a voucher or 挂账 is charged only when the sale is saved, so those go without a question.
A programmatic ``reject()`` does not ask.

Whether the tenders pay the sale is the domain's ``settle`` rule, asked live and again on
confirm; only cash may exceed what is due, and change always comes from cash. The service
re-checks vouchers and credit limits when the sale is committed by the caller. Every decision here
is :class:`ui.presenters.payment.PaymentPresenter`'s; this dialog draws it and forwards keys.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import Fen, format_yuan
from pos.domain.sale import shown_reference
from pos.domain.tenders import Settlement, Tender, TenderKind

from .cart_model import _LEFT, _RIGHT
from .i18n import translate
from .messages import error_text
from .presenters.payment import (  # noqa: F401 - re-exported: callers and tests import them from here
    NOTES_FEN,
    REMOVE_KEY,
    TAKEN_OUTSIDE,
    TENDER_KEYS,
    WITH_REFERENCE,
    AccountChoice,
    Outcome,
    PaymentPresenter,
    Removal,
    Step,
    amount_typed,
    payment_code_in,
    round_up_suggestion,
    tender_for_code,
)
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR
from .widgets import CodeField, select_row, selected_row, step_selection, touch_table, yuan

if TYPE_CHECKING:
    from pos.bootstrap import Till

    from .ops import OpRunner

Index = QModelIndex | QPersistentModelIndex


def tender_name(kind: TenderKind) -> str:
    names = {
        TenderKind.CASH: translate("PaymentDialog", "现金"),
        TenderKind.WECHAT: translate("PaymentDialog", "微信"),
        TenderKind.ALIPAY: translate("PaymentDialog", "支付宝"),
        TenderKind.UNIONPAY: translate("PaymentDialog", "银联/聚合"),
        TenderKind.VOUCHER: translate("PaymentDialog", "消费券"),
        TenderKind.ACCOUNT: translate("PaymentDialog", "单位挂账"),
    }
    return names[kind]


def institution_accounts(till: Till) -> list[AccountChoice]:
    """The store's active institution accounts with the credit each has left (run on the writer lane:
    what is owed counts every sale the writer has committed). Read only: nothing is committed."""
    return [AccountChoice(a.code, a.name, left) for a, left in till.checkout.account_credit()]


class TenderListModel(QAbstractTableModel):
    """The tenders taken so far: 方式, 金额, 参考号 (payment codes shown by their last four digits)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tenders: list[Tender] = []

    def set_tenders(self, tenders: list[Tender]) -> None:
        self.beginResetModel()
        self._tenders = list(tenders)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tenders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tenders):
            return None
        t = self._tenders[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (tender_name(t.kind), yuan(t.amount_fen), shown_reference(t.kind, t.reference) or "")[col] if col < 3 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col == 1 else _LEFT)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 3 and role == Qt.ItemDataRole.DisplayRole:
            return (translate("TenderListModel", "方式"), translate("TenderListModel", "金额"),
                    translate("TenderListModel", "参考号"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class AccountListModel(QAbstractTableModel):
    """单位挂账's pick list: 单位, 编码, 剩余额度 — the accounts matching what is typed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: list[AccountChoice] = []

    def set_accounts(self, accounts: list[AccountChoice]) -> None:
        self.beginResetModel()
        self._accounts = list(accounts)
        self.endResetModel()

    def account(self, row: int) -> AccountChoice | None:
        return self._accounts[row] if 0 <= row < len(self._accounts) else None

    def row_of(self, code: str) -> int | None:
        return next((i for i, a in enumerate(self._accounts) if a.code == code), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._accounts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._accounts):
            return None
        a = self._accounts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.name, a.code, yuan(a.credit_left_fen))[col] if col < 3 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col == 2 else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return a.name
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 3 and role == Qt.ItemDataRole.DisplayRole:
            return (translate("AccountListModel", "单位"), translate("AccountListModel", "编码"),
                    translate("AccountListModel", "剩余额度"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def screen_area(widget: QWidget) -> tuple[int, int]:
    """The room a dialog has: its parent window's size (the till fills its screen), else the screen's."""
    parent = widget.parentWidget()
    if parent is not None and parent.window().isVisible():
        size = parent.window().size()
        return size.width(), size.height()
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return 1280, 800
    geo = screen.availableGeometry()
    return geo.width(), geo.height()


def size_for_screen(widget: QWidget, width_share: float = 0.86, height_share: float = 0.92) -> None:
    """A dialog's first size: most of the room it has, never more than that room."""
    w, h = screen_area(widget)
    widget.resize(max(1, round(w * width_share)), max(1, round(h * height_share)))


class PaymentDialog(QDialog):
    """After ``accept()``, :attr:`tenders` holds what the customer paid and :attr:`settlement` the change.

    ``till`` and ``runner`` (optional) fill 单位挂账's list of the store's accounts."""

    def __init__(self, due_fen: Fen, *, kind: TenderKind = TenderKind.CASH, reference: str | None = None,
                 tenders: list[Tender] | tuple[Tender, ...] = (), error: str = "",
                 max_gap_ms: float = 30.0, till: Till | None = None, runner: OpRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.presenter = PaymentPresenter(due_fen, kind=kind, tenders=tenders, reference=reference)
        self._account_moved = False  # ↑↓ picked a row of 单位挂账's list
        self.due_fen = due_fen
        self.tenders: list[Tender] = []
        self.settlement: Settlement | None = None
        self.setWindowTitle(self.tr("收款"))
        self.setModal(True)

        # -- what is due, paid, left, and the change -------------------------------------------
        self.due_label = QLabel(yuan(due_fen))
        self.due_label.setObjectName("dueLabel")
        self.paid_label = QLabel("")
        self.paid_label.setObjectName("sumLabel")
        self.remaining_label = QLabel("")
        self.remaining_label.setObjectName("remainingLabel")
        self.change_label = QLabel("")
        self.change_label.setObjectName("changeLabel")
        summary = QGridLayout()
        for col, (caption, value) in enumerate(((self.tr("应收"), self.due_label), (self.tr("已收"), self.paid_label),
                                                (self.tr("还需"), self.remaining_label),
                                                (self.tr("找零"), self.change_label))):
            cap = QLabel(caption)
            cap.setObjectName("sumCaption")
            summary.addWidget(cap, 0, col)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            summary.addWidget(value, 1, col)
            summary.setColumnStretch(col, 1)
        summary_box = QWidget()
        summary_box.setObjectName("paySummary")
        summary_box.setLayout(summary)

        # -- the tenders taken ----------------------------------------------------------------
        self.tender_model = TenderListModel(self)
        self.tender_table = touch_table(self.tender_model, "tenderTable", row_height=44)
        h = self.tender_table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.remove_button = QPushButton(self.tr("删除一笔 F8"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_button.clicked.connect(lambda: self.remove_tender())
        taken_title = QLabel(self.tr("已收款项"))
        taken_title.setObjectName("sectionTitle")
        left = QVBoxLayout()
        left.addWidget(taken_title)
        left.addWidget(self.tender_table, 1)
        left.addWidget(self.remove_button)

        # -- the tender being taken -----------------------------------------------------------
        self.kind_buttons: dict[TenderKind, QPushButton] = {}
        kinds = QGridLayout()
        for i, (k, key) in enumerate(TENDER_KEYS):
            b = QPushButton(f"{tender_name(k)}\n{key}")
            b.setObjectName("tenderButton")
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # three equal columns
            b.clicked.connect(lambda _=False, kk=k: self.select_kind(kk))
            self.kind_buttons[k] = b
            kinds.addWidget(b, i // 3, i % 3)
            kinds.setColumnStretch(i % 3, 1)
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, kk=k: self.select_kind(kk))
            self.addAction(action)
        remove = QAction(self)
        remove.setShortcut(QKeySequence(REMOVE_KEY))
        remove.triggered.connect(lambda: self.remove_tender())
        self.addAction(remove)

        self.amount_caption = QLabel("")
        self.amount_caption.setObjectName("fieldCaption")
        # max_gap_ms: the till's wedge_max_gap_ms, the longest pause inside one scanner burst.
        self.tendered = CodeField(max_gap_ms=max_gap_ms)
        self.tendered.setObjectName("tenderedField")
        self.tendered.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.tendered.setMaxLength(24)  # a payment code typed here by hand is recognised, not cut short
        self.tendered.textChanged.connect(self._amount_edited)
        self.tendered.returnPressed.connect(self._amount_entered)
        self.tendered.code_arrived.connect(self._use_code)
        self.reference_caption = QLabel("")
        self.reference_caption.setObjectName("fieldCaption")
        self.reference_caption.setWordWrap(True)
        self.reference = CodeField(max_gap_ms=max_gap_ms)
        self.reference.setObjectName("referenceField")
        self.reference.setMaxLength(64)
        self.reference.textChanged.connect(self._reference_edited)
        self.reference.returnPressed.connect(self._reference_entered)
        self.reference.code_arrived.connect(self._use_code)
        # Captions above their fields: the fields keep the full width (a long English caption such as
        # "Voucher number (required)" beside the field cut its placeholder short at 1024×768).
        fields = QVBoxLayout()
        fields.setSpacing(2)
        for caption, field in ((self.amount_caption, self.tendered), (self.reference_caption, self.reference)):
            fields.addWidget(caption)
            fields.addWidget(field)
            fields.addSpacing(4)

        # 单位挂账: the store's accounts to touch (filled on the writer lane when the dialog opens).
        self.account_model = AccountListModel(self)
        self.account_table = touch_table(self.account_model, "accountTable", row_height=44)
        ah = self.account_table.horizontalHeader()
        ah.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        ah.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        ah.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.account_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.account_table.clicked.connect(lambda index: self.choose_account(index.row()))
        self.account_table.doubleClicked.connect(lambda index: self.choose_account(index.row(), confirm=True))

        quick = QHBoxLayout()
        self.round_button = self._quick_button(self.tr("凑整"), None)
        quick.addWidget(self.round_button)
        self.note_buttons = [self._quick_button(format_yuan(n, symbol=True).removesuffix(".00"), n) for n in NOTES_FEN]
        for b in self.note_buttons:
            quick.addWidget(b)

        self.error = QLabel(error)
        self.error.setObjectName("payMessage")
        self.error.setWordWrap(True)
        self._color(self.error, ERROR_COLOR)

        right = QVBoxLayout()
        right.addLayout(kinds)
        right.addSpacing(6)
        right.addLayout(fields)
        right.addLayout(quick)
        right.addWidget(self.account_table, 1)
        right.addWidget(self.error)
        self._right_stretch = QWidget()  # takes the room the account list leaves when it is hidden
        self._right_stretch.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        right.addWidget(self._right_stretch, 1)

        middle = QHBoxLayout()
        middle.addLayout(left, 4)
        middle.addSpacing(12)
        middle.addLayout(right, 5)

        self.confirm_button = QPushButton(self.tr("确认收款 Enter"))
        self.confirm_button.setObjectName("payButton")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.clicked.connect(self.confirm)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.cancel)
        self.cancel_button = cancel
        self.question: QMessageBox | None = None  # the open "drop this payment?" question
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(summary_box)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)

        self._draw(keep_message=bool(error))
        self._update()
        if error:
            self._say(error, ERROR_COLOR)
        size_for_screen(self)
        if till is not None and runner is not None:
            from .ops import Lane

            runner.run(Lane.WRITER, partial(institution_accounts, till), self.set_accounts, lambda _exc: None)

    # -- state (the presenter's) ------------------------------------------------------------------

    @property
    def kind(self) -> TenderKind:
        return self.presenter.kind

    @property
    def taken(self) -> list[Tender]:
        """Tenders added so far (not counting what is typed in the fields)."""
        return list(self.presenter.taken)

    def paid_fen(self) -> Fen:
        return self.presenter.paid_fen()

    def remaining_fen(self) -> Fen:
        return self.presenter.remaining_fen()

    # -- drawing ------------------------------------------------------------------------------

    @staticmethod
    def _color(label: QLabel, color: str) -> None:
        label.setStyleSheet(f"color: {color};")

    def _show_change(self, text: str, color: str) -> None:
        # 找零 is what the cashier counts out of the drawer: the biggest figure in the dialog (the size
        # comes from the style sheet, #paymentDialog #changeLabel, so it scales with the screen).
        self.change_label.setText(text)
        self._color(self.change_label, color)

    def _say(self, text: str, color: str = ERROR_COLOR) -> None:
        self.error.setText(text)
        self._color(self.error, color)

    def _captions(self) -> tuple[str, str]:
        return {
            TenderKind.CASH: (self.tr("实收现金"), ""),
            TenderKind.WECHAT: (self.tr("微信金额"), self.tr("付款码（扫码，可不填）")),
            TenderKind.ALIPAY: (self.tr("支付宝金额"), self.tr("付款码（扫码，可不填）")),
            TenderKind.UNIONPAY: (self.tr("刷卡金额"), self.tr("终端参考号（必填）")),
            TenderKind.VOUCHER: (self.tr("券面金额"), self.tr("消费券券号（必填）")),
            TenderKind.ACCOUNT: (self.tr("挂账金额"), self.tr("挂账单位（点选，或输入编码/名称/拼音首字母）")),
        }[self.kind]

    def _draw(self, *, keep_message: bool = False, focus: QWidget | None = None) -> None:
        """Everything from the presenter: the tender selected, captions, both fields, the list taken."""
        p = self.presenter
        for k, b in self.kind_buttons.items():
            b.setChecked(k is p.kind)
        amount_caption, reference_caption = self._captions()
        self.amount_caption.setText(amount_caption)
        self.reference_caption.setText(reference_caption)
        self.reference_caption.setVisible(p.needs_reference)
        self.reference.setVisible(p.needs_reference)
        placeholders = {TenderKind.ACCOUNT: self.tr("如 PHGH 或 phzgh"), TenderKind.VOUCHER: self.tr("扫描或输入券号")}
        self.reference.setPlaceholderText(placeholders.get(p.kind, ""))
        for b in [self.round_button, *self.note_buttons]:
            b.setVisible(p.shows_cash_buttons)
        self.account_table.setVisible(p.shows_accounts)
        self._right_stretch.setVisible(not p.shows_accounts)
        self.tender_model.set_tenders(p.taken)
        if self.reference.text() != p.reference_text:
            self.reference.setText(p.reference_text)
        if self.tendered.text() != p.amount_text:
            self.tendered.setText(p.amount_text)
        self._filter_accounts()
        target = focus or self.tendered
        target.setFocus()
        if target is self.tendered:
            self.tendered.selectAll()
        if not keep_message:
            self._update()

    def _amount_edited(self, text: str) -> None:
        self.presenter.edit(amount_text=text)
        self._update()

    def _reference_edited(self, text: str) -> None:
        self.presenter.edit(reference_text=text)
        self._filter_accounts()
        self._update()

    def _update(self) -> None:
        """Paid, still due and change as the cashier types; while it does not settle, the domain says why."""
        p = self.presenter
        self.paid_label.setText(yuan(p.paid_fen()))
        self.remaining_label.setText(yuan(p.remaining_fen()))
        self.remove_button.setEnabled(bool(p.taken))
        preview = p.preview()
        if preview.change_fen is None:
            self._show_change("—", "#9e9e9e")
            if preview.reference_next:  # not a mistake yet: the number simply comes next
                self._say(self._reference_prompt(), INFO_COLOR)
            else:
                self._say(error_text(preview.error) if preview.show_error and preview.error else "")
            return
        entry = preview.entry
        if entry is not None:
            what = tender_name(entry.kind)
            account = p.accounts.by_code(entry.reference or "") if entry.kind is TenderKind.ACCOUNT else None
            if account is not None:
                what += self.tr("（{name}）").format(name=account.name)
            hint = self.tr("回车确认：{kind} {amount}").format(kind=what, amount=yuan(entry.amount_fen))
            if preview.change_fen:
                hint += self.tr("，找零 {change}").format(change=yuan(preview.change_fen))
            self._say(hint, INFO_COLOR)
        else:
            self._say("")
        self._show_change(yuan(preview.change_fen), OK_COLOR)

    def _reference_prompt(self) -> str:
        """What the number field is waiting for, once an amount has been typed."""
        return {
            TenderKind.WECHAT: self.tr("请扫顾客的付款码（可不填），回车确认"),
            TenderKind.ALIPAY: self.tr("请扫顾客的付款码（可不填），回车确认"),
            TenderKind.UNIONPAY: self.tr("请输入刷卡终端的参考号，回车确认"),
            TenderKind.VOUCHER: self.tr("请扫描或输入消费券券号，回车确认"),
            TenderKind.ACCOUNT: self.tr("请点选挂账单位，或输入编码/名称，回车确认"),
        }.get(self.kind, "")

    # -- 单位挂账's list ----------------------------------------------------------------------------

    def set_accounts(self, accounts: list[AccountChoice]) -> None:
        """The store's institution accounts, as read by the till."""
        self.presenter.accounts.set_accounts(accounts)
        self._filter_accounts()

    def _filter_accounts(self) -> None:
        if not self.presenter.shows_accounts:
            return
        accounts = self.presenter.accounts
        exact = accounts.by_code(self.presenter.reference_text)
        # A whole code (touched, typed or scanned) keeps every account in view, that one selected: a
        # finger that touched the wrong row can touch the right one.
        found = list(accounts.accounts) if exact is not None else accounts.matching(self.presenter.reference_text)
        self.account_model.set_accounts(found)
        row = self.account_model.row_of(exact.code) if exact is not None else (0 if found else None)
        if row is not None:
            select_row(self.account_table, row)
        self._account_moved = False

    def selected_account(self) -> AccountChoice | None:
        row = selected_row(self.account_table)
        return None if row is None else self.account_model.account(row)

    def choose_account(self, row: int, *, confirm: bool = False) -> None:
        """A touch on the list: that account for the amount typed; a double touch also confirms."""
        account = self.account_model.account(row)
        if account is None:
            return
        self.presenter.choose_account(account)
        self.reference.setText(account.code)
        if confirm:
            self.confirm()
        else:
            self.reference.setFocus()  # Enter confirms; the amount can still be corrected

    # -- taking tenders ---------------------------------------------------------------------

    def _quick_button(self, text: str, amount_fen: Fen | None) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the amount field keeps the keyboard
        b.clicked.connect(lambda: self._quick_cash(amount_fen))
        return b

    def _quick_cash(self, amount_fen: Fen | None) -> None:
        self.presenter.quick_cash(amount_fen)
        self._draw()

    def set_tendered(self, amount_fen: Fen) -> None:
        self.tendered.setText(format_yuan(amount_fen))
        self.tendered.setFocus()
        self.tendered.selectAll()

    def select_kind(self, kind: TenderKind, *, keep_message: bool = False) -> None:
        """F1–F6: the tender being taken; the amount starts at what is still due."""
        self.presenter.select_kind(kind)
        self._draw(keep_message=keep_message)

    def _after(self, outcome: Outcome) -> None:
        """Draw what a key or a code led to, and put the keyboard where the next key belongs."""
        step = outcome.step
        if step is Step.NOTHING:
            return
        if step is Step.ACCEPT:
            self.tenders = list(self.presenter.tenders)
            self.settlement = outcome.settlement
            self.accept()
            return
        if step is Step.ALL_PAID:
            self._say(self.tr("已收齐，无需再扫付款码；请按回车确认收款"))
            return
        if step is Step.REFERENCE_NEXT:
            self.reference.setFocus()  # next: the code, reference or number (Enter again skips an optional one)
            self._say(self._reference_prompt(), INFO_COLOR)
            return
        self._draw()
        assert outcome.error is not None
        if step is Step.PARTIAL and outcome.tender is not None:
            self._say(self.tr("已收{kind} {amount}，{left}").format(
                kind=tender_name(outcome.tender.kind), amount=yuan(outcome.tender.amount_fen),
                left=error_text(outcome.error)))
            return
        self._say(error_text(outcome.error))

    def _use_code(self, code: str) -> None:
        """A customer's payment code from any field: its provider (whatever tender was selected), for
        the amount typed — or still due — then confirm."""
        self._after(self.presenter.take_code(code))

    def take_code(self, code: str) -> bool:
        """A code from outside the dialog's fields (a serial scanner) while the dialog is open: a
        payment code is taken as the payment, as if scanned into a field. False for anything else."""
        found = payment_code_in(code)
        if found is None or self.question is not None:
            return False
        self._use_code(found)
        return True

    def _amount_entered(self) -> None:
        self._after(self.presenter.enter_in_amount())

    def _reference_entered(self) -> None:
        self._after(self.presenter.enter_in_reference(self._picked_account()))

    def _picked_account(self) -> AccountChoice | None:
        """The list's selection when it means something: part of a name typed, or ↑↓ pressed."""
        if not self.presenter.shows_accounts or not (self.presenter.reference_text.strip() or self._account_moved):
            return None
        return self.selected_account()

    def confirm(self) -> None:
        """Enter: take the tender typed. If everything taken pays the sale, accept; if it is not yet
        enough, keep the tender and ask for the rest; otherwise show the domain's refusal."""
        self._after(self.presenter.confirm(self._picked_account()))

    # -- dropping tenders: money already taken is never dropped without asking -------------------

    def _describe(self, tenders: list[Tender]) -> str:
        parts = []
        for t in tenders:
            text = f"{tender_name(t.kind)} {yuan(t.amount_fen)}"
            if t.reference:
                text += self.tr("（{reference}）").format(reference=shown_reference(t.kind, t.reference) or "")
            parts.append(text)
        return self.tr("、").join(parts)

    def _ask(self, dropped: list[Tender], then: Callable[[], None]) -> None:
        """Ask before dropping ``dropped``; ``then`` runs on "yes". "No" (also Esc and Enter) keeps everything."""
        if self.question is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("请确认"),
                          self.tr("已收取的{tenders}将被取消，确定吗？").format(tenders=self._describe(dropped)),
                          parent=self)
        yes = box.addButton(self.tr("是，取消这笔付款"), QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton(self.tr("否，保留"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)  # a scanner's Enter or a reflex keeps the payment
        box.setEscapeButton(no)
        self.question = box

        def answered(_result: int) -> None:
            self.question = None
            box.deleteLater()
            if box.clickedButton() is yes:
                then()
            else:
                self._say(self.tr("已保留：{tenders}").format(tenders=self._describe(dropped)), INFO_COLOR)
                self._focus_amount()

        box.finished.connect(answered)
        box.open()

    def remove_tender(self, *, ask: bool = True) -> None:
        """F8: take back the selected tender (the last one when none is selected); a payment already
        taken outside the till (WeChat, Alipay, card) is dropped only after the cashier says yes."""
        removal = self.presenter.removal(selected_row(self.tender_table))
        if removal is None:
            return

        def drop(r: Removal = removal) -> None:
            if self.presenter.remove(r):
                self._draw()

        if ask and removal.ask:
            self._ask([removal.tender], drop)
        else:
            drop()

    def cancel(self) -> None:
        """Esc, 取消 or closing the window: leave without paying — after asking, when that drops a
        payment already taken (a scanned WeChat/Alipay code, a card)."""
        dropped = self.presenter.payments_to_drop()
        if dropped:
            self._ask(dropped, self.reject)
        else:
            self.reject()

    # -- keys and the window ------------------------------------------------------------------

    def _focus_amount(self) -> None:
        if self.isVisible() and self.question is None:
            self.tendered.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Without a window manager nobody activates a new window: do it, and give the amount field the
        # keyboard again once the window really exists (a code on the main screen: the amount comes first too).
        self.activateWindow()
        self._focus_amount()
        QTimer.singleShot(0, self, self._activate)

    def _activate(self) -> None:
        if self.isVisible() and self.question is None:
            self.activateWindow()
            focus = QApplication.focusWidget()
            if focus not in (self.tendered, self.reference):
                self._focus_amount()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
            return
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.presenter.shows_accounts:
            step_selection(self.account_table, -1 if event.key() == Qt.Key.Key_Up else 1)
            self._account_moved = True
            return
        text = event.text()
        focus = QApplication.focusWidget()
        if len(text) == 1 and text.isprintable() and focus not in (self.tendered, self.reference):
            # No field has the keyboard: what is typed or scanned goes to the amount field, which
            # recognises a payment code as well as an amount.
            self.tendered.setFocus()
            QApplication.sendEvent(self.tendered, event)
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible() and self.presenter.payments_to_drop():
            event.ignore()
            self.cancel()
            return
        super().closeEvent(event)
