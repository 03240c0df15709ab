"""Barcode check digits and what a scanner or a Chinese keyboard can send."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.barcodes import clean_code, gs1_check_digit, is_valid_ean13, validate_product_barcode, with_check_digit
from pos.domain.errors import InvalidBarcode


def test_known_ean13_check_digits() -> None:
    assert with_check_digit("690123456789") == "6901234567892"
    assert is_valid_ean13("4006381333931")
    assert not is_valid_ean13("4006381333932")


def test_full_width_digits_from_an_ime_are_folded() -> None:
    assert clean_code("６９０１２３４５６７８９２\n") == "6901234567892"


def test_a_wrong_check_digit_is_refused_and_says_the_right_one() -> None:
    with pytest.raises(InvalidBarcode) as exc:
        validate_product_barcode("6901234567893")
    assert "2" in exc.value.message and "校验位" in exc.value.message_zh


def test_in_house_codes_are_accepted_but_not_spaces_or_chinese() -> None:
    assert validate_product_barcode("MX-APPLE-01") == "MX-APPLE-01"
    with pytest.raises(InvalidBarcode):
        validate_product_barcode("苹果")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_twelve_digits_plus_their_check_digit_validate(data: str) -> None:
    code = with_check_digit(data)
    assert is_valid_ean13(code)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not is_valid_ean13(wrong)
    assert gs1_check_digit(data) == int(code[-1])
