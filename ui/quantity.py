"""The small dialog that asks for a quantity (units) or a weight (kilograms) for one product."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos.domain.catalog import Product
from pos.domain.errors import PosError
from pos.domain.quantities import parse_units, parse_weight

from .messages import error_text
from .ops import Lane, OpRunner
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, px, scaled

parse_weight_kg = parse_weight  # one parser, in the domain

def weight_text(grams: int) -> str:
    return f"{grams // 1000}.{grams % 1000:03d}"


class QuantityDialog(QDialog):
    """Ask for a count or a weight; ``apply(quantity)`` is tried on OK and may refuse (PosError).

    A refusal is shown inside the dialog, which stays open, so the cashier can correct it.
    """

    def __init__(self, product: Product, apply: Callable[[int], None], *, current: int | None = None,
                 parent: QWidget | None = None, runner: OpRunner | None = None,
                 read_weight: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._read_weight = read_weight
        self.weighing = False
        self._product = product
        self._apply = apply
        self.quantity: int | None = None
        self.setWindowTitle(self.tr("输入重量") if product.weighed else self.tr("修改数量"))
        self.setModal(True)
        self.setMinimumWidth(px(460))

        # The same look as the other value dialogs: a title, the product, one big field, big keys,
        # 取消 Esc and a wide 确定 Enter.
        heading = QLabel(self.windowTitle())
        heading.setObjectName("dialogTitle")
        name = QLabel(product.name)
        name.setWordWrap(True)
        name.setStyleSheet(scaled("font-size: 22px; font-weight: bold;"))
        hint = QLabel(self.tr("按重量销售，请输入千克数（如 1.255）") if product.weighed
                      else self.tr("请输入数量"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546e7a;")
        self.field = QLineEdit()
        self.field.setObjectName("quantityField")
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.field.setMaxLength(10)
        if current is not None:
            self.field.setText(weight_text(current) if product.weighed else str(current))
            self.field.selectAll()
        unit = QLabel(self.tr("千克") if product.weighed else (product.unit or self.tr("件")))
        unit.setStyleSheet(scaled("font-size: 22px;"))
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(unit)

        keys = QGridLayout()
        keys.setSpacing(px(6))
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(("7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "⌫")):
            b = QPushButton(key)
            b.setObjectName("keypadKey")
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keyboard
            b.setEnabled(key != "." or product.weighed)
            b.clicked.connect(lambda _=False, k=key: self._key(k))
            self.keys[key] = b
            keys.addWidget(b, i // 3, i % 3)

        self.error = QLabel("")
        self.error.setObjectName("quantityMessage")
        self.error.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 16px;"))
        self.error.setWordWrap(True)

        self.ok_button = QPushButton(self.tr("确定 Enter"))
        self.ok_button.setObjectName("payButton")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._confirm)
        cancel = QPushButton(self.tr("取消 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        self.weigh_button: QPushButton | None = None
        if product.weighed and runner is not None and read_weight is not None:
            # 称重: the scale's stable reading fills the field (typing still works without a scale).
            self.weigh_button = QPushButton(self.tr("称重 F2"))
            self.weigh_button.setObjectName("weighButton")
            self.weigh_button.setAutoDefault(False)
            self.weigh_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.weigh_button.clicked.connect(self.weigh)
            buttons.addWidget(self.weigh_button)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(name)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addLayout(keys)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.field.setFocus()

    def _key(self, key: str) -> None:
        """A tap on the keypad: as if typed into the field (⌫ deletes)."""
        if key == "⌫":
            self.field.backspace()
        else:
            self.field.insert(key)
        self.field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F2 and self.weigh_button is not None:
            self.weigh()
            return
        super().keyPressEvent(event)

    def weigh(self) -> None:
        """Read the stable weight on the device lane (waits for the scale to settle)."""
        if self.weighing or self._runner is None or self._read_weight is None:
            return
        self.weighing = True
        if self.weigh_button is not None:
            self.weigh_button.setEnabled(False)
        self.error.setStyleSheet(scaled(f"color: {INFO_COLOR}; font-size: 16px;"))
        self.error.setText(self.tr("正在称重，请等秤稳定…"))
        self._runner.run(Lane.DEVICE, self._read_weight, self._weighed, self._weigh_failed)

    def _weigh_done(self) -> None:
        self.weighing = False
        if self.weigh_button is not None:
            self.weigh_button.setEnabled(True)

    def _weighed(self, reading: Any) -> None:
        self._weigh_done()
        grams = getattr(reading, "grams", None)
        if not grams:
            self._weigh_failed(None)
            return
        self.field.setText(weight_text(int(grams)))
        self.field.setFocus()
        self.field.selectAll()
        self.error.setStyleSheet(scaled(f"color: {OK_COLOR}; font-size: 16px;"))
        self.error.setText(self.tr("秤读数 {kg} 千克，按 Enter 确认").format(kg=weight_text(int(grams))))

    def _weigh_failed(self, exc: BaseException | None) -> None:
        self._weigh_done()
        self.error.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 16px;"))
        self.error.setText(error_text(exc) if exc is not None else self.tr("秤没有给出重量，请手工输入"))
        self.field.setFocus()

    def _confirm(self) -> None:
        try:
            text = self.field.text()
            quantity = parse_weight_kg(text) if self._product.weighed else parse_units(text)
            self._apply(quantity)
        except PosError as exc:
            self.error.setStyleSheet(scaled(f"color: {ERROR_COLOR}; font-size: 16px;"))
            self.error.setText(error_text(exc))
            self.field.setFocus()
            self.field.selectAll()
            return
        self.quantity = quantity
        self.accept()

