"""Stock by delivery batch through the till's stock service (issue 15), as the manager and cashier see it.

A 山海快车 batch is received from its delivery note, the cashier sells without noticing lots, goods
come back into the lot they left, a gift box draws its components, the manager writes off a spoiled
box and counts stock while the till keeps selling; the batch report, the stock list and the traces
say what happened, to the fen. Real SQLite files; the demo till's clock says 2026-11-22 10:00.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from pos.domain.cart import Cart
from pos.domain.errors import InvalidInput
from pos.domain.permissions import Action, ApprovalRequired
from pos.domain.tenders import Tender, TenderKind
from pos.services.stock import DeliveryNoteRejected, ExpiredStock
from tests.conftest import login_cashier

APPLES = "MX-F001"  # 茂县冰糖心苹果（特级）, by the kg, category 水果
EGGS = "MX-E001"  # 松阳土鸡蛋 30枚装, barcode 6972316000170, category 肉禽蛋
BEEF = "MX-M001"  # 松阳黄牛肉（带皮）, by the kg
GIFT_BOX = "MX-G001"  # 松阳农特产大礼包: MX-O001*1; MX-H001*1; MX-H002*2
HEADER = "批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号,检疫证明编号"


def _note(tmp_path: Path, rows: list[str], name: str = "note.csv", batch: str = "SHKC-2026-48",
          arrival: str = "2026-11-21") -> Path:
    path = tmp_path / name
    first = f"{batch},松阳县供销合作社,0578-8066000,{arrival},"
    lines = [HEADER] + [(first if i == 0 else ",,,,") + r for i, r in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _manager(till):
    return till.auth.login("manager1", "2222")


def _sell(till, *items: tuple[str, int], discount_pct: int | None = None):
    cart = Cart()
    for sku, qty in items:
        cart = cart.add(till.lookup.find(sku), qty)
    return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 1_000_000)], login_cashier(till))


def _lots(till) -> dict[str, int]:
    with sqlite3.connect(till.db.path) as c:
        return dict(c.execute("SELECT lot_id, on_hand FROM lots"))


def _moves_per_lot(till) -> dict[str, int]:
    with sqlite3.connect(till.db.path) as c:
        return dict(c.execute("SELECT lot_id, SUM(quantity) FROM stock_moves WHERE lot_id IS NOT NULL GROUP BY lot_id"))


def _journal_count(till) -> int:
    with sqlite3.connect(till.db.path) as c:
        return c.execute("SELECT COUNT(*) FROM journal").fetchone()[0]


def test_80_kg_of_apples_in_two_lots_sell_first_expiry_first_and_the_batch_shows_exact_cost_and_margin(
        demo_till, tmp_path: Path) -> None:
    # 30 kg at ¥7.10/kg expiring 12-02, and 50 kg at ¥6.35/kg expiring 11-28: ¥213.00 + ¥317.50
    note = _note(tmp_path, [f"{APPLES},30,7.10,2026-12-02,茂县,HG-A2,", f"{APPLES},50,6.35,2026-11-28,茂县,HG-A1,"])
    done = demo_till.stock.receive_file(note, _manager(demo_till))
    assert done.lots == ("SHKC-2026-48/1", "SHKC-2026-48/2") and done.total_cost_fen == 53_050

    first = _sell(demo_till, (APPLES, 1_255))  # 1.255 kg from the lot expiring first (lot 2)
    assert [(d.lot_id, d.quantity, d.cost_fen, d.certificate_no) for d in first.sale.draws] == [
        ("SHKC-2026-48/2", 1_255, 797, "HG-A1")]
    across = _sell(demo_till, (APPLES, 50_000))  # the rest of lot 2, then 1.255 kg of lot 1
    assert [(d.lot_id, d.quantity) for d in across.sale.draws] == [("SHKC-2026-48/2", 48_745), ("SHKC-2026-48/1", 1_255)]
    assert [d.cost_fen for d in across.sale.draws] == [31_750 - 797, 891]  # lot 2 out at exactly its ¥317.50

    [apples] = demo_till.stock.stock_list(sku=APPLES, lots=True)
    assert apples.on_hand == 28_745 and apples.on_hand_text == "28.745 kg"
    assert apples.value_fen == 21_300 - 891
    assert [(x.lot_id, x.on_hand, x.certificate_no) for x in apples.lots] == [("SHKC-2026-48/1", 28_745, "HG-A2")]

    [report] = demo_till.stock.batch_report("SHKC-2026-48")
    revenue = first.sale.lines[0].net_fen + across.sale.lines[0].net_fen
    assert (report.received_cost_fen, report.sold_cost_fen, report.revenue_fen) == (53_050, 31_750 + 891, revenue)
    assert report.margin_fen == revenue - 32_641
    assert report.sold_grams == 51_255 and report.on_hand_grams == 28_745 and report.days_to_sell_out is None
    assert report.on_hand_cost_fen == 53_050 - 32_641
    assert _moves_per_lot(demo_till) == _lots(demo_till)
    assert demo_till.verify().ok


def test_a_return_goes_back_into_its_lot_and_the_batch_report_and_trace_show_it(demo_till, tmp_path: Path) -> None:
    note = _note(tmp_path, [f"{EGGS},3,30.00,2026-12-10,松阳,HG01,", f"{EGGS},10,31.00,2026-12-20,松阳,HG02,"])
    demo_till.stock.receive_file(note, _manager(demo_till))
    sale = _sell(demo_till, (EGGS, 5))
    back = demo_till.returns.return_items(sale.sale.receipt_no, {1: 2}, _manager(demo_till), reason="破损")
    assert [(d.lot_id, d.quantity, d.cost_fen) for d in back.ret.draws] == [("SHKC-2026-48/2", 2, 6_200)]
    assert _lots(demo_till) == {"SHKC-2026-48/1": 0, "SHKC-2026-48/2": 10}

    [report] = demo_till.stock.batch_report()
    assert report.sold_units == 3 and report.sold_cost_fen == 9_000 and report.returned_cost_fen == 6_200
    assert report.revenue_fen == sale.sale.lines[0].net_fen - back.ret.lines[0].refund_fen

    trace = demo_till.stock.trace_receipt(sale.sale.receipt_no)
    assert [(x.lot_id, x.quantity, x.certificate_no, x.origin, x.arrival) for x in trace.lines] == [
        ("SHKC-2026-48/1", 3, "HG01", "松阳", "2026-11-21"), ("SHKC-2026-48/2", 2, "HG02", "松阳", "2026-11-21")]
    recall = demo_till.stock.trace_batch("SHKC-2026-48")
    assert recall.receipts == (sale.sale.receipt_no,)
    assert [(x.doc_no, x.quantity) for x in recall.returns] == [(back.ret.return_no, 2)]
    returned = demo_till.stock.trace_receipt(back.ret.return_no)  # a return's number finds the lot it went back into
    assert [(x.kind, x.lot_id, x.quantity, x.certificate_no) for x in returned.lines] == [
        ("return", "SHKC-2026-48/2", 2, "HG02")]
    assert demo_till.verify().ok


def test_a_gift_box_draws_its_components_from_their_lots(demo_till, tmp_path: Path) -> None:
    note = _note(tmp_path, ["MX-O001,5,40.00,2027-06-30,松阳,,", "MX-H001,5,30.00,2027-06-30,松阳,,",
                            "MX-H002,10,12.50,2027-06-30,松阳,,"], batch="SHKC-2026-46")
    demo_till.stock.receive_file(note, _manager(demo_till))
    done = _sell(demo_till, (GIFT_BOX, 2))
    assert sorted((d.sku, d.quantity, d.cost_fen) for d in done.sale.draws) == [
        ("MX-H001", 2, 6_000), ("MX-H002", 4, 5_000), ("MX-O001", 2, 8_000)]
    assert sum(d.net_fen for d in done.sale.draws) == done.sale.lines[0].net_fen
    on_hand = {p.sku: p.on_hand for p in demo_till.stock.stock_list()}
    assert on_hand == {"MX-H001": 3, "MX-H002": 6, "MX-O001": 3}
    assert {x.sku for x in demo_till.stock.trace_receipt(done.sale.receipt_no).lines} == {"MX-O001", "MX-H001", "MX-H002"}


def test_a_delivery_note_with_bad_rows_is_refused_whole_with_every_row_number(demo_till, tmp_path: Path) -> None:
    note = _note(tmp_path, [f"{APPLES},30,7.10,2026-12-02,茂县,HG-A2,",
                            "MX-NOPE,3,1.00,2026-12-02,茂县,,",  # row 3: not in the catalogue
                            f"{EGGS},10,30.00,2026-12-10,松阳,,",  # row 4: eggs need a 合格证
                            f"{BEEF},12,58.00,2026-11-30,松阳,HG-B1,"])  # row 5: beef needs its quarantine number
    manager = _manager(demo_till)
    before = _journal_count(demo_till)
    with pytest.raises(DeliveryNoteRejected) as refused:
        demo_till.stock.receive_file(note, manager)
    problems = {(e.row, e.column) for e in refused.value.errors}
    assert problems == {(3, "sku"), (4, "certificate"), (5, "quarantine")}
    assert all(e.message_zh.startswith(f"第{e.row}行") for e in refused.value.errors)
    assert "nothing was changed" in refused.value.message and "未做任何更改" in refused.value.message_zh
    assert _journal_count(demo_till) == before and _lots(demo_till) == {}
    assert demo_till.stock.check_delivery_note(note).problem_count == 3  # the check alone says the same


def test_receiving_is_a_managers_task_and_a_category_setting_asks_for_a_quarantine_certificate(
        demo_till, tmp_path: Path) -> None:
    note = _note(tmp_path, ["MX-M003,10,32.00,2026-11-30,松阳,HG-P1,"])  # 土猪五花肉: no quarantine asked by default
    with pytest.raises(InvalidInput, match="manager"):
        demo_till.stock.receive_file(note, login_cashier(demo_till))
    assert demo_till.stock.product_facts("MX-M003").needs_quarantine is False
    demo_till.stock.set_category_setting("肉禽蛋", _manager(demo_till), needs_quarantine=True)
    with pytest.raises(DeliveryNoteRejected) as refused:
        demo_till.stock.receive_file(note, _manager(demo_till))
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "quarantine")]
    assert demo_till.stock.product_facts("6972316000170").needs_quarantine is True  # by barcode: the eggs, same category


def test_a_write_off_needs_a_managers_approval_for_a_cashier_and_never_more_than_on_hand(demo_till, tmp_path: Path) -> None:
    demo_till.stock.receive_file(_note(tmp_path, [f"{EGGS},4,30.00,2026-12-10,松阳,HG01,"]), _manager(demo_till))
    cashier = login_cashier(demo_till)
    with pytest.raises(ApprovalRequired):
        demo_till.stock.write_off(EGGS, 1, "spoiled", cashier)
    approval = demo_till.auth.approve(Action.STOCK_WRITEOFF, "manager1", "2222", requested_by=cashier)
    with pytest.raises(InvalidInput) as too_much:
        demo_till.stock.write_off(EGGS, 5, "spoiled", cashier, approval)
    assert "4 on hand" in too_much.value.message and "超出库存" in too_much.value.message_zh
    done = demo_till.stock.write_off(EGGS, 1, "变质", cashier, approval, note="箱底压破")
    assert (done.cost_fen, done.draws) == (3_000, (("SHKC-2026-48/1", 1, 3_000),))
    assert demo_till.stock.stock_list(sku=EGGS)[0].on_hand == 3
    [report] = demo_till.stock.batch_report()
    assert report.written_off_cost_fen == 3_000 and report.on_hand_cost_fen == 9_000
    assert demo_till.verify().ok


def test_counting_while_the_till_sells_adjusts_only_what_the_sheet_found_missing(demo_till, tmp_path: Path) -> None:
    demo_till.stock.receive_file(_note(tmp_path, [f"{EGGS},20,30.00,2026-12-10,松阳,HG01,"]), _manager(demo_till))
    cashier = login_cashier(demo_till)
    sheet = demo_till.stock.take_count({"6972316000170": 18}, cashier, source="scanner")  # by barcode
    assert [(x.sku, x.expected, x.counted, x.variance, x.cost_fen) for x in sheet.lines] == [(EGGS, 20, 18, -2, -6_000)]
    assert _lots(demo_till) == {"SHKC-2026-48/1": 20}  # nothing moves before approval
    _sell(demo_till, (EGGS, 5))  # the till keeps selling while the sheet waits
    assert [s.count_no for s in demo_till.stock.pending_counts()] == [sheet.count_no]
    with pytest.raises(ApprovalRequired):
        demo_till.stock.approve_count(sheet.count_no, None, cashier)
    approval = demo_till.auth.approve(Action.STOCK_COUNT, "manager1", "2222", requested_by=cashier)
    done = demo_till.stock.approve_count(sheet.count_no, approval, cashier)
    assert done.state == "approved" and done.cost_fen == -6_000
    assert demo_till.stock.stock_list(sku=EGGS)[0].on_hand == 13  # 20 − 5 sold − 2 missing, not 18 − 5 − …
    assert demo_till.stock.pending_counts() == []
    with pytest.raises(InvalidInput):
        demo_till.stock.approve_count(sheet.count_no, approval, cashier)
    assert _moves_per_lot(demo_till) == _lots(demo_till)
    assert demo_till.verify().ok


def test_a_count_file_in_kg_finds_stock_of_a_product_sold_past_zero(demo_till, tmp_path: Path) -> None:
    demo_till.stock.receive_file(_note(tmp_path, [f"{APPLES},1,7.00,2026-12-10,茂县,HG-A,"]), _manager(demo_till))
    _sell(demo_till, (APPLES, 1_500))  # 0.5 kg past zero: allowed, flagged
    [flagged] = demo_till.stock.past_zero()
    assert (flagged.sku, flagged.unlotted, flagged.past_zero) == (APPLES, -500, True)
    count = tmp_path / "count.csv"
    count.write_text("商品编码,实盘数量\nMX-F001,0.8\n", encoding="utf-8")
    sheet = demo_till.stock.count_from_file(count, _manager(demo_till))
    assert [(x.expected, x.counted, x.cost_fen) for x in sheet.lines] == [(-500, 800, 910)]  # 1.3 kg at ¥7.00
    demo_till.stock.approve_count(sheet.count_no, None, _manager(demo_till))
    assert demo_till.stock.past_zero() == []
    assert demo_till.stock.stock_list(sku=APPLES)[0].on_hand == 800
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,counted\nMX-F001,abc\nMX-NOPE,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        demo_till.stock.count_from_file(bad, _manager(demo_till))
    assert "row 2" in refused.value.message and "row 3" in refused.value.message
    assert demo_till.verify().ok


def test_scanning_an_item_whose_oldest_lot_expired_warns_or_is_refused_by_the_store_setting(
        demo_till, tmp_path: Path) -> None:
    # arrived 11-18, expired 11-21 (today is 11-22); the newer lot is fine
    note = _note(tmp_path, [f"{EGGS},2,30.00,2026-11-21,松阳,HG01,", f"{EGGS},5,30.00,2026-12-10,松阳,HG02,"],
                 arrival="2026-11-18")
    demo_till.stock.receive_file(note, _manager(demo_till))
    scanned = demo_till.scan("6972316000170")
    assert scanned.expiry_warning is not None and "2026-11-21" in scanned.expiry_warning and "过期" in scanned.expiry_warning
    assert demo_till.scan("MX-F002").expiry is None  # stock not followed: nothing to say
    near = demo_till.stock.near_expiry(date(2026, 11, 22))
    assert [(x.lot_id, x.days_left) for _p, x in near] == [("SHKC-2026-48/1", -1)]

    demo_till.stock.set_expiry_policy("refuse", _manager(demo_till))
    with pytest.raises(ExpiredStock) as refused:
        demo_till.scan("6972316000170")
    assert "不能销售" in refused.value.message_zh
    demo_till.stock.write_off(EGGS, 2, "expired", _manager(demo_till), lot_id="SHKC-2026-48/1")
    assert demo_till.scan("6972316000170").expiry is None  # the expired lot is gone: the next one is fine
    with pytest.raises(InvalidInput):
        demo_till.stock.set_expiry_policy("sometimes", _manager(demo_till))


def test_the_stock_list_filters_by_expiry_and_pages(demo_till, tmp_path: Path) -> None:
    note = _note(tmp_path, [f"{APPLES},10,7.00,2026-11-24,茂县,HG-A,", f"{EGGS},10,30.00,2026-12-20,松阳,HG-E,",
                            f"{BEEF},5,58.00,2026-11-30,松阳,HG-B,JY-1"])
    demo_till.stock.receive_file(note, _manager(demo_till))
    assert [p.sku for p in demo_till.stock.stock_list()] == [EGGS, APPLES, BEEF]
    assert [p.sku for p in demo_till.stock.stock_list(expiring_days=3)] == [APPLES]
    assert [p.sku for p in demo_till.stock.stock_list(limit=1, offset=1)] == [APPLES]
    [beef] = demo_till.stock.stock_list(sku=BEEF, lots=True)
    assert beef.lots[0].quarantine_no == "JY-1" and beef.value_fen == 29_000 and beef.days_left == 8


def test_the_demo_counter_gets_two_delivery_batches_with_certificates(config, clock) -> None:
    from pos.bootstrap import open_till

    till = open_till(config, create=True, demo=True, demo_stock=True, clock=clock)
    try:
        reports = till.stock.batch_report()
        assert [r.batch_no for r in reports] == ["SHKC-2026-47", "SHKC-2026-48"]
        lots = [x for p in till.stock.stock_list(lots=True) for x in p.lots]
        assert lots and all(x.certificate_no for x in lots)
        assert any(x.quarantine_no for x in lots)  # the beef
        assert till.verify().ok
    finally:
        till.close()
