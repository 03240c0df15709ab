"""A manager imports a promotion file: good rows become promotions, and a file with any bad row is
refused whole with every problem named by row, column and a sentence in English and Chinese."""

from __future__ import annotations

import csv
from datetime import datetime, time
from pathlib import Path

import pytest

from pos.domain.promo_file import PromoFileError, parse_promotions
from pos.domain.promotions import PromoBook, PromoItem, PromoKind, Promotion, Selector

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "promotions-demo.csv"


def rows(text: str) -> list[dict[str, str]]:
    """A small CSV written inline (``|`` between cells, as in the stories)."""
    lines = [[c.strip() for c in line.split("|")] for line in text.strip().splitlines()]
    return [dict(zip(lines[0], r, strict=True)) for r in lines[1:]]


def refused(text: str) -> list[tuple[int, str]]:
    with pytest.raises(PromoFileError) as exc:
        parse_promotions(rows(text), version=1)
    for e in exc.value.errors:
        assert e.message_en and e.message_zh and e.message_en != e.message_zh
    return [(e.row, e.column) for e in exc.value.errors]


def test_the_demo_file_has_one_promotion_of_each_kind_for_the_demo_store() -> None:
    with DEMO.open(encoding="utf-8", newline="") as f:
        promos = parse_promotions(csv.DictReader(f), version=3)
    assert {p.kind for p in promos} == set(PromoKind)
    assert all(p.version == 3 for p in promos)
    by_name = {p.name: p for p in promos}
    half = by_name["枇杷礼盒第二件半价"]
    assert (half.kind, half.n, half.pct_bp, half.scope) == (PromoKind.NTH_PCT, 2, 5000, (Selector("sku", "MX-G003"),))
    basket = by_name["全场满100减10"]
    assert (basket.threshold_fen, basket.off_fen, basket.scope) == (10_000, 1_000, (Selector("all"),))
    # The shopper: two 枇杷 gift boxes and 1.5 kg of 枇杷, at the demo store, with a member.
    cart = [PromoItem(0, "MX-G003", "礼盒", "茂县", False, 2, 12800, 25600),
            PromoItem(1, "MX-F005", "水果", "茂县", True, 1500, 1980, 2970)]
    result = PromoBook.build(promos).apply(cart, member_tier="普通", at=datetime(2026, 12, 4, 15, 0))
    assert [(a.name, a.off_fen) for a in result.applied] == [("枇杷礼盒第二件半价", 6400), ("全场满100减10", 1000)]


def test_chinese_headers_and_words_read_the_same_as_english() -> None:
    (p,) = parse_promotions(rows("""
        编号 | 名称 | 类型 | 范围 | 排除 | 门槛 | 优惠 | 重复 | 开始 | 结束 | 时段 | 星期 | 会员专享 | 可叠加 | 优先级
        Z1 | 周末满200打85折 | 满折 | category:水果；产地:茂县 | 商品:MX-F008 | 200 | 8.5折 | 否 | 2026-12-01 | 2026-12-31 18:00 | 08:00-12:00；18:00-24:00 | 6,7 | 是 | 是 | 3
    """), version=2)
    assert p == Promotion(
        id="Z1", version=2, name="周末满200打85折", kind=PromoKind.SPEND_PCT,
        scope=(Selector("category", "水果"), Selector("origin", "茂县")), exclude=(Selector("sku", "MX-F008"),),
        threshold_fen=20_000, pct_bp=1500, start=datetime(2026, 12, 1), end=datetime(2026, 12, 31, 18, 0),
        hours=((time(8), time(12)), (time(18), time.max)), weekdays=frozenset({6, 7}),
        members_only=True, stackable=True, priority=3)


@pytest.mark.parametrize(("value", "bp"), [("20%", 2000), ("8折", 2000), ("8.5折", 1500), ("半价", 5000),
                                           ("12.5%", 1250), ("100%", 10000), ("９折", 1000)])
def test_a_discount_is_the_part_taken_off(value: str, bp: int) -> None:
    (p,) = parse_promotions(rows(f"""
        id | name | kind | scope | value | n | repeat
        H | 第二件 | 第N件 | sku:MX-S001 | {value} | 2 | yes
    """), version=1)
    assert p.pct_bp == bp


@pytest.mark.parametrize("value", ["八折", "120%", "0%", "10折", "0折", "20", "8.5555折", "abc"])
def test_a_discount_that_is_not_one_is_refused(value: str) -> None:
    assert refused(f"""
        id | name | kind | scope | threshold | value
        S | 满折 | spend_pct | all | 100 | {value}
    """) == [(2, "value")]


