"""Catalogue import rules: header mapping and row validation (pure, no files)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from pos.domain import catalog_import
from pos.domain.barcodes import with_check_digit
from pos.domain.catalog import Product, SoldBy
from pos.domain.catalog_import import (
    EXPORT_HEADER,
    CatalogImport,
    RowError,
    format_tax_rate,
    map_header,
    product_to_row,
    validate_rows,
)

APPLE_EAN = with_check_digit("694583700001")
HONEY_EAN = with_check_digit("697231600002")
HEADER = ["sku", "barcode", "name", "category", "origin", "unit", "price", "sold_by", "plu", "tax_rate"]


def numbered(*rows: list[str], first: int = 2) -> list[tuple[int, list[str]]]:
    return [(first + i, list(r)) for i, r in enumerate(rows)]


def apple(**over: str) -> list[str]:
    cells = {"sku": "MX-F001", "barcode": "", "name": "茂县冰糖心苹果", "category": "水果", "origin": "茂县",
             "unit": "", "price": "12.80", "sold_by": "weight", "plu": "101", "tax_rate": "9"}
    cells.update(over)
    return [cells[h] for h in HEADER]


def honey(**over: str) -> list[str]:
    cells = {"sku": "MX-H001", "barcode": HONEY_EAN, "name": "松阳土蜂蜜 500g", "category": "蜂蜜", "origin": "松阳",
             "unit": "瓶", "price": "88.00", "sold_by": "unit", "plu": "", "tax_rate": "9"}
    cells.update(over)
    return [cells[h] for h in HEADER]


def errors_at(result: CatalogImport) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in result.errors}


# --- the happy path -------------------------------------------------------------------------


def test_a_good_file_gives_products_with_fen_prices_and_defaults() -> None:
    result = validate_rows(HEADER, numbered(apple(), honey()))

    assert result.ok and result.rows_checked == 2
    weighed, counted = result.products
    assert weighed == Product(sku="MX-F001", name="茂县冰糖心苹果", price_fen=1280, sold_by=SoldBy.WEIGHT,
                              barcode=None, category="水果", origin="茂县", unit="kg", plu="101", tax_rate_bp=900)
    assert counted.price_fen == 8800 and counted.sold_by is SoldBy.UNIT and counted.barcode == HONEY_EAN
    assert counted.unit == "瓶" and counted.active is True


def test_chinese_headers_with_odd_case_spaces_and_units_in_brackets_map_to_fields() -> None:
    header = [" 商品编码 ", "条形码", "商品名称", "类别", "产地", "单位", "单价（元）", "计价方式", "PLU", "税率(%)",
              "款式", "尺码", "颜色", "在售"]
    row = ["PM-YRF01-BLK-M", with_check_digit("697056200017"), "平湖男款连帽羽绒服", "服装", "平湖", "", "599",
           "按件", "", "13%", "羽绒服-男款连帽", "M", "黑色", "是"]

    result = validate_rows(header, numbered(row))

    assert result.ok, result.errors
    (down,) = result.products
    assert (down.price_fen, down.unit, down.tax_rate_bp) == (59900, "件", 1300)
    assert (down.style, down.size, down.color, down.active) == ("羽绒服-男款连帽", "M", "黑色", True)


@pytest.mark.parametrize("spelling", ["Sold By", "SOLD_BY", "sold-by", "soldby", "计价方式"])
def test_header_spellings_of_sold_by(spelling: str) -> None:
    columns, errors = map_header(["sku", "name", "price", spelling])
    assert errors == [] and columns["sold_by"] == 3


def test_without_a_sold_by_column_everything_is_sold_by_the_unit() -> None:
    result = validate_rows(["SKU", "Name", "Price"], numbered(["PM-BAG-003", "平湖双肩电脑包", "129.00"]))

    assert result.ok
    assert result.products[0].sold_by is SoldBy.UNIT and result.products[0].unit == "件"
    assert result.products[0].tax_rate_bp is None and result.products[0].barcode is None


@pytest.mark.parametrize(("word", "sold_by"), [("unit", SoldBy.UNIT), ("按件", SoldBy.UNIT), ("计件", SoldBy.UNIT),
                                               ("Weight", SoldBy.WEIGHT), ("称重", SoldBy.WEIGHT), ("计重", SoldBy.WEIGHT)])
def test_sold_by_words(word: str, sold_by: SoldBy) -> None:
    result = validate_rows(HEADER, numbered(apple(sold_by=word)))
    assert result.products[0].sold_by is sold_by


@pytest.mark.parametrize(("text", "bp"), [("13", 1300), ("9", 900), ("13%", 1300), ("9％", 900), ("5.5", 550),
                                          ("0", 0), ("100", 10000), ("", None)])
def test_tax_rate_percent_becomes_basis_points(text: str, bp: int | None) -> None:
    result = validate_rows(HEADER, numbered(honey(tax_rate=text)))
    assert result.products[0].tax_rate_bp == bp


@pytest.mark.parametrize(("text", "active"), [("", True), ("yes", True), ("在售", True), ("no", False),
                                              ("否", False), ("停售", False), ("0", False)])
def test_active_column(text: str, active: bool) -> None:
    result = validate_rows(["sku", "name", "price", "active"], numbered(["MX-F009", "松阳杨梅", "39.80", text]))
    assert result.products[0].active is active


@pytest.mark.parametrize("unit", ["", "kg", "KG", "千克", "公斤"])
def test_weighed_goods_are_always_per_kg(unit: str) -> None:
    assert validate_rows(HEADER, numbered(apple(unit=unit))).products[0].unit == "kg"


def test_blank_rows_are_skipped_and_row_numbers_are_kept_as_given() -> None:
    rows = [(2, apple()), (3, ["", " ", ""]), (9, honey(price="abc"))]

    result = validate_rows(HEADER, rows)

    assert result.rows_checked == 2
    assert errors_at(result) == {(9, "price")}


# --- the header -----------------------------------------------------------------------------


def test_missing_required_columns_are_reported_on_row_1_and_no_row_is_checked() -> None:
    result = validate_rows(["sku", "barcode"], numbered(["MX-1", "not-checked-anyway"]))

    assert errors_at(result) == {(1, "name"), (1, "price")}
    assert result.products == () and result.rows_checked == 0
    assert "the required column 'price' is missing" in str(result.errors[1])


def test_unknown_and_repeated_headers_are_refused() -> None:
    result = validate_rows(["sku", "name", "品名", "price", "store"], numbered(["MX-1", "a", "b", "1", "MX"]))

    reasons = [str(e) for e in result.errors]
    assert all(e.row == 1 for e in result.errors)
    assert any("column 3 '品名' repeats column 2" in r for r in reasons)
    assert any("column 5 'store' is not a catalogue column" in r for r in reasons)
    assert result.errors[1].reason_zh.startswith("第5列“store”不是商品目录的列")


def test_a_column_without_a_header_must_stay_empty() -> None:
    header = ["sku", "", "name", "price"]
    result = validate_rows(header, numbered(["MX-1", "", "核桃", "35"], ["MX-2", "oops", "花椒", "28", "", "extra"]))

    assert errors_at(result) == {(3, "")}
    assert [e.reason for e in result.errors] == ["'oops' in column 2 is in a column without a header",
                                                  "'extra' in column 6 is beyond the last column"]


def test_a_header_without_products_is_refused() -> None:
    result = validate_rows(HEADER, [(2, [""] * len(HEADER))])
    assert not result.ok and result.errors[0].row == 1 and "no products" in result.errors[0].reason


# --- bad rows -------------------------------------------------------------------------------


def test_several_bad_rows_are_all_reported_and_nothing_is_imported() -> None:
    rows = numbered(
        apple(),
        honey(sku="MX-H002", price="12.8.0"),
        honey(sku="MX-H003", barcode=HONEY_EAN[:-1] + str((int(HONEY_EAN[-1]) + 1) % 10)),
        honey(sku="MX-F001", barcode=""),
        honey(sku="MX-H005", barcode="", price="-26.00", sold_by="按斤"),
        honey(sku="", name="", barcode=""),
    )

    result = validate_rows(HEADER, rows)

    assert result.products == ()
    assert result.rows_checked == 6
    assert errors_at(result) == {(3, "price"), (4, "barcode"), (5, "sku"), (6, "price"), (6, "sold_by"),
                                 (7, "sku"), (7, "name")}
    by_row = {(e.row, e.column): str(e) for e in result.errors}
    assert by_row[(3, "price")].startswith("row 3, price: '12.8.0' is not an amount in yuan")
    assert "wrong check digit" in by_row[(4, "barcode")]
    assert by_row[(5, "sku")] == "row 5, sku: sku 'MX-F001' is also in row 2"
    assert "must not be negative" in by_row[(6, "price")]


def test_errors_within_a_row_read_left_to_right() -> None:
    result = validate_rows(HEADER, numbered(honey(sku="", price="x", tax_rate="y")))
    assert [e.column for e in result.errors] == ["sku", "price", "tax_rate"]


def test_duplicated_sku_names_both_rows_in_both_languages() -> None:
    result = validate_rows(HEADER, numbered(honey(), apple(), honey(barcode="")))

    (error,) = result.errors
    assert (error.row, error.column) == (4, "sku")
    assert error.reason == "sku 'MX-H001' is also in row 2"
    assert error.reason_zh == "商品编码“MX-H001”与第2行重复"
    assert error.message_zh == "第4行，商品编码：商品编码“MX-H001”与第2行重复"


def test_duplicated_barcode_and_plu_are_refused() -> None:
    rows = numbered(honey(), honey(sku="MX-H009"), apple(), apple(sku="MX-F002", plu="00101"))

    result = validate_rows(HEADER, rows)

    assert errors_at(result) == {(3, "barcode"), (5, "plu")}
    assert {e.reason for e in result.errors} == {f"barcode {HONEY_EAN} is also in row 2", "PLU 00101 is also in row 4"}


def test_wrong_check_digit_says_what_it_should_be() -> None:
    wrong = APPLE_EAN[:-1] + str((int(APPLE_EAN[-1]) + 1) % 10)
    result = validate_rows(HEADER, numbered(honey(barcode=wrong)))
    (error,) = result.errors
    assert error.column == "barcode" and f"expected {APPLE_EAN[-1]}" in error.reason and "校验位错误" in error.reason_zh


@pytest.mark.parametrize(
    ("price", "words"),
    [
        ("12.8.0", "is not an amount in yuan"),
        ("abc", "is not an amount in yuan"),
        ("-3.00", "must not be negative"),
        ("0", "must be more than 0.00"),
        ("0.00", "must be more than 0.00"),
        ("12.805", "more than two decimals"),
        ("", "price is empty"),
        ("99999999999", "too large"),
    ],
)
def test_bad_prices(price: str, words: str) -> None:
    result = validate_rows(HEADER, numbered(honey(price=price)))
    (error,) = result.errors
    assert error.column == "price" and words in error.reason and error.reason_zh


@pytest.mark.parametrize("price", ["12.8", "12.80", "￥12.80", "12.80元", "1,280"])
def test_prices_as_people_write_them(price: str) -> None:
    assert validate_rows(HEADER, numbered(honey(price=price))).products[0].price_fen in (1280, 128000)


@pytest.mark.parametrize("plu", ["123456", "12a", "-1", "１２"])
def test_bad_plu(plu: str) -> None:
    result = validate_rows(HEADER, numbered(apple(plu=plu)))
    assert errors_at(result) == {(2, "plu")} and "1 to 5 digits" in result.errors[0].reason


@pytest.mark.parametrize(("rate", "words"), [("abc", "not a tax rate"), ("130", "outside 0 to 100"),
                                             ("-1", "outside 0 to 100"), ("0.13", "looks like a fraction"),
                                             ("13.125", "more than two decimals")])
def test_bad_tax_rates(rate: str, words: str) -> None:
    result = validate_rows(HEADER, numbered(honey(tax_rate=rate)))
    assert errors_at(result) == {(2, "tax_rate")} and words in result.errors[0].reason


def test_bad_sold_by_unit_active_and_text() -> None:
    rows = numbered(
        apple(sold_by="按斤"),
        apple(sku="MX-F002", plu="102", unit="斤"),
        honey(sku="MX-H002", barcode="", sold_by=""),
        honey(sku="MX-H003", barcode="", name="松阳\n土蜂蜜"),
        honey(sku="MX H004", barcode=""),
    )
    result = validate_rows(HEADER + ["active"], [(n, [*cells, "maybe" if n == 2 else ""]) for n, cells in rows])

    assert errors_at(result) == {(2, "sold_by"), (2, "active"), (3, "unit"), (4, "sold_by"), (5, "name"), (6, "sku")}
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "must be kg" in reasons[(3, "unit")]
    assert "line break" in reasons[(5, "name")]
    assert "contains spaces" in reasons[(6, "sku")]


# --- export and purity ----------------------------------------------------------------------


@pytest.mark.parametrize(("bp", "text"), [(None, ""), (0, "0"), (900, "9"), (1300, "13"), (550, "5.5"), (1225, "12.25")])
def test_format_tax_rate(bp: int | None, text: str) -> None:
    assert format_tax_rate(bp) == text


def test_product_to_row_reads_back_to_the_same_product() -> None:
    down = Product(sku="PM-YRF02-RED-XL", name="平湖女款长款羽绒服", price_fen=69900, barcode=with_check_digit("697056200099"),
                   category="服装", origin="平湖", tax_rate_bp=1300, style="羽绒服-女款长款", size="XL", color="酒红",
                   active=False)
    melon = Product(sku="PM-XG-001", name="平湖西瓜", price_fen=680, sold_by=SoldBy.WEIGHT, unit="kg", plu="501")

    result = validate_rows(list(EXPORT_HEADER), numbered(product_to_row(down), product_to_row(melon)))

    assert result.products == (down, melon)


def test_row_error_without_a_column_reads_as_a_row() -> None:
    error = RowError(5, "", "something", "某事")
    assert str(error) == "row 5: something" and error.message_zh == "第5行：某事"


def test_catalog_import_uses_only_the_standard_library_and_the_domain() -> None:
    tree = ast.parse(Path(catalog_import.__file__).read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module}

    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


def test_a_wrong_file_lists_the_first_fifty_problems_and_counts_the_rest() -> None:
    from pos.domain.catalog_import import MAX_LISTED_PROBLEMS

    rows = [(n, [f"X{n}", "", "abc"]) for n in range(2, 30_002)]  # 30,000 rows, two problems each
    result = validate_rows(["sku", "name", "price"], rows)
    assert not result.ok and result.products == ()
    assert len(result.errors) == MAX_LISTED_PROBLEMS == 50
    assert result.problem_count == 60_000 and result.more_errors == 59_950
    assert [e.row for e in result.errors[:4]] == [2, 2, 3, 3]  # in file order, left to right


def test_a_file_with_a_few_problems_lists_them_all() -> None:
    result = validate_rows(["sku", "name", "price"], [(2, ["A", "", "1"]), (3, ["B", "b", "x"])])
    assert len(result.errors) == 2 and result.more_errors == 0 and result.problem_count == 2
