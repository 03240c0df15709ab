"""Receipts the printer tests print: a Maoxian counter sale with two products and weighed apples."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pos.domain.receipt import Receipt, ReceiptLine, ReceiptPayment

PEPPER = ReceiptLine(name="茂县花椒（特级）250g", quantity_text="2", unit_price_fen=3500, amount_fen=7000)
WALNUTS = ReceiptLine(name="核桃", quantity_text="1", unit_price_fen=2800, amount_fen=2800)
APPLES = ReceiptLine(
    name="冰糖心苹果", quantity_text="1.255kg", unit_price_fen=1280, amount_fen=1606, weighed=True
)


def maoxian_sale(**changes: Any) -> Receipt:
    """70.00 + 28.00 + 16.06 = 114.06; 优惠 5.00, 抹零 -0.06 -> 应收 109.00; WeChat 50 + cash 60."""
    receipt = Receipt(
        store_name="金平湖鲜到家",
        counter_name="茂县专柜",
        terminal_id="MX01",
        receipt_no="MX01-20261122-0042",
        cashier="张晓梅",
        printed_at="2026-11-22 14:03:05",
        lines=(PEPPER, WALNUTS, APPLES),
        subtotal_fen=11406,
        discount_fen=500,
        rounding_fen=-6,
        total_fen=10900,
        paid_fen=11000,
        change_fen=100,
        payments=(
            ReceiptPayment("微信支付", 5000, "4200001234202611221234567890"),
            ReceiptPayment("现金", 6000),
        ),
        item_count=4,
    )
    return replace(receipt, **changes)


def plain_sale(**changes: Any) -> Receipt:
    """No discount, no rounding, one cash payment: 70.00 + 16.06 = 86.06, paid 100, change 13.94."""
    receipt = maoxian_sale(
        lines=(PEPPER, APPLES), subtotal_fen=8606, discount_fen=0, rounding_fen=0, total_fen=8606,
        paid_fen=10000, change_fen=1394, payments=(ReceiptPayment("现金", 10000),), item_count=3,
    )
    return replace(receipt, **changes)
