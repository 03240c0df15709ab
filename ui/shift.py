"""班次与钱箱: opening a shift with a counted float (开班), the shift menu (F2), cash in and out of the
drawer (存入备用金 / 取出现金, a cashier needs 店长授权), the X report, and 交班 with a blind count.

交班 is blind: the cashier counts the drawer by denomination (and may type the totals of the other
tenders from the terminal's settlement slip) without seeing what the till expects. Only after the
count is confirmed and saved does the dialog show expected against counted and the variance —
the expected figure is not even in a hidden widget before then.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.closing import CashCount, ShiftResult
from pos.domain.errors import PosError
from pos.domain.ledger import EntryKind
from pos.domain.money import Fen, parse_yuan
from pos.domain.permissions import Approval, ApprovalRequired
from pos.domain.users import User
from pos.reports.closing import shift_close_document
from pos.services.shifts import HeldSalesOpen
from pos.store.repositories import ShiftRecord

from .approval import ApprovalDialog
from .cash_count import CashCountEditor
from .messages import error_text
from .ops import Lane, OpRunner
from .reports_view import ReportView, ShownReport, shown_report, tender_label
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, OVER_COLOR, px
from .widgets import YuanStepField, key_button, yuan

# Tenders other than cash whose totals a cashier may declare at 交班 (from the terminal's slip).
DECLARED_TENDERS = ("wechat", "alipay", "unionpay", "voucher", "account")


def variance_style(fen: Fen) -> str:
    """短款 red, 长款 orange, none green."""
    color = ERROR_COLOR if fen < 0 else OVER_COLOR if fen > 0 else OK_COLOR
    return f"color: {color}; font-weight: bold;"


def _primary(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName("payButton")
    b.setAutoDefault(False)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def _secondary(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def _error_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("dialogMessage")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    return label


# -- 开班 ------------------------------------------------------------------------------------------

class OpenShiftDialog(QDialog):
    """开班: count the float by denomination, Enter down the rows, then open the shift.

    After ``accept()`` :attr:`shift` is the open shift. Rejected with :attr:`wants_manager` set, the
    person chose the manager screen instead (a manager who came to take the Z, not to sell).
    """

    def __init__(self, till: Till, runner: OpRunner, user: User, *, offer_manager: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._user = user
        self._busy = False
        self.shift: ShiftRecord | None = None
        self.wants_manager = False
        self.setWindowTitle(self.tr("开班"))
        self.setModal(True)

        title = QLabel(self.tr("开班 · 清点备用金"))
        title.setObjectName("dialogTitle")
        who = QLabel(self.tr("{name}，本机尚未开班。请清点钱箱里的备用金，逐项输入张数/枚数（回车到下一行）。").format(
            name=user.display_name))
        who.setWordWrap(True)
        self.editor = CashCountEditor()
        self.editor.finished.connect(self.submit)
        self.editor.changed.connect(lambda: self.message.setText(""))
        self.message = _error_label()

        self.ok_button = _primary(self.tr("开班 Enter"))
        self.ok_button.clicked.connect(self.submit)
        self.logout_button = _secondary(self.tr("退出登录 Esc"))
        self.logout_button.clicked.connect(self.reject)
        self.manager_button = _secondary(self.tr("店长管理 F1"))
        self.manager_button.clicked.connect(self.choose_manager)
        self.manager_button.setVisible(offer_manager)
        self._offer_manager = offer_manager
        buttons = QHBoxLayout()
        buttons.addWidget(self.logout_button)
        buttons.addWidget(self.manager_button)
        buttons.addWidget(self.ok_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(who)
        layout.addWidget(self.editor)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(px(620))
        self.editor.focus_first()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        if key == Qt.Key.Key_F1 and self._offer_manager:
            self.choose_manager()
            return
        super().keyPressEvent(event)

    def choose_manager(self) -> None:
        if self._busy:
            return
        self.wants_manager = True
        self.reject()

    def submit(self) -> None:
        if self._busy:
            return
        try:
            count = self.editor.count()
        except PosError as exc:
            self.message.setText(error_text(exc))
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.message.setText("")
        shifts, user = self._till.shifts, self._user
        self._runner.run(Lane.WRITER, lambda: shifts.open(user, count), self._opened, self._failed)

    def _opened(self, shift: ShiftRecord) -> None:
        self._busy = False
        self.shift = shift
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.message.setText(error_text(exc))


# -- the shift menu (F2) ----------------------------------------------------------------------------

def _shift_info(till: Till) -> tuple[ShiftRecord, str, str] | None:
    """Runs on the writer thread: the open shift, when it opened (local time) and who opened it
    (their name), or None."""
    shift = till.shifts.current()
    if shift is None:
        return None
    opened = datetime.fromisoformat(shift.opened_at.replace("Z", "+00:00"))
    names = {u.login: u.display_name for u in till.auth.users()}
    return shift, till.identity.shown_time(opened), names.get(shift.opened_by, shift.opened_by)


class ShiftMenuDialog(QDialog):
    """班次/钱箱: what the shift is, and what to do with the drawer. :attr:`choice` after ``accept()``."""

    CASH_IN, CASH_OUT, X_REPORT, CLOSE, DRAWER = "cash_in", "cash_out", "x_report", "close", "drawer"

    def __init__(self, till: Till, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(self.tr("班次 / 钱箱"))
        self.setModal(True)
        title = QLabel(self.tr("班次 / 钱箱"))
        title.setObjectName("dialogTitle")
        self.info = QLabel(self.tr("正在读取班次…"))
        self.info.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        items = ((self.CASH_IN, self.tr("存入备用金"), "1"), (self.CASH_OUT, self.tr("取出现金"), "2"),
                 (self.X_REPORT, self.tr("X 报表"), "3"), (self.CLOSE, self.tr("交班"), "4"),
                 (self.DRAWER, self.tr("开钱箱"), "5"))
        for i, (choice, text, key) in enumerate(items):
            b = key_button(text, key, "menuButton")
            b.clicked.connect(partial(self.choose, choice))
            self.buttons[choice] = b
            grid.addWidget(b, i // 2, i % 2)
        close = key_button(self.tr("返回"), "Esc")
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.info)
        layout.addLayout(grid)
        layout.addWidget(close)
        self.setMinimumWidth(px(560))
        self._keys = {Qt.Key.Key_1: self.CASH_IN, Qt.Key.Key_2: self.CASH_OUT, Qt.Key.Key_3: self.X_REPORT,
                      Qt.Key.Key_4: self.CLOSE, Qt.Key.Key_5: self.DRAWER}
        runner.run(Lane.WRITER, partial(_shift_info, till), self._shift_read, self._failed)

    def _shift_read(self, info: tuple[ShiftRecord, str, str] | None) -> None:
        if info is None:
            self.info.setText(self.tr("本机尚未开班"))
            return
        shift, at, name = info
        self.info.setText(self.tr("班次 {no} · 开班 {by} · {at}").format(no=shift.shift_no, by=name, at=at)
                          + "\n" + self.tr("备用金 {float}").format(float=yuan(shift.opening_float_fen)))

    def _failed(self, exc: BaseException) -> None:
        self.info.setText(error_text(exc))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        choice = self._keys.get(Qt.Key(event.key()))
        if choice is not None:
            self.choose(choice)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    def choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


# -- 存入备用金 / 取出现金 ---------------------------------------------------------------------------

class CashMoveDialog(QDialog):
    """Cash into or out of the drawer with a reason. A cashier's move asks a manager (店长授权) and is
    retried with the approval. After ``accept()``: :attr:`amount_fen`, :attr:`reason`, :attr:`seq`."""

    def __init__(self, till: Till, runner: OpRunner, user: User, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._user = user
        self.kind = kind
        self._busy = False
        self.amount_fen: Fen = 0
        self.reason_text = ""
        self.seq: int | None = None
        self.approval: Approval | None = None
        self.approval_dialog: ApprovalDialog | None = None
        cash_in = kind == EntryKind.CASH_IN
        heading = self.tr("存入备用金") if cash_in else self.tr("取出现金")
        self.setWindowTitle(heading)
        self.setModal(True)
        self.setMinimumWidth(px(600))

        title = QLabel(heading)
        title.setObjectName("dialogTitle")
        self.amount = QLineEdit()
        self.amount.setObjectName("valueField")
        self.amount.setMaxLength(14)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setPlaceholderText(self.tr("金额（元）"))
        self.amount.returnPressed.connect(self._amount_entered)
        self.reason = QLineEdit()
        self.reason.setObjectName("reasonField")
        self.reason.setMaxLength(60)
        self.reason.setPlaceholderText(self.tr("原因"))
        self.reason.returnPressed.connect(self.submit)
        reasons = ((self.tr("补充零钱"), self.tr("备用金补充")) if cash_in
                   else (self.tr("存银行"), self.tr("大额现金上交"), self.tr("换零钱")))
        quick = QHBoxLayout()
        self.reason_buttons: list[QPushButton] = []
        for text in reasons:
            b = _secondary(text)
            b.setObjectName("modeButton")
            b.clicked.connect(partial(self._quick_reason, text))
            self.reason_buttons.append(b)
            quick.addWidget(b)
        hint = QLabel(self.tr("收银员存取现金需店长授权；取出不能超过钱箱现金。") if not cash_in
                      else self.tr("收银员存取现金需店长授权。"))
        hint.setStyleSheet("color: #546e7a;")
        hint.setWordWrap(True)
        self.message = _error_label()

        self.ok_button = _primary(self.tr("确定 Enter"))
        self.ok_button.clicked.connect(self.submit)
        cancel = _secondary(self.tr("取消 Esc"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button, 1)

        form = QGridLayout()
        amount_caption = QLabel(self.tr("金额"))
        amount_caption.setObjectName("fieldCaption")
        reason_caption = QLabel(self.tr("原因"))
        reason_caption.setObjectName("fieldCaption")
        form.addWidget(amount_caption, 0, 0)
        form.addWidget(self.amount, 0, 1)
        form.addWidget(reason_caption, 1, 0)
        form.addWidget(self.reason, 1, 1)
        form.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(quick)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.amount.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # the fields handle Enter; never a default button
        super().keyPressEvent(event)

    def _amount_entered(self) -> None:
        if self._parse() is not None:
            self.reason.setFocus()
            self.reason.selectAll()

    def _quick_reason(self, text: str) -> None:
        self.reason.setText(text)
        self.submit()

    def _parse(self) -> Fen | None:
        try:
            fen = parse_yuan(self.amount.text())
        except PosError as exc:
            self.message.setText(error_text(exc))
            self.amount.setFocus()
            self.amount.selectAll()
            return None
        if fen <= 0:
            self.message.setText(self.tr("金额必须大于零"))
            self.amount.setFocus()
            self.amount.selectAll()
            return None
        self.message.setText("")
        return fen

    def submit(self) -> None:
        if self._busy:
            return
        fen = self._parse()
        if fen is None:
            return
        reason = self.reason.text().strip()
        if not reason:
            self.message.setText(self.tr("请填写原因"))
            self.reason.setFocus()
            return
        self.amount_fen, self.reason_text = fen, reason
        self._busy = True
        self.ok_button.setEnabled(False)
        shifts, kind, user, approval = self._till.shifts, self.kind, self._user, self.approval
        self._runner.run(Lane.WRITER, lambda: shifts.move_cash(kind, fen, reason, user, approval=approval),
                         self._moved, self._failed)

    def _moved(self, seq: int) -> None:
        self._busy = False
        self.seq = seq
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.message.setText(error_text(exc))
        if isinstance(exc, ApprovalRequired) and self.approval is None:
            self._ask_approval(exc)

    def _ask_approval(self, exc: ApprovalRequired) -> None:
        what = self.windowTitle()
        dialog = ApprovalDialog(self._till, self._runner, self._user, exc.action, reason=error_text(exc),
                                detail=f"{what} {yuan(self.amount_fen)} {self.reason_text}", parent=self)
        self.approval_dialog = dialog

        def finished(result: int) -> None:
            self.approval_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and dialog.approval is not None:
                self.approval = dialog.approval
                self.submit()
            else:
                self.message.setText(self.tr("未获店长授权，操作已取消"))

        dialog.finished.connect(finished)
        dialog.open()


# -- 交班 (blind count) -------------------------------------------------------------------------------

def _close_shift(till: Till, user: User, counted: CashCount,
                 declared: dict[str, Fen], keep_held: bool = False) -> tuple[ShiftResult, ShownReport]:
    """Runs on the writer thread: close the shift, then lay out its report."""
    result = till.shifts.close(user, counted, declared or None, keep_held=keep_held)
    at = till.identity.shown_time(till.clock.now())
    return result, shown_report(till, shift_close_document(result, till.identity, user.display_name, at))


class CloseShiftDialog(QDialog):
    """交班: the blind count, a confirmation, then expected against counted with the variance.

    After the shift is closed :attr:`result` holds the :class:`ShiftResult` (whichever way the dialog
    then closes, the shift stays closed and the caller logs the cashier out).
    """

    def __init__(self, till: Till, runner: OpRunner, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._user = user
        self._busy = False
        self._armed = False
        self.result: ShiftResult | None = None
        self.report_view: ReportView | None = None
        self.variance_label: QLabel | None = None
        self._pending: tuple[CashCount, dict[str, Fen]] | None = None
        self.setWindowTitle(self.tr("交班"))
        self.setModal(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_count_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.resize(px(1080), px(740))
        self.editor.focus_first()

    # -- page 1: the blind count ---------------------------------------------------------------

    def _build_count_page(self) -> QWidget:
        page = QWidget()
        title = QLabel(self.tr("交班 · 盲点现金"))
        title.setObjectName("dialogTitle")
        hint = QLabel(self.tr("请清点钱箱，逐项输入张数/枚数（回车到下一行）。提交前不显示应有金额。"))
        hint.setWordWrap(True)
        self.editor = CashCountEditor()
        self.editor.finished.connect(self._focus_declared)
        self.editor.changed.connect(self._disarm)

        other_title = QLabel(self.tr("其他付款方式（可选，按结算单填写）"))
        other_title.setObjectName("sectionTitle")
        other_title.setWordWrap(True)
        self.declared: dict[str, YuanStepField] = {}
        other = QGridLayout()
        for row, key in enumerate(DECLARED_TENDERS):
            label = QLabel(tender_label(key))
            field = YuanStepField("declaredField")
            field.on_step = partial(self._declared_step, row)
            field.textChanged.connect(self._disarm)
            self.declared[key] = field
            other.addWidget(label, row, 0)
            other.addWidget(field, row, 1)
        other.setColumnStretch(1, 1)
        right = QVBoxLayout()
        right.addWidget(other_title)
        right.addLayout(other)
        right.addStretch(1)

        self.counted_label = QLabel("")
        self.counted_label.setObjectName("countedLabel")
        self.message = _error_label()
        self.confirm_button = _primary(self.tr("提交点钞 Enter"))
        self.confirm_button.clicked.connect(self.submit)
        cancel = _secondary(self.tr("取消 Esc"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm_button, 1)

        middle = QHBoxLayout()
        middle.addWidget(self.editor, 5)
        middle.addSpacing(24)
        middle.addLayout(right, 4)
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(title)
        col.addWidget(hint)
        col.addLayout(middle, 1)
        col.addWidget(self.counted_label)
        col.addWidget(self.message)
        col.addLayout(buttons)
        return page

    def _focus_declared(self) -> None:
        first = self.declared[DECLARED_TENDERS[0]]
        first.setFocus()
        first.selectAll()

    def _declared_step(self, row: int, step: int) -> None:
        target = row + step
        if target < 0:
            field = self.editor.fields[min(self.editor.fields)]  # back to the last denomination
        elif target >= len(DECLARED_TENDERS):
            self.submit()
            return
        else:
            field = self.declared[DECLARED_TENDERS[target]]
        field.setFocus()
        field.selectAll()

    def _disarm(self) -> None:
        if self._armed:
            self._armed = False
            self.confirm_button.setText(self.tr("提交点钞 Enter"))
        self.counted_label.setText("")
        self.message.setText("")

    def declared_fen(self) -> dict[str, Fen]:
        """The other tenders typed in (blank ones are not declared). Raises PosError on a bad amount."""
        out: dict[str, Fen] = {}
        for key, field in self.declared.items():
            if field.text().strip():
                out[key] = parse_yuan(field.text())
        return out

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.report_view is not None and self.report_view.handle_key(event):
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.result is not None:
                self.accept()
            else:
                self.submit()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        """First press: say what was counted and ask to confirm. Second press: close the shift."""
        if self._busy or self.result is not None:
            return
        try:
            counted = self.editor.count()
            declared = self.declared_fen()
        except PosError as exc:
            self.message.setText(error_text(exc))
            return
        if not self._armed:
            self._armed = True
            self.counted_label.setText(self.tr("实点现金 {total}。提交后不能修改，再按 Enter 确认交班。").format(
                total=yuan(counted.total_fen)))
            self.confirm_button.setText(self.tr("确认交班 Enter"))
            return
        self._run_close(counted, declared, keep_held=False)

    def _run_close(self, counted: CashCount, declared: dict[str, Fen], *, keep_held: bool) -> None:
        self._busy = True
        self._pending = (counted, declared)
        self.confirm_button.setEnabled(False)
        self.message.setText("")
        self._runner.run(Lane.WRITER, partial(_close_shift, self._till, self._user, counted, declared, keep_held),
                         self._closed, self._failed)

    def ask(self, question: str) -> bool:
        """A yes/no question (blocking); tests replace it."""
        from .manager import ask_yes_no

        return ask_yes_no(self, question)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, HeldSalesOpen) and self._pending is not None:
            from .manager import held_question

            if self.ask(held_question(exc, self.tr("挂单交班后仍保留，可由下一班取单。仍要交班？"))):
                counted, declared = self._pending
                self._run_close(counted, declared, keep_held=True)
                return
        self._busy = False
        self._armed = False
        self.confirm_button.setEnabled(True)
        self.confirm_button.setText(self.tr("提交点钞 Enter"))
        self.counted_label.setText("")
        self.message.setText(error_text(exc))

    # -- page 2: the result ---------------------------------------------------------------------

    def _closed(self, done: tuple[ShiftResult, ShownReport]) -> None:
        self._busy = False
        result, report = done
        self.result = result
        page = self._build_result_page(result, report)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.setWindowTitle(self.tr("交班结果"))
        self.done_button.setFocus()

    def _variance_text(self, fen: Fen) -> str:
        if fen < 0:
            return self.tr("短款 {amount}").format(amount=yuan(fen))
        if fen > 0:
            return self.tr("长款 +{amount}").format(amount=yuan(fen))
        return self.tr("无差额 {amount}").format(amount=yuan(0))

    def _build_result_page(self, r: ShiftResult, report: ShownReport) -> QWidget:
        page = QWidget()
        title = QLabel(self.tr("交班结果 · 班次 {no}").format(no=r.shift_no))
        title.setObjectName("dialogTitle")
        grid = QGridLayout()
        grid.setVerticalSpacing(8)
        self.expected_label = QLabel(yuan(r.expected_cash_fen))
        self.counted_result_label = QLabel(yuan(r.counted_cash_fen))
        self.variance_label = QLabel(self._variance_text(r.variance_fen))
        self.variance_label.setObjectName("varianceLabel")
        self.variance_label.setStyleSheet(variance_style(r.variance_fen))
        rows = ((self.tr("备用金"), QLabel(yuan(r.opening_float_fen))), (self.tr("应有现金"), self.expected_label),
                (self.tr("实点现金"), self.counted_result_label), (self.tr("现金差额"), self.variance_label))
        for i, (caption, value) in enumerate(rows):
            cap = QLabel(caption)
            cap.setObjectName("resultCaption")
            value.setObjectName(value.objectName() or "resultValue")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(cap, i, 0)
            grid.addWidget(value, i, 1)
        self.tender_variance_labels: dict[str, QLabel] = {}
        row = len(rows)
        keys = sorted((set(r.expected_by_tender) | set(r.declared_by_tender)) - {"cash"})
        variances = r.variance_by_tender()
        if keys:
            head = QLabel(self.tr("其他付款方式"))
            head.setObjectName("sectionTitle")
            grid.addWidget(head, row, 0, 1, 2)
            row += 1
        for key in keys:
            expected = r.expected_by_tender.get(key, 0)
            declared = r.declared_by_tender.get(key)
            if declared is None:
                text = self.tr("应收 {expected}（未申报）").format(expected=yuan(expected))
                style = f"color: {INFO_COLOR};"
            else:
                v = variances.get(key, 0)
                text = self.tr("应收 {expected} 申报 {declared} 差额 {variance}").format(
                    expected=yuan(expected), declared=yuan(declared), variance=("+" if v > 0 else "") + yuan(v))
                style = variance_style(v)
            value = QLabel(text)
            value.setStyleSheet(style)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tender_variance_labels[key] = value
            grid.addWidget(QLabel(tender_label(key)), row, 0)
            grid.addWidget(value, row, 1)
            row += 1
        grid.setColumnStretch(1, 1)
        left = QVBoxLayout()
        left.addLayout(grid)
        note = QLabel(self.tr("班次已关闭。按“完成”回到登录，由下一位收银员开班。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #546e7a;")
        left.addStretch(1)
        left.addWidget(note)
        self.done_button = _primary(self.tr("完成 Enter"))
        self.done_button.clicked.connect(self.accept)
        left.addWidget(self.done_button)

        self.report_view = ReportView(self._till, self._runner, report)
        middle = QHBoxLayout(page)
        middle.setContentsMargins(0, 0, 0, 0)
        inner = QVBoxLayout()
        inner.addWidget(title)
        inner.addLayout(left, 1)
        middle.addLayout(inner, 1)
        middle.addSpacing(16)
        middle.addWidget(self.report_view)
        return page
