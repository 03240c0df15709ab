"""Small pieces the till's dialogs share: a field that steers a list, a table set up for touch, texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListWidget, QPushButton, QTableView, QWidget

# The domain's barcode, money, pricing and scan modules load where they are used: the login window
# (drawn before the till loads) takes its PIN field from here and has no use for them.
from .i18n import is_chinese
from .qtcompat import emit
from .style import touch_px

if TYPE_CHECKING:
    from pos.domain.money import Fen
    from pos.domain.pricing import Discount

_STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -8, Qt.Key.Key_PageDown: 8}


class NavField(QLineEdit):
    """A line edit that hands Up/Down/PageUp/PageDown to a list: the keyboard stays in the field."""

    move_selection = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = _STEPS.get(Qt.Key(event.key()))
        if step is not None:
            emit(self.move_selection, step)
            return
        super().keyPressEvent(event)


def pin_field(placeholder: str, name: str = "pinField", field: QLineEdit | None = None) -> QLineEdit:
    """A PIN field: hidden digits, at most 8 (the PIN rule is 4–8 digits)."""
    field = field if field is not None else QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), field))
    field.setPlaceholderText(placeholder)
    return field


def payment_code_in(text: str) -> str | None:
    """The customer's WeChat/Alipay payment code ``text`` is (full-width digits and spaces folded), or None."""
    from pos.domain.barcodes import clean_code
    from pos.domain.scan import payment_provider

    code = clean_code(text)
    return code if payment_provider(code) is not None else None


@dataclass
class KeyRun:
    """Which keys reached a field in one fast run (a keyboard-wedge scanner), and what the field held
    before the run began — so a code scanned into a field that already holds text can be lifted out
    whole and the field put back as it was. Qt-free: times are ``QKeyEvent.timestamp()`` in ms.

    A gap longer than ``max_gap_ms`` starts a new run: a person types slower than that.
    """

    max_gap_ms: float = 30.0
    before: str = ""
    keys: str = ""
    last_ms: float | None = None

    def key(self, ch: str, t_ms: float, field_text: str) -> None:
        """One text key, about to be typed into a field that holds ``field_text``."""
        if self.last_ms is None or t_ms - self.last_ms > self.max_gap_ms:
            self.before, self.keys = field_text, ""
        self.keys += ch
        self.last_ms = t_ms

    def end(self, t_ms: float) -> tuple[str, str] | None:
        """Enter: ``(text before the run, the run)`` when the run came fast right up to this Enter."""
        fast = self.keys and self.last_ms is not None and t_ms - self.last_ms <= self.max_gap_ms
        run = (self.before, self.keys) if fast else None
        self.reset()
        return run

    def reset(self) -> None:
        self.before, self.keys, self.last_ms = "", "", None


class CodeField(QLineEdit):
    """A line edit that recognises a customer's payment code arriving in it, whatever it already held.

    A code scanned (a fast run of keys ending in Enter) or pasted is never left in the field: the
    field goes back to what it held before, and :attr:`code_arrived` carries the code. Anything else
    behaves as a plain QLineEdit (Enter emits ``returnPressed``).
    """

    code_arrived = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, max_gap_ms: float = 30.0) -> None:
        super().__init__(parent)
        self.run = KeyRun(max_gap_ms)
        self._before = ""  # the text before the latest change, to see what a paste inserted
        self.textChanged.connect(self._remember)
        self.textEdited.connect(self._edited)

    def take_burst(self, event: QKeyEvent) -> bool:
        """Enter: if it ends a scanner's burst that is a payment code, put the field back as it was
        before the burst, emit :attr:`code_arrived` and return True (the Enter is used up)."""
        run = self.run.end(float(event.timestamp()))
        code = payment_code_in(run[1]) if run else None
        if run is None or code is None:
            return False
        self.setText(run[0])  # the burst never stays in the field
        emit(self.code_arrived, code)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.take_burst(event):
                return
        else:
            text = event.text()
            if len(text) == 1 and text.isprintable() and not event.modifiers() & ~(
                    Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier):
                self.run.key(text, float(event.timestamp()), self.text())
            elif event.key() not in (Qt.Key.Key_Shift, Qt.Key.Key_unknown):
                self.run.reset()  # an arrow, Backspace, a shortcut: a person is editing
        super().keyPressEvent(event)

    def _remember(self, text: str) -> None:
        self._before = text

    def _edited(self, text: str) -> None:
        # textEdited comes before textChanged, so _before still holds the text before this edit.
        before = self._before
        start = 0
        while start < min(len(text), len(before)) and text[start] == before[start]:
            start += 1
        end = 0
        while end < min(len(text), len(before)) - start and text[-1 - end] == before[-1 - end]:
            end += 1
        inserted = text[start:len(text) - end]
        if len(inserted) < 2:
            return  # one key typed (a burst is caught on its Enter)
        code = payment_code_in(inserted)
        if code is not None:  # pasted
            self.run.reset()
            self.setText(before)
            emit(self.code_arrived, code)


