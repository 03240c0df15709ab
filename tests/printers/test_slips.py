"""Slips as the customer reads them (issue 11, point 11): the printed bytes are decoded back to
text with the test ESC/POS reader and checked line by line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from escpos_reader import decode

from pos.domain.cart import Cart
from pos.domain.catalog import SoldBy
from pos.domain.permissions import Action
from pos.domain.returns import Return, ReturnLine
from pos.domain.sale import Sale, SaleLine, build_receipt
from pos.domain.tenders import Tender, TenderKind
from pos.services.returns import return_slip
from printers import make_printer
from tests.conftest import login_cashier

JACKET = "PM-YRF01-BLK-XL"  # 平湖男款连帽羽绒服, 黑色 XL, ¥599.00
EGGS = "6972316000170"  # 松阳土鸡蛋 30枚装, ¥45.00
CODE = "134567890123456789"  # a customer's WeChat payment code


def printed(receipt, columns: int = 48) -> list[str]:
    decoded = decode(make_printer("dummy:", columns=columns).encode(receipt), columns)
    assert decoded.problems == []
    return [ln.text.strip() for ln in decoded.lines]


def line_with(lines: list[str], start: str) -> str:
    found = [ln for ln in lines if ln.startswith(start)]
    assert found, f"no line starting {start!r} in:\n" + "\n".join(lines)
    return " ".join(found[0].split())


@pytest.fixture
def cashier(demo_till):
    return login_cashier(demo_till)


def jacket_sale(till, cashier):
    cart = Cart().add(till.lookup.find(JACKET), 2)  # ¥1,198.00
    tenders = [Tender(TenderKind.VOUCHER, 10000, "V100"), Tender(TenderKind.WECHAT, 109800, CODE)]
    return till.checkout.complete_sale(cart, tenders, cashier)


def test_a_return_slip_says_what_came_back_at_what_price_how_it_was_refunded_why_and_who_approved(
        demo_till, cashier) -> None:
    sale = jacket_sale(demo_till, cashier).sale
    ok = demo_till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    done = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=ok, reason="尺码不合适")
    for columns in (48, 32):
        lines = printed(done.receipt, columns)
        text = "\n".join(lines)
        assert lines[2] == "退货单"
        assert "黑色/XL" in lines  # the variant under the name
        assert line_with(lines, "1 ") == "1 599.00 599.00"  # 数量 单价 金额: the unit price, never 0.00
        assert line_with(lines, "退款合计") == "退款合计 ￥599.00"
        assert "退款方式：" in lines
        assert line_with(lines, "退现金（消费券部分）") == "退现金（消费券部分） ￥50.00"
        assert line_with(lines, "退微信支付") == "退微信支付 ￥549.00"
        assert "参考号：…6789" in lines and CODE not in text  # the payment code is masked as on the sale
        assert "退货原因：尺码不合适" in lines and "授权人：李建国" in lines
        assert "消费券部分退现金" in lines
        for word in ("应收", "实收", "找零"):
            assert word not in text


def test_a_return_without_a_receipt_shows_todays_price_and_the_reason(demo_till, cashier) -> None:
    ok = demo_till.auth.approve(Action.RETURN_WITHOUT_RECEIPT, "manager1", "2222", requested_by=cashier)
    jacket = demo_till.lookup.find(JACKET)
    done = demo_till.returns.return_without_receipt([(jacket, 1)], cashier, approval=ok, reason="顾客无小票")
    lines = printed(done.receipt)
    assert "黑色/XL" in lines and line_with(lines, "1 ") == "1 599.00 599.00"
    assert line_with(lines, "退现金") == "退现金 ￥599.00"
    assert "退货原因：顾客无小票" in lines and "授权人：李建国" in lines and "无小票退货" in lines


def test_an_older_return_without_unit_prices_shows_the_refund_per_unit_not_zero() -> None:
    ret = Return("MX01-20261122-R0001", "MX01-20261122-0001", "cashier1", "张小芳",
                 (ReturnLine(1, 1, "MX-E001", "松阳土鸡蛋 30枚装", 2, False, 8100, "蛋品", "松阳", None),
                  ReturnLine(2, 2, "MX-A102", "冰糖心苹果", 1500, True, 1920, "水果", "茂县", None)),
                 (Tender(TenderKind.CASH, 10020),), ())
    back = Return.from_payload(ret.to_payload() | {"lines": [
        {k: v for k, v in ln.to_json().items() if k not in ("unit_price", "variant")} for ln in ret.lines]})
    lines = printed(return_slip(back, store_name="金平湖鲜到家", counter_name="茂县专柜", terminal_id="MX01",
                                printed_at="2026-11-22 10:00:00"))
    assert line_with(lines, "2 ") == "2 40.50 81.00"
    assert line_with(lines, "冰糖心苹果") == "冰糖心苹果 1.500kg 12.80/kg 19.20"


def test_the_customer_and_the_return_list_see_the_variants_size_and_colour(demo_till, cashier) -> None:
    done = jacket_sale(demo_till, cashier)
    assert done.sale.lines[0].variant == "黑色/XL"
    lines = printed(done.receipt)
    assert lines[lines.index("平湖男款连帽羽绒服") + 1] == "黑色/XL"
    _sale, returnable = demo_till.returns.lookup(done.sale.receipt_no)
    assert [(ln.name, ln.variant) for ln in returnable] == [("平湖男款连帽羽绒服", "黑色/XL")]
    plain = demo_till.checkout.complete_sale(Cart().add(demo_till.lookup.find(EGGS)), [Tender(TenderKind.CASH, 4500)],
                                             cashier)
    assert plain.sale.lines[0].variant is None and plain.receipt.lines[0].detail is None


def test_a_reprint_shows_when_the_sale_happened_and_when_it_was_reprinted(demo_till, cashier) -> None:
    done = jacket_sale(demo_till, cashier)
    sold_at = done.receipt.printed_at
    demo_till.clock.at += timedelta(hours=5, minutes=30)  # the customer comes back in the afternoon
    again = demo_till.checkout.reprint(done.sale.receipt_no, cashier)
    lines = printed(again)
    assert "** 重印 **" in lines
    assert line_with(lines, "时间：") == f"时间：{sold_at}"
    reprinted = line_with(lines, "重印时间：")
    assert reprinted.startswith("重印时间：2026-11-22 15:3") and reprinted != f"重印时间：{sold_at}"
    assert line_with(lines, "微信支付") == "微信支付 ￥1098.00" and CODE not in "\n".join(lines)


def _line(no: int, name: str, qty: int, price: int, **kw) -> SaleLine:
    gross = kw.pop("gross", price * qty)
    amount = gross - kw.get("discount_fen", 0)
    return SaleLine(no, f"SKU{no}", None, name, "件", SoldBy.UNIT, qty, price, amount, "", "", None,
                    gross_fen=gross, **kw)


def test_a_sale_receipt_shows_each_reduction_as_its_own_line_down_to_what_is_due() -> None:
    lines = (
        _line(1, "山茶油", 1, 8800, discount_fen=880),  # 9折 on the line: 折扣 8.80
        _line(2, "土蜂蜜", 2, 5000, list_price_fen=5800),  # price cut from 58.00 to 50.00: 改价 16.00
        _line(3, "保温杯", 1, 3900, discount_fen=3900),  # a free gift: 赠送 39.00
        _line(4, "花椒", 1, 2507, rounding_share_fen=-7),  # 抹零 0.07
    )
    total = sum(ln.net_fen for ln in lines)
    sale = Sale("MX01-20261122-0042", "MX01", "2026-11-22", "cashier1", "张小芳", lines,
                sum(ln.gross_fen for ln in lines), total, (Tender(TenderKind.CASH, total),), total, 0,
                discount_fen=880 + 3900, rounding_fen=-7)
    receipt = build_receipt(sale, store_name="金平湖鲜到家", counter_name="茂县专柜", printed_at="2026-11-22 10:00:00")
    out = printed(receipt)
    figures = [" ".join(ln.split()) for ln in out
               if "￥" in ln and ln.split()[0] in ("原价合计", "折扣", "改价", "赠送", "抹零", "应收")]
    assert figures == ["原价合计 ￥268.07", "折扣 -￥8.80", "改价 -￥16.00", "赠送 -￥39.00", "抹零 -￥0.07",
                       f"应收 ￥{total / 100:.2f}"]
    assert sum(ln.amount_fen for ln in receipt.lines) == 26807  # the lines add up to 原价合计
    assert 8800 + 11600 + 3900 + 2507 - 880 - 1600 - 3900 - 7 == total  # list − reductions = due, to the fen
    assert "改价 50.00" in out and "赠送" in out and "折扣 -8.80" in out  # said under the lines too


def test_a_cash_refund_opens_the_drawer_and_a_wechat_only_refund_does_not(demo_till, cashier) -> None:
    from pos.services.receipts import ReceiptService

    service = ReceiptService(lambda: make_printer("dummy:"), "dummy")
    sale = jacket_sale(demo_till, cashier).sale  # voucher ¥100.00 + WeChat ¥1,098.00
    ok = demo_till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    cash_back = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=ok)
    assert service.kicks_drawer(cash_back.receipt)  # the voucher's ¥50.00 share is counted out of the drawer
    ok = demo_till.auth.approve(Action.RETURN, "manager1", "2222", requested_by=cashier)
    wechat_back = demo_till.returns.return_items(sale.receipt_no, {1: 1}, cashier, approval=ok,
                                                 voucher_refund_to=TenderKind.WECHAT)
    assert not service.kicks_drawer(wechat_back.receipt)
