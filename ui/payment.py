"""收款: the split-tender dialog. Amount due, the tenders taken so far, what is still due, change.

Keys: F1 现金, F2 微信, F3 支付宝, F4 银联/聚合, F5 消费券, F6 单位挂账, F8 删除一笔, Enter, Esc.
The amount field starts at what is still due. Enter takes the tender typed; a tender that does not
cover the rest is added to the list and the dialog asks for the rest. WeChat/Alipay take an
optional payment code (scanned or typed). A payment code is recognised wherever it arrives — a
scanner's burst into the amount or the reference field (even one that already holds text), a
paste, or a whole field typed by hand — by the domain's one classifier, and becomes the reference
of the right provider (WeChat or Alipay, whatever tender was selected) for the amount typed or
still due; it never stays in a field and is never read as an amount. UnionPay and aggregated
terminals need the terminal's reference number, vouchers their number, institution accounts
their code.

Dropping a tender that is money already taken outside the till (WeChat, Alipay, a card on the
UnionPay/aggregated terminal) asks first, naming it with its code masked — Esc, the cancel button,
closing the window, F8 or the remove button alike; "no" keeps it. Cash is still in the cashier's
hand and a voucher or 挂账 is charged only when the sale is saved, so those go without a question.
A programmatic ``reject()`` does not ask.

Whether the tenders pay the sale is the domain's ``settle`` rule, asked live and again on
confirm; only cash may exceed what is due, and change always comes from cash. The service
re-checks vouchers and credit limits when the sale is committed by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.barcodes import clean_code
from pos.domain.errors import InvalidMoney, PosError
from pos.domain.money import Fen, format_yuan, parse_yuan
from pos.domain.sale import shown_reference
from pos.domain.scan import payment_provider
from pos.domain.tenders import NEEDS_REFERENCE, Settlement, Tender, TenderKind, settle

from .cart_model import _LEFT, _RIGHT
from .i18n import translate
from .messages import error_text
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR
from .widgets import CodeField, payment_code_in, selected_row, touch_table, yuan

Index = QModelIndex | QPersistentModelIndex

NOTES_FEN = (5_000, 10_000)  # the quick buttons ￥50 and ￥100
TENDER_KEYS: tuple[tuple[TenderKind, str], ...] = (
    (TenderKind.CASH, "F1"), (TenderKind.WECHAT, "F2"), (TenderKind.ALIPAY, "F3"),
    (TenderKind.UNIONPAY, "F4"), (TenderKind.VOUCHER, "F5"), (TenderKind.ACCOUNT, "F6"),
)
WITH_REFERENCE = frozenset(TenderKind) - {TenderKind.CASH}
TAKEN_OUTSIDE = frozenset({TenderKind.WECHAT, TenderKind.ALIPAY, TenderKind.UNIONPAY})  # dropping one asks first


def round_up_suggestion(due_fen: Fen) -> Fen:
    """凑整: the next whole ten yuan at or above the amount due (what a customer usually hands over)."""
    step = 1_000
    return -(-due_fen // step) * step


def amount_typed(text: str) -> Fen:
    """The amount in an amount field. A payment code is never an amount, and a refusal never repeats a
    long run of digits (a payment code is a bearer token: it must not appear on screen in full)."""
    if payment_code_in(text) is not None:
        raise InvalidMoney("this is the customer's payment code, not an amount: press Enter to take it as the code",
                           message_zh="这是顾客的付款码，不是金额：按回车即按付款码收款")
    try:
        return parse_yuan(text)
    except InvalidMoney:
        if sum(ch.isdigit() for ch in clean_code(text)) > 12:  # more digits than any amount: never echo them
            raise InvalidMoney("that is not an amount (too many digits); clear the field and type the amount",
                               message_zh="这不是金额（数字过长），请清空后重新输入金额") from None
        raise


def _code_kind(code: str) -> TenderKind | None:
    """The tender a customer's payment code pays with (the domain's classifier decides)."""
    provider = payment_provider(code)
    return None if provider is None else TenderKind.WECHAT if provider == "wechat" else TenderKind.ALIPAY


def tender_for_code(code: str, typed: str, remaining_fen: Fen) -> Tender | None:
    """What a customer's payment code pays: WeChat or Alipay as the code says (whatever tender was
    selected), for the amount typed when it is one, else for what is still due — never more than is
    still due (only cash gives change). None when nothing is left to pay or ``code`` is no payment code.
    """
    kind = _code_kind(code)
    if kind is None or remaining_fen <= 0:
        return None
    try:
        amount = amount_typed(typed)
    except PosError:
        amount = remaining_fen  # nothing typed, or the code itself landed in the amount field
    if amount <= 0:
        amount = remaining_fen  # "0" typed is no share: the code pays the rest
    return Tender(kind, min(amount, remaining_fen), code)


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


class PaymentDialog(QDialog):
    """After ``accept()``, :attr:`tenders` holds what the customer paid and :attr:`settlement` the change."""

    def __init__(self, due_fen: Fen, *, kind: TenderKind = TenderKind.CASH, reference: str | None = None,
                 tenders: list[Tender] | tuple[Tender, ...] = (), error: str = "",
                 max_gap_ms: float = 30.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due_fen = due_fen
        self.tenders: list[Tender] = []
        self.settlement: Settlement | None = None
        self._taken: list[Tender] = list(tenders)
        self.kind = kind
        self.setWindowTitle(self.tr("收款"))
        self.setModal(True)
        self.resize(980, 640)

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
        self.tender_table = touch_table(self.tender_model, "tenderTable", row_height=40)
        h = self.tender_table.horizontalHeader()
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tender_table.setColumnWidth(0, 120)
        self.tender_table.setColumnWidth(1, 120)
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
            b.clicked.connect(lambda _=False, kk=k: self.select_kind(kk))
            self.kind_buttons[k] = b
            kinds.addWidget(b, i // 3, i % 3)
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, kk=k: self.select_kind(kk))
            self.addAction(action)
        remove = QAction(self)
        remove.setShortcut(QKeySequence("F8"))
        remove.triggered.connect(lambda: self.remove_tender())
        self.addAction(remove)

        self.amount_caption = QLabel("")
        self.amount_caption.setObjectName("fieldCaption")
        # max_gap_ms: the till's wedge_max_gap_ms, the longest pause inside one scanner burst.
        self.tendered = CodeField(max_gap_ms=max_gap_ms)
        self.tendered.setObjectName("tenderedField")
        self.tendered.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.tendered.setMaxLength(24)  # a payment code typed here by hand is recognised, not cut short
        self.tendered.textChanged.connect(self._update)
        self.tendered.returnPressed.connect(self._amount_entered)
        self.tendered.code_arrived.connect(self._use_code)
        self.reference_caption = QLabel("")
        self.reference_caption.setObjectName("fieldCaption")
        self.reference = CodeField(max_gap_ms=max_gap_ms)
        self.reference.setObjectName("referenceField")
        self.reference.setMaxLength(64)
        self.reference.textChanged.connect(self._update)
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

        quick = QHBoxLayout()
        self.round_button = self._quick_button(self.tr("凑整"), None)
        quick.addWidget(self.round_button)
        self.note_buttons = [self._quick_button(format_yuan(n, symbol=True).removesuffix(".00"), n) for n in NOTES_FEN]
        for b in self.note_buttons:
            quick.addWidget(b)

        self.error = QLabel(error)
        self.error.setObjectName("payMessage")
        self.error.setWordWrap(True)
        self.error.setMinimumHeight(52)
        self._color(self.error, ERROR_COLOR)

        right = QVBoxLayout()
        right.addLayout(kinds)
        right.addSpacing(6)
        right.addLayout(fields)
        right.addLayout(quick)
        right.addWidget(self.error)
        right.addStretch(1)

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

        self.tender_model.set_tenders(self._taken)
        self.select_kind(kind, keep_message=bool(error))
        if reference:
            self.reference.setText(reference)
        self.tendered.setFocus()
        self.tendered.selectAll()
        self._update()
        if error:
            self._say(error, ERROR_COLOR)

    # -- state ----------------------------------------------------------------------------------

    @property
    def taken(self) -> list[Tender]:
        """Tenders added so far (not counting what is typed in the fields)."""
        return list(self._taken)

    def paid_fen(self) -> Fen:
        return sum(t.amount_fen for t in self._taken)

    def remaining_fen(self) -> Fen:
        return max(0, self.due_fen - self.paid_fen())

    @staticmethod
    def _color(label: QLabel, color: str) -> None:
        label.setStyleSheet(f"color: {color};")

    def _show_change(self, text: str, color: str) -> None:
        # 找零 is what the cashier counts out of the drawer: the biggest figure in the dialog.
        self.change_label.setText(text)
        self.change_label.setStyleSheet(f"color: {color}; font-size: 44px; font-weight: bold;")

    def _say(self, text: str, color: str = ERROR_COLOR) -> None:
        self.error.setText(text)
        self._color(self.error, color)

    def _quick_button(self, text: str, amount_fen: Fen | None) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the amount field keeps the keyboard
        b.clicked.connect(lambda: self._quick_cash(amount_fen))
        return b

    def _quick_cash(self, amount_fen: Fen | None) -> None:
        if self.kind is not TenderKind.CASH:
            self.select_kind(TenderKind.CASH)
        self.set_tendered(round_up_suggestion(self.remaining_fen()) if amount_fen is None else amount_fen)

    def set_tendered(self, amount_fen: Fen) -> None:
        self.tendered.setText(format_yuan(amount_fen))
        self.tendered.setFocus()
        self.tendered.selectAll()

    def select_kind(self, kind: TenderKind, *, keep_message: bool = False) -> None:
        """F1–F6: the tender being taken; the amount starts at what is still due."""
        self.kind = kind
        for k, b in self.kind_buttons.items():
            b.setChecked(k is kind)
        captions = {
            TenderKind.CASH: (self.tr("实收现金"), ""),
            TenderKind.WECHAT: (self.tr("微信金额"), self.tr("付款码（扫码，可不填）")),
            TenderKind.ALIPAY: (self.tr("支付宝金额"), self.tr("付款码（扫码，可不填）")),
            TenderKind.UNIONPAY: (self.tr("刷卡金额"), self.tr("终端参考号（必填）")),
            TenderKind.VOUCHER: (self.tr("券面金额"), self.tr("消费券券号（必填）")),
            TenderKind.ACCOUNT: (self.tr("挂账金额"), self.tr("挂账单位编码（必填）")),
        }
        amount_caption, reference_caption = captions[kind]
        self.amount_caption.setText(amount_caption)
        self.reference_caption.setText(reference_caption)
        needs_reference = kind in WITH_REFERENCE
        self.reference_caption.setVisible(needs_reference)
        self.reference.setVisible(needs_reference)
        self.reference.clear()
        placeholders = {TenderKind.ACCOUNT: self.tr("如 PHGH"), TenderKind.VOUCHER: self.tr("扫描或输入券号")}
        self.reference.setPlaceholderText(placeholders.get(kind, ""))
        for b in [self.round_button, *self.note_buttons]:
            b.setVisible(kind is TenderKind.CASH)
        self.tendered.setText(format_yuan(self.remaining_fen()) if self.remaining_fen() else "")
        self.tendered.setFocus()
        self.tendered.selectAll()
        if not keep_message:
            self._update()

    def _entry(self) -> Tender | None:
        """The tender typed in the fields, or None when the amount field is empty; PosError if wrong."""
        text = self.tendered.text().strip()
        if not text:
            return None
        amount = amount_typed(text)
        reference = self.reference.text().strip() or None if self.kind in WITH_REFERENCE else None
        return Tender(self.kind, amount, reference)

    def _update(self) -> None:
        """Paid, still due and change as the cashier types; while it does not settle, the domain says why."""
        self.paid_label.setText(yuan(self.paid_fen()))
        self.remaining_label.setText(yuan(self.remaining_fen()))
        self.remove_button.setEnabled(bool(self._taken))
        typed = bool(self.tendered.text().strip())
        try:
            entry = self._entry()
            s = settle(self.due_fen, self._taken + ([entry] if entry else []))
        except PosError as exc:
            self._show_change("—", "#9e9e9e")
            if self._reference_still_to_come():  # not a mistake yet: the number simply comes next
                self._say(self.tr("请扫码或输入{what}，回车确认").format(what=self.reference_caption.text()), INFO_COLOR)
            else:
                self._say(error_text(exc) if typed or self._taken else "")
            return
        if entry is not None:
            hint = self.tr("回车确认：{kind} {amount}").format(kind=tender_name(entry.kind), amount=yuan(entry.amount_fen))
            if s.change_fen:
                hint += self.tr("，找零 {change}").format(change=yuan(s.change_fen))
            self._say(hint, INFO_COLOR)
        else:
            self._say("")
        self._show_change(yuan(s.change_fen), OK_COLOR)

    def _reference_still_to_come(self) -> bool:
        """A tender that needs a number, a valid amount typed, and the number field still empty."""
        if self.kind not in NEEDS_REFERENCE or self.reference.text().strip():
            return False
        try:
            amount_typed(self.tendered.text())
        except PosError:
            return False
        return True

    # -- taking tenders ---------------------------------------------------------------------

    def _payment_code(self, text: str) -> str | None:
        code = clean_code(text)
        return code if payment_provider(code) is not None else None

    def _use_code(self, code: str) -> None:
        """A customer's payment code from any field: its provider (whatever tender was selected), for
        the amount typed — or still due — then confirm."""
        if _code_kind(code) is None:  # every caller checked; a stray text is never a payment
            return
        tender = tender_for_code(code, self.tendered.text(), self.remaining_fen())
        if tender is None:  # everything is paid: a second code must not replace or add a payment
            self._say(self.tr("已收齐，无需再扫付款码；请按回车确认收款"))
            return
        if tender.kind is not self.kind:
            self.select_kind(tender.kind)
        self.tendered.setText(format_yuan(tender.amount_fen))
        self.reference.setText(code)
        self.confirm()

    def take_code(self, code: str) -> bool:
        """A code from outside the dialog's fields (a serial scanner) while the dialog is open: a
        payment code is taken as the payment, as if scanned into a field. False for anything else."""
        found = self._payment_code(code)
        if found is None or self.question is not None:
            return False
        self._use_code(found)
        return True

    def _amount_entered(self) -> None:
        code = self._payment_code(self.tendered.text())
        if code:
            self._use_code(code)
            return
        if self.kind in WITH_REFERENCE and not self.reference.text().strip() and self.tendered.text().strip():
            self.reference.setFocus()  # next: the code, reference or number (Enter again skips an optional one)
            self._say(self.tr("请扫码或输入{what}，回车确认").format(what=self.reference_caption.text()), INFO_COLOR)
            return
        self.confirm()

    def _reference_entered(self) -> None:
        code = self._payment_code(self.reference.text())
        if code:
            self._use_code(code)  # a payment code typed as a voucher or card reference is still WeChat/Alipay
            return
        self.confirm()

    # -- dropping tenders: money already taken is never dropped without asking -------------------

    @staticmethod
    def _needs_asking(tender: Tender) -> bool:
        # Money already moved outside the till. Cash is still in the cashier's hand; a voucher or an
        # institution account is only charged when the sale is saved.
        return tender.kind in TAKEN_OUTSIDE

    def _describe(self, tenders: list[Tender]) -> str:
        parts = []
        for t in tenders:
            text = f"{tender_name(t.kind)} {yuan(t.amount_fen)}"
            if t.reference:
                text += self.tr("（{reference}）").format(reference=shown_reference(t.kind, t.reference) or "")
            parts.append(text)
        return self.tr("、").join(parts)

    def _payments_to_drop(self) -> list[Tender]:
        """What leaving the dialog now would drop that was money taken outside the till."""
        return [t for t in self._taken if self._needs_asking(t)] + self._typed_with_reference()

    def _typed_with_reference(self) -> list[Tender]:
        """The tender in the fields when it already carries a code or number (e.g. a code scanned on the
        main screen opened this dialog): dropping it is dropping a payment too."""
        if self.kind not in TAKEN_OUTSIDE or not self.reference.text().strip():
            return []
        try:
            entry = self._entry()
        except PosError:
            entry = None
        if entry is None:  # no valid amount typed: still name the payment by its code
            try:
                entry = Tender(self.kind, max(1, self.remaining_fen()), self.reference.text().strip())
            except PosError:
                return []  # not a reference any tender could carry
        return [entry]

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
                self.tendered.setFocus()

        box.finished.connect(answered)
        box.open()

    def remove_tender(self, *, ask: bool = True) -> None:
        """F8: take back the selected tender (the last one when none is selected); a payment already
        taken outside the till (WeChat, Alipay, card) is dropped only after the cashier says yes."""
        if not self._taken:
            return
        row = selected_row(self.tender_table)
        index = len(self._taken) - 1 if row is None else row
        tender = self._taken[index]

        def drop() -> None:
            if index < len(self._taken) and self._taken[index] is tender:
                del self._taken[index]
                self.tender_model.set_tenders(self._taken)
                self.select_kind(self.kind)

        if ask and self._needs_asking(tender):
            self._ask([tender], drop)
        else:
            drop()

    def cancel(self) -> None:
        """Esc, 取消 or closing the window: leave without paying — after asking, when that drops a
        payment already taken (a scanned WeChat/Alipay code, a card)."""
        dropped = self._payments_to_drop()
        if dropped:
            self._ask(dropped, self.reject)
        else:
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
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
        if self.isVisible() and self._payments_to_drop():
            event.ignore()
            self.cancel()
            return
        super().closeEvent(event)

    def confirm(self) -> None:
        """Enter: take the tender typed. If everything taken pays the sale, accept; if it is not yet
        enough, keep the tender and ask for the rest; otherwise show the domain's refusal."""
        code = self._payment_code(self.tendered.text()) or (
            self._payment_code(self.reference.text()) if self.kind in WITH_REFERENCE else None)
        if code is not None and not (self.kind is _code_kind(code) and self.reference.text().strip() == code
                                     and not self._payment_code(self.tendered.text())):
            self._use_code(code)  # a code typed by hand into a field, confirmed with the button
            return
        try:
            entry = self._entry()
        except PosError as exc:
            self._say(error_text(exc))
            self.tendered.setFocus()
            self.tendered.selectAll()
            return
        tenders = self._taken + ([entry] if entry else [])
        try:
            self.settlement = settle(self.due_fen, tenders)
        except PosError as exc:
            paid = sum(t.amount_fen for t in tenders)
            if entry is not None and paid < self.due_fen:
                self._taken.append(entry)  # part of the payment: the rest comes next
                self.tender_model.set_tenders(self._taken)
                self.select_kind(TenderKind.CASH)
                self._say(self.tr("已收{kind} {amount}，{left}").format(
                    kind=tender_name(entry.kind), amount=yuan(entry.amount_fen), left=error_text(exc)))
                return
            self._say(error_text(exc))
            self.tendered.setFocus()
            self.tendered.selectAll()
            return
        self.tenders = tenders
        self.accept()
