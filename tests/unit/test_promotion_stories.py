"""Promotions as stories at the counter: the promotions in force (as rows of a promotion file), a
cart, and the receipt the shopper should get — each cart line with its reduction, the named
promotion lines, and the totals. The tiny reader below turns a story into promotions and items,
runs the engine and prints the receipt the same way, so a failing story shows both receipts.

Story text:

    promotions
      id | name | kind | scope | value | n | …       (a promotion file's header and rows, `|` between cells)
    cart at 2026-12-04 10:00 member 普通            (or "no member")
      SKU CATEGORY ORIGIN 2 × 128.00               (counted goods)
      SKU CATEGORY ORIGIN 1.500kg × 19.80          (weighed goods, price per kg)
      … manual                                      (the cashier changed the price: a manual line)
    receipt
      #1 SKU -64.00                                 (each line that got something off)
      第二件半价 -64.00                              (each promotion, in the order applied)
      list 285.70 save 74.00 pay 211.70
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from pos.domain.money import format_yuan, parse_yuan, weighed_amount
from pos.domain.promo_file import parse_promotions
from pos.domain.promotions import PromoBook, PromoItem, Promotion


def read_story(text: str) -> tuple[tuple[Promotion, ...], list[PromoItem], str | None, datetime, list[str]]:
    section = ""
    table: list[list[str]] = []
    items: list[PromoItem] = []
    member: str | None = None
    at = datetime(2026, 12, 4, 10, 0)  # a Friday
    receipt: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "promotions" or line == "receipt":
            section = line
            continue
        if line.startswith("cart"):
            section = "cart"
            words = line.split()
            if "at" in words:
                k = words.index("at")
                at = datetime.fromisoformat(f"{words[k + 1]} {words[k + 2]}")
            if "member" in words and "no" not in words:
                member = words[words.index("member") + 1]
            continue
        if section == "promotions":
            table.append([c.strip() for c in line.split("|")])
        elif section == "cart":
            items.append(_item(len(items) + 1, line.split()))
        elif section == "receipt":
            receipt.append(" ".join(line.split()))
    header, rows = table[0], table[1:]
    promotions = parse_promotions([dict(zip(header, r, strict=True)) for r in rows], version=1)
    return promotions, items, member, at, receipt


def _item(key: int, words: list[str]) -> PromoItem:
    sku, category, origin, qty, _, price = words[:6]
    price_fen = parse_yuan(price)
    if qty.endswith("kg"):
        grams = int(Decimal(qty.removesuffix("kg")) * 1000)  # 1.500kg → 1500 g
        return PromoItem(key, sku, category, origin, True, grams, price_fen, weighed_amount(price_fen, grams),
                         manual="manual" in words)
    return PromoItem(key, sku, category, origin, False, int(qty), price_fen, price_fen * int(qty),
                     manual="manual" in words)


def receipt_of(story: str) -> tuple[list[str], list[str]]:
    """(the receipt the engine gives, the receipt the story expects)."""
    promotions, items, member, at, expected = read_story(story)
    result = PromoBook.build(promotions).apply(items, member_tier=member, at=at)
    out = []
    by_key = {it.key: it for it in items}
    for benefit in result.lines:
        assert benefit.off_fen == sum(s.fen for s in benefit.shares)
        out.append(f"#{benefit.key} {by_key[benefit.key].sku} -{format_yuan(benefit.off_fen)}")
    for promo in result.applied:
        out.append(f"{promo.name} -{format_yuan(promo.off_fen)}")
    assert sum(p.off_fen for p in result.applied) == result.total_off_fen
    gross = sum(it.gross_fen for it in items)
    out.append(f"list {format_yuan(gross)} save {format_yuan(result.total_off_fen)} "
               f"pay {format_yuan(gross - result.total_off_fen)}")
    return out, expected


def check(story: str) -> None:
    got, expected = receipt_of(story)
    assert "\n".join(got) == "\n".join(expected)


HEADER = "id | name | kind | scope | exclude | threshold | value | n | m | repeat | stackable | priority"


def test_a_member_gets_second_box_half_price_and_100_off_10_on_the_basket() -> None:
    # The "done when": 第二件半价 on the 枇杷 gift box, then 满100减10 on everything (both
    # stackable). The threshold counts what is really paid: 256.00 − 64.00 + 29.70 = 221.70, and its
    # 10.00 is shared by value: 1.33 on the fruit (10.00 × 29.70 / 221.70, rounded down), 8.67 on the boxes.
    check(f"""
    promotions
      {HEADER}
      MX-P004 | 枇杷礼盒第二件半价 | 第N件 | sku:MX-G003 | | | 50% | 2 | | yes | yes | 5
      MX-P001 | 全场满100减10     | 满减   | all         | | 100 | 10 | | | no | yes | 0
    cart at 2026-12-04 10:00 member 普通
      MX-G003 礼盒 茂县 2 × 128.00
      MX-F005 水果 茂县 1.500kg × 19.80
    receipt
      #1 MX-G003 -72.67
      #2 MX-F005 -1.33
      枇杷礼盒第二件半价 -64.00
      全场满100减10 -10.00
      list 285.70 save 74.00 pay 211.70
    """)


def test_every_100_spent_takes_20_off_when_the_offer_repeats() -> None:
    check(f"""
    promotions
      {HEADER}
      R | 每满100减20 | spend_off | all | | 100 | 20 | | | yes | no | 0
    cart
      MX-T001 茶叶 松阳 1 × 168.00
      MX-R001 粮油 青田 1 × 79.00
    receipt
      #1 MX-T001 -27.21
      #2 MX-R001 -12.79
      每满100减20 -40.00
      list 247.00 save 40.00 pay 207.00
    """)


def test_a_spend_offer_without_repeat_takes_off_once() -> None:
    check(f"""
    promotions
      {HEADER}
      O | 满100减20 | 满减 | all | | 100 | 20 | | | no | no | 0
    cart
      MX-T001 茶叶 松阳 1 × 168.00
      MX-R001 粮油 青田 1 × 79.00
    receipt
      #1 MX-T001 -13.61
      #2 MX-R001 -6.39
      满100减20 -20.00
      list 247.00 save 20.00 pay 227.00
    """)


def test_a_basket_below_the_threshold_gets_nothing() -> None:
    check(f"""
    promotions
      {HEADER}
      O | 满100减20 | 满减 | all | | 100 | 20 | | | no | no | 0
    cart
      MX-N001 干货 茂县 2 × 35.00
      MX-N003 干货 茂县 1 × 19.90
    receipt
      list 89.90 save 0.00 pay 89.90
    """)


def test_spend_pct_takes_a_tenth_off_an_origins_goods_but_not_its_gift_boxes() -> None:
    # 松阳 goods 98.00 + 45.00 = 143.00 ≥ 100: 10 % off = 14.30; the 松阳 gift box is excluded and
    # does not count toward the threshold either.
    check(f"""
    promotions
      {HEADER}
      S | 松阳满100享9折 | 满折 | origin:松阳 | category:礼盒 | 100 | 9折 | | | no | no | 0
    cart
      MX-O001 粮油 松阳 1 × 98.00
      MX-E001 肉禽蛋 松阳 1 × 45.00
      MX-G001 礼盒 松阳 1 × 298.00
    receipt
      #1 MX-O001 -9.80
      #2 MX-E001 -4.50
      松阳满100享9折 -14.30
      list 441.00 save 14.30 pay 426.70
    """)


def test_buy_two_get_one_free_repeats_with_quantity() -> None:
    check(f"""
    promotions
      {HEADER}
      E | 鸡蛋买二赠一 | 买赠 | sku:MX-E002 | | | | 2 | 1 | yes | no | 0
    cart
      MX-E002 肉禽蛋 松阳 7 × 16.80
    receipt
      #1 MX-E002 -33.60
      鸡蛋买二赠一 -33.60
      list 117.60 save 33.60 pay 84.00
    """)


def test_buy_two_get_one_without_repeat_gives_one_only() -> None:
    check(f"""
    promotions
      {HEADER}
      E | 鸡蛋买二赠一 | 买赠 | sku:MX-E002 | | | | 2 | 1 | no | no | 0
    cart
      MX-E002 肉禽蛋 松阳 7 × 16.80
    receipt
      #1 MX-E002 -16.80
      鸡蛋买二赠一 -16.80
      list 117.60 save 16.80 pay 100.80
    """)


def test_across_a_category_the_cheapest_item_is_the_free_one() -> None:
    # Four items, one deal of three: the cheapest three (19.90 + 35.00 + 38.00); 19.90 is free, shared
    # over the three by value so a return refunds what each really cost. The 128.00 item is not in it.
    check(f"""
    promotions
      {HEADER}
      C | 干货买二赠一 | buy_get | category:干货 | | | | 2 | 1 | yes | no | 0
    cart
      MX-N005 干货 茂县 1 × 128.00
      MX-N001 干货 茂县 1 × 35.00
      MX-N003 干货 茂县 1 × 19.90
      MX-N002 干货 茂县 1 × 38.00
    receipt
      #2 MX-N001 -7.49
      #3 MX-N003 -4.27
      #4 MX-N002 -8.14
      干货买二赠一 -19.90
      list 220.90 save 19.90 pay 201.00
    """)


def test_a_gift_of_another_product_is_given_only_when_it_is_in_the_cart() -> None:
    # Two teas give two of the three sugars free (52.00), shared over the teas and the sugars given.
    promo = """
    promotions
      id | name | kind | scope | n | m | gift | repeat
      G | 买茶送红糖 | 买赠 | sku:MX-T001 | 1 | 1 | MX-H002 | yes
    """
    check(promo + """
    cart
      MX-T001 茶叶 松阳 2 × 168.00
      MX-H002 调味品 松阳 3 × 26.00
    receipt
      #1 MX-T001 -45.04
      #2 MX-H002 -6.96
      买茶送红糖 -52.00
      list 414.00 save 52.00 pay 362.00
    """)
    check(promo + """
    cart
      MX-T001 茶叶 松阳 2 × 168.00
    receipt
      list 336.00 save 0.00 pay 336.00
    """)


def test_a_gift_on_any_purchase_is_not_given_as_another_product_when_the_gift_is_missing() -> None:
    # 买二送红糖 on everything: without the sugar in the cart nothing is free (the cheapest item is no gift);
    # with it, the sugar is free, shared over it and the two cheapest units bought for it.
    promo = """
    promotions
      id | name | kind | scope | n | m | gift | repeat
      G | 买二送红糖 | 买赠 | all | 2 | 1 | MX-H002 | no
    """
    check(promo + """
    cart
      MX-T001 茶叶 松阳 2 × 168.00
      MX-G003 干货 茂县 1 × 45.00
    receipt
      list 381.00 save 0.00 pay 381.00
    """)
    check(promo + """
    cart
      MX-T001 茶叶 松阳 2 × 168.00
      MX-G003 干货 茂县 1 × 45.00
      MX-H002 调味品 松阳 1 × 26.00
    receipt
      #1 MX-T001 -18.28
      #2 MX-G003 -4.89
      #3 MX-H002 -2.83
      买二送红糖 -26.00
      list 407.00 save 26.00 pay 381.00
    """)


def test_the_second_item_half_price_across_products_goes_to_the_cheaper_ones() -> None:
    # Five units of two products make two pairs: the two cheapest units (the 24.00 bags) take half off,
    # 24.00 shared over the four units of the pairs (2 × 28.00 and 2 × 24.00) by value.
    check(f"""
    promotions
      {HEADER}
      H | 花椒第二件半价 | nth_pct | category:调味品 | | | 50% | 2 | | yes | no | 0
    cart
      MX-S001 调味品 茂县 3 × 28.00
      MX-S002 调味品 茂县 2 × 24.00
    receipt
      #1 MX-S001 -12.92
      #2 MX-S002 -11.08
      花椒第二件半价 -24.00
      list 132.00 save 24.00 pay 108.00
    """)


def test_the_nth_item_offer_never_touches_weighed_fruit() -> None:
    check(f"""
    promotions
      {HEADER}
      H | 水果第二件半价 | nth_pct | category:水果 | | | 50% | 2 | | yes | no | 0
    cart
      MX-F004 水果 茂县 2.000kg × 26.00
      MX-F005 水果 茂县 1.000kg × 19.80
    receipt
      list 71.80 save 0.00 pay 71.80
    """)


SPECIAL = """
    promotions
      id | name | kind | scope | value | hours | weekdays | start | end
      T | 樱桃早市特价 | 特价 | sku:MX-F008 | 29.80 | 08:00-11:00 | 1-5 | 2026-12-01 | 2026-12-31
