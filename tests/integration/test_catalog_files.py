"""Catalogue files on disk: the demo catalogues, encodings, XLSX cells, refusals, round trips."""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.catalog_files import CatalogFileError, cell_text, read_catalog_file, write_catalog_csv
from pos.domain.barcodes import is_valid_ean13, with_check_digit
from pos.domain.catalog import Product, SoldBy
from pos.domain.catalog_import import CatalogImport, validate_rows
from pos.domain.money import MAX_AMOUNT_FEN

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"

CHINESE_CSV = (
    "商品编码,条码,品名,类别,产地,单位,单价,计价方式,PLU,税率\r\n"
    "MX-G101,,茂县冰糖心苹果,水果,茂县,kg,12.80,称重,121,9%\r\n"
    f"MX-G103,{with_check_digit('697231699001')},松阳山茶油 500ml,粮油,松阳,瓶,98.00,按件,,9\r\n"
    '"MX-G105",,"羌绣香包, 小号",工艺品,茂县,个,38.00,计件,,13%\r\n'
)


def import_file(path: Path) -> CatalogImport:
    f = read_catalog_file(path)
    return validate_rows(f.header, f.rows, header_row=f.header_row)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- the demo catalogues --------------------------------------------------------------------


@pytest.mark.parametrize(("store", "at_least"), [("MX", 40), ("PM", 25)])
def test_a_manager_imports_the_demo_catalogue_without_errors(store: str, at_least: int) -> None:
    result = import_file(DEMO / f"catalog_{store}.csv")

    assert result.errors == ()
    assert len(result.products) >= at_least
    assert all(p.sku.startswith(f"{store}-") for p in result.products)


def test_demo_catalogues_are_consistent_across_both_stores() -> None:
    products = import_file(DEMO / "catalog_MX.csv").products + import_file(DEMO / "catalog_PM.csv").products

    assert len({p.sku for p in products}) == len(products) >= 70
    barcodes = [p.barcode for p in products if p.barcode]
    assert len(set(barcodes)) == len(barcodes)
    assert all(is_valid_ean13(b) and 690 <= int(b[:3]) <= 699 for b in barcodes)
    for p in products:
        if p.weighed:
            assert p.plu and p.barcode is None and p.unit == "kg", p
        else:
            assert p.barcode, p
        # A mixed gift box is "多地": its components carry their own counties for 消费帮扶 reports.
        counties = {"茂县", "松阳", "青田", "九寨沟", "平湖"} | ({"多地"} if p.category == "礼盒" else set())
        assert p.category and p.origin in counties and p.tax_rate_bp in (900, 1300)


def test_demo_mx_has_the_partner_county_goods() -> None:
    products = import_file(DEMO / "catalog_MX.csv").products
    names = " ".join(p.name for p in products)
    for word in ("冰糖心苹果", "枇杷", "花椒", "核桃", "羌绣", "黄牛肉", "山茶油", "土蜂蜜", "古法红糖", "土鸡蛋",
                 "稻鱼米", "脆红李", "大礼包"):
        assert word in names, word
    weighed = {p.name for p in products if p.weighed}
    assert any("冰糖心苹果" in n for n in weighed) and any("黄牛肉" in n for n in weighed)
    assert any("脆红李" in n for n in weighed)


def test_demo_pm_has_down_jackets_in_styles_sizes_and_colours() -> None:
    products = import_file(DEMO / "catalog_PM.csv").products
    jackets = [p for p in products if "羽绒服" in p.name]
    styles = Counter(p.style for p in jackets)

    assert len(styles) >= 2
    for style in styles:
        variants = [p for p in jackets if p.style == style]
        assert {p.size for p in variants} >= {"M", "L", "XL"}
        assert len({p.color for p in variants}) >= 2
        assert len({(p.size, p.color) for p in variants}) == len(variants)
    assert all(39900 <= p.price_fen <= 69900 for p in jackets)
    names = " ".join(p.name for p in products)
    assert "箱包" in {p.category for p in products} and "保温杯" in names and "糟蛋" in names
    assert any("西瓜" in p.name and p.weighed for p in products)
    assert any(p.origin == "茂县" for p in products)


