"""Receiving a delivery batch (收货) from a delivery note: stories a manager would notice (pure, no files)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.errors import InvalidInput
from pos.domain.money import weighed_amount
from pos.domain.receiving import (
    CERTIFICATE_REQUIRED_FROM,
    MAX_LISTED_PROBLEMS,
    ProductFacts,
    RowProblem,
    check_line,
    kept_until,
    map_header,
    parse_certificate_qr,
    parse_date,
    validate_delivery_note,
)
from pos.domain.stock import Lot

CATALOGUE = {
    "MX-APPLE": ProductFacts("MX-APPLE", weighed=True, category="水果", needs_certificate=True),
    "QT-EGG": ProductFacts("QT-EGG", category="鸡蛋", needs_certificate=True),
    "SY-BEEF": ProductFacts("SY-BEEF", weighed=True, category="牛肉", needs_certificate=True, needs_quarantine=True),
    "OIL-500": ProductFacts("OIL-500", category="山茶油"),
}
BARCODES = {"6945837000014": "OIL-500"}


def lookup(code: str) -> ProductFacts | None:
    return CATALOGUE.get(BARCODES.get(code, code))


ZH = ["批次号", "供应商", "联系方式", "到货日期", "商品编码", "数量", "进价（元）", "到期日", "生产日期", "保质期天数",
      "产地", "合格证编号", "合格证二维码", "检疫证明编号"]
EN = ["batch", "supplier", "supplier_contact", "arrival", "sku", "quantity", "unit_cost", "expiry", "production_date",
      "shelf_life_days", "origin", "certificate", "certificate_qr", "quarantine"]
BATCH = ["SHKC-2026-48", "山海快车", "0578-8123456", "2026-11-28"]
BLANK_BATCH = ["", "", "", ""]


def good_rows() -> list[tuple[int, list[str]]]:
    return [
        (2, BATCH + ["MX-APPLE", "80.5", "6.35", "2026-12-20", "", "", "茂县", "HGZ-5132-001", "", ""]),
        (3, BLANK_BATCH + ["QT-EGG", "300", "1.20", "", "2026/11/27", "30", "青田", "", "编号:HGZ-QT-77;产地:青田", ""]),
        (4, BLANK_BATCH + ["SY-BEEF", "12.345", "68.00", "20261205", "", "", "松阳", "HGZ-SY-9", "", "JY-3301-88"]),
    ]


def note(*rows: list[str]) -> list[tuple[int, list[str]]]:
    return [(2 + i, list(r)) for i, r in enumerate(rows)]


def row(sku: str = "OIL-500", qty: str = "24", cost: str = "45.00", expiry: str = "2027-11-01", *, batch: list[str] | None = None,
        production: str = "", days: str = "", origin: str = "", cert: str = "", qr: str = "", quarantine: str = "") -> list[str]:
    return (batch if batch is not None else BATCH) + [sku, qty, cost, expiry, production, days, origin, cert, qr, quarantine]


def refused_with(rows: list[tuple[int, list[str]]], header: list[str] = EN) -> list[RowProblem]:
    result = validate_delivery_note(header, rows, lookup)
    assert result.receipt is None and not result.ok
    return list(result.errors)


# --- good notes -------------------------------------------------------------------------------


def test_a_chinese_delivery_note_becomes_one_batch_of_lots_with_exact_cost():
    result = validate_delivery_note(ZH, good_rows(), lookup)
    assert result.ok and result.errors == ()
    receipt = result.receipt
    assert receipt is not None
    assert (receipt.batch, receipt.supplier, receipt.contact, receipt.arrival) == (
        "SHKC-2026-48", "山海快车", "0578-8123456", date(2026, 11, 28))
    apple, egg, beef = receipt.lines
    assert (apple.sku, apple.quantity, apple.weighed, apple.unit_cost_fen) == ("MX-APPLE", 80_500, True, 635)
    assert apple.cost_fen == 51_118  # 80.5 kg × 6.35 = 511.175 → 511.18 (half up)
    assert (egg.quantity, egg.unit_cost_fen, egg.cost_fen) == (300, 120, 36_000)
    assert egg.production_date == date(2026, 11, 27) and egg.expiry == date(2026, 12, 26)  # day one = production day
    assert egg.certificate_qr == "编号:HGZ-QT-77;产地:青田"
    assert (beef.quantity, beef.quarantine, beef.expiry) == (12_345, "JY-3301-88", date(2026, 12, 5))
    assert beef.cost_fen == 83_946  # 12.345 kg × 68.00 = 839.46
    assert receipt.total_cost_fen == 51_118 + 36_000 + 83_946
    assert receipt.kept_until == date(2027, 5, 28)


def test_an_english_note_with_barcodes_reads_the_same_as_the_chinese_one():
    header = ["Batch", "Supplier", "Supplier Contact", "Arrival", "barcode", "Quantity", "Unit Cost (yuan)", "Expiry"]
    rows = note(["SHKC-2026-49", "山海快车", "13800000000", "2026.12.05", "6945837000014", "24", "45", "2027-11-01"],
                ["", "", "", "", "6945837000014", "12", "45", "2028-01-01"])
    result = validate_delivery_note(header, rows, lookup)
    assert result.ok and result.receipt is not None
    assert [(line.sku, line.quantity, line.expiry) for line in result.receipt.lines] == [
        ("OIL-500", 24, date(2027, 11, 1)), ("OIL-500", 12, date(2028, 1, 1))]  # same sku, two expiries: two lots
    assert result.receipt.total_cost_fen == 36 * 4500
    assert result.receipt.arrival == date(2026, 12, 5)


@pytest.mark.parametrize("text", ["2026-11-28", "2026/11/28", "2026.11.28", "20261128", "46354", "46354.0",
                                  "2026-11-28 00:00:00", "２０２６－１１－２８"])
def test_every_date_spelling_suppliers_use_reads_as_the_same_day(text):
    assert parse_date(text) == date(2026, 11, 28)


@pytest.mark.parametrize("text", ["2026-02-30", "28/11/2026", "next friday", "2026-11-28 14:30", "0"])
def test_dates_that_are_not_real_or_ambiguous_are_refused(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text)
    assert "日期" in info.value.message_zh


# --- refusals, each with its row number in both languages ----------------------------------------

REFUSALS = [
    ("sub-gram weight", row("MX-APPLE", "12.3456", cert="H1"), "quantity", "more than 3 decimals", "超过三位小数"),
    ("units not whole", row("QT-EGG", "2.5", cert="H1"), "quantity", "whole number", "整数"),
    ("zero quantity", row(qty="0"), "quantity", "more than 0", "大于 0"),
    ("sub-fen cost", row(cost="6.355"), "unit_cost", "more than two decimals", "超过两位小数"),
    ("unknown sku", row("NOPE-1"), "sku", "not in the catalogue", "不在商品目录中"),
    ("no product", row(""), "sku", "sku or barcode", "商品编码或条码"),
    ("bad expiry", row(expiry="31/12/2027"), "expiry", "not a date", "不是日期"),
    ("no expiry at all", row(expiry=""), "expiry", "give the expiry date", "请填写到期日"),
    ("production without shelf life", row(expiry="", production="2026-11-01"), "shelf_life_days", "shelf life",
     "保质期天数"),
    ("expiry disagrees", row(expiry="2027-01-01", production="2026-11-01", days="30"), "expiry", "does not match",
     "不符"),
    ("expired on arrival", row(expiry="2026-11-27"), "expiry", "before arrival", "早于到货日期"),
    ("produced after arrival", row(expiry="", production="2026-11-29", days="10"), "production_date", "after arrival",
     "晚于到货日期"),
    ("eggs without 合格证", row("QT-EGG", "30", "1.2"), "certificate", "承诺达标合格证", "须附承诺达标合格证"),
    ("beef without quarantine", row("SY-BEEF", "5", "68", cert="H1"), "quarantine", "quarantine certificate",
     "检疫合格证明"),
    ("line break in origin", row(origin="茂县\n叠溪"), "origin", "line break", "换行"),
    ("bad arrival", row(batch=["SHKC-2026-48", "山海快车", "0578", "2026-13-01"]), "arrival", "not a real date",
     "不是有效日期"),
    ("no supplier", row(batch=["SHKC-2026-48", "", "0578", "2026-11-28"]), "supplier", "empty", "为空"),
]


@pytest.mark.parametrize(("story", "bad_row", "column", "english", "chinese"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_one_bad_row_refuses_the_whole_note_naming_its_row(story, bad_row, column, english, chinese):
    if column in ("arrival", "supplier"):
        rows = [(2, bad_row)]  # a batch field is read from the first row
    else:
        rows = [(2, row()), (3, row(expiry="2028-01-01", batch=BLANK_BATCH)), (4, BLANK_BATCH + bad_row[4:])]
    errors = refused_with(rows)
    where = rows[-1][0]
    problem = next(e for e in errors if e.column == column)
    assert problem.row == where
    assert str(problem).startswith(f"row {where}, {column}: ") and english in str(problem)
    assert problem.message_zh.startswith(f"第{where}行，") and chinese in problem.message_zh


def test_batch_fields_that_differ_between_rows_are_refused_one_note_one_batch():
    other = ["SHKC-2026-48", "山海快车", "0578-8123456", "2026-11-29"]
    errors = refused_with(note(row(), row(expiry="2028-01-01", batch=other), row(expiry="2029-01-01",
                                                                              batch=["SHKC-2026-47", "", "", ""])))
    assert [(e.row, e.column) for e in errors] == [(3, "arrival"), (4, "batch")]
    assert "differs from '2026-11-28' in row 2" in str(errors[0])
    assert errors[1].message_zh == "第4行，批次号：一张送货单只能是一个批次：批次号“SHKC-2026-47”与第2行的“SHKC-2026-48”不同"


def test_the_same_lot_twice_is_refused_not_merged_so_a_line_typed_twice_is_not_doubled():
    errors = refused_with(note(row(qty="24"), row(qty="24", batch=BLANK_BATCH)))
    assert [(e.row, e.column) for e in errors] == [(3, "sku")]
    assert "also in row 2" in str(errors[0]) and "与第2行重复" in errors[0].message_zh


def test_expiry_written_and_derived_from_production_date_may_both_be_given_when_they_agree():
    result = validate_delivery_note(EN, note(row(expiry="2026-12-07", production="2026-12-01", days="7",
                                                 batch=["B1", "山海快车", "0578", "2026-12-02"])), lookup)
    assert result.ok and result.receipt is not None and result.receipt.lines[0].expiry == date(2026, 12, 7)


def test_weighed_goods_arrive_in_kg_and_are_kept_as_grams():
    result = validate_delivery_note(EN, note(row("MX-APPLE", "80", "6.35", cert="H1"),
                                             row("MX-APPLE", "0.5", "6.35", "2027-01-01", cert="H1", batch=BLANK_BATCH),
                                             row("MX-APPLE", "1.001kg", "6.35", "2027-02-01", cert="H1", batch=BLANK_BATCH)),
                                    lookup)
    assert result.receipt is not None
    assert [line.quantity for line in result.receipt.lines] == [80_000, 500, 1_001]
    assert [line.cost_fen for line in result.receipt.lines] == [50_800, 318, 636]  # 3.175 → 3.18, 6.356… → 6.36


def test_the_certificate_rule_starts_on_2026_02_01():
    before = ["B0", "山海快车", "0578", (CERTIFICATE_REQUIRED_FROM - timedelta(days=1)).isoformat()]
    result = validate_delivery_note(EN, note(row("QT-EGG", "30", "1.2", batch=before)), lookup)
    assert result.ok
    on_the_day = ["B1", "山海快车", "0578", CERTIFICATE_REQUIRED_FROM.isoformat()]
    assert [e.column for e in refused_with(note(row("QT-EGG", "30", "1.2", batch=on_the_day)))] == ["certificate"]


def test_a_scanned_qr_alone_is_enough_for_the_certificate_rule():
    result = validate_delivery_note(EN, note(row("QT-EGG", "30", "1.2", qr="https://hgz.example.cn/c/8F3A")), lookup)
    assert result.ok and result.receipt is not None
    assert result.receipt.lines[0].certificate_qr == "https://hgz.example.cn/c/8F3A"


def test_a_qr_that_disagrees_with_the_row_warns_the_manager_but_does_not_refuse():
    qr = "品名:土鸡蛋;数量:300枚;产地:缙云;日期:2026-11-30;开具人:王某;联系方式:138"
    result = validate_delivery_note(EN, note(row("QT-EGG", "300", "1.2", origin="青田", cert="HGZ-1", qr=qr)), lookup)
    assert result.ok
    assert [(w.row, w.column) for w in result.warnings] == [(2, "certificate_qr"), (2, "certificate_qr")]
    assert "origin 缙云" in str(result.warnings[0]) and "产地为 缙云" in result.warnings[0].message_zh
    assert "after arrival" in str(result.warnings[1])


def test_a_qr_payload_is_read_when_labelled_and_kept_whole_otherwise():
    qr = parse_certificate_qr("编号：HGZ-77；品名：枇杷；产地：茂县；日期：20261126；开具人：李")
    assert (qr.number, qr.name, qr.origin, qr.issued, qr.issuer) == ("HGZ-77", "枇杷", "茂县", date(2026, 11, 26), "李")
    opaque = parse_certificate_qr("A7F3-99B2-0C41")
    assert not opaque.structured and opaque.raw == "A7F3-99B2-0C41"
    for bad in ("line\nbreak", "x" * 1001):
        with pytest.raises(InvalidInput):
            parse_certificate_qr(bad)


# --- header -------------------------------------------------------------------------------------


def test_a_wrong_header_is_refused_before_any_row_is_read():
    _, errors = map_header(["batch", "supplier", "supplier_contact", "arrival", "quantity", "unit_cost", "price"])
    texts = [str(e) for e in errors]
    assert any("column 7 'price' is not a delivery note column" in t for t in texts)
    assert any("'sku' or a 'barcode'" in t for t in texts)
    assert any("'expiry' column" in t for t in texts)
    assert all(e.row == 1 for e in errors)
    result = validate_delivery_note(["batch"], note(row()), lookup)
    assert result.rows_checked == 0 and any("供应商" in e.message_zh for e in result.errors)


# --- the scanner screen --------------------------------------------------------------------------


def test_the_receiving_screen_checks_a_scanned_line_with_the_same_rules():
    ok = check_line({"barcode": "6945837000014", "quantity": "6", "unit_cost": "45.00", "expiry": "2027-11-01"},
                    arrival=date(2026, 11, 28), lookup=lookup)
    assert ok.ok and ok.line is not None and (ok.line.sku, ok.line.quantity, ok.line.cost_fen) == ("OIL-500", 6, 27_000)
    bad = check_line({"sku": "SY-BEEF", "quantity": "5.0001", "unit_cost": "68", "expiry": "2026-12-05"},
                     arrival=date(2026, 11, 28), lookup=lookup)
    assert not bad.ok
    assert [e.column for e in bad.errors] == ["quantity", "certificate", "quarantine"]
    assert bad.errors[0].message_zh.startswith("本行，数量：") and str(bad.errors[0]).startswith("this line, quantity:")


def test_the_receiving_screen_refuses_the_same_lot_twice_and_a_barcode_of_another_product():
    first = check_line({"sku": "OIL-500", "quantity": "6", "unit_cost": "45", "expiry": "2027-11-01"},
                       arrival=date(2026, 11, 28), lookup=lookup)
    assert first.line is not None
    again = check_line({"barcode": "6945837000014", "quantity": "2", "unit_cost": "45", "expiry": "2027-11-01"},
                       arrival=date(2026, 11, 28), lookup=lookup, lines_so_far=[first.line])
    assert not again.ok and "already on the list" in str(again.errors[0]) and "已在列表中" in again.errors[0].message_zh
    other_expiry = check_line({"sku": "OIL-500", "quantity": "2", "unit_cost": "45", "expiry": "2027-12-01"},
                              arrival=date(2026, 11, 28), lookup=lookup, lines_so_far=[first.line])
    assert other_expiry.ok
    mixed = check_line({"sku": "QT-EGG", "barcode": "6945837000014", "quantity": "2", "unit_cost": "45",
                        "expiry": "2027-11-01", "certificate": "H1"}, arrival=date(2026, 11, 28), lookup=lookup)
    assert [e.column for e in mixed.errors] == ["barcode"] and "is OIL-500, not QT-EGG" in str(mixed.errors[0])


# --- a big wrong file ----------------------------------------------------------------------------


def test_a_wrong_file_of_30000_rows_lists_the_first_problems_and_counts_the_rest():
    # Every row after the first gives a fraction of a bottle of oil; each row is different, as in a real file.
    # (How fast a big note is checked belongs in bench/, not in a timed test.)
    rows = [(2, row())] + [(n, BLANK_BATCH + ["OIL-500", f"{n % 97}.5", f"{40 + n % 9}.{n % 100:02d}",
                                              (date(2027, 1, 1) + timedelta(days=n % 400)).isoformat()])
                           for n in range(3, 30_002)]
    result = validate_delivery_note(EN, rows, lookup)
    assert result.receipt is None and result.rows_checked == 30_000
    assert len(result.errors) == MAX_LISTED_PROBLEMS and result.problem_count == 29_999
    assert (result.errors[0].row, result.errors[-1].row) == (3, 52)


# --- properties ----------------------------------------------------------------------------------


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_records_are_kept_six_calendar_months_and_never_less(arrival):
    until = kept_until(arrival)
    assert (until.year * 12 + until.month) - (arrival.year * 12 + arrival.month) == 6
    assert until.day == arrival.day or (until.day < arrival.day and (until + timedelta(days=1)).day == 1)
    assert 181 <= (until - arrival).days <= 184
    assert kept_until(arrival + timedelta(days=1)) >= until


def test_kept_until_at_month_ends():
    assert kept_until(date(2026, 8, 31)) == date(2027, 2, 28)
    assert kept_until(date(2027, 8, 31)) == date(2028, 2, 29)
    assert kept_until(date(2026, 12, 31)) == date(2027, 6, 30)


@given(st.lists(st.tuples(st.booleans(), st.integers(1, 200_000), st.integers(1, 99_999)), min_size=1, max_size=20))
def test_the_batch_total_is_exactly_what_its_lots_will_cost(specs):
    rows = []
    for i, (weighed, qty, cost) in enumerate(specs):
        sku = "MX-APPLE" if weighed else "OIL-500"
        text = f"{qty // 1000}.{qty % 1000:03d}" if weighed else str(qty)
        expiry = (date(2027, 1, 1) + timedelta(days=i)).isoformat()
        rows.append(row(sku, text, f"{cost // 100}.{cost % 100:02d}", expiry, cert="H1",
                        batch=BATCH if i == 0 else BLANK_BATCH))
    result = validate_delivery_note(EN, note(*rows), lookup)
    assert result.receipt is not None, result.errors
    lots = [Lot(f"L{i}", line.sku, result.receipt.batch, line.quantity, line.unit_cost_fen, result.receipt.arrival,
                line.expiry, per_kg=line.weighed) for i, line in enumerate(result.receipt.lines)]
    assert result.receipt.total_cost_fen == sum(lot.total_cost_fen for lot in lots)
    assert result.receipt.total_cost_fen == sum(
        weighed_amount(c, q) if w else q * c for w, q, c in specs)
