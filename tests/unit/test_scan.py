"""Classifying the scan field: scale labels, payment codes, product codes and garbage."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.barcodes import gs1_check_digit
from pos.domain.errors import InvalidBarcode
from pos.domain.scan import (
    DEFAULT_SCALE_FORMATS,
    PaymentCodeScan,
    ProductCode,
    ScaleLabel,
    ScaleLabelFormat,
    ScaleLabelScan,
    SearchText,
    amount_for_label,
    check_digit,
    classify_scan,
    parse_scale_label,
    payment_provider,
)

AMOUNT_13 = ScaleLabelFormat.from_setting("13:20,21,22:FFCCCCCXXXXXK:amount:gs1")
WEIGHT_13 = ScaleLabelFormat.from_setting("13:23,24:FFCCCCCXXXXXK:weight")
LABEL_18 = ScaleLabelFormat.from_setting("18:26:FFCCCCCMMMMMWWWWWK::gs1")


# --- golden labels, check digits worked out by hand -------------------------------------------

# 20 00101 01234 K: PLU 101, ¥12.34. Data 200010101234, weights 3,1,… from the right:
# 4·3 + 3·1 + 2·3 + 1·1 + 0·3 + 1·1 + 0·3 + 1·1 + 0·3 + 0·1 + 0·3 + 2·1 = 26 -> K = 10 − 6 = 4.
AMOUNT_LABEL = "2000101012344"
# 23 00101 01255 K: PLU 101, 1.255 kg. 5·3 + 5·1 + 2·3 + 1·1 + 0 + 1·1 + 0 + 1·1 + 0 + 0 + 3·3 + 2·1
# = 40 -> K = 0.
WEIGHT_LABEL = "2300101012550"
# 26 00101 02016 01200 K: PLU 101, ¥20.16, 1.200 kg. 17 data digits, from the right:
# 0·3 + 0·1 + 2·3 + 1·1 + 0·3 + 6·1 + 1·3 + 0·1 + 2·3 + 0·1 + 1·3 + 0·1 + 1·3 + 0·1 + 0·3 + 6·1 + 2·3
# = 40 -> K = 0.
LABEL_18_CODE = "260010102016012000"


def test_a_13_digit_amount_label_gives_plu_and_amount() -> None:
    label = parse_scale_label(AMOUNT_LABEL, DEFAULT_SCALE_FORMATS)

    assert label == ScaleLabel(plu="101", amount_fen=1234, grams=None, format="ean13-amount",
                               code=AMOUNT_LABEL, plu_digits="00101")


def test_a_13_digit_weight_label_gives_grams() -> None:
    label = parse_scale_label(WEIGHT_LABEL, DEFAULT_SCALE_FORMATS)

    assert label is not None
    assert (label.plu, label.amount_fen, label.grams) == ("101", None, 1255)


def test_an_18_digit_label_gives_amount_and_weight() -> None:
    label = parse_scale_label(LABEL_18_CODE, DEFAULT_SCALE_FORMATS)

    assert label is not None
    assert (label.plu, label.amount_fen, label.grams, label.format) == ("101", 2016, 1200, "ean18-amount-weight")


def test_the_configured_formats_read_the_same_labels() -> None:
    formats = (AMOUNT_13, WEIGHT_13, LABEL_18)

    assert parse_scale_label(AMOUNT_LABEL, formats).amount_fen == 1234  # type: ignore[union-attr]
    assert parse_scale_label(WEIGHT_LABEL, formats).grams == 1255  # type: ignore[union-attr]
    assert parse_scale_label(LABEL_18_CODE, formats).grams == 1200  # type: ignore[union-attr]
    assert LABEL_18.check == "gs1" and LABEL_18.value is None and WEIGHT_13.check == "gs1"


def test_leading_zeros_of_the_plu_are_stripped_but_kept_as_printed() -> None:
    label = parse_scale_label(AMOUNT_13.encode(7, amount_fen=5), [AMOUNT_13])

    assert label is not None
    assert (label.plu, label.plu_digits, label.amount_fen) == ("7", "00007", 5)


def test_a_wrong_check_digit_is_refused_in_english_and_chinese() -> None:
    with pytest.raises(InvalidBarcode) as err:
        parse_scale_label("2000101012345", DEFAULT_SCALE_FORMATS)

    assert "check digit" in err.value.message
    assert "称重条码校验位错误" in err.value.message_zh
    with pytest.raises(InvalidBarcode):
        classify_scan("2000101012345")


def test_left_weighted_check_digits() -> None:
    # Same data 200010101234 weighted 3,1,… from the LEFT:
    # 2·3 + 0 + 0 + 0 + 1·3 + 0 + 1·3 + 0 + 1·3 + 2·1 + 3·3 + 4·1 = 30 -> K = 0 (GS1 gives 4).
    left = ScaleLabelFormat.from_setting("13:20:FFCCCCCXXXXXK:amount:left_weighted")

    assert check_digit("200010101234", "left_weighted") == 0
    assert parse_scale_label("2000101012340", [left]).amount_fen == 1234  # type: ignore[union-attr]
    with pytest.raises(InvalidBarcode):
        parse_scale_label(AMOUNT_LABEL, [left])  # the GS1 digit is wrong for this scale
    with pytest.raises(InvalidBarcode):
        parse_scale_label("2000101012340", [AMOUNT_13])


@given(st.text(alphabet="0123456789", min_size=1, max_size=40))
def test_gs1_check_digit_agrees_with_the_barcode_module(data: str) -> None:
    assert check_digit(data, "gs1") == gs1_check_digit(data)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_left_and_right_weighting_agree_on_17_data_digits(data: str) -> None:
    # Worth knowing when configuring an 18-digit scale: with an odd number of data digits the two
    # methods are the same weights, so "left_weighted" cannot tell such labels apart.
    assert check_digit(data, "left_weighted") == check_digit(data, "gs1")


def test_codes_no_format_claims_are_not_labels() -> None:
    assert parse_scale_label("6945837000172", DEFAULT_SCALE_FORMATS) is None  # a product EAN-13
    assert parse_scale_label("2500101012344", DEFAULT_SCALE_FORMATS) is None  # flag 25 not configured
    assert parse_scale_label("200010101234", DEFAULT_SCALE_FORMATS) is None  # 12 digits
    assert parse_scale_label("MX-F001", DEFAULT_SCALE_FORMATS) is None
    assert parse_scale_label(LABEL_18_CODE, [AMOUNT_13]) is None


@pytest.mark.parametrize(
    "setting",
    [
        "13:20:FFCCCCCXXXXK:amount",  # 12 letters for 13 digits
        "14:20:FFCCCCCXXXXXXK:amount",  # unsupported length
        "13:20:FFCCCCCXXXXXK",  # X without a meaning
        "13:20:FFCCCCCXXXXXK:price",
        "13:20:FFCCCCCXXXXXK:amount:luhn",
        "13:2:FFCCCCCXXXXXK:amount",  # flag is two digits
        "13:20:FFCCCCCXXXKXX:amount",  # check digit not last
        "13:20:FFCCXCCCXXXXK:amount",  # PLU digits split
        "13:20:FFCCCCCXXMMMK:amount",  # X mixed with M
        "nonsense",
    ],
)
def test_bad_scale_settings_are_refused_when_read(setting: str) -> None:
    with pytest.raises(ValueError):
        ScaleLabelFormat.from_setting(setting)


# --- payment codes and the 26 clash -----------------------------------------------------------


@pytest.mark.parametrize("code", ["104567890123456789", "134567890123456789", "159999999999999999"])
def test_wechat_codes_are_payments(code: str) -> None:
    assert classify_scan(code) == PaymentCodeScan("wechat", code)


@pytest.mark.parametrize(
    "code", ["2512345678901234", "28123456789012345678", "301234567890123456789012", "290000000000000001"]
)
def test_alipay_codes_are_payments(code: str) -> None:
    assert classify_scan(code) == PaymentCodeScan("alipay", code)


@pytest.mark.parametrize(
    "code",
    [
        "094567890123456789",  # 18 digits starting 09
        "164567890123456789",  # 18 digits starting 16
        "13456789012345678",  # 17 digits starting 13
        "251234567890123",  # 15 digits starting 25
        "3112345678901234",  # starting 31
        "2412345678901234",  # starting 24
        "2512345678901234567890123",  # 25 digits
    ],
)
def test_near_misses_are_not_payment_codes(code: str) -> None:
    assert payment_provider(code) is None
    assert classify_scan(code) == ProductCode(code)


def test_an_18_digit_26_code_with_a_valid_check_digit_is_a_scale_label() -> None:
    scan = classify_scan(LABEL_18_CODE)

    assert isinstance(scan, ScaleLabelScan)
    assert scan.label.amount_fen == 2016


def test_an_18_digit_26_code_with_a_wrong_check_digit_is_an_alipay_code() -> None:
    code = LABEL_18_CODE[:-1] + "1"

    assert classify_scan(code) == PaymentCodeScan("alipay", code)


def test_without_an_18_digit_scale_format_every_26_code_of_that_shape_is_a_payment() -> None:
    assert classify_scan(LABEL_18_CODE, [AMOUNT_13, WEIGHT_13]) == PaymentCodeScan("alipay", LABEL_18_CODE)


def test_a_payment_code_does_not_show_in_its_repr() -> None:
    assert "134567890123456789" not in repr(classify_scan("134567890123456789"))


# --- product codes, text and garbage ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("6945837000172", "6945837000172"), ("MX-F001\r\n", "MX-F001"), ("101", "101"),
     ("６９４５８３７０００１７２", "6945837000172"), ("ＭＸ－Ｆ００１", "MX-F001")],
)
def test_product_codes_are_cleaned(typed: str, code: str) -> None:
    assert classify_scan(typed) == ProductCode(code)


def test_full_width_digits_of_a_label_are_folded() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in AMOUNT_LABEL)

    assert isinstance(classify_scan(full_width), ScaleLabelScan)


@pytest.mark.parametrize("text", ["苹果", "冰糖心 苹果", "羌绣（小号）", "茂县核桃500g"])
def test_chinese_text_is_a_search(text: str) -> None:
    assert isinstance(classify_scan(text), SearchText)


@pytest.mark.parametrize(
    "garbage",
    ["", "   \r\n", "\x00123", "\x1b[A", "69458\x0737000172", "9" * 65, "Ωmega", "café", "😀", "апельсин"],
)
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidBarcode) as err:
        classify_scan(garbage)
    assert err.value.message_zh


# --- amounts ----------------------------------------------------------------------------------


def test_the_label_amount_is_what_is_charged() -> None:
    label = parse_scale_label(LABEL_18_CODE, DEFAULT_SCALE_FORMATS)
    assert label is not None

    # The till's price would make 1.2 kg × ¥18.00 = ¥21.60; the scale settled ¥20.16.
    assert amount_for_label(1800, label) == 2016


def test_a_weight_only_label_is_priced_by_the_weighed_goods_rule() -> None:
    label = parse_scale_label(WEIGHT_LABEL, DEFAULT_SCALE_FORMATS)
    assert label is not None

    # ¥16.80/kg × 1.255 kg = 2108.4 fen -> 2108.
    assert amount_for_label(1680, label) == 2108


def test_an_amount_only_label_has_no_weight() -> None:
    label = parse_scale_label(AMOUNT_LABEL, DEFAULT_SCALE_FORMATS)
    assert label is not None

    assert amount_for_label(1680, label) == 1234
    assert label.grams is None


# --- property: whatever a scale encodes parses back exactly -----------------------------------


def _encode(fmt: ScaleLabelFormat, flag: str, plu: int, amount: int, grams: int) -> str:
    """An encoder independent of ScaleLabelFormat.encode: fill the layout letter by letter."""
    fields = {"F": flag, "C": f"{plu:05d}", "M": f"{amount:05d}", "W": f"{grams:05d}",
              "X": f"{amount if fmt.value == 'amount' else grams:05d}"}
    used = {k: iter(v) for k, v in fields.items()}
    data = "".join(next(used[letter]) for letter in fmt.layout[:-1])
    digits = data if fmt.check == "left_weighted" else data[::-1]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return data + str((10 - total % 10) % 10)


FORMATS = [*DEFAULT_SCALE_FORMATS, ScaleLabelFormat.from_setting("13:20,21:FFCCCCCXXXXXK:amount:left_weighted", "left13"),
           ScaleLabelFormat.from_setting("18:26,27:FFCCCCCWWWWWMMMMMK::left_weighted", "left18")]


@given(
    fmt=st.sampled_from(FORMATS),
    data=st.data(),
    plu=st.integers(0, 99_999),
    amount=st.integers(0, 99_999),
    grams=st.integers(0, 99_999),
)
def test_any_encoded_label_parses_back_exactly(fmt: ScaleLabelFormat, data: st.DataObject, plu: int, amount: int, grams: int) -> None:
    flag = data.draw(st.sampled_from(fmt.prefixes))
    code = _encode(fmt, flag, plu, amount, grams)

    label = parse_scale_label(code, [fmt])

    assert label is not None
    assert label.plu == str(plu)
    assert label.plu_digits == f"{plu:05d}"
    assert label.format == fmt.name
    has_x = "X" in fmt.layout
    assert label.amount_fen == (amount if not has_x or fmt.value == "amount" else None)
    assert label.grams == (grams if not has_x or fmt.value == "weight" else None)
    assert fmt.encode(plu, amount_fen=label.amount_fen, grams=label.grams, flag=flag) == code
    # ... and any other last digit is refused
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(InvalidBarcode):
        parse_scale_label(wrong, [fmt])