def test_the_bad_example_reports_every_bad_row() -> None:
    result = import_file(DEMO / "catalog_bad_example.csv")

    assert result.products == ()
    assert {e.row for e in result.errors} == {3, 4, 5, 6}
    assert all(e.reason and e.reason_zh for e in result.errors)


def test_the_gbk_sample_reads_with_chinese_headers() -> None:
    f = read_catalog_file(DEMO / "catalog_gbk_sample.csv")
    assert f.encoding == "gb18030" and f.header[0] == "商品编码"
    result = validate_rows(f.header, f.rows)
    assert result.ok and len(result.products) >= 4


# --- encodings ------------------------------------------------------------------------------


def test_a_gbk_file_reads_the_same_as_utf8(tmp_path: Path) -> None:
    utf8 = read_catalog_file(write(tmp_path / "u.csv", CHINESE_CSV.encode("utf-8")))
    gbk = read_catalog_file(write(tmp_path / "g.csv", CHINESE_CSV.encode("gbk")))

    assert (utf8.encoding, gbk.encoding) == ("utf-8", "gb18030")
    assert (gbk.header, gbk.rows) == (utf8.header, utf8.rows)
    result = validate_rows(gbk.header, gbk.rows)
    assert result.ok and [p.name for p in result.products] == ["茂县冰糖心苹果", "松阳山茶油 500ml", "羌绣香包, 小号"]
    assert result.products[0].sold_by is SoldBy.WEIGHT


def test_utf8_with_bom_does_not_leak_into_the_first_header(tmp_path: Path) -> None:
    f = read_catalog_file(write(tmp_path / "bom.csv", b"\xef\xbb\xbf" + CHINESE_CSV.encode("utf-8")))

    assert f.encoding == "utf-8-sig"
    assert f.header[0] == "商品编码"
    header, rows = f  # unpacks as the brief's (header, rows)
    assert validate_rows(header, rows).ok


def test_a_csv_in_neither_encoding_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="neither UTF-8 nor GBK"):
        read_catalog_file(write(tmp_path / "x.csv", b"sku,name,price\r\n\xff\xfe\xff,\x80,1\r\n"))


def test_a_binary_file_renamed_to_csv_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="not a text CSV"):
        read_catalog_file(write(tmp_path / "x.csv", "sku,name\r\n".encode("utf-16")))


def test_semicolon_and_tab_separated_files(tmp_path: Path) -> None:
    semi = read_catalog_file(write(tmp_path / "s.csv", "sku;name;price\nMX-1;核桃;35,00\n".encode()))
    tab = read_catalog_file(write(tmp_path / "t.csv", "sku\tname\tprice\nMX-1\t核桃\t35.00\n".encode()))
    assert semi.header == tab.header == ["sku", "name", "price"]
    assert tab.rows == [(2, ["MX-1", "核桃", "35.00"])]


def test_row_numbers_match_the_spreadsheet_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    text = "\r\nsku,name,price,,\r\nMX-1,核桃,35.00\r\n,,\r\n\r\nMX-2,\"花椒\n红袍\",abc\r\nMX-3,枸杞,x\r\n"
    f = read_catalog_file(write(tmp_path / "r.csv", text.encode()))

    assert f.header_row == 2 and f.header == ["sku", "name", "price"]
    assert [n for n, _ in f.rows] == [3, 6, 7]
    result = validate_rows(f.header, f.rows, header_row=f.header_row)
    assert {(e.row, e.column) for e in result.errors} == {(6, "name"), (6, "price"), (7, "price")}


# --- XLSX -----------------------------------------------------------------------------------


