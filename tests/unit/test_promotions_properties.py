"""Whatever promotions a store publishes and whatever a shopper buys, the engine never charges more than
the list price, never leaves a line below zero, gives the same totals whatever the scan order, and
gives the same answer every time."""

from __future__ import annotations

import json
import random
from datetime import datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.money import weighed_amount
from pos.domain.promotions import PromoBook, PromoItem, PromoKind, PromoResult, Promotion, Selector

# A small shop so that promotions and carts meet often: sku → (category, origin, weighed).
SHOP = {
    "A": ("水果", "茂县", True), "B": ("水果", "松阳", True), "C": ("干货", "茂县", False),
    "D": ("干货", "青田", False), "E": ("粮油", "松阳", False), "F": ("粮油", "茂县", False),
}
AT = datetime(2026, 12, 4, 10, 0)

selectors = st.one_of(
    st.just(Selector("all")),
    st.sampled_from(sorted(SHOP)).map(lambda s: Selector("sku", s)),
    st.sampled_from(["水果", "干货", "粮油"]).map(lambda c: Selector("category", c)),
    st.sampled_from(["茂县", "松阳", "青田"]).map(lambda o: Selector("origin", o)),
)


@st.composite
def promotions(draw: st.DrawFn, index: int) -> Promotion:
    kind = draw(st.sampled_from(list(PromoKind)))
    return Promotion(
        id=f"P{index}", version=draw(st.integers(1, 3)), name=f"促销{index}", kind=kind,
        scope=tuple(draw(st.lists(selectors, min_size=1, max_size=3, unique=True))),
        exclude=tuple(draw(st.lists(selectors.filter(lambda s: s.field != "all"), max_size=1))),
        threshold_fen=draw(st.none() | st.integers(0, 30_000)),
        off_fen=draw(st.none() | st.integers(0, 50_000)),
        pct_bp=draw(st.none() | st.integers(0, 10_000)),
        price_fen=draw(st.none() | st.integers(0, 20_000)),
        n=draw(st.none() | st.integers(1, 4)), m=draw(st.none() | st.integers(1, 3)),
        repeat=draw(st.booleans()),
        hours=draw(st.sampled_from([(), ((time(8), time(11)),), ((time(22), time(2)),)])),
        weekdays=draw(st.sampled_from([frozenset(), frozenset({5}), frozenset({6, 7})])),
        members_only=draw(st.booleans()), stackable=draw(st.booleans()), priority=draw(st.integers(0, 3)),
        gift_sku=draw(st.none() | st.sampled_from(sorted(SHOP))) if kind is PromoKind.BUY_GET else None,
    )


@st.composite
def promotion_sets(draw: st.DrawFn) -> list[Promotion]:
    return [draw(promotions(i)) for i in range(draw(st.integers(0, 7)))]


@st.composite
def carts(draw: st.DrawFn) -> list[PromoItem]:
    items = []
    for key in range(draw(st.integers(0, 8))):
        sku = draw(st.sampled_from(sorted(SHOP)))
        category, origin, weighed = SHOP[sku]
        price = draw(st.integers(1, 30_000))
        qty = draw(st.integers(1, 3_000)) if weighed else draw(st.integers(1, 7))
        gross = weighed_amount(price, qty) if weighed else price * qty
        manual = draw(st.integers(0, 9)) == 0
        if manual:
            gross = draw(st.integers(0, gross))  # the cashier's own price
        items.append(PromoItem(key, sku, category, origin, weighed, qty, price, gross, manual=manual))
    return items


members = st.sampled_from([None, "普通", "金卡"])
moments = st.sampled_from([AT, datetime(2026, 12, 5, 23, 30), datetime(2026, 12, 6, 1, 0)])


def apply(promos: list[Promotion], items: list[PromoItem], member: str | None, at: datetime) -> PromoResult:
    return PromoBook.build(promos).apply(items, member_tier=member, at=at)


