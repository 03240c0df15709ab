"""价税分离: every sale, return and period splits into net of tax and tax per rate, and the rates add up."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.cart import Cart
from pos.domain.catalog import Product
from pos.domain.closing import PeriodTotals, period_totals, stored_totals
from pos.domain.figures import return_line_taxes, sale_line_figures
from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.pricing import Discount, DiscountKind, RoundingMode
from pos.domain.returns import Return, Returned, plan_return
from pos.domain.sale import Sale
from pos.domain.tax import RateTax, rate_label, rate_sort_key, split_tax, tax_in
from pos.domain.users import Role
from tests.unit.test_reductions import (  # the box: sold at 13 %, holds 9 % farm goods and a 13 % cup
    APPLE,
    BOX,
    JACKET,
    _sell,
)

SERVICE = Product("SV-WRAP", "礼品包装", 500, category="服务", origin="平湖", tax_rate_bp=600)
LOCAL = Product("LOC-TEA", "本地茶叶", 2300, category="茶", origin="茂县")  # no rate set: 未设


def _entries(sales: list[Sale], returns: list[Return] = ()) -> list[JournalEntry]:  # type: ignore[assignment]
    out = [JournalEntry("MX01", i, EntryKind.SALE, "2026-11-22", "", s.to_payload(), "", "")
           for i, s in enumerate(sales, start=1)]
    out += [JournalEntry("MX01", len(out) + i, EntryKind.RETURN, "2026-11-22", "", r.to_payload(), "", "")
            for i, r in enumerate(returns, start=1)]
    return out


def test_the_tax_inside_a_price_is_taken_out_once_per_rate() -> None:
    assert tax_in(11300, 1300) == 1300  # ¥113.00 at 13 % holds ¥13.00
    assert tax_in(10900, 900) == 900
    assert tax_in(100, 1300) == 12  # 11.50… rounds half up to 12 fen
    assert tax_in(2300, None) == 0
    split = split_tax([(1300, 100), (1300, 100), (900, 500), (None, 700)])
    # Two ¥1.00 lines at 13 % are taxed together (¥2.00 → 23 fen), not 12 + 12.
    assert split.rates == (RateTax(900, 500, 41), RateTax(1300, 200, 23), RateTax(None, 700, 0))
    assert (split.gross_fen, split.tax_fen, split.net_fen) == (1400, 64, 1336)


def test_rate_labels_order_by_rate_with_unset_last() -> None:
    labels = [rate_label(bp) for bp in (1300, None, 600, 950, 0, 900)]
    assert labels == ["13%", "未设", "6%", "9.5%", "0%", "9%"]
    assert sorted(labels, key=rate_sort_key) == ["0%", "6%", "9%", "9.5%", "13%", "未设"]


def test_a_gift_box_of_13_and_9_percent_goods_reports_tax_at_both_rates() -> None:
    sale = _sell(Cart().add(BOX))
    assert [r.label for r in sale.tax.rates] == ["9%", "13%"]
    nine, thirteen = sale.tax.rates
    # Revenue shares by component value: honey 68, pepper 2×25, cup 50 of ¥168.
    assert (nine.gross_fen, thirteen.gross_fen) == (11800, 5000)
    assert nine.tax_fen == tax_in(11800, 900) == 974
    assert thirteen.tax_fen == tax_in(5000, 1300) == 575
    day = period_totals(_entries([sale]))
    assert day.by_tax_rate == {"9%": 11800, "13%": 5000}
    assert day.tax_by_rate == {"9%": {"gross": 11800, "net": 10826, "tax": 974},
                               "13%": {"gross": 5000, "net": 4425, "tax": 575}}
    assert day.tax_fen == 974 + 575


def test_returning_part_of_a_gift_box_takes_the_tax_back_at_its_components_rates() -> None:
    sale = _sell(Cart().add(BOX, 2))
    plan = plan_return(sale, {1: 1}, Returned({}, {}, {}))
    ret = Return("MX01-20261122-R0001", sale.receipt_no, "c", "张三", plan.lines, plan.refunds, (),
                 refund_of=plan.refund_of)
    assert [r.label for r in ret.tax.rates] == ["9%", "13%"]
    assert ret.tax.gross_fen == 16800
    back = Return.from_payload(ret.to_payload())
    assert back.tax == ret.tax
    day = period_totals(_entries([sale], [ret]))
    assert day.tax_by_rate["9%"]["gross"] == 11800 and day.tax_by_rate["13%"]["gross"] == 5000
    assert sum(r["gross"] for r in day.tax_by_rate.values()) == day.net_fen


def test_a_sale_written_before_tax_was_stored_is_split_the_same_way() -> None:
    sale = _sell(Cart().add(BOX).add(JACKET).add(LOCAL), RoundingMode.ROUND_YUAN)
    old = sale.to_payload()
    old.pop("tax")
    before = period_totals([JournalEntry("MX01", 1, EntryKind.SALE, "2026-11-22", "", old, "", "")])
    assert before.tax_by_rate == period_totals(_entries([sale])).tax_by_rate
    assert before.tax_by_rate["未设"] == {"gross": 2300, "net": 2300, "tax": 0}


def test_a_z_taken_before_tax_and_reductions_were_recorded_still_reads() -> None:
    old_z = {"sales_count": 2, "returns_count": 0, "voids_count": 0, "void": 0, "training_count": 0, "gross": 20000,
             "discount": 380, "rounding": -20, "sales": 19600, "refunds": 0, "net": 19600, "cash_in": 0, "cash_out": 0,
             "by_tender": {"cash": 19600}, "by_tax_rate": {"13%": 19600}, "by_category": {"服装": 19600},
             "by_origin": {"平湖": 19600}}
    t = PeriodTotals.from_json(old_z)
    assert (t.list_total_fen, t.discount_fen, t.override_fen, t.gift_fen) == (20000, 380, 0, 0)
    assert t.list_total_fen - t.reductions.total_fen == t.sales_fen
    assert t.tax_by_rate == {} and t.by_tax_rate == {"13%": 19600}
    assert PeriodTotals.from_json(t.to_json()).to_json() == t.to_json()


def test_a_past_z_stored_before_the_figures_gets_them_from_the_entries_it_closed() -> None:
    sale = _sell(Cart().add(JACKET).override_price(0, 24090, by=Role.MANAGER).add(BOX))
    entries = _entries([sale])
    stored = period_totals(entries).to_json()
    for key in ("list_total", "override", "gift", "tax", "tax_by_rate"):
        stored.pop(key)
    shown = stored_totals(stored, lambda: entries)
    assert shown.override_fen == 15810 and set(shown.tax_by_rate) == {"9%", "13%"}
    assert shown.to_json() == period_totals(entries).to_json()
    # Entries that do not add up to what the Z closed are never shown as its figures.
    assert stored_totals(stored, lambda: entries[:0]).to_json() == PeriodTotals.from_json(stored).to_json()


products_st = st.sampled_from([APPLE, JACKET, SERVICE, LOCAL, BOX])


@st.composite
def carts(draw) -> Cart:  # noqa: ANN001
    cart = Cart()
    for _ in range(draw(st.integers(1, 5))):
        p = draw(products_st)
        cart = cart.add(p, draw(st.integers(1, 3000) if p.weighed else st.integers(1, 3)))
        i = len(cart.lines) - 1
        if draw(st.booleans()):
            cart = cart.override_price(i, draw(st.integers(1, 60_000)), by=Role.MANAGER)
        if cart.lines[i].gross_fen > 0 and draw(st.booleans()):
            cart = cart.discount_line(i, Discount(DiscountKind.PERCENT, draw(st.integers(1, 10_000))), by=Role.MANAGER)
    if sum(ln.amount_fen for ln in cart.lines) > 0 and draw(st.booleans()):
        cart = cart.discount_sale(Discount(DiscountKind.PERCENT, draw(st.integers(1, 5_000))), by=Role.MANAGER)
    return cart


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(carts(), st.sampled_from(list(RoundingMode))), min_size=1, max_size=4), st.data())
def test_per_rate_tax_adds_up_for_every_sale_return_and_day(spec, data) -> None:  # noqa: ANN001
    sales = [_sell(cart, mode, no) for no, (cart, mode) in enumerate(spec, start=1)]
    returns = []
    for sale in sales:
        split = sale.tax
        assert split.gross_fen == sale.total_fen
        assert split.tax_fen == sum(r.tax_fen for r in split.rates)
        for r in split.rates:
            assert r.net_fen + r.tax_fen == r.gross_fen
            assert r.tax_fen == tax_in(r.gross_fen, r.rate_bp)
        assert Sale.from_payload("MX01", "2026-11-22", sale.to_payload()).tax == split
        figures = sale_line_figures(sale)  # what the read model keeps per line adds up to the sale
        assert sum(f["tax_fen"] for f in figures) == split.tax_fen
        for rate in split.rates:
            assert sum(f["tax_fen"] for ln, f in zip(sale.lines, figures, strict=True)
                       if not ln.components and ln.tax_rate_bp == rate.rate_bp) <= rate.tax_fen
        line = data.draw(st.sampled_from(sale.lines))
        qty = data.draw(st.integers(1, line.quantity))
        plan = plan_return(sale, {line.line_no: qty}, Returned({}, {}, {}))
        if plan.refund_fen:
            ret = Return(f"MX01-20261122-R{len(returns) + 1:04d}", sale.receipt_no, "c", "张三", plan.lines,
                         plan.refunds, (), refund_of=plan.refund_of)
            assert ret.tax.gross_fen == ret.refund_fen
            assert sum(return_line_taxes(ret)) == ret.tax.tax_fen
            returns.append(ret)
    day = period_totals(_entries(sales, returns))
    assert sum(r["gross"] for r in day.tax_by_rate.values()) == day.net_fen
    assert day.tax_fen == sum(s.tax.tax_fen for s in sales) - sum(r.tax.tax_fen for r in returns)
    for label, r in day.tax_by_rate.items():
        assert r["net"] + r["tax"] == r["gross"] == day.by_tax_rate.get(label, 0)
