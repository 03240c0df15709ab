"""One normalisation for every typed reference: a voucher, an account code or a payment code typed
with a stray space, in lower case or in full width is the same reference."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.errors import PaymentError
from pos.domain.references import (
    ReferenceKind,
    normalise_account_code,
    normalise_reference,
    normalise_voucher_number,
)
from pos.domain.sale import Sale
from pos.domain.tenders import Tender, TenderKind

ASCII_CODE = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz0123456789-", min_size=1, max_size=20)
SPACES = st.text(alphabet=" \t\u3000\u00a0\n", max_size=3)


def full_width(text: str) -> str:
    """What a Chinese IME in full-width mode types for ``text`` (Ｖ８８８)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def test_the_counter_variants_of_one_voucher_are_one_voucher() -> None:
    for typed in ("V888", "V888 ", " v888 ", "v888", "Ｖ８８８", "ｖ８８８\u3000", "V 888", "V\t888\n"):
        assert normalise_voucher_number(typed) == "V888", typed


def test_the_counter_variants_of_one_account_code_are_one_account() -> None:
    for typed in ("MXGXS", "MXGXS ", " MXGXS", "mxgxs", "ＭＸＧＸＳ", " M X G X S "):
        assert normalise_account_code(typed) == "MXGXS", typed


def test_a_payment_code_keeps_its_digits_only() -> None:
    assert normalise_reference(" 1345 6789 0123 4567 89 ", ReferenceKind.PAYMENT_CODE) == "134567890123456789"
    assert normalise_reference("１３４５６７８９０１２３４５６７８９", ReferenceKind.PAYMENT_CODE) == "134567890123456789"
    assert normalise_reference("2876-5432-1098-7654", ReferenceKind.PAYMENT_CODE) == "2876543210987654"
    # a transaction number with letters is kept as it is (no case folding for WeChat/Alipay)
    assert normalise_reference(" wx-ref ", ReferenceKind.PAYMENT_CODE) == "wx-ref"


def test_a_tender_normalises_its_own_reference_so_no_caller_can_forget() -> None:
    assert Tender(TenderKind.VOUCHER, 100, " ｖ８８８ ").reference == "V888"
    assert Tender(TenderKind.ACCOUNT, 100, "mxgxs ").reference == "MXGXS"
    assert Tender(TenderKind.UNIONPAY, 100, " ab12 ").reference == "AB12"
    assert Tender(TenderKind.WECHAT, 100, "1345 6789 0123 4567 89").reference == "134567890123456789"
    assert Tender(TenderKind.CASH, 100, "  ").reference is None
    with pytest.raises(PaymentError):
        Tender(TenderKind.VOUCHER, 100, " \u3000 ")  # only spaces: no voucher number at all


def test_an_old_journal_payload_reads_back_with_normalised_references() -> None:
    payload = {"receipt_no": "MX01-20261122-0001", "cashier": "cashier1", "lines": [], "subtotal": 4500,
               "total": 4500, "paid": 4500, "change": 0,
               "tenders": [{"kind": "voucher", "amount": 2000, "reference": "v888 "},
                           {"kind": "account", "amount": 2500, "reference": " mxgxs"}]}
    sale = Sale.from_payload("MX01", "2026-11-22", payload)
    assert [t.reference for t in sale.tenders] == ["V888", "MXGXS"]


@given(st.text(max_size=40), st.sampled_from(list(ReferenceKind)))
def test_normalising_twice_gives_what_normalising_once_gave(text: str, kind: ReferenceKind) -> None:
    once = normalise_reference(text, kind)
    assert normalise_reference(once, kind) == once
    assert not any(ch.isspace() for ch in once)
    assert unicodedata.normalize("NFKC", once) == once


@given(ASCII_CODE, SPACES, SPACES, st.booleans(), st.booleans())
def test_width_case_and_space_variants_of_a_code_normalise_to_one_value(
        code: str, before: str, after: str, lower: bool, wide: bool) -> None:
    typed = code.lower() if lower else code.upper()
    typed = full_width(typed) if wide else typed
    typed = before + typed + after
    for kind in (ReferenceKind.VOUCHER, ReferenceKind.ACCOUNT, ReferenceKind.UNIONPAY):
        assert normalise_reference(typed, kind) == normalise_reference(code, kind) == code.upper()


@given(st.text(alphabet="0123456789", min_size=16, max_size=24), SPACES, st.booleans())
def test_a_payment_code_typed_in_full_width_or_with_spaces_is_its_digits(digits: str, pad: str, wide: bool) -> None:
    typed = pad + (full_width(digits) if wide else digits) + pad
    assert normalise_reference(typed, ReferenceKind.PAYMENT_CODE) == digits


def test_a_receipt_number_typed_in_full_width_is_the_printed_one() -> None:
    from pos.domain.references import normalise_receipt_no

    assert normalise_receipt_no(" ｍｘ０１－２０２６１１２２－００４２ ") == "MX01-20261122-0042"
