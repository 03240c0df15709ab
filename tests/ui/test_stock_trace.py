"""溯源 on the manager screen (issue 15): a receipt number shows each line's batch, 合格证, origin and
arrival; a batch number shows every receipt and return of it (the recall list). Real SQLite till;
the presenter's decisions are tested without Qt first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from till_ui import wait_ops

from pos.bootstrap import Till
from pos.domain.cart import Cart
from pos.domain.errors import InvalidInput
from pos.domain.tenders import Tender, TenderKind
from tests.ui.test_stock_screens import NOTE, manager_screen, texts, write_note
from ui.manager import TRACE_PAGE, manager_pages
from ui.ops import OpRunner
from ui.presenters.stock_trace import StockTracePresenter, TraceKind, look_up, query_of
from ui.stock_trace import StockTracePage

EGGS = "6972316000170"  # MX-E001


def test_what_was_typed_is_a_receipt_number_or_else_a_batch_number() -> None:
    assert query_of(" ｍｘ０１－２０２６１１２２－００４２ ") == query_of("MX01-20261122-0042")
    assert query_of("mx01-20261122-0042").kind is TraceKind.RECEIPT
    assert query_of("SHKC-2026-48").kind is TraceKind.BATCH and query_of("SHKC-2026-48").code == "SHKC-2026-48"
    assert query_of("2026-11-21-A").kind is TraceKind.BATCH
    with pytest.raises(InvalidInput) as e:
        query_of("  ")
    assert e.value.message_zh == "请输入或扫描小票号或批次号" and "receipt number" in str(e.value)


def test_a_batch_typed_in_lower_case_is_found_as_printed() -> None:
    asked: list[str] = []

    def trace_batch(code: str) -> Any:
        asked.append(code)
        if code != "SHKC-2026-48":
            raise InvalidInput(f"no delivery batch {code} on this till", message_zh=f"本机没有批次 {code}")
        return SimpleNamespace(batch_no=code)

    stock = SimpleNamespace(trace_batch=trace_batch)
    assert look_up(stock, "shkc-2026-48").batch_no == "SHKC-2026-48" and asked == ["shkc-2026-48", "SHKC-2026-48"]
    with pytest.raises(InvalidInput):
        look_up(stock, "SHKC-2026-99")


def _sold_from_the_batch(till: Till, tmp_path: Path) -> tuple[str, str]:
    manager = till.auth.login("manager1", "2222")
    till.stock.receive_file(write_note(tmp_path, NOTE), manager)
    cashier = till.auth.login("cashier1", "1111")
    first = till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 12).add(till.lookup.find("MX-F001"), 1_250),
                                        [Tender(TenderKind.CASH, 100_000)], cashier)
    second = till.checkout.complete_sale(Cart().add(till.lookup.find(EGGS), 1), [Tender(TenderKind.CASH, 9_000)],
                                         cashier)
    till.returns.return_items(first.sale.receipt_no, {1: 2}, manager, reason="破损")
    return first.sale.receipt_no, second.sale.receipt_no


def test_a_receipts_lines_show_their_batch_certificate_origin_and_arrival(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                                          tmp_path: Path) -> None:
    first, _second = _sold_from_the_batch(demo_till, tmp_path)
    assert TRACE_PAGE in manager_pages(demo_till.auth.login("manager1", "2222").role)
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(TRACE_PAGE)
    assert isinstance(page, StockTracePage)
    page.field.setText(first.lower())  # typed without caps
    page.search()
    wait_ops(qtbot, runner)
    rows = texts(page.receipt_model)
    # 12 eggs: the 10 of the lot that expired yesterday first, then 2 of the next; apples from their lot
    assert [r[:5] for r in rows if r[2] != "-2"] == [
        ("1", "松阳土鸡蛋 30枚装 MX-E001", "10", "SHKC-2026-47", "HG2026112103"),
        ("1", "松阳土鸡蛋 30枚装 MX-E001", "2", "SHKC-2026-47", "HG2026112102"),
        ("2", "茂县冰糖心苹果（特级） MX-F001", "1.250 kg", "SHKC-2026-47", "HG2026112101")]
    assert all(r[5] in ("松阳", "茂县") and r[6] == "2026-11-21" for r in rows)
    assert first in page.title.text() and page.receipt_table.isVisible() and not page.batch_table.isVisible()

    page.field.setText("MX01-20991231-9999")
    page.search()
    wait_ops(qtbot, runner)
    assert "没有小票" in page.status.text() and page.receipt_model.rows == []


def test_a_batch_lists_every_receipt_and_return_of_it_for_a_recall(qtbot: Any, demo_till: Till, runner: OpRunner,
                                                                  tmp_path: Path, monkeypatch: Any) -> None:
    first, second = _sold_from_the_batch(demo_till, tmp_path)
    screen, _asked = manager_screen(qtbot, demo_till, runner)
    page = screen.show_page(TRACE_PAGE)
    assert isinstance(page, StockTracePage)
    page.field.setText("SHKC-2026-47")
    page.search()
    wait_ops(qtbot, runner)
    rows = texts(page.batch_model)
    assert {r[2] for r in rows if r[0] == "销售"} == {first, second}
    returns = [r for r in rows if r[0] == "退货"]
    assert len(returns) == 1 and returns[0][5] == "-2" and returns[0][4] == "松阳土鸡蛋 30枚装 MX-E001"
    assert page.batch_model.rows[rows.index(returns[0])].color is not None  # a return into the batch, marked
    assert "2 张小票售出" in page.title.text() and "退货 1 笔" in page.title.text()
    assert "松阳县山海合作社" in page.title.text() and "HG2026112101" in page.lots_label.text()
    assert page.batch_table.isVisible() and not page.receipt_table.isVisible()
    monkeypatch.setattr("ui.stock_trace.LOTS_SHOWN", 2)  # a truck's couple of hundred lots are not all named
    page.search()
    wait_ops(qtbot, runner)
    assert "另 1 个批号" in page.lots_label.text() and "SHKC-2026-47/3" not in page.lots_label.text()

    p = StockTracePresenter()
    p.shown(demo_till.stock.trace_batch("SHKC-2026-47"))
    assert p.kind is TraceKind.BATCH and p.receipts == 2 and p.returns == 1 and len(p.lots) == 3