@settings(max_examples=200, deadline=None)
@given(promotion_sets(), carts(), members, moments)
def test_no_line_goes_below_zero_and_the_total_never_rises_above_list(promos, items, member, at) -> None:
    result = apply(promos, items, member, at)
    gross = {it.key: it.gross_fen for it in items}
    for line in result.lines:
        assert 0 < line.off_fen <= gross[line.key]
        assert line.off_fen == sum(s.fen for s in line.shares)
        assert all(s.fen > 0 for s in line.shares)
    assert [b.key for b in result.lines] == sorted(b.key for b in result.lines)
    assert 0 <= result.total_off_fen <= sum(gross.values())
    assert sum(a.off_fen for a in result.applied) == result.total_off_fen
    assert all(isinstance(b.off_fen, int) for b in result.lines)


@settings(max_examples=150, deadline=None)
@given(promotion_sets(), carts(), members, moments, st.randoms(use_true_random=False))
def test_the_scan_order_changes_nothing(promos, items, member, at, rnd: random.Random) -> None:
    result = apply(promos, items, member, at)
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert apply(promos, shuffled, member, at) == result
    # Scanned in another order the lines get other numbers: the same goods, the same totals.
    keys = list(range(len(items)))
    rnd.shuffle(keys)
    renumbered = [PromoItem(k, it.sku, it.category, it.origin, it.weighed, it.quantity, it.unit_price_fen,
                            it.gross_fen, it.manual) for k, it in zip(keys, items, strict=True)]
    other = apply(promos, renumbered, member, at)
    assert other.total_off_fen == result.total_off_fen
    assert [(a.promo_id, a.off_fen) for a in other.applied] == [(a.promo_id, a.off_fen) for a in result.applied]


@settings(max_examples=100, deadline=None)
@given(promotion_sets(), carts(), members, moments)
def test_the_same_cart_gives_the_same_answer_whatever_order_the_promotions_came_in(promos, items, member, at) -> None:
    result = apply(promos, items, member, at)
    assert apply(list(reversed(promos)), items, member, at) == result
    book = PromoBook.build(promos)
    assert book.apply(items, member_tier=member, at=at) == book.apply(items, member_tier=member, at=at) == result


@settings(max_examples=100, deadline=None)
@given(promotion_sets(), st.lists(st.tuples(carts(), members, moments), min_size=2, max_size=5))
def test_one_book_kept_all_day_answers_each_cart_as_a_fresh_book_would(promos, sales) -> None:
    # The till keeps one book and applies it cart after cart, minute after minute, with and without a member:
    # what it keeps between carts (which promotions reach a product, which are live) never leaks into an answer.
    book = PromoBook.build(promos)
    for items, member, at in sales:
        assert book.apply(items, member_tier=member, at=at) == apply(promos, items, member, at)


@settings(max_examples=100, deadline=None)
@given(promotion_sets())
def test_a_promotion_survives_the_journal_and_head_office(promos) -> None:
    for p in promos:
        assert Promotion.from_json(json.loads(json.dumps(p.to_json(), ensure_ascii=False))) == p


@settings(max_examples=100, deadline=None)
@given(promotion_sets(), carts(), moments)
def test_members_only_offers_give_nothing_without_a_member(promos, items, at) -> None:
    result = apply(promos, items, None, at)
    members_only = {p.id for p in promos if p.members_only or p.kind is PromoKind.MEMBER_PRICE}
    assert not members_only & {a.promo_id for a in result.applied}


def test_a_cart_with_nothing_on_offer_costs_its_list_price() -> None:
    book = PromoBook.build([])
    item = PromoItem(1, "C", "干货", "茂县", False, 2, 3500, 7000)
    assert book.apply([item], member_tier=None, at=AT).total_off_fen == 0
    assert PromoBook.build([Promotion("X", 1, "x", PromoKind.SPEND_OFF, (Selector("all"),), threshold_fen=100,
                                      off_fen=10)]).apply([], member_tier=None, at=AT).lines == ()
