"""Members' rules as a counter meets them: phone numbers typed every which way, member cards, points, birthdays."""

from __future__ import annotations

from datetime import date

import pytest

from pos.domain.errors import InvalidInput
from pos.domain.members import (
    Member,
    MemberError,
    PointsRule,
    check_name,
    check_redeem,
    check_tier,
    check_tiers,
    is_birthday,
    is_last4,
    mask_phone,
    member_code,
    member_id_from_code,
    new_member_id,
    normalise_phone,
    parse_birthday,
    points_earned,
    redeem_limit,
    rule_from_json,
    rule_to_json,
)


@pytest.mark.parametrize("typed", ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000",
                                   "0086-13800138000", "8613800138000", " 138\u30000013 8000 ",
                                   "１３８ ００１３ ８０００", "＋８６ 13800138000"])
def test_a_shopper_gives_her_number_as_she_writes_it(typed: str) -> None:
    assert normalise_phone(typed) == "13800138000"


@pytest.mark.parametrize("typed", ["", "1380013800", "138001380001", "12800138000", "23800138000", "1380013800x",
                                   "+1 415 555 0100", "010-62345678", "138\u0660" + "0" * 9])
def test_a_number_that_is_no_mainland_mobile_is_refused_in_plain_words(typed: str) -> None:
    with pytest.raises(MemberError) as err:
        normalise_phone(typed)
    assert isinstance(err.value, InvalidInput)
    assert "mobile number" in err.value.message and "手机号" in err.value.message_zh


def test_the_screen_and_receipt_show_only_the_masked_number() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert is_last4("1234") and not is_last4("12345") and not is_last4("12a4")
    assert is_last4("１２３４")  # an input method left in full-width mode


def test_a_member_card_code_reads_back_and_a_mistyped_one_is_refused() -> None:
    member_id = new_member_id("MX01", 17)
    assert member_id == "MX01000017"
    code = member_code(member_id)
    assert code.startswith("LXM") and len(code) == len("LXM") + len(member_id) + 1
    assert member_id_from_code(code) == member_id
    assert member_id_from_code(f"  {code.lower()} ") == member_id  # a scanner in lower case, spaces around
    # every single wrong character and every swap of neighbours is caught
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i in range(3, len(code)):
        for ch in alphabet:
            if ch != code[i]:
                with pytest.raises(MemberError, match="not a valid member code"):
                    member_id_from_code(code[:i] + ch + code[i + 1:])
    for i in range(3, len(code) - 1):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        if swapped != code:
            with pytest.raises(MemberError):
                member_id_from_code(swapped)
    with pytest.raises(MemberError) as err:
        member_id_from_code("LXM")
    assert "会员码" in err.value.message_zh


def test_tiers_are_the_stores_names() -> None:
    assert check_tier("金卡") == "金卡"
    assert check_tier("VIP", ("普通", "VIP")) == "VIP"
    with pytest.raises(MemberError, match="普通, 银卡, 金卡"):
        check_tier("钻石卡")
    assert check_name("  王   小红 ") == "王 小红"
    for bad in ("   ", "王\x1b[2J", "x" * 41):
        with pytest.raises(MemberError):
            check_name(bad)


def test_a_birthday_is_month_and_day_and_29_february_is_kept_on_the_28th_in_other_years() -> None:
    assert parse_birthday("05-17") == "05-17" and parse_birthday("") is None and parse_birthday(None) is None
    assert parse_birthday("02-29") == "02-29"
    for bad in ("5-17", "13-01", "02-30", "04-31", "00-10", "0517", "05/17", "ab-cd"):
        with pytest.raises(MemberError, match="month-day"):
            parse_birthday(bad)
    assert is_birthday("05-17", date(2026, 5, 17)) and not is_birthday("05-17", date(2026, 5, 18))
    assert is_birthday("02-29", date(2027, 2, 28)) and not is_birthday("02-29", date(2027, 3, 1))
    assert is_birthday("02-29", date(2028, 2, 29)) and not is_birthday("02-29", date(2028, 2, 28))
    assert not is_birthday(None, date(2026, 5, 17))
    m = Member("MX01000001", "138****1234", "1234", "王小红", "普通", "12-24", 0, member_code("MX01000001"))
    assert m.is_birthday(date(2026, 12, 24))


def test_points_are_one_per_yuan_of_the_net_except_excluded_categories() -> None:
    rule = PointsRule(excluded_categories=frozenset({"烟酒"}))
    # ¥12.34 of apples and ¥7.70 of walnuts earn 20 points together (not 12 + 7): the sale's net counts
    assert points_earned(rule, [("水果", 1234), ("干果", 770), ("烟酒", 5000)]) == 20
    assert points_earned(rule, []) == 0
    assert points_earned(rule, [("水果", -500)]) == 0
    assert points_earned(PointsRule(fen_per_point=1000), [("水果", 9999)]) == 9


def test_points_pay_at_most_half_the_sale_and_no_more_than_the_member_has() -> None:
    rule = PointsRule()  # 100 points = ¥1, at most 50 %
    assert redeem_limit(rule, 10_000, 8_000) == (4_000, 4_000)  # ¥80 sale: ¥40 at most
    assert redeem_limit(rule, 1_500, 8_000) == (1_500, 1_500)
    assert redeem_limit(rule, 1_500, 0) == (0, 0)
    assert redeem_limit(PointsRule(redeem_fen_per_point=2, max_redeem_pct=10), 10_000, 1_001) == (50, 100)
    assert check_redeem(rule, 1_000, 1_500, 8_000) == 1_000
    with pytest.raises(MemberError, match="at most 4000 points"):
        check_redeem(rule, 5_000, 10_000, 8_000)
    with pytest.raises(MemberError) as err:
        check_redeem(rule, 2_000, 1_500, 8_000)
    assert "积分只有 1500" in err.value.message_zh
    with pytest.raises(MemberError):
        PointsRule(fen_per_point=0)


def test_a_store_names_its_own_tiers_and_its_points_rule_reads_back() -> None:
    assert check_tiers([" 普通 ", "VIP", "SVIP"]) == ("普通", "VIP", "SVIP")
    for bad in ([], ["普通", "普通"], ["一二三四五六七八九十一"], ["a", "b", "c", "d", "e", "f", "g"]):
        with pytest.raises(MemberError):
            check_tiers(bad)
    rule = PointsRule(fen_per_point=200, excluded_categories=frozenset({"烟酒", "礼券"}), redeem_fen_per_point=2,
                      max_redeem_pct=30)
    assert rule_from_json(rule_to_json(rule)) == rule
    assert rule_to_json(rule)["excluded_categories"] == ["烟酒", "礼券"]  # sorted: the setting's text is stable
    assert rule_from_json({}) == PointsRule()