def test_money_is_yuan_to_the_fen_and_never_rounded() -> None:
    (a, b) = parse_promotions(rows("""
        id | name | kind | scope | threshold | value
        A | 满99.90减9.99 | 满减 | all | 99.90 | 9.99
        B | 特价 | 特价 | sku:MX-F008 | | ￥29.8
    """), version=1)
    assert (a.threshold_fen, a.off_fen, b.price_fen) == (9990, 999, 2980)
    assert refused("""
        id | name | kind | scope | threshold | value
        A | 满减 | 满减 | all | 100 | 9.999
        B | 特价 | 特价 | sku:MX-F008 | | 0
    """) == [(2, "value"), (3, "value")]


def test_a_file_with_bad_rows_is_refused_whole_and_every_bad_row_is_named() -> None:
    problems = refused("""
        id | name | kind | scope | threshold | value | n | m | start | end | hours | weekdays | stackable | gift
        OK | 满100减10 | 满减 | all | 100 | 10 | | | | | | | yes |
        K1 | 打折 | discount | all | | 10% | | | | | | | |
        K2 | 买赠 | 买赠 | sku:MX-E002 | | 5 | 2 | | | | | | |
        K3 | 特价 | 特价 | shelf:3 | | 9.90 | | | 2026-12-31 | 2026-12-01 | 8-10 | 1-8 | maybe |
        OK | 重复 | 满减 | all | 100 | 10 | | | | | | | |
        K5 | 第二件 | 第N件 | sku:MX-S001 | | 50% | | | | | | | | MX-H002
    """)
    assert problems == [
        (3, "kind"),
        (4, "value"), (4, "m"),
        (5, "scope"), (5, "end"), (5, "hours"), (5, "weekdays"), (5, "stackable"),
        (6, "id"),
        (7, "n"), (7, "gift"),
    ]


def test_the_messages_name_row_column_and_problem_in_both_languages() -> None:
    with pytest.raises(PromoFileError) as exc:
        parse_promotions(rows("""
            id | name | kind | scope | value
            A | 特价 | 特价 | sku:MX-F008 | 29.8.0
        """), version=1)
    (e,) = exc.value.errors
    assert str(e) == "row 2, value: '29.8.0' is not an amount in yuan (write it like 12.80)"
    assert e.text_zh == "第2行，优惠：“29.8.0”不是有效金额（请写成 12.80 这样的格式）"
    assert "nothing was imported" in exc.value.message and "未导入" in exc.value.message_zh


def test_a_wrong_header_is_refused_before_any_row() -> None:
    assert refused("""
        id | 编号 | name | kind | price
        A | B | n | 满减 | 1
    """) == [(1, ""), (1, ""), (1, "scope")]


def test_a_kind_needs_its_own_columns() -> None:
    assert refused("""
        id | name | kind | scope | threshold | value | n | m
        A | 满减 | spend_off | all | | 10 | |
        B | 买赠 | buy_get | all | | | 2 |
        C | 第N件 | nth_pct | all | 100 | 50% | |
        D | 组合 | bundle | sku:MX-N001;category:干货 | | 99 | |
    """) == [(2, "threshold"), (3, "m"), (4, "threshold"), (4, "n"), (5, "scope")]


def test_blank_rows_are_skipped_and_an_empty_file_is_refused() -> None:
    promos = parse_promotions([{"id": "A", "name": "满减", "kind": "满减", "scope": "all", "threshold": "100",
                                "value": "10"}, {"id": "", "name": "", "kind": "", "scope": "", "threshold": "",
                                                 "value": ""}], version=1)
    assert [p.id for p in promos] == ["A"]
    with pytest.raises(PromoFileError):
        parse_promotions([], version=1)


def test_a_cell_beyond_the_header_is_refused() -> None:
    # csv.DictReader puts cells beyond the header under the key None.
    with pytest.raises(PromoFileError) as exc:
        parse_promotions([{"id": "A", "name": "满减", "kind": "满减", "scope": "all", "threshold": "100",
                           "value": "10", None: ["stray"]}], version=1)  # type: ignore[dict-item]
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "")]


def test_weekdays_hours_and_dates_as_people_write_them() -> None:
    (p,) = parse_promotions(rows("""
        id | name | kind | scope | value | weekdays | hours | start | end
        A | 夜市特价 | 特价 | sku:MX-F008 | 29.80 | 1-3;5 | 22:00-02:00 | 2026-12-01 20:00 | 2026-12-02
    """), version=1)
    assert p.weekdays == frozenset({1, 2, 3, 5})
    assert p.hours == ((time(22), time(2)),)
    assert (p.start, p.end) == (datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 2, 23, 59))
    assert p.active_at(datetime(2026, 12, 1, 23, 0)) and p.active_at(datetime(2026, 12, 2, 1, 59))
    assert not p.active_at(datetime(2026, 12, 2, 2, 0))
