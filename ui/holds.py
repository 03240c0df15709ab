"""取单 (F9): the held sales of this till. Type the hold number and Enter, or pick a row.

The list is read on the writer thread (held sales are written there, so it sees the newest). It
shows the cashier's name, the local time and the total the customer will be asked for (after the
store's 抹零).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.services.checkout import HeldSale
from pos.services.context import TillIdentity
from pos.services.shifts import HeldSaleView

from .cart_model import _CENTER, _LEFT, _RIGHT
from .i18n import translate
from .messages import error_text
from .ops import Lane, OpRunner
from .style import ERROR_COLOR, INFO_COLOR, px, scaled
from .widgets import NavField, select_row, selected_row, step_selection, touch_table, yuan

Index = QModelIndex | QPersistentModelIndex
COL_NO, COL_TIME, COL_CASHIER, COL_LINES, COL_TOTAL = range(5)


def held_time(identity: TillIdentity, created_at: str) -> str:
    """The hold's time in the store's local time (stored as UTC ISO)."""
    try:
        return identity.shown_time(datetime.fromisoformat(created_at.replace("Z", "+00:00")))[5:16]
    except ValueError:
        return created_at


class HeldSalesModel(QAbstractTableModel):
    def __init__(self, identity: TillIdentity, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._identity = identity
        self._held: list[HeldSale | HeldSaleView] = []

    def set_held(self, held: list[HeldSale] | list[HeldSaleView]) -> None:
        self.beginResetModel()
        self._held = list(held)
        self.endResetModel()

    def held(self, row: int) -> HeldSale | HeldSaleView:
        return self._held[row]

    def row_of(self, hold_no: int) -> int | None:
        return next((i for i, h in enumerate(self._held) if h.hold_no == hold_no), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._held)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._held):
            return None
        h = self._held[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(h.hold_no), held_time(self._identity, h.created_at), getattr(h, "cashier_name", "") or h.cashier,
                    translate("HeldSalesModel", "{n} 行").format(n=h.lines), yuan(h.total_fen))[col] \
                if 0 <= col < 5 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_CENTER if col in (COL_NO, COL_TIME) else (_RIGHT if col in (COL_LINES, COL_TOTAL) else _LEFT))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 5 and role == Qt.ItemDataRole.DisplayRole:
            return (translate("HeldSalesModel", "挂单号"), translate("HeldSalesModel", "时间"),
                    translate("HeldSalesModel", "收银员"), translate("HeldSalesModel", "商品"),
                    translate("HeldSalesModel", "金额"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class HeldSalesDialog(QDialog):
    """After ``accept()``, :attr:`hold_no` is the held sale to take back."""

    def __init__(self, till: Till, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hold_no: int | None = None
        self.loaded = False
        self.setWindowTitle(self.tr("取单"))
        self.setModal(True)
        self.resize(px(760), px(520))

        title = QLabel(self.tr("挂单列表"))
        title.setObjectName("dialogTitle")
        self.field = NavField()
        self.field.setObjectName("valueField")
        self.field.setMaxLength(6)
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self.field))
        self.field.setPlaceholderText(self.tr("输入挂单号，或 ↑↓ 选择后 Enter"))
        self.field.returnPressed.connect(self.confirm)
        self.field.move_selection.connect(lambda step: step_selection(self.table, step))

        self.model = HeldSalesModel(till.identity, self)
        self.table = touch_table(self.model, "heldTable")
        self.table.doubleClicked.connect(lambda index: self._take(self.model.held(index.row()).hold_no))
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(COL_CASHIER, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_NO, 90), (COL_TIME, 150), (COL_LINES, 90), (COL_TOTAL, 140)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)

        self.message = QLabel(self.tr("正在读取挂单…"))
        self.message.setWordWrap(True)
        self.ok_button = QPushButton(self.tr("取单 Enter"))
        self.ok_button.setObjectName("payButton")
        self.ok_button.setAutoDefault(False)
        self.ok_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ok_button.clicked.connect(self.confirm)
        cancel = QPushButton(self.tr("返回 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.field)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.field.setFocus()
        runner.run(Lane.WRITER, till.shifts.held, self._loaded, self._failed)

    def _say(self, text: str, color: str = INFO_COLOR) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(scaled(f"color: {color}; font-size: 17px;"))

    def _loaded(self, held: list[HeldSaleView]) -> None:
        self.loaded = True
        self.model.set_held(held)
        if held:
            select_row(self.table, len(held) - 1)  # the newest hold is the likeliest
            self._say(self.tr("共 {n} 张挂单").format(n=len(held)))
        else:
            self._say(self.tr("没有挂单"))

    def _failed(self, exc: BaseException) -> None:
        self.loaded = True
        self._say(error_text(exc), ERROR_COLOR)

    def confirm(self) -> None:
        typed = self.field.text().strip()
        if typed:
            self._take(int(typed))
            return
        row = selected_row(self.table)
        if row is None:
            self._say(self.tr("请输入挂单号"), ERROR_COLOR)
            return
        self._take(self.model.held(row).hold_no)

    def _take(self, hold_no: int) -> None:
        if self.loaded and self.model.row_of(hold_no) is None:
            self._say(self.tr("没有编号为 {no} 的挂单").format(no=hold_no), ERROR_COLOR)
            self.field.selectAll()
            return
        self.hold_no = hold_no
        self.accept()
