"""The scan field on the demo MX till: scale labels, payment codes and product codes."""

from __future__ import annotations

import pytest

from pos.bootstrap import Till
from pos.domain.barcodes import with_check_digit
from pos.domain.catalog import Product
from pos.domain.errors import InvalidBarcode, UnknownProduct
from pos.domain.scan import ScaleLabelFormat
from pos.services.scanning import ResolvedPayment, ResolvedProduct, ResolvedSearch, ScanResolver

# 26 00101 02016 01200 0: PLU 101 (茂县冰糖心苹果（特级）, ¥16.80/kg), ¥20.16, 1.200 kg; the check
# digit is worked out by hand in tests/unit/test_scan.py.
LABEL_18 = "260010102016012000"


def resolver(till: Till, *formats: str) -> ScanResolver:
    if formats:
        return ScanResolver(till.lookup, [ScaleLabelFormat.from_setting(f) for f in formats])
    return ScanResolver(till.lookup)


class NoLookups:
    """A catalogue that fails the test if anyone asks it anything."""

    def find(self, code: str) -> Product:
        raise AssertionError(f"the catalogue was asked about {code!r}")


def test_an_18_digit_label_resolves_to_the_apples_at_the_label_amount(demo_till: Till) -> None:
    got = resolver(demo_till).resolve(LABEL_18)

    assert isinstance(got, ResolvedProduct)
    assert got.product.sku == "MX-F001" and got.product.name == "茂县冰糖心苹果（特级）"
    assert (got.quantity, got.amount_fen) == (1200, 2016)
    assert got.label is not None and got.label.plu == "101"


def test_the_scale_amount_is_charged_even_when_the_till_price_differs(demo_till: Till) -> None:
    # The scale sold 1.200 kg for ¥18.00 (a markdown keyed at the scale); the till's price would
    # give ¥20.16. Weighed goods settle at the scale's reading.
    code = with_check_digit("26001010180001200")

    got = resolver(demo_till).resolve(code)

    assert isinstance(got, ResolvedProduct)
    assert (got.product.sku, got.quantity, got.amount_fen) == ("MX-F001", 1200, 1800)


def test_a_13_digit_amount_label_is_charged_as_printed_with_the_weight_it_buys(demo_till: Till) -> None:
    got = resolver(demo_till).resolve("2000101012344")  # PLU 101, ¥12.34

    assert isinstance(got, ResolvedProduct)
    # ¥12.34 at ¥16.80/kg buys 0.7345 kg → 735 g shown; the amount charged stays the label's.
    assert (got.product.sku, got.quantity, got.amount_fen) == ("MX-F001", 735, 1234)


def test_a_weight_only_label_is_priced_at_the_till(demo_till: Till) -> None:
    got = resolver(demo_till).resolve("2300101012550")  # PLU 101, 1.255 kg

    assert isinstance(got, ResolvedProduct)
    assert (got.quantity, got.amount_fen) == (1255, 2108)  # ¥16.80 × 1.255 = 21.084


def test_a_configured_left_weighted_scale(demo_till: Till) -> None:
    scanner = resolver(demo_till, "13:20:FFCCCCCXXXXXK:amount:left_weighted")

    got = scanner.resolve("2000101012340")
    assert isinstance(got, ResolvedProduct) and got.amount_fen == 1234
    with pytest.raises(InvalidBarcode):
        scanner.resolve("2000101012344")


def test_an_unknown_plu_label_says_which_plu(demo_till: Till) -> None:
    code = with_check_digit("200099901234")  # PLU 00999, ¥12.34

    with pytest.raises(UnknownProduct) as err:
        resolver(demo_till).resolve(code)

    assert err.value.message_zh == "未找到 PLU 00999 对应的商品"
    assert "00999" in err.value.message


def test_another_stores_plu_is_unknown_here(demo_till: Till) -> None:
    with pytest.raises(UnknownProduct, match="00601"):
        resolver(demo_till).resolve(with_check_digit("200060101000"))  # PLU 601 is PM's 冰糖心苹果


def test_a_wrong_check_digit_on_a_label_is_refused(demo_till: Till) -> None:
    with pytest.raises(InvalidBarcode) as err:
        resolver(demo_till).resolve("2000101012345")
    assert "称重条码校验位错误" in err.value.message_zh


def test_a_wechat_code_is_a_payment_and_never_a_product_lookup() -> None:
    got = ScanResolver(NoLookups()).resolve("134567890123456789")  # type: ignore[arg-type]

    assert got == ResolvedPayment("wechat", "134567890123456789")


def test_an_alipay_code_is_a_payment_and_never_a_product_lookup() -> None:
    code = LABEL_18[:-1] + "7"  # the 26 clash: wrong check digit for a label, so a payment code

    assert ScanResolver(NoLookups()).resolve(code) == ResolvedPayment("alipay", code)  # type: ignore[arg-type]


def test_a_26_payment_code_that_happens_to_pass_the_check_is_still_a_payment(demo_till: Till) -> None:
    # One Alipay code in ten starting 26 has a "valid" label check digit; its PLU (98765) is not sold.
    code = with_check_digit("26987650123400567")

    assert resolver(demo_till).resolve(code) == ResolvedPayment("alipay", code)


def test_a_product_barcode_adds_one_unit(demo_till: Till) -> None:
    got = resolver(demo_till).resolve("6945837000172")

    assert isinstance(got, ResolvedProduct)
    assert (got.product.sku, got.quantity, got.amount_fen, got.label) == ("MX-S001", 1, None, None)


def test_a_weighed_product_keyed_by_plu_still_needs_the_scale(demo_till: Till) -> None:
    got = resolver(demo_till).resolve("101")

    assert isinstance(got, ResolvedProduct)
    assert (got.product.sku, got.quantity) == ("MX-F001", None)


def test_chinese_text_in_the_scan_field_is_a_search(demo_till: Till) -> None:
    assert resolver(demo_till).resolve("苹果") == ResolvedSearch("苹果")


def test_an_unknown_code_is_still_unknown(demo_till: Till) -> None:
    with pytest.raises(UnknownProduct):
        resolver(demo_till).resolve("6900000000008")
