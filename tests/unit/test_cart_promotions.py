"""The cart with promotions and a member: 促销 before the whole-sale discount, 积分抵扣 after it, 抹零 last;
list price − reductions = paid on every line, sale and period, whatever order the goods were scanned in."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.cart import Cart, PromoContext
from pos.domain.catalog import Product, SoldBy
from pos.domain.closing import period_totals
from pos.domain.errors import PosError
from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.members import Member, PointsRule
from pos.domain.pricing import Discount, DiscountKind, RoundingMode
from pos.domain.promotions import PromoBook, PromoKind, Promotion, Selector
from pos.domain.sale import Sale, build_sale
from pos.domain.tenders import Tender, TenderKind, settle
from pos.domain.users import Role

LOQUAT = Product("MX-G003", "茂县枇杷礼盒", 12800, category="礼盒", origin="茂县", tax_rate_bp=900)
EGGS = Product("MX-E002", "松阳土鸡蛋", 1680, category="肉禽蛋", origin="松阳", tax_rate_bp=900)
APPLE = Product("MX-APPLE", "冰糖心苹果", 1280, SoldBy.WEIGHT, category="水果", origin="茂县", unit="kg", tax_rate_bp=900)
AT = datetime(2026, 11, 22, 10, 0)

HALF_SECOND = Promotion("P-NTH", 1, "枇杷礼盒第二件半价", PromoKind.NTH_PCT, (Selector("sku", "MX-G003"),), pct_bp=5000, n=2,
                        repeat=True, stackable=True, priority=5)
SPEND_100_OFF_10 = Promotion("P-SPEND", 1, "全场满100减10", PromoKind.SPEND_OFF, (Selector("all"),), threshold_fen=10000,
                             off_fen=1000, stackable=True)
EGGS_3_FOR_2 = Promotion("P-BUYGET", 1, "土鸡蛋买二赠一", PromoKind.BUY_GET, (Selector("sku", "MX-E002"),), n=2, m=1,
                         repeat=True, priority=5)
BOOK = PromoBook.build((HALF_SECOND, SPEND_100_OFF_10, EGGS_3_FOR_2))
MEMBER = Member("MX01000001", "138****1234", "1234", "王芳", "普通", None, 500, "LXMMX010000015")


def cart(*items: tuple[Product, int], member: Member | None = None) -> Cart:
    c = Cart().with_context(PromoContext(BOOK, 1, AT, member))
    for p, q in items:
        c = c.add(p, q)
    return c


def sell(c: Cart, mode: RoundingMode = RoundingMode.NONE) -> Sale:
    due = c.totals(mode).total_fen
    return build_sale(receipt_no="MX01-20261122-0001", terminal_id="MX01", business_day="2026-11-22",
                      cashier_login="c", cashier_name="张三", cart=c, rounding=mode,
                      settlement=settle(due, [Tender(TenderKind.CASH, due)] if due else []))


def test_the_second_box_half_price_then_ten_off_the_basket() -> None:
    t = cart((LOQUAT, 2)).totals()
    assert (t.gross_fen, t.promotion_fen, t.total_fen) == (25600, 7400, 18200)
    assert [a.name for a in t.promo.applied] == ["枇杷礼盒第二件半价", "全场满100减10"]


def test_a_cart_without_promotions_prices_as_before() -> None:
    plain = Cart().add(LOQUAT, 2)
    assert plain.totals().total_fen == 25600 and plain.totals().promo is None
    assert Cart().with_context(PromoContext()).add(LOQUAT, 2).totals().total_fen == 25600


def test_the_whole_sale_discount_applies_after_promotions() -> None:
    c = cart((LOQUAT, 2)).discount_sale(Discount(DiscountKind.PERCENT, 1000), by=Role.MANAGER)
    t = c.totals()
    assert (t.promotion_fen, t.sale_discount_fen, t.total_fen) == (7400, 1820, 16380)
    sale = sell(c)
    assert sale.reductions.promotion_fen == 7400 and sale.reductions.discount_fen == 1820
    assert sale.list_total_fen - sale.reductions.total_fen == sale.total_fen == 16380


def test_a_price_changed_by_hand_takes_no_item_promotion_but_counts_towards_a_stackable_threshold() -> None:
    c = cart((LOQUAT, 2)).override_price(0, 10000, by=Role.MANAGER)  # ¥200 for two, by hand
    t = c.totals()
    assert t.promotion_fen == 1000  # no 第二件半价 on a hand-made price; 满100减10 still
    sale = sell(c)
    (line,) = sale.lines
    assert [p[0] for p in line.promo] == ["P-SPEND"] and line.reductions.override_fen == 5600
    assert line.list_total_fen - line.reductions.total_fen == line.net_fen == 19000


def test_points_are_taken_off_after_the_discount_and_before_rounding() -> None:
    rule = PointsRule()
    c = cart((EGGS, 1), member=MEMBER).redeem_points(333, rule)  # ¥16.80: at most half in points
    t = c.totals(RoundingMode.DROP_JIAO)
    assert (t.points_fen, t.rounding_fen, t.total_fen) == (333, -47, 1300)
    sale = sell(c, RoundingMode.DROP_JIAO)
    assert sale.reductions.points_fen == 333 and sale.member.points_redeemed == 333
    assert sale.member.points_earned == 13  # on the ¥13.00 paid
    assert sale.list_total_fen - sale.reductions.total_fen == sale.total_fen


def test_points_beyond_the_limit_or_without_a_member_are_refused_plainly() -> None:
    with pytest.raises(PosError) as over:
        cart((EGGS, 1), member=replace(MEMBER, points=5000)).redeem_points(841, PointsRule())
    assert "840" in over.value.message_zh
    with pytest.raises(PosError) as nobody:
        cart((EGGS, 1)).redeem_points(10, PointsRule())
    assert "会员" in nobody.value.message_zh
    # A cart changed after points were used asks for them again.
    c = cart((EGGS, 1), member=MEMBER).redeem_points(100, PointsRule()).add(LOQUAT, 1)
    assert c.points_redeemed == 0 and c.totals().points_fen == 0


def test_a_removed_member_no_longer_pays_with_points() -> None:
    c = cart((EGGS, 2), member=MEMBER).redeem_points(100, PointsRule()).with_member(None)
    assert c.member is None and c.points_fen == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([(LOQUAT, 1), (LOQUAT, 2), (EGGS, 1), (EGGS, 3), (APPLE, 1255), (APPLE, 800)]),
                min_size=1, max_size=8), st.randoms(use_true_random=False), st.sampled_from(list(RoundingMode)))
def test_whatever_the_order_the_sale_adds_up_to_the_fen(items, rnd, mode) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    a, b = sell(cart(*items), mode), sell(cart(*shuffled), mode)
    assert a.total_fen == b.total_fen and a.reductions.promotion_fen == b.reductions.promotion_fen
    for sale in (a, b):
        for ln in sale.lines:
            assert 0 <= ln.net_fen or sale.rounding_fen > 0
            assert ln.list_total_fen - ln.reductions.total_fen == ln.net_fen
        assert sale.list_total_fen - sale.reductions.total_fen == sale.total_fen
        assert sale.total_fen <= sale.list_total_fen + max(0, sale.rounding_fen)
    entries = [JournalEntry("MX01", i, EntryKind.SALE, "2026-11-22", "2026-11-22T02:00:00Z", s.to_payload(), "", "")
               for i, s in enumerate((a, b), start=1)]
    t = period_totals(entries)
    assert t.list_total_fen - t.reductions.total_fen == t.sales_fen
    assert t.promotion_fen == 2 * a.reductions.promotion_fen == sum(t.by_promotion.values())


def test_a_sale_reads_back_from_its_payload_with_its_promotions_and_member() -> None:
    sale = sell(cart((LOQUAT, 2), (EGGS, 3), member=MEMBER))
    again = Sale.from_payload("MX01", "2026-11-22", sale.to_payload())
    assert again == sale
    assert again.to_payload() == sale.to_payload()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([(LOQUAT, 1), (LOQUAT, 3), (EGGS, 3), (EGGS, 5), (APPLE, 1255)]), min_size=1, max_size=5),
       st.integers(min_value=0, max_value=400), st.randoms(use_true_random=False))
def test_returning_everything_in_parts_refunds_exactly_what_was_paid_and_takes_back_the_points(items, points, rnd) -> None:
    from pos.domain.returns import Return, Returned, plan_return

    c = cart(*items, member=MEMBER)
    most = min(points, c.totals().total_fen // 2, MEMBER.points)
    sale = sell(c.redeem_points(most, PointsRule()))
    earlier: list[Return] = []
    left = {ln.line_no: ln.quantity for ln in sale.lines}
    while left:
        line_no = rnd.choice(sorted(left))
        qty = left[line_no] if sale.lines[line_no - 1].weighed else rnd.randint(1, left[line_no])
        plan = plan_return(sale, {line_no: qty}, Returned.of(sale, earlier))
        earlier.append(Return(f"R{len(earlier)}", sale.receipt_no, "c", "c", plan.lines, plan.refunds, (),
                              refund_of=plan.refund_of, instead_of=plan.instead_of, member_id=plan.member_id,
                              points_reversed=plan.points_reversed))
        left[line_no] -= qty
        if not left[line_no]:
            del left[line_no]
    assert sum(r.refund_fen for r in earlier) == sale.total_fen == sale.paid_fen - sale.change_fen
    assert sum(r.points_reversed for r in earlier) == sale.member.points_earned
