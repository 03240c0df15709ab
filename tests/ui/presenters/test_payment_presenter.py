"""The payment dialog's decisions without a window: a counter's payments told as stories, in fen.

The presenter holds the tender being taken and what its two fields hold; these tests type into it
the way the dialog forwards keys, and read what the dialog would draw.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.domain.errors import PaymentError
from pos.domain.tenders import Tender, TenderKind
from ui.presenters.payment import (
    TENDER_KEYS,
    AccountChoice,
    AccountList,
    PaymentPresenter,
    Step,
    round_up_suggestion,
)

WECHAT_CODE = "134567890123456789"
ALIPAY_CODE = "2845678901234567890123"
ROOT = Path(__file__).resolve().parents[3]
ACCOUNTS = (AccountChoice("PHGH", "平湖市总工会（疗休养）", 5_000_000),
            AccountChoice("MXGXS", "茂县供销合作社", 2_000_000),
            AccountChoice("PHWL", "平湖市文旅局", 0))


def honey(**kw: object) -> PaymentPresenter:
    """￥88 of 松阳土蜂蜜 to pay."""
    return PaymentPresenter(8_800, **kw)  # type: ignore[arg-type]



def test_cash_starts_at_what_is_due_and_a_hundred_gives_twelve_back() -> None:
    p = honey()
    assert p.kind is TenderKind.CASH and p.amount_text == "88.00"
    p.edit(amount_text="100")
    preview = p.preview()
    assert preview.change_fen == 1_200 and preview.entry == Tender(TenderKind.CASH, 10_000)
    outcome = p.confirm()
    assert outcome.step is Step.ACCEPT and outcome.settlement is not None and outcome.settlement.change_fen == 1_200
    assert p.tenders == [Tender(TenderKind.CASH, 10_000)]


def test_f1_to_f6_are_cash_wechat_alipay_card_voucher_and_account_in_that_order() -> None:
    assert [(k.value, key) for k, key in TENDER_KEYS] == [
        ("cash", "F1"), ("wechat", "F2"), ("alipay", "F3"), ("unionpay", "F4"), ("voucher", "F5"), ("account", "F6")]


def test_fifty_by_wechat_then_the_rest_in_cash() -> None:
    p = honey()
    p.select_kind(TenderKind.WECHAT)
    p.edit(amount_text="50", reference_text=WECHAT_CODE)
    outcome = p.confirm()
    assert outcome.step is Step.PARTIAL and outcome.tender == Tender(TenderKind.WECHAT, 5_000, WECHAT_CODE)
    assert isinstance(outcome.error, PaymentError) and "38.00" in outcome.error.message_zh
    assert p.kind is TenderKind.CASH and p.amount_text == "38.00" and p.reference_text == ""
    assert (p.paid_fen(), p.remaining_fen()) == (5_000, 3_800)
    assert p.confirm().step is Step.ACCEPT
    assert p.tenders == [Tender(TenderKind.WECHAT, 5_000, WECHAT_CODE), Tender(TenderKind.CASH, 3_800)]


def test_a_code_in_the_amount_field_pays_by_its_provider_whatever_was_selected() -> None:
    p = honey()
    p.select_kind(TenderKind.VOUCHER)
    p.edit(amount_text=ALIPAY_CODE)
    assert p.preview().change_fen is None and "付款码" in p.preview().error.message_zh  # type: ignore[union-attr]
    assert p.enter_in_amount().step is Step.ACCEPT
    assert p.tenders == [Tender(TenderKind.ALIPAY, 8_800, ALIPAY_CODE)]


def test_a_scanned_code_pays_the_amount_typed_but_never_more_than_is_due() -> None:
    p = honey()
    p.edit(amount_text="20")
    assert p.take_code(WECHAT_CODE).step is Step.PARTIAL
    assert p.taken == [Tender(TenderKind.WECHAT, 2_000, WECHAT_CODE)] and p.amount_text == "68.00"
    p.edit(amount_text="100")
    assert p.take_code(ALIPAY_CODE).step is Step.ACCEPT
    assert p.tenders[-1] == Tender(TenderKind.ALIPAY, 6_800, ALIPAY_CODE)


def test_a_product_barcode_is_no_payment_and_a_code_after_everything_is_paid_adds_nothing() -> None:
    p = honey(tenders=[Tender(TenderKind.CASH, 8_800)])
    assert p.take_code("6972316000521").step is Step.NOTHING
    assert p.take_code(WECHAT_CODE).step is Step.ALL_PAID and p.taken == [Tender(TenderKind.CASH, 8_800)]


def test_a_card_amount_then_enter_asks_for_the_terminal_number_and_enter_again_refuses_without_it() -> None:
    p = honey()
    p.select_kind(TenderKind.UNIONPAY)
    assert p.needs_reference and not p.shows_cash_buttons
    assert p.preview().reference_next  # not an error yet: the number comes next
    assert p.enter_in_amount().step is Step.REFERENCE_NEXT
    refused = p.enter_in_reference()
    assert refused.step is Step.REFUSED and refused.error is not None and p.taken == []
    p.edit(reference_text="123456")
    assert p.enter_in_reference().step is Step.ACCEPT
    assert p.tenders == [Tender(TenderKind.UNIONPAY, 8_800, "123456")]


def test_wechat_without_a_code_is_fine_with_a_second_enter() -> None:
    p = honey()
    p.select_kind(TenderKind.WECHAT)
    assert not p.preview().reference_next  # optional: nothing is missing
    assert p.enter_in_amount().step is Step.REFERENCE_NEXT
    assert p.enter_in_reference().step is Step.ACCEPT and p.tenders == [Tender(TenderKind.WECHAT, 8_800)]


def test_only_cash_may_be_more_than_is_due() -> None:
    p = honey()
    p.select_kind(TenderKind.ALIPAY)
    p.edit(amount_text="100")
    outcome = p.confirm()
    assert outcome.step is Step.REFUSED and "除现金外" in outcome.error.message_zh  # type: ignore[union-attr]
    assert p.taken == []


@pytest.mark.parametrize("typed", ["abc", "-5", "12.345"])
def test_what_is_not_an_amount_is_refused_and_nothing_is_taken(typed: str) -> None:
    p = honey()
    p.edit(amount_text=typed)
    assert p.preview().change_fen is None and p.preview().show_error
    assert p.confirm().step is Step.REFUSED and p.taken == []


def test_nothing_typed_and_nothing_taken_says_nothing_yet() -> None:
    p = honey()
    p.edit(amount_text="")
    preview = p.preview()
    assert preview.change_fen is None and not preview.show_error


@pytest.mark.parametrize(("due", "suggested"), [(8_800, 9_000), (9_000, 9_000), (1, 1_000), (18_816, 19_000)])
def test_round_up_is_the_next_ten_yuan(due: int, suggested: int) -> None:
    assert round_up_suggestion(due) == suggested
    p = PaymentPresenter(due)
    p.select_kind(TenderKind.WECHAT)
    p.quick_cash(None)
    assert p.kind is TenderKind.CASH and p.amount_text == f"{suggested // 100}.00"


def test_dropping_wechat_or_a_card_asks_but_cash_and_vouchers_go_without_a_question() -> None:
    p = honey(tenders=[Tender(TenderKind.WECHAT, 3_000, WECHAT_CODE), Tender(TenderKind.CASH, 1_000),
                       Tender(TenderKind.VOUCHER, 1_000, "V100"), Tender(TenderKind.UNIONPAY, 1_000, "778899")])
    last = p.removal(None)
    assert last is not None and last.tender.kind is TenderKind.UNIONPAY and last.ask
    assert p.removal(1).ask is False and p.removal(2).ask is False  # type: ignore[union-attr]
    first = p.removal(0)
    assert first is not None and first.ask
    assert p.remove(first) and p.remove(first) is False  # already gone: a second answer drops nothing else
    assert [t.kind for t in p.taken] == [TenderKind.CASH, TenderKind.VOUCHER, TenderKind.UNIONPAY]
    assert p.amount_text == "58.00"  # the amount starts again at what is due
    assert p.payments_to_drop() == [Tender(TenderKind.UNIONPAY, 1_000, "778899")]
    assert PaymentPresenter(100).removal(None) is None


def test_a_code_scanned_on_the_main_screen_counts_as_a_payment_to_drop() -> None:
    p = honey(kind=TenderKind.WECHAT, reference=WECHAT_CODE)
    assert p.payments_to_drop() == [Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)]
    p.edit(amount_text="")
    assert p.payments_to_drop() == [Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)]  # named by its code anyway
    assert honey(kind=TenderKind.VOUCHER, reference="V1").payments_to_drop() == []


# -- 单位挂账's list ------------------------------------------------------------------------------


def accounts() -> AccountList:
    a = AccountList()
    a.set_accounts(ACCOUNTS)
    return a


@pytest.mark.parametrize(("typed", "codes"), [
    ("", ["PHGH", "MXGXS", "PHWL"]),
    ("phgh", ["PHGH"]),  # the code, any case
    ("ph", ["PHGH", "PHWL"]),  # code or initials of 平湖
    ("zgh", ["PHGH"]),  # initials from inside the name: 总工会
    ("gxs", ["MXGXS"]),
    ("供销", ["MXGXS"]),  # part of the name, as an IME types it
    ("mxgx", ["MXGXS"]),
    ("wenlv", ["PHWL"]),  # full pinyin
    ("ｐｈｗｌ", ["PHWL"]),  # full-width letters fold
    ("xyz", []),
])
def test_typing_narrows_the_accounts_by_name_code_or_pinyin(typed: str, codes: list[str]) -> None:
    assert [a.code for a in accounts().matching(typed)] == codes


def test_enter_takes_the_exact_code_else_the_selected_or_only_match() -> None:
    a = accounts()
    assert a.chosen(" mxgxs ") == ACCOUNTS[1]
    assert a.chosen("gxs") == ACCOUNTS[1]  # the only match
    assert a.chosen("ph") is None  # two match and none is picked: the service judges "PH"
    assert a.chosen("ph", ACCOUNTS[2]) == ACCOUNTS[2]
    assert a.chosen("ph", ACCOUNTS[1]) is None  # a selection the filter no longer shows is not taken
    assert a.chosen("", None) is None and a.chosen("", ACCOUNTS[0]) == ACCOUNTS[0]


def test_an_account_picked_from_the_list_is_charged_for_what_is_due() -> None:
    p = honey()
    p.accounts.set_accounts(ACCOUNTS)
    p.select_kind(TenderKind.ACCOUNT)
    assert p.shows_accounts and p.amount_text == "88.00"
    p.choose_account(ACCOUNTS[1])
    assert p.reference_text == "MXGXS" and p.enter_in_reference().step is Step.ACCEPT
    assert p.tenders == [Tender(TenderKind.ACCOUNT, 8_800, "MXGXS")]


def test_part_of_a_name_typed_then_enter_charges_the_account_it_means() -> None:
    p = honey()
    p.accounts.set_accounts(ACCOUNTS)
    p.select_kind(TenderKind.ACCOUNT)
    assert p.enter_in_amount().step is Step.REFERENCE_NEXT
    p.edit(reference_text="zgh")
    assert p.enter_in_reference().step is Step.ACCEPT and p.tenders == [Tender(TenderKind.ACCOUNT, 8_800, "PHGH")]


def test_an_unknown_code_is_left_for_the_service_to_refuse_and_a_payment_code_is_still_wechat() -> None:
    p = honey()
    p.accounts.set_accounts(ACCOUNTS)
    p.select_kind(TenderKind.ACCOUNT)
    p.edit(reference_text="NOSUCH")
    assert p.enter_in_reference().step is Step.ACCEPT and p.tenders == [Tender(TenderKind.ACCOUNT, 8_800, "NOSUCH")]
    q = honey()
    q.select_kind(TenderKind.ACCOUNT)
    q.edit(reference_text=WECHAT_CODE)
    assert q.enter_in_reference().step is Step.ACCEPT and q.tenders == [Tender(TenderKind.WECHAT, 8_800, WECHAT_CODE)]


def test_more_than_the_credit_an_account_has_left_is_refused_before_the_sale_is_tried() -> None:
    p = PaymentPresenter(3_000_000)  # ￥30,000 of 羽绒服 for 平湖市文旅局, which has no credit left
    p.accounts.set_accounts(ACCOUNTS)
    p.select_kind(TenderKind.ACCOUNT)
    p.choose_account(ACCOUNTS[2])
    preview = p.preview()
    assert preview.change_fen is None and "挂账额度不足，剩余 0.00 元" in preview.error.message_zh  # type: ignore[union-attr]
    assert p.confirm().step is Step.REFUSED and p.taken == []
    p.choose_account(ACCOUNTS[1])  # the co-op has ￥20,000 left: two shares on it count together
    p.edit(amount_text="15000")
    assert p.confirm().step is Step.PARTIAL
    p.select_kind(TenderKind.ACCOUNT)
    p.choose_account(ACCOUNTS[1])
    p.edit(amount_text="5000.01")
    refused = p.confirm()
    assert refused.step is Step.REFUSED and "剩余 5000.00 元" in refused.error.message_zh  # type: ignore[union-attr]
    p.edit(amount_text="5000")
    assert p.confirm().step is Step.PARTIAL and p.remaining_fen() == 1_000_000
