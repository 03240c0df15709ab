"""Money is integer fen: parsing what people type, formatting, and the weighed-goods rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.errors import InvalidMoney
from pos.domain.money import div_round_half_up, format_yuan, parse_yuan, weighed_amount


@pytest.mark.parametrize(
    "typed, fen",
    [("12.80", 1280), ("12.8", 1280), ("12", 1200), ("0.05", 5), (".5", 50), ("￥12.80", 1280),
     ("¥3", 300), ("1,280.00", 128000), (" 7.5 元", 750), ("０．１", 10)],
)
def test_a_cashier_types_amounts_in_yuan(typed: str, fen: int | None) -> None:
    if fen is None:
        with pytest.raises(InvalidMoney):
            parse_yuan(typed)
    else:
        assert parse_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["12.805", "abc", "", "1.2.3", "-5", "1e3", "nan", "99999999999.00"])
def test_nonsense_amounts_are_refused_with_a_chinese_message(typed: str) -> None:
    with pytest.raises(InvalidMoney) as exc:
        parse_yuan(typed)
    assert exc.value.message_zh


def test_format_uses_the_full_width_yuan_sign() -> None:
    assert format_yuan(1280, symbol=True) == "￥12.80"
    assert "¥" not in format_yuan(5, symbol=True)
    assert format_yuan(-305) == "-3.05"


def test_format_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_yuan(12.8)  # type: ignore[arg-type]


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_format_and_parse_round_trip(fen: int) -> None:
    assert parse_yuan(format_yuan(fen), allow_negative=True) == fen


def test_apples_by_weight_round_half_up_to_the_fen() -> None:
    # 冰糖心苹果 12.80/kg × 1.255 kg = 16.064 → 16.06; 9.90/kg × 0.505 kg = 4.9995 → 5.00
    assert weighed_amount(1280, 1255) == 1606
    assert weighed_amount(990, 505) == 500
    assert weighed_amount(1000, 1) == 1  # 1 g at ¥10/kg is 0.01: a half rounds up
    assert div_round_half_up(-15, 10) == -2


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=500_000))
def test_weighed_amount_is_within_half_a_fen_of_the_exact_value(price: int, grams: int) -> None:
    amount = weighed_amount(price, grams)
    assert abs(amount * 1000 - price * grams) <= 500


@pytest.mark.parametrize("typed", ["12,80", "1,2800", "12,8", "1,28,000", "１２，８０"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused_not_guessed(typed: str) -> None:
    # 12,80 could be ¥12.80 (a European habit) or ¥1,280: the till asks instead of taking ¥1,280.
    with pytest.raises(InvalidMoney) as exc:
        parse_yuan(typed)
    assert "comma" in exc.value.message and "逗号" in exc.value.message_zh


@pytest.mark.parametrize(("typed", "fen"), [("1,280", 128000), ("12,345.60", 1234560), ("¥1,280", 128000)])
def test_the_till_still_takes_thousands_separators_people_type(typed: str, fen: int) -> None:
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize(("typed", "hint"), [("12,80", "12.80"), ("1,280", "1280")])
def test_the_command_line_takes_only_12_80_style_amounts_and_says_how(typed: str, hint: str) -> None:
    with pytest.raises(InvalidMoney) as exc:
        parse_yuan(typed, strict=True)
    assert hint in exc.value.message


@pytest.mark.parametrize("typed", ["¥12", "12元", "RMB 12", "1e3", "12.805"])
def test_the_command_line_refuses_signs_units_and_exponents(typed: str) -> None:
    with pytest.raises(InvalidMoney):
        parse_yuan(typed, strict=True)


@pytest.mark.parametrize(("typed", "fen"), [("12.80", 1280), ("12", 1200), ("０．５", 50)])
def test_the_command_line_takes_plain_amounts(typed: str, fen: int) -> None:
    assert parse_yuan(typed, strict=True) == fen
