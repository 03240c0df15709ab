"""A sale's receipt names the delivery batch and 合格证 of the lots each fresh line came from (issue 15,
point 6): as receipt data, before any layout."""

from __future__ import annotations

from pos.domain.catalog import SoldBy
from pos.domain.receipt import LotMark, lots_text
from pos.domain.sale import Sale, SaleLine, build_receipt
from pos.domain.stock import StockDraw
from pos.domain.tenders import Tender, TenderKind


def _line(no: int, name: str, qty: int, price: int, sold_by: SoldBy = SoldBy.UNIT) -> SaleLine:
    gross = price * qty if sold_by is SoldBy.UNIT else (price * qty + 500) // 1000
    return SaleLine(no, f"SKU{no}", None, name, "件", sold_by, qty, price, gross, "", "", None, gross_fen=gross)


def _sale(lines: tuple[SaleLine, ...], draws: tuple[StockDraw, ...]) -> Sale:
    total = sum(ln.net_fen for ln in lines)
    return Sale("SY01-20261128-0007", "SY01", "2026-11-28", "cashier1", "张小芳", lines, total, total,
                (Tender(TenderKind.CASH, total),), total, 0, draws=draws)


def _receipt(sale: Sale):  # noqa: ANN202
    return build_receipt(sale, store_name="金平湖鲜到家", counter_name="松阳专柜", printed_at="2026-11-28 10:00:00")


EGGS = _line(1, "松阳土鸡蛋 30枚装", 2, 4500)
BEEF = _line(2, "松阳黄牛肉", 1_200, 12800, SoldBy.WEIGHT)
TEA = _line(3, "松阳银猴茶", 1, 16800)


def test_an_egg_box_from_one_lot_carries_its_batch_and_certificate_and_the_tea_carries_nothing() -> None:
    draws = (StockDraw(1, "SKU1", "SHKC-2026-48/1", "SHKC-2026-48", 2, 6000, 9000, certificate_no="HG2026112701"),)
    receipt = _receipt(_sale((EGGS, TEA), draws))
    assert receipt.lines[0].lots == (LotMark("SHKC-2026-48", "HG2026112701"),)
    assert lots_text(receipt.lines[0].lots) == "批次 SHKC-2026-48 合格证 HG2026112701"
    assert receipt.lines[1].lots == ()  # tea is not stock-tracked: no mark under it
    assert lots_text(()) == ""


def test_beef_sold_across_two_batches_names_both_each_with_its_own_certificate() -> None:
    draws = (
        StockDraw(2, "SKU2", "SHKC-2026-47/3", "SHKC-2026-47", 700, 6300, 8960, certificate_no="HG2026112103"),
        StockDraw(2, "SKU2", "SHKC-2026-48/2", "SHKC-2026-48", 500, 4600, 6400, certificate_no="HG2026112702"),
    )
    receipt = _receipt(_sale((EGGS, BEEF), draws))
    assert receipt.lines[0].lots == ()
    assert lots_text(receipt.lines[1].lots) == "批次 SHKC-2026-47 合格证 HG2026112103 批次 SHKC-2026-48 合格证 HG2026112702"


def test_two_lots_of_one_batch_name_the_batch_once_and_a_shared_certificate_once() -> None:
    draws = (
        StockDraw(1, "SKU1", "SHKC-2026-48/1", "SHKC-2026-48", 1, 3000, 4500, certificate_no="HG01"),
        StockDraw(1, "SKU1", "SHKC-2026-48/2", "SHKC-2026-48", 1, 3100, 4500, certificate_no="HG02"),
    )
    assert lots_text(_receipt(_sale((EGGS,), draws)).lines[0].lots) == "批次 SHKC-2026-48 合格证 HG01、HG02"
    same = (StockDraw(1, "SKU1", "SHKC-2026-48/1", "SHKC-2026-48", 1, 3000, 4500, certificate_no="HG01"),
            StockDraw(1, "SKU1", "SHKC-2026-48/2", "SHKC-2026-48", 1, 3100, 4500, certificate_no="HG01"))
    assert lots_text(_receipt(_sale((EGGS,), same)).lines[0].lots) == "批次 SHKC-2026-48 合格证 HG01"


def test_a_box_sold_past_zero_prints_only_the_lot_it_really_came_from() -> None:
    draws = (
        StockDraw(1, "SKU1", "SHKC-2026-48/1", "SHKC-2026-48", 1, 3000, 4500, certificate_no="HG01"),
        StockDraw(1, "SKU1", None, "", 1, 0, 4500, cost_known=False),  # no lot left: flagged, not printed
    )
    assert lots_text(_receipt(_sale((EGGS,), draws)).lines[0].lots) == "批次 SHKC-2026-48 合格证 HG01"
    only_past_zero = (StockDraw(1, "SKU1", None, "", 2, 0, 9000, cost_known=False),)
    assert _receipt(_sale((EGGS,), only_past_zero)).lines[0].lots == ()


def test_a_lot_without_a_certificate_prints_its_batch_alone() -> None:
    draws = (StockDraw(3, "SKU3", "SHKC-2026-48/5", "SHKC-2026-48", 1, 9000, 16800),)
    assert lots_text(_receipt(_sale((EGGS, TEA), draws)).lines[1].lots) == "批次 SHKC-2026-48"


def test_a_reprint_from_the_journal_shows_the_same_batches() -> None:
    draws = (StockDraw(1, "SKU1", "SHKC-2026-48/1", "SHKC-2026-48", 2, 6000, 9000, certificate_no="HG2026112701"),)
    sale = _sale((EGGS, TEA), draws)
    again = Sale.from_payload("SY01", "2026-11-28", sale.to_payload())
    assert [ln.lots for ln in _receipt(again).lines] == [ln.lots for ln in _receipt(sale).lines]
