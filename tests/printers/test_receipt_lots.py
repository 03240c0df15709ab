"""The batch and 合格证 under a fresh line, as the customer reads them on paper (issue 15, point 6):
the ESC/POS bytes are decoded back to text and read line by line, on 58 mm and 80 mm rolls."""

from __future__ import annotations

from dataclasses import replace

import pytest
from escpos_reader import decode
from sample_receipts import APPLES, PEPPER, WALNUTS, maoxian_sale

from pos.domain.cart import Cart
from pos.domain.ledger import EntryKind
from pos.domain.receipt import TRACE_CAPTION, LotMark
from pos.domain.tenders import Tender, TenderKind
from printers import encode_receipt, make_printer
from printers.layout import layout_receipt
from tests.conftest import login_cashier

B48, B47 = "SHKC-2026-48", "SHKC-2026-47"
HG1, HG2 = "HG2026112701", "HG2026112101"


def printed(receipt, columns: int) -> list[str]:  # noqa: ANN001
    decoded = decode(encode_receipt(receipt, columns=columns), columns)
    assert decoded.problems == []
    assert all(line.content_cells <= columns for line in decoded.lines)
    return [line.text for line in decoded.lines]


def under(lines: list[str], name: str) -> list[str]:
    """The indented lines between the line naming ``name`` and the next product (or the rule)."""
    start = next(i for i, ln in enumerate(lines) if ln.startswith(name))
    out = []
    for ln in lines[start + 1:]:
        if ln.startswith("--") or (ln and not ln.startswith(" ")):
            break
        if ln.startswith("  ") and not ln.startswith("   "):  # not the right-aligned numbers of a 58 mm item
            out.append(ln.strip())
    return out


def test_on_80_mm_the_apples_show_their_batch_and_certificate_on_one_line_under_them() -> None:
    receipt = maoxian_sale(lines=(PEPPER, replace(APPLES, lots=(LotMark(B48, HG1),)), WALNUTS))
    lines = printed(receipt, 48)
    assert under(lines, "冰糖心苹果") == [f"批次 {B48} 合格证 {HG1}"]
    assert under(lines, "核桃") == [] and under(lines, "茂县花椒") == []  # lines without lots: nothing


def test_on_58_mm_the_batch_and_the_certificate_break_between_them_never_inside_a_number() -> None:
    receipt = maoxian_sale(lines=(PEPPER, replace(APPLES, lots=(LotMark(B48, HG1),)), WALNUTS))
    lines = printed(receipt, 32)
    assert under(lines, "冰糖心苹果") == [f"批次 {B48}", f"合格证 {HG1}"]
    assert under(lines, "核桃") == []


@pytest.mark.parametrize("columns", [32, 48])
def test_apples_from_two_batches_print_both_each_with_its_own_certificate(columns: int) -> None:
    apples = replace(APPLES, lots=(LotMark(B47, HG2), LotMark(B48, HG1)))
    lines = under(printed(maoxian_sale(lines=(apples, WALNUTS)), columns), "冰糖心苹果")
    text = " ".join(lines)
    assert text == f"批次 {B47} 合格证 {HG2} 批次 {B48} 合格证 {HG1}"
    assert len(lines) == (2 if columns == 48 else 4)


def test_two_certificates_of_one_batch_share_the_batch_and_a_line_when_the_paper_allows() -> None:
    eggs = replace(WALNUTS, lots=(LotMark(B48, "HG01"), LotMark(B48, "HG02")))
    assert under(printed(maoxian_sale(lines=(eggs,)), 48), "核桃") == [f"批次 {B48} 合格证 HG01、HG02"]
    long = replace(WALNUTS, lots=(LotMark(B48, HG1), LotMark(B48, "HG2026112702")))
    # 80 mm: the second certificate does not fit after the first, so it starts a line with its label
    assert under(printed(maoxian_sale(lines=(long,)), 48), "核桃") == [f"批次 {B48} 合格证 {HG1}",
                                                                    "合格证 HG2026112702"]


def test_a_batch_number_wider_than_the_paper_is_wrapped_and_still_fits() -> None:
    odd = replace(APPLES, lots=(LotMark("SHKC-" + "9" * 40, HG1),))
    for columns in (32, 48):
        lines = under(printed(maoxian_sale(lines=(odd,)), columns), "冰糖心苹果")
        assert "".join(lines).replace(" ", "").startswith("批次SHKC-" + "9" * 40)
        for line in layout_receipt(maoxian_sale(lines=(odd,)), columns):
            assert line.cells() <= columns


def test_the_screen_shows_the_same_lines_as_the_paper() -> None:
    from ui.receipt_view import paper_lines, simple_receipt_text

    receipt = maoxian_sale(lines=(replace(APPLES, lots=(LotMark(B48, HG1),)),))
    assert [ln.text for ln in paper_lines(receipt, 32)] == printed(receipt, 32)
    assert f"批次 {B48} 合格证 {HG1}" in simple_receipt_text(receipt)  # the fallback keeps the fact too


# A real sale at the till: the eggs were received in a batch (a hand-made stock_receipt entry following
# the journal contract), the cashier sells two boxes, the receipt names the lot and still has its trace QR.

EGGS = "MX-E001"


def _receive_eggs(till) -> None:  # noqa: ANN001
    lot = {"lot": f"{B48}/1", "sku": EGGS, "name": "松阳土鸡蛋", "category": "禽蛋", "origin": "松阳",
           "weighed": False, "quantity": 10, "unit_cost": 3000, "cost": 30000, "expiry": "2026-12-20",
           "production_date": None, "certificate": HG1, "certificate_qr": "", "quarantine": ""}
    with till.uow() as uow:
        uow.journal.append(EntryKind.STOCK_RECEIPT, business_day="2026-11-21", created_at="2026-11-21T01:00:00Z",
                           payload={"batch": B48, "supplier": "松阳县供销合作社", "contact": "0578-8066000",
                                    "arrival": "2026-11-21", "by": "manager1", "source": "test",
                                    "kept_until": "2027-05-21", "total_cost": 30000, "lots": [lot]})
        uow.commit()


def test_a_real_sale_from_a_batch_prints_the_batch_under_the_eggs_and_keeps_its_trace_qr(demo_till) -> None:
    from pos.services.receipts import ReceiptService
    from pos.services.trace import TraceLinks

    _receive_eggs(demo_till)
    product = demo_till.lookup.find(EGGS)
    cart = Cart().add(product, 2)
    done = demo_till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 20000)], login_cashier(demo_till))
    assert [d.lot_id for d in done.sale.draws] == [f"{B48}/1"]
    for columns in (32, 48):
        printer = make_printer("dummy:", columns=columns)
        service = ReceiptService(lambda p=printer: p, "dummy", trace=TraceLinks(lambda: b"k" * 32,
                                                                                 lambda: "http://ho.lan:8080"))
        assert service.print(done.receipt).ok
        decoded = decode(printer.jobs[-1].data, columns)
        assert decoded.problems == []
        lines = [line.text for line in decoded.lines]
        assert " ".join(under(lines, product.name)) == f"批次 {B48} 合格证 {HG1}"
        assert TRACE_CAPTION in decoded.text
        assert decoded.barcodes[0][1] == done.sale.receipt_no  # the receipt number's code, then the trace QR
        assert decoded.barcodes[-1][0] == "QR" and decoded.barcodes[-1][1].startswith("http://ho.lan:8080/")
