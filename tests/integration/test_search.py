"""Product search as the cashier types: pinyin, initials, Chinese, codes; per store; kept current."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import text

from pos.bootstrap import Till
from pos.domain.catalog import Product, SoldBy
from pos.search_index import search_terms
from pos.services.context import TillIdentity
from pos.services.search import ProductSearch
from pos.store.db import MIGRATIONS, _make_engine, open_database
from pos.store.search_repo import SearchRepo


def search(till: Till, q: str) -> list[Product]:
    return ProductSearch(till.db.reader, till.identity).search(q)


def skus(till: Till, q: str) -> list[str]:
    return [p.sku for p in search(till, q)]


def test_search_terms_cover_pinyin_initials_and_chinese_from_every_position() -> None:
    terms = search_terms(Product("MX-F001", "茂县冰糖心苹果（特级）", 1680, SoldBy.WEIGHT, plu="101"))

    assert {"maoxianbingtangxinpingguoteji", "mxbtxpgtj", "bingtangxinpingguoteji", "btxpgtj",
            "pingguoteji", "pgtj", "苹果特级", "冰糖心苹果特级", "mxf001", "101"} <= terms
    assert all(t == t.lower() and "（" not in t for t in terms)


def test_pinyin_initials_find_bingtangxin_apples(demo_till: Till) -> None:
    found = skus(demo_till, "btxpg")

    assert {"MX-F001", "MX-F002"} <= set(found)
    assert "MX-G002" in found  # 茂县冰糖心苹果礼盒 5kg


def test_full_pinyin_prefix_finds_them(demo_till: Till) -> None:
    assert {"MX-F001", "MX-F002", "MX-G002"} <= set(skus(demo_till, "bingtangxin"))
    assert set(skus(demo_till, "BingTangXin")) == set(skus(demo_till, "bingtangxin"))


def test_initials_from_the_middle_of_the_name_find_apples(demo_till: Till) -> None:
    found = skus(demo_till, "pg")

    assert {"MX-F001", "MX-F002", "MX-F003", "MX-G002"} <= set(found)  # 冰糖心苹果, 红富士苹果
    assert "MX-N003" in found  # 茂县苹果干 200g: pgg


def test_chinese_typed_on_an_ime_finds_apples(demo_till: Till) -> None:
    found = skus(demo_till, "苹果")

    assert {"MX-F001", "MX-F002", "MX-F003", "MX-N003", "MX-G002"} <= set(found)
    assert skus(demo_till, "冰糖心") and set(skus(demo_till, "冰糖心")) <= set(found)


def test_shortest_matching_term_ranks_first(demo_till: Till) -> None:
    found = search(demo_till, "pingguo")

    # 苹果干 200g (pingguogan200g) is a closer hit than 苹果（特级）…; a longer one comes after.
    names = [p.name for p in found]
    assert names.index("茂县苹果干 200g") < names.index("茂县冰糖心苹果礼盒 5kg")


def test_a_barcode_prefix_finds_the_product(demo_till: Till) -> None:
    assert "MX-S001" in skus(demo_till, "69458370001")
    assert skus(demo_till, "6945837000172")[0] == "MX-S001"


def test_exact_codes_come_first(demo_till: Till) -> None:
    assert skus(demo_till, "101")[0] == "MX-F001"  # PLU
    assert skus(demo_till, "mx-n001")[0] == "MX-N001"  # SKU, as typed in lower case
    assert skus(demo_till, "6945837000455")[0] == "MX-N001"  # barcode


def test_a_pm_only_product_is_not_found_from_the_mx_till(demo_till: Till) -> None:
    assert demo_till.identity.store_code == "MX"
    assert skus(demo_till, "yurongfu") == []  # 羽绒服 are sold only at 平茂连心馆
    assert skus(demo_till, "羽绒服") == []
    assert "PM-LC-001" not in skus(demo_till, "btxpg")  # PM's own 冰糖心苹果
    pm = ProductSearch(demo_till.db.reader, replace(demo_till.identity, store_code="PM"))
    assert "PM-LC-001" in [p.sku for p in pm.search("btxpg")]
    assert "PM-YRF01-BLK-M" in [p.sku for p in pm.search("yurongfu")]


def test_inactive_products_are_not_found(demo_till: Till) -> None:
    assert "MX-F009" not in skus(demo_till, "yangmei")  # 松阳杨梅, active=no


def test_trivial_queries_find_nothing(demo_till: Till) -> None:
    assert search(demo_till, "") == []
    assert search(demo_till, "   ") == []
    assert search(demo_till, "p") == []
    assert search(demo_till, "（）") == []
    assert search(demo_till, "134567890123456789") == []  # a WeChat payment code is never searched
    assert skus(demo_till, "果")  # one Chinese character is a real query


def test_results_are_deduplicated_and_limited(demo_till: Till) -> None:
    found = ProductSearch(demo_till.db.reader, demo_till.identity).search("maoxian", limit=5)

    assert len(found) == 5
    assert len({p.sku for p in found}) == 5


def test_a_reimported_renamed_product_is_found_by_its_new_name_only(demo_till: Till) -> None:
    before = next(p for p in search(demo_till, "mx-n001"))
    assert before.name == "茂县核桃 500g"

    renamed = replace(before, name="高山纸皮核桃 500g")
    demo_till.catalog.apply([renamed], source="rename.csv", digest="0" * 64, store_code="MX")

    assert "MX-N001" in skus(demo_till, "gaoshanzhipihetao")
    assert "MX-N001" in skus(demo_till, "纸皮")
    assert "MX-N001" not in skus(demo_till, "maoxianhetao")
    assert "MX-N001" not in skus(demo_till, "茂县核桃")
    assert "MX-N002" in skus(demo_till, "茂县核桃")  # 茂县核桃仁 is untouched


def test_reindexing_twice_changes_nothing_the_second_time(demo_till: Till) -> None:
    p = Product("MX-X001", "四川脆红李 1kg", 2000)
    with demo_till.db.writer.begin() as conn:
        first = SearchRepo(conn).reindex([p])
        again = SearchRepo(conn).reindex([p, p])
        stored = SearchRepo(conn).terms("MX-X001")
    assert first == len(search_terms(p)) and again == 0
    assert stored == search_terms(p)


def test_the_migration_backfills_terms_for_products_that_existed_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = _make_engine(path, read_only=False)
    with engine.begin() as conn:
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text(
            "INSERT INTO products (sku, store_code, barcode, plu, name, category, origin, unit, sold_by, price_fen, "
            "active, updated_at) VALUES ('OLD-1', NULL, '6945837000172', '301', '松阳石仓泡豆腐', '豆制品', '松阳', "
            "'kg', 'weight', 3200, 1, '2026-01-01T00:00:00Z')"
        ))
        assert "product_search" not in {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    engine.dispose()

    db = open_database(path)
    try:
        finder = ProductSearch(db.reader, TillIdentity("MX", "MX01", "金平湖鲜到家", "茂县专柜"))
        assert [p.sku for p in finder.search("shicang")] == ["OLD-1"]
        assert [p.sku for p in finder.search("pdf")] == ["OLD-1"]
        assert [p.sku for p in finder.search("豆腐")] == ["OLD-1"]
        with db.reader.connect() as conn:
            assert SearchRepo(conn).terms("OLD-1") == search_terms(
                Product("OLD-1", "松阳石仓泡豆腐", 3200, SoldBy.WEIGHT, barcode="6945837000172", plu="301")
            )
    finally:
        db.dispose()
