"""The cart table: Qt's model rules (qtmodeltester) and what each column shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from ui.cart_model import COL_AMOUNT, COL_NAME, COL_NO, COL_PRICE, COL_QTY, CartTableModel

HUAJIAO = Product("MX-S001", "茂县大红袍花椒 100g", 2800, barcode="6945837000172", unit="袋", origin="茂县")
APPLES = Product("MX-F001", "茂县冰糖心苹果（特级）", 1680, sold_by=SoldBy.WEIGHT, unit="kg", plu="101")
JACKET = Product("PM-Y001-M-R", "羽绒服（男款）", 49900, color="红色", size="M")


def test_f_the_cart_model_obeys_qt_model_rules(qtmodeltester: Any) -> None:
    cart = Cart().add(HUAJIAO, 2).add(APPLES, 1255).add(JACKET)
    model = CartTableModel(cart)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)  # Qt's own QAbstractItemModelTester too
    model.set_cart(cart.remove(0))
    model.set_cart(Cart())
    qtmodeltester.check(model, force_py=True)


def test_columns_show_number_name_quantity_price_and_amount_right_aligned() -> None:
    model = CartTableModel(Cart().add(HUAJIAO, 2).add(APPLES, 1255).add(JACKET))
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == ["序号", "商品", "数量", "单价", "金额"]

    def row(r: int) -> list[str]:
        return [model.data(model.index(r, c)) for c in range(5)]

    assert row(0) == ["1", "茂县大红袍花椒 100g", "2", "￥28.00", "￥56.00"]
    assert row(1) == ["2", "茂县冰糖心苹果（特级）", "1.255kg", "￥16.80/kg", "￥21.08"]
    assert row(2) == ["3", "羽绒服（男款） 红色 M", "1", "￥499.00", "￥499.00"]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for col in (COL_QTY, COL_PRICE, COL_AMOUNT):
        assert model.data(model.index(0, col), Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.data(model.index(0, COL_NAME), Qt.ItemDataRole.TextAlignmentRole) != right
    assert "6945837000172" in model.data(model.index(0, COL_NO), Qt.ItemDataRole.ToolTipRole)
    assert "PLU 101" in model.data(model.index(1, COL_NO), Qt.ItemDataRole.ToolTipRole)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(QModelIndex()) is None
