"""(j) Every table model the till added obeys Qt's model rules (qtmodeltester), filled and empty."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from pos.domain.catalog import Product, SoldBy
from pos.domain.tenders import Tender, TenderKind
from pos.services.checkout import HeldSale
from pos.services.context import TillIdentity
from pos.services.returns import ReturnableLine
from ui.holds import HeldSalesModel
from ui.payment import TenderListModel
from ui.returns import NoReceiptLinesModel, ReturnLinesModel
from ui.search import SearchResultsModel, group_hits

HONEY = Product("MX-H001", "松阳土蜂蜜 500g", 8800, barcode="6972316000521", unit="瓶")
APPLES = Product("MX-F001", "茂县冰糖心苹果（特级）", 1680, sold_by=SoldBy.WEIGHT, unit="kg", plu="101")
JACKETS = [Product(f"PM-Y-{c}-{s}", "平湖男款连帽羽绒服", 59900, style="羽绒服-男款", color=c, size=s)
           for c in ("黑色", "藏青") for s in ("L", "M")]


def check(qtmodeltester: Any, model: Any) -> None:
    """Check the filled model with both testers; they stay connected and check every later change."""
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)  # Qt's own QAbstractItemModelTester too


def test_search_results(qtmodeltester: Any) -> None:
    model = SearchResultsModel()
    hits = group_hits([HONEY, JACKETS[0], APPLES, *JACKETS[1:]])
    model.set_hits(hits)
    check(qtmodeltester, model)
    assert model.rowCount() == 3  # the four jackets are one style row
    row = [model.data(model.index(1, c)) for c in range(4)]
    assert row == ["平湖男款连帽羽绒服", "4 款：黑色·藏青 / M·L", "￥599.00", "PM-Y-黑色-L"]
    assert model.data(model.index(2, 2)) == "￥16.80/kg" and model.data(model.index(2, 1)) == "称重"
    model.set_hits([])


def test_held_sales(qtmodeltester: Any) -> None:
    model = HeldSalesModel(TillIdentity("MX", "MX01", "金平湖鲜到家", "茂县专柜"))
    model.set_held([HeldSale(1, "cashier1", "2026-11-22T02:05:00Z", 2, 11600),
                    HeldSale(2, "cashier1", "2026-11-22T03:10:00Z", 1, 3500)])
    check(qtmodeltester, model)
    assert [model.data(model.index(0, c)) for c in range(5)] == ["1", "11-22 10:05", "cashier1", "2 行", "￥116.00"]
    assert model.row_of(2) == 1 and model.row_of(9) is None


def test_tender_list(qtmodeltester: Any) -> None:
    model = TenderListModel()
    model.set_tenders([Tender(TenderKind.WECHAT, 10000, "134567890123456789"), Tender(TenderKind.CASH, 2000),
                       Tender(TenderKind.VOUCHER, 2000, "XFQ-1")])
    check(qtmodeltester, model)
    assert [model.data(model.index(0, c)) for c in range(3)] == ["微信", "￥100.00", "…6789"]
    assert model.data(model.index(2, 2)) == "XFQ-1"


def test_return_lines(qtmodeltester: Any) -> None:
    model = ReturnLinesModel()
    model.set_lines([ReturnableLine(1, "MX-S001", "茂县大红袍花椒 100g", 2, 2, False, 5600),
                     ReturnableLine(2, "MX-F001", "茂县冰糖心苹果（特级）", 1255, 1255, True, 2108),
                     ReturnableLine(3, "MX-H001", "松阳土蜂蜜 500g", 1, 0, False, 8800)])
    check(qtmodeltester, model)
    refused: list[str] = []
    model.refused.connect(refused.append)
    qty = model.COL_QTY
    assert model.setData(model.index(1, qty), "0.5") and model.data(model.index(1, qty)) == "0.500kg"
    assert model.data(model.index(1, qty), Qt.ItemDataRole.EditRole) == "0.500"
    assert not model.setData(model.index(0, qty), "3") and "最多还可退 2" in refused[-1]
    assert not model.setData(model.index(0, qty), "x")
    assert model.quantities() == {2: 500}
    assert not model.flags(model.index(2, qty)) & Qt.ItemFlag.ItemIsEditable  # nothing left to return


def test_goods_without_receipt(qtmodeltester: Any) -> None:
    model = NoReceiptLinesModel()
    model.add(HONEY, 1)
    model.add(HONEY, 1)
    model.add(APPLES, 500)
    check(qtmodeltester, model)
    assert model.items() == [(HONEY, 2), (APPLES, 500)] and model.total_fen() == 2 * 8800 + 840
    assert model.setData(model.index(0, model.COL_QTY), "0")  # zero takes the row off
    assert model.rowCount() == 1


def test_held_time_is_local(qtmodeltester: Any) -> None:
    from ui.holds import held_time

    ident = TillIdentity("MX", "MX01", "金平湖鲜到家", "茂县专柜")
    assert held_time(ident, datetime(2026, 11, 22, 2, 5, tzinfo=UTC).isoformat()) == "11-22 10:05"
    assert held_time(ident, "garbage") == "garbage"
