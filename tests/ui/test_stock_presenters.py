"""What the stock pages decide without Qt (ui/presenters/stock.py): the stock list's order and search,
the near-expiry order, what a delivery note check lets the manager do, a scanned 合格证, the scanner's
batch, a write-off's checks and the batch report's figures."""

from __future__ import annotations

from datetime import date

import pytest

from pos.domain.errors import InvalidInput
from pos.domain.receiving import DeliveryNoteCheck, GoodsReceipt, LineCheck, ReceiptLine, RowProblem
from pos.domain.stock import WriteOffReason
from pos.services.stock import BatchReport, LotStock, ProductStock
from ui.presenters.stock import (
    DeliveryNotePresenter,
    ReceiveStep,
    ScannedBatch,
    StockListPresenter,
    WriteOffPresenter,
    batch_row,
    certificate_input,
    near_expiry_rows,
    parse_counted,
    stock_row,
)

TODAY = date(2026, 11, 22)


def lot(lot_id: str, on_hand: int, expiry: str | None, received_on: str = "2026-11-21") -> LotStock:
    days = (date.fromisoformat(expiry) - TODAY).days if expiry else None
    return LotStock(lot_id, lot_id.split("/")[0], on_hand, on_hand, 0, 0, received_on, expiry, days, "松阳", "HG1", "")


def product(sku: str, name: str, on_hand: int, *, unlotted: int = 0, weighed: bool = False,
            lots: tuple[LotStock, ...] = ()) -> ProductStock:
    return ProductStock(sku, name, "肉禽蛋", weighed, on_hand, 100 * on_hand, unlotted, len(lots), None, None, lots)


def test_products_sold_past_zero_come_first_and_a_search_matches_every_word() -> None:
    p = StockListPresenter()
    p.loaded([product("MX-E002", "松阳土鸡蛋 10枚装", 5), product("MX-E001", "松阳土鸡蛋 30枚装", -2, unlotted=-2),
              product("MX-H001", "松阳土蜂蜜 500g", 3)], TODAY)
    assert [r.sku for r in p.shown] == ["MX-E001", "MX-E002", "MX-H001"]
    assert p.rows[0].past_zero and p.past_zero_count == 1
    assert [r.sku for r in p.filter("鸡蛋 10")] == ["MX-E002"]
    assert [r.sku for r in p.filter("mx-h")] == ["MX-H001"]
    assert len(p.filter("")) == 3


def test_the_selected_products_lots_are_those_with_stock_first_expiry_first() -> None:
    p = StockListPresenter()
    p.loaded([product("MX-E001", "土鸡蛋", 40)], TODAY)
    assert p.select(0) == "MX-E001"
    p.lots_loaded("MX-E001", [product("MX-E001", "土鸡蛋", 40, lots=(
        lot("B2/1", 30, "2026-11-30"), lot("B1/2", 0, "2026-11-20"), lot("B1/1", 10, "2026-11-21")))], TODAY)
    assert [(x.lot, x.days_left, x.expired) for x in p.lots] == [("B1/1", -1, True), ("B2/1", 8, False)]
    p.lots_loaded("MX-H001", [], TODAY)  # an answer for a product no longer selected changes nothing
    assert len(p.lots) == 2
    p.filter("蜂蜜")
    assert p.selected_sku is None and p.lots == ()


def test_near_expiry_shows_expired_lots_first_then_the_soonest() -> None:
    eggs = product("MX-E001", "土鸡蛋", 0)
    rows = near_expiry_rows([(eggs, lot("B2/1", 5, "2026-11-23")), (eggs, lot("B1/1", 3, "2026-11-19")),
                             (eggs, lot("B1/2", 2, "2026-11-21")), (eggs, lot("B3/1", 0, "2026-11-18"))], TODAY)
    assert [(r.lot.lot, r.expired) for r in rows] == [("B1/1", True), ("B1/2", True), ("B2/1", False)]


def receipt_line(sku: str = "MX-E001", quantity: int = 30) -> ReceiptLine:
    return ReceiptLine(sku, quantity, 2800, date(2026, 11, 30), certificate="HG1", row=2)


