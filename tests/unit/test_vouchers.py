"""Issue 16: accounting vouchers balance to the fen, and every mistake in a mapping is one plain sentence."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.vouchers import (
    DEFAULT_COLUMNS,
    VoucherError,
    VoucherFigures,
    build_voucher,
    build_vouchers,
    parse_mapping,
    voucher_table,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "resources" / "vouchers" / "mapping-example.json").read_text(encoding="utf-8"))
HAN = re.compile(r"[\u3400-\u9fff]")
DAY = date(2026, 11, 22)


def mapping(**changes):  # noqa: ANN003, ANN201
    data = json.loads(json.dumps(EXAMPLE))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return parse_mapping(data)


def figures(tenders: dict[str, int], rates: dict[str, tuple[int, int]], rounding: int = 0) -> VoucherFigures:
    """``rates``: label → (gross, tax)."""
    return VoucherFigures(tenders, {k: {"gross": g, "net": g - t, "tax": t} for k, (g, t) in rates.items()}, rounding)


def by_code(v) -> dict[str, int]:  # noqa: ANN001
    out: dict[str, int] = {}
    for ln in v.lines:
        out[ln.code] = out.get(ln.code, 0) + ln.debit_fen - ln.credit_fen
    return out


def test_a_day_balances_with_each_tender_revenue_per_rate_and_output_vat() -> None:
    f = figures({"cash": 25800, "wechat": 4500, "account": 9000}, {"13%": (16800, 1933), "9%": (22500, 1858)})
    v = build_voucher(f, mapping(rounding=None), number=7, when=DAY, period="2026-11-22")
    assert v.debit_fen == v.credit_fen == 39300
    assert by_code(v) == {"1001": 25800, "101201": 4500, "1122": 9000, "600101": -(16800 - 1933),
                          "600102": -(22500 - 1858), "22210102": -(1933 + 1858)}
    assert v.lines[0].summary == "2026-11-22 现金收款" and v.lines[2].summary == "2026-11-22 单位挂账"
    assert [ln.name for ln in v.lines][-1] == "应交税费-应交增值税(销项税额)"


def test_moling_on_its_own_account_is_spread_over_the_rates_to_the_fen() -> None:
    # The customers kept ¥0.73 (rounding −73): 借 抹零 0.73, revenue credited as before 抹零.
    f = figures({"cash": 58027}, {"13%": (33600, 3866), "9%": (24427, 2017)}, rounding=-73)
    v = build_voucher(f, mapping(), number=1, when=DAY, period="d")
    codes = by_code(v)
    assert codes["660304"] == 73
    assert -(codes["600101"] + codes["600102"]) == (33600 - 3866) + (24427 - 2017) + 73
    assert codes["22210102"] == -(3866 + 2017)  # VAT as charged
    assert v.debit_fen == v.credit_fen
    inside = build_voucher(f, mapping(rounding=None), number=1, when=DAY, period="d")  # no account: inside revenue
    assert "660304" not in by_code(inside) and inside.debit_fen == inside.credit_fen == 58027


@given(st.dictionaries(st.sampled_from(["cash", "wechat", "alipay", "unionpay", "voucher", "account"]),
                       st.integers(-10**7, 10**8), min_size=1),
       st.lists(st.tuples(st.integers(-10**7, 10**8), st.integers(0, 1300)), min_size=1, max_size=3),
       st.integers(-99, 99), st.sampled_from(["red", "swap"]))
def test_any_day_whose_tenders_equal_its_sales_balances_exactly(tenders, rates, rounding, negative) -> None:  # noqa: ANN001
    labels = ["13%", "9%", "0%"]
    rate_rows = {labels[i]: (g, g * bp // 10000) for i, (g, bp) in enumerate(rates)}
    gross = sum(g for g, _t in rate_rows.values())
    first = next(iter(tenders))
    tenders = {**tenders, first: tenders[first] + gross - sum(tenders.values())}  # the tenders took what was sold
    v = build_voucher(figures(tenders, rate_rows, rounding), mapping(negative=negative), number=1, when=DAY, period="d")
    assert v.debit_fen == v.credit_fen
    if negative == "swap":
        assert all(ln.debit_fen >= 0 and ln.credit_fen >= 0 for ln in v.lines)
    assert all(ln.debit_fen or ln.credit_fen for ln in v.lines)  # no ¥0 lines


def test_a_day_of_returns_only_is_written_in_red_on_the_usual_sides() -> None:
    f = figures({"cash": -4500}, {"9%": (-4500, -372)})
    red = build_voucher(f, mapping(), number=1, when=DAY, period="d")
    assert [(ln.code, ln.debit_fen, ln.credit_fen) for ln in red.lines] == [
        ("1001", -4500, 0), ("600102", 0, -4128), ("22210102", 0, -372)]
    swapped = build_voucher(f, mapping(negative="swap"), number=1, when=DAY, period="d")
    assert [(ln.code, ln.debit_fen, ln.credit_fen) for ln in swapped.lines] == [
        ("1001", 0, 4500), ("600102", 4128, 0), ("22210102", 372, 0)]


def test_figures_that_cannot_balance_are_refused_naming_the_difference() -> None:
    f = figures({"cash": 10000}, {"13%": (9990, 1149)})
    with pytest.raises(VoucherError) as exc:
        build_voucher(f, mapping(), number=1, when=DAY, period="2026-11-22")
    assert "does not balance" in exc.value.message and "0.10" in exc.value.message and "2026-11-22" in exc.value.message
    assert "借贷不平衡" in exc.value.message_zh and "0.10" in exc.value.message_zh
    with pytest.raises(VoucherError) as exc:
        build_voucher(figures({"cash": 100}, {}), mapping(), number=1, when=DAY, period="d")
    assert "价税分离" in exc.value.message_zh


def test_a_tender_or_rate_without_an_account_is_named() -> None:
    m = mapping(tenders={"cash": {"code": "1001", "name": "库存现金"}}, revenue={"13%": {"code": "6001", "name": "收入"}})
    with pytest.raises(VoucherError) as exc:
        build_voucher(figures({"cash": 100, "wechat": 100}, {"13%": (200, 23)}), m, number=1, when=DAY, period="d")
    assert "wechat" in exc.value.message and "微信支付" in exc.value.message_zh
    with pytest.raises(VoucherError) as exc:
        build_voucher(figures({"cash": 100}, {"9%": (100, 8)}), m, number=1, when=DAY, period="d")
    assert "9%" in exc.value.message and "9%" in exc.value.message_zh


def test_vouchers_per_day_are_numbered_and_per_period_one_summing_the_days() -> None:
    quiet = figures({}, {})
    days = [(date(2026, 11, 1), figures({"cash": 1000}, {"13%": (1000, 115)})), (date(2026, 11, 2), quiet),
            (date(2026, 11, 3), figures({"wechat": 2000}, {"13%": (2000, 230)}))]
    daily = build_vouchers(days, mapping(first_number=41))
    assert [(v.number, v.when) for v in daily] == [(41, date(2026, 11, 1)), (42, date(2026, 11, 3))]
    [whole] = build_vouchers(days, mapping(), per="period", period_text="2026年11月")
    assert whole.when == date(2026, 11, 3) and whole.debit_fen == whole.credit_fen == 3000
    assert whole.lines[0].summary.startswith("2026年11月")
    assert build_vouchers([(DAY, quiet)], mapping()) == []


def test_the_file_columns_follow_the_mapping_order_per_style() -> None:
    v = build_voucher(figures({"cash": 1000}, {"13%": (1000, 115)}), mapping(rounding=None), number=3, when=DAY,
                      period="d")
    cols, rows = voucher_table([v], mapping(rounding=None), "yonyou")
    assert [c for c, _k in cols] == EXAMPLE["columns"]["yonyou"]
    assert rows[0][:3] == ["记", 3, DAY] and rows[0][6:8] == [1000, 0]
    m = mapping(columns={"kingdee": ["日期", "凭证字", "凭证号", "分录号", "科目代码", "借方金额", "贷方金额", "币别"]},
                word="收")
    cols, rows = voucher_table([v], m, "kingdee")
    assert [(c, k) for c, k in cols][:4] == [("日期", "date"), ("凭证字", "text"), ("凭证号", "int"), ("分录号", "int")]
    assert [r[3] for r in rows] == [1, 2, 3] and rows[0][1] == "收" and rows[0][-1] == "人民币"
    assert [c for c, _k in voucher_table([v], m, "yonyou")[0]] == list(DEFAULT_COLUMNS["yonyou"])


BAD_MAPPINGS = [
    ("not json", "{\"revenue\": ", "JSON"),
    ("a list", "[1, 2]", "one JSON object"),
    ("no output VAT", {"output_vat": None}, "output_vat"),
    ("no revenue", {"revenue": None}, "revenue"),
    ("no tenders", {"tenders": None}, "tenders"),
    ("an unknown key", {"tender": {}}, "unknown key tender"),
    ("a misspelt tender", {"tenders": {"wechatt": {"code": "1012", "name": "微信"}}}, "wechatt"),
    ("a rate that is no rate", {"revenue": {"thirteen": {"code": "6001", "name": "收入"}}}, "thirteen"),
    ("an account without a code", {"output_vat": {"name": "销项税额"}}, "no account code"),
    ("an account with an empty name", {"output_vat": {"code": "2221", "name": " "}}, "no account name"),
    ("an account that is text", {"rounding": "6603"}, "should be an account"),
    ("a code with a line break", {"output_vat": {"code": "22\n21", "name": "税"}}, "control character"),
    ("a bad negative rule", {"negative": "minus"}, "negative"),
    ("a voucher number of zero", {"first_number": 0}, "first_number"),
    ("a summary with an unknown field", {"summary": "{day} {what}"}, "summary"),
    ("an unknown style", {"columns": {"sap": ["日期"]}}, "sap"),
    ("a column the style has not", {"columns": {"yonyou": ["凭证号", "科目代码", "借方", "贷方"]}}, "科目代码"),
    ("a column twice", {"columns": {"yonyou": ["科目编码", "借方", "贷方", "借方"]}}, "twice"),
    ("no credit column", {"columns": {"kingdee": ["科目代码", "借方金额"]}}, "credit"),
    ("columns not a list", {"columns": {"kingdee": "科目代码,借方金额"}}, "list of column names"),
]


@pytest.mark.parametrize(("what", "change", "words"), BAD_MAPPINGS, ids=[b[0] for b in BAD_MAPPINGS])
def test_every_mapping_mistake_is_one_plain_sentence_in_both_languages(what, change, words) -> None:  # noqa: ANN001
    with pytest.raises(VoucherError) as exc:
        if isinstance(change, str):
            parse_mapping(change)
        else:
            mapping(**change)
    err = exc.value
    assert words in err.message
    assert "\n" not in err.message and "Traceback" not in err.message and "{'" not in err.message
    assert HAN.search(err.message_zh) and err.message_zh != err.message


def test_the_example_mapping_parses_and_bytes_with_a_bom_are_read() -> None:
    raw = (ROOT / "resources" / "vouchers" / "mapping-example.json").read_bytes()
    m = parse_mapping(b"\xef\xbb\xbf" + raw)
    assert m.tenders["account"].name == "应收账款" and m.rounding is not None and m.word == "记"
    assert m.revenue_account("6%").code == "6001"  # "*" covers every other rate
    with pytest.raises(VoucherError) as exc:
        parse_mapping(b"\xff\xfe{")
    assert "UTF-8" in exc.value.message