class YuanStepField(CodeField):
    """An amount in yuan typed into a column of figures; Enter/↓ and ↑ move between the rows.

    A customer's payment code scanned or pasted here never becomes a figure: the field keeps what
    it held (:attr:`code_arrived` tells a screen that wants to say so).
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMaxLength(14)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("—")
        self.on_step: Callable[[int], None] = lambda step: None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.take_burst(event):
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self.run.reset()
            self.on_step(1)
            return
        if key == Qt.Key.Key_Up:
            self.run.reset()
            self.on_step(-1)
            return
        super().keyPressEvent(event)


def select_login(users: QListWidget, login: str) -> None:
    """Make the row whose login (UserRole data) is ``login`` current, if there is one."""
    for i in range(users.count()):
        if users.item(i).data(Qt.ItemDataRole.UserRole) == login:
            users.setCurrentRow(i)
            return


def selected_login(users: QListWidget) -> str | None:
    item = users.currentItem()
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return str(value) if value else None


def touch_table(model: QAbstractItemModel, name: str, row_height: int = 44) -> QTableView:
    """A read-only, row-selecting table with big rows; it never takes the keyboard from the field."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(touch_px(row_height))  # rows follow the screen, ≥ 44 px
    return table


def selected_row(table: QTableView) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def select_row(table: QTableView, row: int) -> None:
    model = table.model()
    if not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().setCurrentIndex(index, flags)
    table.scrollTo(index)


def step_selection(table: QTableView, step: int) -> None:
    n = table.model().rowCount()
    if n == 0:
        return
    current = selected_row(table)
    row = (0 if step > 0 else n - 1) if current is None else max(0, min(n - 1, current + step))
    select_row(table, row)


def key_button(text: str, key: str | None = None, name: str | None = None) -> QPushButton:
    """A touch button that shows its key under the text and never steals the keyboard."""
    b = QPushButton(f"{text}\n{key}" if key else text)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setAutoDefault(False)
    if name:
        b.setObjectName(name)
    return b


def yuan(fen: Fen) -> str:
    from pos.domain.money import format_yuan

    return format_yuan(fen, symbol=True)


def discount_label(d: Discount) -> str:
    """``9折`` / ``8.5折`` / ``减￥5.00`` as a Chinese counter says it (``10% off`` in English)."""
    from pos.domain.pricing import DiscountKind

    if d.kind is DiscountKind.PERCENT:
        pay = 10_000 - d.value
        if is_chinese():
            if pay % 100 == 0 and pay > 0:
                return f"{pay / 1000:g}折"
            return f"减{d.value / 100:g}%"
        return f"{d.value / 100:g}% off"
    return f"减{yuan(d.value)}" if is_chinese() else f"{yuan(d.value)} off"


def set_widget_enabled(widgets: list[QWidget], enabled: bool) -> None:
    for w in widgets:
        w.setEnabled(enabled)