def test_a_refused_note_cannot_be_confirmed_and_a_good_one_only_once() -> None:
    p = DeliveryNotePresenter()
    p.opened("/notes/bad.csv")
    assert not p.can_confirm
    bad = RowProblem(7, "unit_cost", "'12.805' has more than two decimals", "“12.805”超过两位小数")
    p.checked(DeliveryNoteCheck(None, (bad,), more_errors=3))
    assert p.step is ReceiveStep.REFUSED and p.confirm() is None
    assert p.problems(chinese=True) == ["第7行，进价：“12.805”超过两位小数"]
    assert p.problems(chinese=False) == ["row 7, unit_cost: '12.805' has more than two decimals"]
    assert p.more_problems == 3

    p.opened("/notes/good.csv")
    goods = GoodsReceipt("SHKC-2026-48", "合作社", "138", date(2026, 11, 21), (receipt_line(),))
    p.checked(DeliveryNoteCheck(goods, (), rows_checked=1), {"MX-E001": "土鸡蛋"})
    [line] = p.lines()
    assert (line.row, line.name, line.quantity, line.unit_cost, line.cost) == (2, "土鸡蛋", "30", "￥28.00", "￥840.00")
    assert p.confirm() == "/notes/good.csv"
    assert p.confirm() is None  # receiving: a second tap does nothing
    p.done(object())
    assert p.step is ReceiveStep.RECEIVED and not p.can_confirm


@pytest.mark.parametrize(("typed", "number", "qr"), [
    ("HG2026112201", "HG2026112201", ""),
    ("编号:HG2026112201;产地:松阳", "HG2026112201", "编号:HG2026112201;产地:松阳"),
    ("https://hgz.example.cn/c/123", "", "https://hgz.example.cn/c/123"),
    ("", "", ""),
])
def test_a_scanned_certificate_qr_is_kept_whole_and_fills_the_number(typed: str, number: str, qr: str) -> None:
    assert certificate_input(typed) == (number, qr)


def test_the_scanner_batch_needs_its_header_and_renumbers_after_a_delete() -> None:
    s = ScannedBatch()
    assert s.add(LineCheck(receipt_line("MX-E001"), ()), "土鸡蛋")
    assert s.add(LineCheck(receipt_line("MX-E002", 10), ()), "土鸡蛋10")
    assert not s.add(LineCheck(None, (RowProblem(0, "quantity", "empty", "为空"),)))
    assert len(s.lines) == 2 and s.last is not None and not s.last.ok
    assert s.goods() is None  # no header yet
    s.set_header(" SHKC-2026-49 ", "合作社", "", date(2026, 11, 22))
    assert s.header.missing() == ["supplier_contact"] and s.goods() is None
    s.set_header("SHKC-2026-49", "合作社", "138", date(2026, 11, 22))
    s.remove(0)
    goods = s.goods()
    assert goods is not None and [(x.sku, x.row) for x in goods.lines] == [("MX-E002", 1)]
    assert s.total_cost_fen == 28_000
    assert s.fields("6972316000170", "3", "1", "", "", "", "", "HG9", "")["barcode"] == "6972316000170"
    assert s.fields("MX-E001", "3", "1", "", "", "", "", "HG9", "")["sku"] == "MX-E001"


def test_a_write_off_needs_a_product_a_reason_a_note_for_other_and_no_more_than_on_hand() -> None:
    p = WriteOffPresenter()
    with pytest.raises(InvalidInput, match="choose a product"):
        p.request("1", WriteOffReason.SPOILED)
    p.choose(stock_row(product("MX-F001", "苹果", 2500, weighed=True), TODAY))
    with pytest.raises(InvalidInput, match="choose a reason"):
        p.request("1", None)
    with pytest.raises(InvalidInput, match="reason: other"):
        p.request("1", WriteOffReason.OTHER, " ")
    with pytest.raises(InvalidInput) as too_much:
        p.request("2.6", WriteOffReason.SPOILED)
    assert too_much.value.message_zh == "苹果 库存只有 2.500kg"
    with pytest.raises(InvalidInput):
        p.request("0", WriteOffReason.SPOILED)
    req = p.request("1.25", WriteOffReason.OTHER, "老鼠咬了")
    assert (req.sku, req.quantity, req.reason, req.note) == ("MX-F001", 1250, WriteOffReason.OTHER, "老鼠咬了")


def test_a_count_of_zero_is_a_count() -> None:
    assert parse_counted(False, "0") == 0
    assert parse_counted(True, "1.2") == 1200
    with pytest.raises(InvalidInput):
        parse_counted(False, "")


def test_a_batch_row_shows_kg_and_units_sold_and_the_margin() -> None:
    r = batch_row(BatchReport("SHKC-2026-48", "松阳,茂县", "合作社", "2026-11-21", 3, 188_800, 5_600, 0, 2_800, 0,
                              180_400, 9_000, 0, 2, 1_500, 28, 80_000, None, None))
    assert (r.sold, r.on_hand) == ("2 + 1.500kg", "28 + 80.000kg")
    assert (r.margin_fen, r.margin_pct, r.sell_out_days, r.losing) == (3_400, "37.8%", None, False)
    empty = batch_row(BatchReport("B", "", "", "2026-11-21", 1, 100, 0, 0, 0, 0, 100, 0, 0, 0, 0, 1, 0, None, None))
    assert (empty.sold, empty.margin_pct) == ("0", "—")