def test_an_xlsx_with_number_cells_reads_without_float_artefacts(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["SKU", "条码", "品名", "单价", "计价方式", "PLU", "税率", "在售", None])
    ws.append(["MX-N001", 6901234567892, "茂县核桃 500g", 35, "unit", None, 9, True])
    ws.append(["MX-F002", None, "茂县冰糖心苹果", 12.8, "称重", 102, 0.09, None])
    ws.append([None, None, None, None])
    ws.append(["MX-S001", with_check_digit("694583700001"), "茂县大红袍花椒", 12.799999999999999, "unit", None, 13, False])
    ws["G3"].number_format = "0%"
    path = tmp_path / "catalog.xlsx"
    wb.save(path)

    f = read_catalog_file(path)

    assert f.encoding == "xlsx"
    assert f.header == ["SKU", "条码", "品名", "单价", "计价方式", "PLU", "税率", "在售"]
    assert [n for n, _ in f.rows] == [2, 3, 5]
    assert f.rows[0][1][:4] == ["MX-N001", "6901234567892", "茂县核桃 500g", "35"]
    assert f.rows[1][1][3] == "12.8" and f.rows[1][1][6] == "9%"
    result = validate_rows(f.header, f.rows)
    assert result.ok, result.errors
    walnut, apple, pepper = result.products
    assert walnut.barcode == "6901234567892" and walnut.price_fen == 3500 and walnut.tax_rate_bp == 900
    assert (apple.price_fen, apple.plu, apple.sold_by, apple.tax_rate_bp) == (1280, "102", SoldBy.WEIGHT, 900)
    assert pepper.price_fen == 1280 and pepper.active is False


def test_an_xlsx_error_names_the_spreadsheet_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["sku", "name", "price"])
    ws.append(["PM-1", "保温杯", 79])
    ws.append(["PM-2", "拉杆箱", -299])
    wb.save(tmp_path / "bad.xlsx")

    result = import_file(tmp_path / "bad.xlsx")

    assert [(e.row, e.column) for e in result.errors] == [(3, "price")]


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (None, None, ""),
        (12.8, "General", "12.8"),
        (12.80, "0.00", "12.8"),
        (6901234567892, "General", "6901234567892"),
        (6901234567892.0, "General", "6901234567892"),
        (0.1 + 0.2, "General", "0.3"),
        (1e20, "General", "100000000000000000000"),
        (0.13, "0%", "13%"),
        (0.055, "0.0%", "5.5%"),
        (12345678905, "000000000000", "012345678905"),
        (True, None, "yes"),
        ("  核桃 ", None, "核桃"),
        (-3.5, None, "-3.5"),
        (0.0, None, "0"),
    ],
)
def test_cell_text(value: object, fmt: str | None, text: str) -> None:
    assert cell_text(value, fmt) == text


# --- refusals -------------------------------------------------------------------------------


def test_an_xls_file_is_refused_plainly(tmp_path: Path) -> None:
    path = write(tmp_path / "商品.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(CatalogFileError) as exc:
        read_catalog_file(path)
    assert "old Excel 97-2003 (.xls)" in str(exc.value) and ".xlsx" in str(exc.value)
    assert "另存为" in exc.value.message_zh


@pytest.mark.parametrize("name", ["catalog.txt", "catalog.json", "catalog"])
def test_other_file_types_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(CatalogFileError, match="only .csv and .xlsx can be imported"):
        read_catalog_file(write(tmp_path / name, b"sku,name,price\n"))


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="does not exist") as exc:
        read_catalog_file(tmp_path / "nope.csv")
    assert "不存在" in exc.value.message_zh
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(CatalogFileError, match="is a folder"):
        read_catalog_file(tmp_path / "dir.csv")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n , ,\r\n\r\n"])
def test_an_empty_csv_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(CatalogFileError, match="is empty"):
        read_catalog_file(write(tmp_path / "empty.csv", data))


