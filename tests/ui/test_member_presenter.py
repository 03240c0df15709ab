"""The 会员 dialog's decisions (ui.presenters.members) and the customer display's member picture, as a
cashier meets them: what the customer says, what the till does with it."""

from __future__ import annotations

from datetime import date

import pytest

from pos.devices.display import BackgroundDisplay, DummyDisplay
from pos.domain.members import Member, MemberError, PointsRule, member_code
from ui.presenters.members import (
    Chosen,
    NotFound,
    PickList,
    QueryKind,
    check_new_member,
    lookup_outcome,
    member_panel,
    member_query,
    points_offer,
    points_typed,
)

CODE = member_code("MX01000017")


def member(member_id: str = "MX01000017", phone: str = "138****1234", name: str = "王芳", tier: str = "金卡",
           points: int = 1234, birthday: str | None = None) -> Member:
    return Member(member_id, phone, phone[-4:], name, tier, birthday, points, member_code(member_id))


def test_a_full_number_typed_as_people_say_it_finds_the_member_at_once() -> None:
    q = member_query("138 0013-1234")
    assert (q.kind, q.text) == (QueryKind.PHONE, "13800131234")
    assert lookup_outcome(q, [member()]) == Chosen(member())


def test_full_width_digits_from_the_ime_are_read_as_the_number() -> None:
    assert member_query("１３８００１３１２３４").text == "13800131234"


def test_the_last_four_digits_always_give_a_pick_list_to_confirm_from() -> None:
    q = member_query("1234")
    assert q.kind is QueryKind.LAST4
    one = lookup_outcome(q, [member()])
    assert isinstance(one, PickList) and len(one.rows) == 1  # even one: the customer says it is them
    two = lookup_outcome(q, [member("MX01000018", "139****1234", "李强", "普通", 50), member()])
    assert isinstance(two, PickList)
    assert [(r.phone_masked, r.name, r.tier, r.points) for r in two.rows] == [
        ("138****1234", "王芳", "金卡", 1234), ("139****1234", "李强", "普通", 50)]
    assert all("0013" not in r.phone_masked for r in two.rows)  # never the whole number


def test_a_scanned_member_code_finds_its_member_and_a_mistyped_one_is_refused_plainly() -> None:
    q = member_query(CODE.lower())
    assert (q.kind, q.text) == (QueryKind.CODE, CODE)
    assert lookup_outcome(q, [member()]) == Chosen(member())
    wrong = CODE[:-2] + ("A" if CODE[-2] != "A" else "B") + CODE[-1]
    with pytest.raises(MemberError) as refused:
        member_query(wrong)
    assert "会员码" in refused.value.message_zh


@pytest.mark.parametrize("text", ["", "   ", "12", "abc", "12345", "2380013123"])
def test_what_is_not_a_number_or_code_is_refused_before_any_lookup(text: str) -> None:
    with pytest.raises(MemberError) as refused:
        member_query(text)
    assert refused.value.message_zh and refused.value.message


def test_nothing_found_offers_a_new_member_with_the_number_typed() -> None:
    assert lookup_outcome(member_query("13800131234"), []).phone == "13800131234"
    by_last4 = lookup_outcome(member_query("1234"), [])
    assert isinstance(by_last4, NotFound) and by_last4.phone == ""


def test_registration_checks_phone_name_and_birthday() -> None:
    new = check_new_member("+86 138 0013 1234", "  王  芳 ", "05-17")
    assert (new.phone, new.name, new.birthday) == ("13800131234", "王 芳", "05-17")
    assert check_new_member("13800131234", "王芳").birthday is None
    for phone, name, birthday in (("1380013", "王芳", ""), ("13800131234", "", ""), ("13800131234", "王芳", "13-01")):
        with pytest.raises(MemberError):
            check_new_member(phone, name, birthday)


def test_the_sale_panel_flags_the_birthday_on_the_day_only() -> None:
    m = member(birthday="11-22")
    panel = member_panel(m, date(2026, 11, 22))
    assert panel is not None and panel.birthday and panel.phone_masked == "138****1234"
    assert not member_panel(m, date(2026, 11, 23)).birthday  # type: ignore[union-attr]
    assert member_panel(None, date(2026, 11, 22)) is None


def test_points_are_offered_up_to_half_the_sale_and_typed_within_it() -> None:
    rule = PointsRule()  # 100 points pay ￥1, at most half the sale
    offer = points_offer(rule, member(points=1234), 1800)  # a ￥18.00 sale: at most ￥9.00
    assert offer is not None and (offer.available, offer.most, offer.most_fen) == (1234, 900, 900)
    assert points_typed("", offer) == 900 and points_typed(" 5,00 ", offer) == 500 and points_typed("0", offer) == 0
    for typed in ("901", "-5", "abc"):
        with pytest.raises(MemberError):
            points_typed(typed, offer)
    assert points_offer(rule, member(points=0), 1800) is None  # nothing to use: not offered
    assert points_offer(rule, None, 1800) is None
    assert points_offer(rule, member(points=1234), 1) is None  # half of 1 fen is no point


def test_a_two_line_display_shows_the_member_masked_and_an_led8_shows_nothing() -> None:
    vfd = DummyDisplay("dummy:?type=vfd", "vfd")
    assert vfd.show_member("138****1234", 1234)
    sent = vfd.sent[-1].decode("gb18030")
    assert "会员 138****1234" in sent and "积分 1234" in sent and "0013" not in sent
    ascii_vfd = DummyDisplay("dummy:?type=vfd&encoding=ascii", "vfd", "ascii")
    assert ascii_vfd.show_member("138****1234", 7) and b"MEMBER 138****1234" in ascii_vfd.sent[-1]
    led = DummyDisplay()
    assert not led.show_member("138****1234", 1234) and led.sent == []
    background = BackgroundDisplay(DummyDisplay("dummy:?type=vfd", "vfd"))
    try:
        assert background.show_member("139****0000", 5)
        assert background.wait_idle()
        assert "139****0000" in background.display.sent[-1].decode("gb18030")
    finally:
        background.close()
