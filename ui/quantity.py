"""The small dialog that asks for a quantity (units) or a weight (kilograms) for one product."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos.domain.catalog import Product
from pos.domain.errors import PosError
from pos.domain.quantities import parse_units, parse_weight

from .messages import error_text
from .style import ERROR_COLOR

parse_weight_kg = parse_weight  # one parser, in the domain

def weight_text(grams: int) -> str:
    return f"{grams // 1000}.{grams % 1000:03d}"


class QuantityDialog(QDialog):
    """Ask for a count or a weight; ``apply(quantity)`` is tried on OK and may refuse (PosError).

    A refusal is shown inside the dialog, which stays open, so the cashier can correct it.
    """

    def __init__(self, product: Product, apply: Callable[[int], None], *, current: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._product = product
        self._apply = apply
        self.quantity: int | None = None
        self.setWindowTitle(self.tr("输入重量") if product.weighed else self.tr("修改数量"))
        self.setModal(True)
        self.setMinimumWidth(460)

        name = QLabel(product.name)
        name.setWordWrap(True)
        name.setStyleSheet("font-size: 22px; font-weight: bold;")
        hint = QLabel(self.tr("按重量销售，请输入千克数（如 1.255）") if product.weighed
                      else self.tr("请输入数量"))
        self.field = QLineEdit()
        self.field.setObjectName("quantityField")
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.field.setMaxLength(10)
        if current is not None:
            self.field.setText(weight_text(current) if product.weighed else str(current))
            self.field.selectAll()
        unit = QLabel(self.tr("千克") if product.weighed else (product.unit or self.tr("件")))
        unit.setStyleSheet("font-size: 22px;")
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(unit)

        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {ERROR_COLOR}; font-size: 16px;")
        self.error.setWordWrap(True)

        self.ok_button = QPushButton(self.tr("确定"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._confirm)
        cancel = QPushButton(self.tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)

        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.field.setFocus()

    def _confirm(self) -> None:
        try:
            text = self.field.text()
            quantity = parse_weight_kg(text) if self._product.weighed else parse_units(text)
            self._apply(quantity)
        except PosError as exc:
            self.error.setText(error_text(exc))
            self.field.setFocus()
            self.field.selectAll()
            return
        self.quantity = quantity
        self.accept()

