"""A member's sale with promotions, as the roll shows it: 促销 and each promotion by name under it, the
member's masked phone with the points earned and the balance; every line fits 58 and 80 mm paper."""

from __future__ import annotations

import pytest

from pos.domain.receipt import ReceiptMember
from printers.layout import layout_receipt
from tests.printers.sample_receipts import maoxian_sale


def member_sale():  # noqa: ANN201
    return maoxian_sale(
        list_total_fen=11406, total_fen=10006, rounding_fen=0, discount_fen=0,
        reductions=(("折扣", 0), ("促销", 1400), ("积分抵扣", 0)),
        promotions=(("茂县花椒第二件半价（会员专享，限时）", 400), ("全场满100减10", 1000)),
        member=ReceiptMember("138****1234", "金卡", points_earned=100, balance=1350),
    )


@pytest.mark.parametrize("columns", [32, 48])
def test_the_promotions_and_the_member_fit_the_roll(columns: int) -> None:
    lines = layout_receipt(member_sale(), columns)
    assert all(ln.cells() <= columns for ln in lines)
    text = [ln.plain(columns) for ln in lines]
    promo = next(i for i, t in enumerate(text) if t.startswith("促销"))
    assert text[promo].endswith("-￥14.00")
    assert text[promo + 1].startswith("  茂县花椒第二件半价")  # under 促销, indented, however long its name
    assert any(t.startswith("  全场满100减10") and t.endswith("-￥10.00") for t in text)
    assert not any(t.startswith("积分抵扣") for t in text)  # nothing paid with points: no line for it
    member = next(i for i, t in enumerate(text) if t.startswith("会员"))
    assert text[member].endswith("138****1234 金卡")
    assert text[member + 1].startswith("本次积分") and text[member + 1].endswith("+100")
    assert text[member + 2].startswith("积分余额") and text[member + 2].endswith("1350")
    assert "13812341234" not in "".join(text)


def test_a_receipt_without_a_member_has_no_member_block() -> None:
    text = [ln.plain(32) for ln in layout_receipt(maoxian_sale(), 32)]
    assert not any(t.startswith(("会员", "本次积分")) for t in text)
