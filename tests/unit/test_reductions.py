"""Reductions as their own figures: list price − (折扣 + 改价 + 赠送 + 抹零) = what was paid, to the fen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.cart import Cart
from pos.domain.catalog import Product, SoldBy
from pos.domain.closing import period_totals
from pos.domain.figures import sale_line_figures
from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.pricing import Discount, DiscountKind, RoundingMode
from pos.domain.reductions import Reductions
from pos.domain.sale import Sale, build_sale
from pos.domain.tenders import Tender, TenderKind, settle
from pos.domain.users import Role

APPLE = Product("MX-APPLE", "冰糖心苹果", 1280, SoldBy.WEIGHT, category="水果", origin="茂县", unit="kg", tax_rate_bp=900)
HONEY = Product("SY-HONEY", "土蜂蜜", 6800, category="蜂蜜", origin="松阳", tax_rate_bp=900)
JACKET = Product("PH-DOWN", "羽绒服", 39900, category="服装", origin="平湖", tax_rate_bp=1300)
BOX = Product("GIFT-01", "连心礼盒", 16800, category="礼盒", origin="平湖", tax_rate_bp=1300)
BOX_PARTS = {"GIFT-01": (("SY-HONEY", "土蜂蜜", 1, "蜂蜜", "松阳", 900, 6800),
                         ("MX-PEPPER", "花椒", 2, "调味", "茂县", 900, 2500),
                         ("PH-CUP", "保温杯", 1, "日用", "平湖", 1300, 5000))}


def _sell(cart: Cart, mode: RoundingMode = RoundingMode.NONE, no: int = 1) -> Sale:
    due = cart.totals(mode).total_fen
    tenders = [Tender(TenderKind.CASH, due)] if due else []
    return build_sale(receipt_no=f"MX01-20261122-{no:04d}", terminal_id="MX01", business_day="2026-11-22",
                      cashier_login="c", cashier_name="张三", cart=cart, settlement=settle(due, tenders),
                      rounding=mode, components_of=BOX_PARTS)


def _entry(sale: Sale, seq: int = 1) -> JournalEntry:
    return JournalEntry("MX01", seq, EntryKind.SALE, "2026-11-22", "2026-11-22T02:00:00Z", sale.to_payload(), "", "")


def _old_payload(sale: Sale) -> dict:
    """The sale as a till before this change wrote it: no list values, reductions or tax."""
    p = sale.to_payload()
    for key in ("list_total", "reductions", "tax"):
        p.pop(key)
    for ln in p["lines"]:
        ln.pop("list_value")
        ln.pop("reductions")
    return p


def test_a_price_cut_shows_as_override_not_as_discount() -> None:
    cart = Cart().add(JACKET).override_price(0, 24090, by=Role.MANAGER)
    sale = _sell(cart)
    assert sale.list_total_fen == 39900
    assert sale.reductions == Reductions(override_fen=15810)
    assert sale.list_total_fen - sale.reductions.total_fen == sale.total_fen == 24090


def test_a_raised_price_is_a_negative_override() -> None:
    sale = _sell(Cart().add(HONEY, 2).override_price(0, 7000, by=Role.MANAGER))
    assert sale.reductions.override_fen == -400
    assert sale.list_total_fen - sale.reductions.total_fen == sale.total_fen == 14000


def test_a_line_given_away_counts_as_gift_and_a_whole_sale_discount_as_discount() -> None:
    cart = Cart().add(HONEY).add(JACKET)
    cart = cart.discount_line(0, Discount(DiscountKind.PERCENT, 10_000), by=Role.MANAGER)
    cart = cart.discount_sale(Discount(DiscountKind.AMOUNT, 900), by=Role.MANAGER)
    sale = _sell(cart, RoundingMode.DROP_JIAO)
    assert sale.lines[0].reductions == Reductions(gift_fen=6800)
    assert sale.reductions.gift_fen == 6800
    assert sale.reductions.discount_fen == 900
    assert sale.reductions.rounding_fen == 0  # 390.00 has no jiao to drop
    assert sale.total_fen == 39000


def test_rounding_off_is_its_own_figure_in_the_customers_favour() -> None:
    sale = _sell(Cart().add(APPLE, 1255), RoundingMode.DROP_JIAO)  # 16.06 → 16.00
    assert sale.reductions == Reductions(rounding_fen=6)
    assert sale.total_fen == 1600


def test_a_sale_written_before_reductions_were_stored_reads_the_same() -> None:
    cart = Cart().add(JACKET).override_price(0, 24090, by=Role.MANAGER).add(HONEY)
    cart = cart.discount_line(1, Discount(DiscountKind.PERCENT, 1000), by=Role.MANAGER)
    sale = _sell(cart, RoundingMode.ROUND_YUAN)
    old = Sale.from_payload("MX01", "2026-11-22", _old_payload(sale))
    assert old.reductions == sale.reductions
    assert old.list_total_fen == sale.list_total_fen
    assert period_totals([JournalEntry("MX01", 1, EntryKind.SALE, "2026-11-22", "", _old_payload(sale), "", "")]
                         ).to_json() == period_totals([_entry(sale)]).to_json()


products_st = st.sampled_from([APPLE, HONEY, JACKET, BOX])


@st.composite
def carts(draw) -> Cart:  # noqa: ANN001
    cart = Cart()
    for _ in range(draw(st.integers(1, 6))):
        p = draw(products_st)
        if p.weighed and draw(st.booleans()):
            cart = cart.add(p, draw(st.integers(1, 5000)), label_amount_fen=draw(st.integers(1, 20_000)))
        else:
            cart = cart.add(p, draw(st.integers(1, 3000) if p.weighed else st.integers(1, 4)))
        i = len(cart.lines) - 1
        line = cart.lines[i]
        if line.label_amount_fen is None and draw(st.booleans()):
            cart = cart.override_price(i, draw(st.integers(0, 60_000)), by=Role.MANAGER)
        if cart.lines[i].gross_fen > 0 and draw(st.booleans()):
            d = draw(st.one_of(st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(1, 10_000)),
                               st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(1, 50_000))))
            cart = cart.discount_line(i, d, by=Role.MANAGER)
    if sum(ln.amount_fen for ln in cart.lines) > 0 and draw(st.booleans()):
        cart = cart.discount_sale(Discount(DiscountKind.PERCENT, draw(st.integers(1, 10_000))), by=Role.MANAGER)
    return cart


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(carts(), st.sampled_from(list(RoundingMode))), min_size=1, max_size=4))
def test_list_price_less_reductions_is_net_for_every_line_sale_and_day(sales_spec) -> None:  # noqa: ANN001
    sales = [_sell(cart, mode, no) for no, (cart, mode) in enumerate(sales_spec, start=1)]
    for sale in sales:
        for ln in sale.lines:
            assert ln.list_total_fen - ln.reductions.total_fen == ln.net_fen
            assert ln.reductions.gift_fen in (0, ln.charged_gross_fen)
        assert sale.list_total_fen - sale.reductions.total_fen == sale.total_fen
        for f in sale_line_figures(sale):  # as the read model keeps them
            off = f["discount_fen"] + f["override_fen"] + f["gift_fen"] + f["rounding_fen"]
            assert f["list_value_fen"] - off == f["net_fen"]
        assert sale.reductions.rounding_fen == -sale.rounding_fen
        again = Sale.from_payload("MX01", "2026-11-22", sale.to_payload())
        assert again.reductions == sale.reductions and again.list_total_fen == sale.list_total_fen
        old = Sale.from_payload("MX01", "2026-11-22", _old_payload(sale))
        assert old.reductions == sale.reductions
    day = period_totals([_entry(s, i) for i, s in enumerate(sales, start=1)])
    assert day.list_total_fen - day.reductions.total_fen == day.sales_fen
    assert day.reductions == Reductions.sum(s.reductions for s in sales)
