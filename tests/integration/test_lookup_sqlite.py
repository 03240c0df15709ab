"""The scan lookup on its own sqlite3 connections: same answers as the catalogue, fresh after an
import, usable from the UI thread and a worker at once, and plain words when the file fails."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

import pytest

from pos.bootstrap import Till
from pos.domain.catalog import Product
from pos.domain.errors import UnknownProduct
from pos.services.lookup import CatalogLookup, SqliteReader
from pos.store.db import CorruptDatabase, DiskIOError, StoreError
from pos.store.repositories import ProductRepo


def test_answers_are_the_products_the_catalogue_holds(demo_till: Till) -> None:
    with demo_till.db.reader.connect() as conn:
        repo = ProductRepo(conn)
        honey = repo.by_sku("MX-S001")
        apples = repo.by_sku("MX-F001")
    assert honey is not None and apples is not None and honey.barcode
    assert demo_till.lookup.find(honey.barcode) == honey
    assert demo_till.lookup.find("101") == apples == demo_till.lookup.by_plu("101")  # PLU
    assert demo_till.lookup.find("mx-f001") == apples  # SKU as typed in lower case
    with pytest.raises(UnknownProduct, match="no product with code 0000000000000"):
        demo_till.lookup.find("0000000000000")


def test_a_product_of_another_store_is_not_sold_here_by_its_barcode(demo_till: Till) -> None:
    with demo_till.db.reader.connect() as conn:
        jacket = ProductRepo(conn).by_sku("PM-YRF01-BLK-M")
    assert jacket is not None and jacket.barcode
    with pytest.raises(UnknownProduct):
        demo_till.lookup.find(jacket.barcode)
    pm = CatalogLookup(demo_till.db.reader, replace(demo_till.identity, store_code="PM"))
    assert pm.find(jacket.barcode).sku == "PM-YRF01-BLK-M"


def test_a_product_imported_after_the_first_scan_is_found_at_once(demo_till: Till) -> None:
    demo_till.lookup.find("101")  # the thread's connection is open now
    new = Product("MX-X900", "松阳新茶 100g", 4_800, barcode="6999999009004")
    with pytest.raises(UnknownProduct):
        demo_till.lookup.find(new.barcode)
    demo_till.catalog.apply([new], source="new.csv", digest="1" * 64, store_code="MX")
    assert demo_till.lookup.find(new.barcode).name == "松阳新茶 100g"
    assert demo_till.search("songyangxincha")[0].sku == "MX-X900"


def test_the_ui_thread_and_a_worker_scan_at_the_same_time(demo_till: Till) -> None:
    codes = ["101", "MX-F001", "mx-s001"]
    expected = [demo_till.lookup.find(c).sku for c in codes]
    errors: list[BaseException] = []
    results: list[list[str]] = []

    def worker() -> None:
        try:
            results.append([demo_till.lookup.find(c).sku for _ in range(200) for c in codes][-3:])
            demo_till.search("btxpg")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(200):
        assert [demo_till.lookup.find(c).sku for c in codes] == expected
    for t in threads:
        t.join()
    assert errors == [] and results == [expected] * 3


class _Failing:
    def __init__(self, exc: sqlite3.Error) -> None:
        self.exc = exc

    def execute(self, *_args: object) -> None:
        raise self.exc


@pytest.mark.parametrize("message, code, cls", [
    ("database disk image is malformed", 11, CorruptDatabase),
    ("disk I/O error", 10 | (1 << 8), DiskIOError),
])
def test_a_failing_file_is_a_plain_store_error(demo_till: Till, monkeypatch: pytest.MonkeyPatch,
                                               message: str, code: int, cls: type[StoreError]) -> None:
    err = sqlite3.DatabaseError(message)
    err.sqlite_errorcode = code
    reader = SqliteReader.for_engine(demo_till.db.reader)
    monkeypatch.setattr(reader, "connection", lambda: _Failing(err))
    for call in (lambda: demo_till.lookup.find("101"), lambda: demo_till.lookup.by_plu("101"),
                 lambda: demo_till.search("btxpg")):
        with pytest.raises(cls) as caught:
            call()
        assert caught.value.message_zh and "Traceback" not in caught.value.message
    if cls is CorruptDatabase:
        assert "restore" in caught.value.message  # the way out, as anywhere else


def test_closing_the_till_closes_the_lookup_connections(demo_till: Till) -> None:
    demo_till.lookup.find("101")
    reader = SqliteReader.for_engine(demo_till.db.reader)
    conn = reader.connection()
    demo_till.db.reader.dispose()
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    assert demo_till.lookup.find("101").sku == "MX-F001"  # and a later scan opens a fresh one
