"""Search on a catalogue wider than one page of terms: other stores' products that fill the first
pages do not hide this store's, the closest term still comes first, and codes still win."""

from __future__ import annotations

from pos.bootstrap import Till
from pos.domain.catalog import Product
from pos.services import search


def _apply(till: Till, items: list[Product], store: str) -> None:
    till.catalog.apply(items, source=f"{store}.csv", digest="2" * 64, store_code=store)


def test_this_stores_products_are_found_behind_pages_of_another_stores(demo_till: Till) -> None:
    theirs = [Product(f"PM-H{i:04d}", f"松阳蜂蜜 {i}", 5_000) for i in range(search.PAGE_TERMS * 2 + 100)]
    ours = [Product(f"MX-H{i:03d}", f"松阳蜂蜜 x{i}", 5_000) for i in range(30)]
    _apply(demo_till, theirs, "PM")
    _apply(demo_till, ours, "MX")

    found = [p.sku for p in demo_till.search("songyangfengmi", 60)]

    assert {p.sku for p in ours} <= set(found)
    assert not [sku for sku in found if sku.startswith("PM-")]  # which fill the first pages of the index


def test_the_closer_products_of_another_store_do_not_crowd_out_ours_within_a_page(demo_till: Till) -> None:
    theirs = [Product(f"PM-T{i:03d}", f"土蜂蜜{i}", 5_000) for i in range(search.CANDIDATES + 40)]
    ours = [Product(f"MX-T{i:03d}", f"土蜂蜜礼盒装 {i}", 5_000) for i in range(5)]
    _apply(demo_till, theirs, "PM")
    _apply(demo_till, ours, "MX")

    found = [p.sku for p in demo_till.search("tufengmi")]

    assert {p.sku for p in ours} <= set(found)
    assert not [sku for sku in found if sku.startswith("PM-")]


def test_on_a_wide_range_the_exact_term_and_then_the_shorter_names_come_first(demo_till: Till) -> None:
    many = [Product(f"MX-E{i:04d}", f"土鸡蛋 {i}", 1_500) for i in range(search.PAGE_TERMS * 3)]
    _apply(demo_till, [*many, Product("MX-J001", "土鸡", 9_800)], "MX")

    found = demo_till.search("tuji", 20)

    assert found[0].sku == "MX-J001"  # the whole term, and the shortest name with it (松阳散养土鸡 ends in 土鸡 too)
    eggs = [len(p.name) for p in found if p.sku.startswith("MX-E")]
    assert len(eggs) > 10 and eggs == sorted(eggs)  # 土鸡蛋 1 before 土鸡蛋 10 before 土鸡蛋 100
    assert demo_till.search("MX-E0007")[0].sku == "MX-E0007"  # a typed code still lands on its product first