def test_an_empty_xlsx_is_refused(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(CatalogFileError, match="is empty"):
        read_catalog_file(tmp_path / "empty.xlsx")


@pytest.mark.parametrize("data", [b"this is not a zip file at all", b"PK\x03\x04garbage" + b"\x00" * 64])
def test_a_corrupt_xlsx_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(CatalogFileError, match="not a readable .xlsx workbook"):
        read_catalog_file(write(tmp_path / "broken.xlsx", data))


def test_a_truncated_xlsx_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["sku", "name", "price"])
    wb.save(tmp_path / "full.xlsx")
    data = (tmp_path / "full.xlsx").read_bytes()
    with pytest.raises(CatalogFileError, match="not a readable .xlsx workbook"):
        read_catalog_file(write(tmp_path / "half.xlsx", data[: len(data) // 2]))


# --- export and round trip ------------------------------------------------------------------


def test_export_is_excel_friendly_utf8_with_bom(tmp_path: Path) -> None:
    products = import_file(DEMO / "catalog_PM.csv").products
    path = tmp_path / "export.csv"

    assert write_catalog_csv(path, products) == len(products)

    assert path.read_bytes().startswith(b"\xef\xbb\xbfsku,barcode,name")
    assert import_file(path).products == products
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_in_gb18030_reads_back(tmp_path: Path) -> None:
    products = import_file(DEMO / "catalog_MX.csv").products
    write_catalog_csv(tmp_path / "gb.csv", products, encoding="gb18030")
    assert read_catalog_file(tmp_path / "gb.csv").encoding == "gb18030"
    assert import_file(tmp_path / "gb.csv").products == products


def test_export_to_a_missing_folder_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="cannot write"):
        write_catalog_csv(tmp_path / "no" / "such" / "dir.csv", [])


# Cell text as a person would type it: no control characters or line breaks, no outer spaces.
_text_chars = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def _text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_text_chars, min_size=1, max_size=max_size).map(str.strip).filter(bool)


_ean13 = st.from_regex(r"69[0-9]{10}", fullmatch=True).map(with_check_digit)
_in_house = st.text(string.ascii_uppercase, min_size=1, max_size=2).flatmap(
    lambda head: st.text(string.ascii_letters + string.digits + "-_./", max_size=12).map(lambda tail: head + tail)
)


@st.composite
def _product(draw: st.DrawFn) -> Product:
    sold_by = draw(st.sampled_from(SoldBy))
    return Product(
        sku=draw(st.from_regex(r"(MX|PM)-[A-Z0-9][A-Z0-9\-]{0,12}", fullmatch=True)),
        name=draw(_text(30)),
        price_fen=draw(st.integers(1, MAX_AMOUNT_FEN)),
        sold_by=sold_by,
        barcode=draw(st.none() | _ean13 | _in_house),
        category=draw(st.just("") | _text(10)),
        origin=draw(st.sampled_from(["", "茂县", "松阳", "青田", "九寨沟", "平湖"])),
        unit="kg" if sold_by is SoldBy.WEIGHT else draw(st.sampled_from(["件", "瓶", "盒", "袋", "个", "条"])),
        plu=draw(st.none() | st.from_regex(r"[1-9][0-9]{0,4}", fullmatch=True)),
        tax_rate_bp=draw(st.none() | st.just(0) | st.integers(100, 10_000)),
        style=draw(st.none() | _text(12)),
        size=draw(st.none() | st.sampled_from(["M", "L", "XL", "20寸"])),
        color=draw(st.none() | _text(6)),
        active=draw(st.booleans()),
    )


_catalogues = st.lists(_product(), min_size=1, max_size=15, unique_by=(
    lambda p: p.sku,
    lambda p: p.barcode or object(),
    lambda p: p.plu or object(),
))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(products=_catalogues, encoding=st.sampled_from(["utf-8-sig", "utf-8", "gb18030"]))
def test_any_valid_catalogue_round_trips_through_csv(tmp_path: Path, products: list[Product], encoding: str) -> None:
    path = tmp_path / "round.csv"
    write_catalog_csv(path, products, encoding=encoding)

    result = import_file(path)

    assert result.errors == ()
    assert result.products == tuple(products)
