"""What the checkout shows of the promotions (ui.presenters.promo), from the engine's own results: the
issue's basket — two 枇杷礼盒 (第二件半价) and a jar of honey, 满100减10 on everything."""

from __future__ import annotations

from datetime import datetime

from pos.domain.promo_file import parse_promotions
from pos.domain.promotions import AppliedPromo, LineBenefit, PromoBook, PromoItem, PromoKind, PromoResult, PromoShare
from pos.domain.table_report import REPORT_NAMES
from pos.domain.users import Role
from ui.presenters.accountant import reports_for
from ui.presenters.promo import NO_PROMOTIONS, promo_view

AT = datetime(2026, 11, 22, 10, 30)
HEADER = ("id", "name", "kind", "scope", "threshold", "value", "n", "repeat", "stackable", "priority")
ROWS = [dict(zip(HEADER, row, strict=True)) for row in (
    ("P-HALF", "枇杷礼盒第二件半价", "第N件", "sku:MX-G003", "", "50%", "2", "yes", "yes", "5"),
    ("P-100", "全场满100减10", "满减", "all", "100", "10", "", "no", "yes", "0"),
)]


def item(key: int, sku: str, quantity: int, price_fen: int) -> PromoItem:
    return PromoItem(key, sku, "礼盒", "茂县", False, quantity, price_fen, quantity * price_fen)


def test_the_line_shows_its_own_promotion_and_the_basket_one_is_named_above_the_total() -> None:
    book = PromoBook.build(parse_promotions(ROWS, version=3))
    result = book.apply([item(0, "MX-G003", 2, 12800), item(1, "MX-H001", 1, 8800)], member_tier=None, at=AT)
    view = promo_view(result)
    assert view.line(0) is not None and view.line(0).text == "枇杷礼盒第二件半价 -￥64.00"
    assert view.line(1) is None  # the honey only carries a share of 满100减10: not shown on its line
    assert [r.text for r in view.rows] == ["枇杷礼盒第二件半价 -￥64.00", "全场满100减10 -￥10.00"]
    assert view.total_off_fen == 7400 == sum(r.off_fen for r in view.rows)


def test_nothing_applied_shows_nothing() -> None:
    book = PromoBook.build(parse_promotions(ROWS, version=3))
    result = book.apply([item(0, "MX-G003", 1, 5000)], member_tier=None, at=AT)  # ￥50: none applies
    assert promo_view(result) == NO_PROMOTIONS and not promo_view(None).any


def test_two_item_promotions_on_one_line_are_named_together_with_their_sum() -> None:
    result = PromoResult(
        (LineBenefit(0, 900, (PromoShare("A", 1, 600), PromoShare("B", 2, 300))),),
        (AppliedPromo("A", 1, "会员价", PromoKind.MEMBER_PRICE, 600, (0,)),
         AppliedPromo("B", 2, "限时特价", PromoKind.SPECIAL, 300, (0,))))
    view = promo_view(result)
    assert view.line(0).text == "会员价、限时特价 -￥9.00"  # type: ignore[union-attr]
    assert [r.name for r in view.rows] == ["会员价", "限时特价"]


def test_the_accountants_desk_names_the_promotion_cost_and_member_reports_after_the_reductions() -> None:
    entries = reports_for(Role.ACCOUNTANT, REPORT_NAMES)
    names = [e.name for e in entries]
    assert names.index("reductions") + 1 == names.index("promotions") == names.index("members") - 1
    titles = {e.name: (e.title("zh"), e.title("en")) for e in entries}
    assert titles["promotions"] == ("促销成本", "Promotion cost")
    assert titles["members"] == ("会员销售与积分", "Member sales and points")
    assert all(e.title("zh") != e.name for e in entries)  # no report shown by its code name
