"""The cart table: Qt's model rules (qtmodeltester) and what each column shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.permissions import Action, Approval
from pos.domain.pricing import parse_discount
from pos.domain.users import Role
from ui.cart_model import COL_AMOUNT, COL_DISCOUNT, COL_NAME, COL_NO, COL_PRICE, COL_QTY, CartTableModel

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
    assert header == ["序号", "商品", "数量", "单价", "优惠", "金额"]

    def row(r: int) -> list[str]:
        return [model.data(model.index(r, c)) for c in range(6)]

    assert row(0) == ["1", "茂县大红袍花椒 100g", "2", "￥28.00", "", "￥56.00"]
    assert row(1) == ["2", "茂县冰糖心苹果（特级）", "1.255kg", "￥16.80/kg", "", "￥21.08"]
    assert row(2) == ["3", "羽绒服（男款） 红色 M", "1", "￥499.00", "", "￥499.00"]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for col in (COL_QTY, COL_PRICE, COL_AMOUNT):
        assert model.data(model.index(0, col), Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.data(model.index(0, COL_NAME), Qt.ItemDataRole.TextAlignmentRole) != right
    assert "6945837000172" in model.data(model.index(0, COL_NO), Qt.ItemDataRole.ToolTipRole)
    assert "PLU 101" in model.data(model.index(1, COL_NO), Qt.ItemDataRole.ToolTipRole)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(QModelIndex()) is None


def test_discounts_and_overrides_show_what_was_taken_off() -> None:
    ok = Approval(Action.PRICE_OVERRIDE, "manager1", Role.MANAGER, "cashier1", "2026-11-22T02:00:00Z")
    cart = (Cart().add(HUAJIAO, 2).add(APPLES, 1255)
            .discount_line(0, parse_discount("9折"), by=Role.CASHIER)
            .override_price(1, 1500, by=Role.CASHIER, approval=ok))
    model = CartTableModel(cart)
    assert model.data(model.index(0, COL_DISCOUNT)) == "9折 -￥5.60"
    assert model.data(model.index(0, COL_AMOUNT)) == "￥50.40"  # after the line discount
    assert model.data(model.index(1, COL_PRICE)) == "￥15.00/kg"
    assert model.data(model.index(1, COL_DISCOUNT)) == "原价 ￥16.80"
    assert model.data(model.index(1, COL_AMOUNT)) == "￥18.83"
    assert model.data(model.index(0, COL_DISCOUNT), Qt.ItemDataRole.ForegroundRole) is not None
    label = Cart().add(APPLES, 1255, label_amount_fen=2100)
    assert "称重条码 ￥21.00" in CartTableModel(label).data(CartTableModel(label).index(0, 0), Qt.ItemDataRole.ToolTipRole)