"""


@pytest.mark.parametrize(("when", "off"), [
    ("2026-12-04 10:59", "5.00"),   # Friday morning
    ("2026-12-04 11:00", "0.00"),   # the window ends at 11:00
    ("2026-12-05 09:00", "0.00"),   # Saturday
    ("2026-12-31 10:00", "5.00"),   # the last day runs to 23:59
    ("2027-01-01 10:00", "0.00"),   # over
])
def test_a_time_limited_special_applies_in_its_hours_and_days_only(when: str, off: str) -> None:
    got, _ = receipt_of(SPECIAL + f"""
    cart at {when}
      MX-F008 水果 茂县 0.500kg × 39.80
    receipt
    """)
    assert got[-1] == f"list 19.90 save {off} pay {format_yuan(1990 - parse_yuan(off))}"


MEMBER = f"""
    promotions
      {HEADER} | members_only
      V | 土蜂蜜会员价 | 会员价 | sku:MX-H001 | | | 78.00 | | | no | no | 0 |
      M | 会员满200减30 | 满减 | all | | 200 | 30 | | | no | yes | 0 | yes
"""


def test_member_prices_and_members_only_offers_need_a_member() -> None:
    check(MEMBER + """
    cart no member
      MX-H001 蜂蜜 松阳 3 × 88.00
    receipt
      list 264.00 save 0.00 pay 264.00
    """)
    # With a member: 3 × 78.00 = 234.00, and the members' 满200减30 (stackable) counts the new price.
    check(MEMBER + """
    cart member 金卡
      MX-H001 蜂蜜 松阳 3 × 88.00
    receipt
      #1 MX-H001 -60.00
      土蜂蜜会员价 -30.00
      会员满200减30 -30.00
      list 264.00 save 60.00 pay 204.00
    """)


def test_a_bundle_prices_each_complete_set() -> None:
    # Two complete sets of 核桃 + 山茶油 + 米 (175.00 each) at 158.00; the third 核桃 is left at list price.
    # Each set's 17.00 is shared by value: 3.40 / 9.52 / 4.08.
    check(f"""
    promotions
      {HEADER}
      B | 山海组合价 | 组合价 | sku:MX-N001;sku:MX-O001;sku:MX-R002 | | | 158.00 | | | yes | no | 0
    cart
      MX-N001 干货 茂县 3 × 35.00
      MX-O001 粮油 松阳 2 × 98.00
      MX-R002 粮油 青田 2 × 42.00
    receipt
      #1 MX-N001 -6.80
      #2 MX-O001 -19.04
      #3 MX-R002 -8.16
      山海组合价 -34.00
      list 385.00 save 34.00 pay 351.00
    """)


def test_a_bundle_with_a_product_missing_gives_nothing() -> None:
    check(f"""
    promotions
      {HEADER}
      B | 山海组合价 | 组合价 | sku:MX-N001;sku:MX-O001;sku:MX-R002 | | | 158.00 | | | yes | no | 0
    cart
      MX-N001 干货 茂县 3 × 35.00
      MX-O001 粮油 松阳 2 × 98.00
    receipt
      list 301.00 save 0.00 pay 301.00
    """)


def test_any_three_crafts_for_100_takes_the_dearest_three() -> None:
    check(f"""
    promotions
      {HEADER}
      A | 羌绣任选3件100元 | bundle | category:工艺品 | | | 100.00 | 3 | | no | no | 0
    cart
      MX-C001 工艺品 茂县 2 × 38.00
      MX-C004 工艺品 茂县 1 × 45.00
      MX-C003 工艺品 茂县 1 × 58.00
    receipt
      #1 MX-C001 -11.04
      #2 MX-C004 -13.09
      #3 MX-C003 -16.87
      羌绣任选3件100元 -41.00
      list 179.00 save 41.00 pay 138.00
    """)


def test_a_line_on_special_counts_toward_a_threshold_only_when_the_threshold_is_stackable() -> None:
    base = """
    promotions
      id | name | kind | scope | value | threshold | stackable
      T | 牛肉特价 | 特价 | sku:MX-M001 | 98.00 | | no
      O | 满100减10 | 满减 | all | 10 | 100 | {stack}
    cart
      MX-M001 肉禽蛋 松阳 1.000kg × 128.00
      MX-R002 粮油 青田 1 × 42.00
    receipt
    """
    # Exclusive 满减: only the rice counts (42.00 < 100), the beef on special does not.
    check(base.format(stack="no") + """
      #1 MX-M001 -30.00
      牛肉特价 -30.00
      list 170.00 save 30.00 pay 140.00
    """)
    # Stackable 满减: 98.00 + 42.00 = 140.00 counts; 10.00 shared 7.00 / 3.00.
    check(base.format(stack="yes") + """
      #1 MX-M001 -37.00
      #2 MX-R002 -3.00
      牛肉特价 -30.00
      满100减10 -10.00
      list 170.00 save 40.00 pay 130.00
    """)


def test_an_exclusive_promotion_of_higher_priority_keeps_its_items_to_itself() -> None:
    check(f"""
    promotions
      {HEADER}
      E | 鸡蛋买二赠一 | 买赠 | sku:MX-E002 | | | | 2 | 1 | yes | no | 9
      O | 满50减10 | 满减 | all | | 50 | 10 | | | no | yes | 0
    cart
      MX-E002 肉禽蛋 松阳 3 × 16.80
      MX-N001 干货 茂县 1 × 35.00
    receipt
      #1 MX-E002 -16.80
      鸡蛋买二赠一 -16.80
      list 85.40 save 16.80 pay 68.60
    """)


def test_between_exclusive_offers_of_one_priority_the_bigger_saving_wins() -> None:
    check(f"""
    promotions
      {HEADER}
      A | 鸡蛋第二件8折 | nth_pct | sku:MX-E002 | | | 20% | 2 | | yes | no | 3
      B | 鸡蛋买一赠一 | buy_get | sku:MX-E002 | | | | 1 | 1 | yes | no | 3
    cart
      MX-E002 肉禽蛋 松阳 2 × 16.80
    receipt
      #1 MX-E002 -16.80
      鸡蛋买一赠一 -16.80
      list 33.60 save 16.80 pay 16.80
    """)


def test_priority_decides_before_the_saving() -> None:
    check(f"""
    promotions
      {HEADER}
      A | 鸡蛋第二件8折 | nth_pct | sku:MX-E002 | | | 20% | 2 | | yes | no | 4
      B | 鸡蛋买一赠一 | buy_get | sku:MX-E002 | | | | 1 | 1 | yes | no | 3
    cart
      MX-E002 肉禽蛋 松阳 2 × 16.80
    receipt
      #1 MX-E002 -3.36
      鸡蛋第二件8折 -3.36
      list 33.60 save 3.36 pay 30.24
    """)


def test_a_manually_priced_line_only_counts_toward_stackable_thresholds() -> None:
    check(f"""
    promotions
      {HEADER}
      E | 鸡蛋买一赠一 | buy_get | sku:MX-E002 | | | | 1 | 1 | yes | yes | 3
      X | 满30减5 | 满减 | all | | 30 | 5 | | | no | no | 0
      S | 满30减3 | 满减 | all | | 30 | 3 | | | no | yes | 0
    cart
      MX-E002 肉禽蛋 松阳 2 × 16.80 manual
    receipt
      #1 MX-E002 -3.00
      满30减3 -3.00
      list 33.60 save 3.00 pay 30.60
    """)


def test_weighed_goods_count_toward_thresholds_but_never_for_buy_get() -> None:
    check(f"""
    promotions
      {HEADER}
      B | 水果买二赠一 | buy_get | category:水果 | | | | 2 | 1 | yes | no | 5
      O | 满50减5 | 满减 | category:水果 | | 50 | 5 | | | no | no | 0
    cart
      MX-F001 水果 茂县 2.500kg × 16.80
      MX-F003 水果 茂县 1.250kg × 9.80
    receipt
      #1 MX-F001 -3.87
      #2 MX-F003 -1.13
      满50减5 -5.00
      list 54.25 save 5.00 pay 49.25
    """)


def test_the_scan_order_does_not_change_the_receipt_totals() -> None:
    story = f"""
    promotions
      {HEADER}
      H | 花椒第二件半价 | nth_pct | category:调味品 | | | 50% | 2 | | yes | yes | 1
      O | 满100减10 | 满减 | all | | 100 | 10 | | | no | yes | 0
    cart
      MX-S001 调味品 茂县 3 × 28.00
      MX-S002 调味品 茂县 2 × 24.00
      MX-F005 水果 茂县 0.750kg × 19.80
    receipt
    """
    promotions, items, member, at, _ = read_story(story)
    book = PromoBook.build(promotions)
    forward = book.apply(items, member_tier=member, at=at)
    backward = book.apply(list(reversed(items)), member_tier=member, at=at)
    assert forward == backward
    assert forward.total_off_fen == 2400 + 1000


def test_an_item_outside_the_deal_stays_open_to_another_offer() -> None:
    # 买二赠一 on 干货 takes the three cheapest (the deal); the 羊肚菌 at 128.00 is not in it, so its
    # own exclusive 9折 of lower priority still reaches it.
    check(f"""
    promotions
      {HEADER}
      C | 干货买二赠一 | buy_get | category:干货 | | | | 2 | 1 | no | no | 5
      M | 羊肚菌9折 | spend_pct | sku:MX-N005 | | | 10% | | | no | no | 1
    cart
      MX-N005 干货 茂县 1 × 128.00
      MX-N001 干货 茂县 1 × 35.00
      MX-N003 干货 茂县 1 × 19.90
      MX-N002 干货 茂县 1 × 38.00
    receipt
      #1 MX-N005 -12.80
      #2 MX-N001 -7.49
      #3 MX-N003 -4.27
      #4 MX-N002 -8.14
      干货买二赠一 -19.90
      羊肚菌9折 -12.80
      list 220.90 save 32.70 pay 188.20
    """)


def test_a_threshold_of_higher_priority_goes_first_and_counts_the_list_prices() -> None:
    # 满100减10 (priority 5, stackable) shares its 10.00 over the 133.40 by value (3.78 on the eggs);
    # then the stackable 买二赠一 of priority 1 gives one egg box free at what it is worth after that
    # share: (50.40 − 3.78) / 3 = 15.54.
    check(f"""
    promotions
      {HEADER}
      O | 满100减10 | 满减 | all | | 100 | 10 | | | no | yes | 5
      E | 鸡蛋买二赠一 | 买赠 | sku:MX-E002 | | | | 2 | 1 | no | yes | 1
    cart
      MX-E002 肉禽蛋 松阳 3 × 16.80
      MX-E001 肉禽蛋 松阳 1 × 45.00
      MX-N002 干货 茂县 1 × 38.00
    receipt
      #1 MX-E002 -19.32
      #2 MX-E001 -3.37
      #3 MX-N002 -2.85
      满100减10 -10.00
      鸡蛋买二赠一 -15.54
      list 133.40 save 25.54 pay 107.86
    """)


def test_one_book_follows_the_clock_from_minute_to_minute() -> None:
    # The till builds the book once and applies it all day: the special starts and stops on time.
    promotions, items, _, _, _ = read_story(SPECIAL + """
    cart
      MX-F008 水果 茂县 0.500kg × 39.80
    receipt
    """)
    book = PromoBook.build(promotions)
    offs = [book.apply(items, member_tier=None, at=datetime(2026, 12, 4, h, mi, s)).total_off_fen
            for h, mi, s in ((7, 59, 59), (8, 0, 0), (10, 59, 59), (11, 0, 0), (9, 0, 0))]
    assert offs == [0, 500, 500, 0, 500]
    assert [p.id for p in book.active(datetime(2026, 12, 4, 9, 0))] == ["T"]
    assert book.active(datetime(2026, 12, 5, 9, 0)) == ()
