"""The running stock summary behind `stock list` (issue 15, migration 0013), on real SQLite files.

stock_summary holds one row per followed product (on hand, value at cost, lots, first expiry); the
stock projection rewrites a product's row in the transaction of every receipt, sale, return,
write-off and count. Here it must equal a plain computation over the lots and unlotted stock after
each of those, migration 0013's fill must write the same rows, the stock list must show them, and
``ledger verify`` must name a row someone changed or deleted. Its copy of the catalogue's name,
category and unit (migration 0016) follows the catalogue at once: a renamed product is listed by its
new name in the same transaction that renamed it.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from pos.domain.cart import Cart
from pos.domain.tenders import Tender, TenderKind
from tests.conftest import login_cashier

APPLES = "MX-F001"  # by the kg
EGGS = "MX-E001"  # by the box
HEADER = "批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号,检疫证明编号"
VERSIONS = Path(__file__).resolve().parents[2] / "pos/store/migrations/versions"
MIGRATION = VERSIONS / "0013_stock_summary.py"
CATALOGUE_COPY = ("name", "category", "by_weight")  # the catalogue's, kept by migration 0016's triggers


def independent_summary(db: Path | str) -> dict[str, dict[str, Any]]:
    """What stock_summary should hold, computed in Python from the lots and unlotted rows alone."""
    with sqlite3.connect(db) as c:
        lots = c.execute("SELECT sku, on_hand, cost_fen, out_cost_fen, expiry, weighed, received_on, journal_seq, "
                         "lot_id, unit_cost_fen FROM lots").fetchall()
        unlotted = dict(c.execute("SELECT sku, quantity FROM stock_unlotted"))
    out: dict[str, dict[str, Any]] = {}
    by_sku: dict[str, list[tuple]] = {}
    for row in lots:
        by_sku.setdefault(row[0], []).append(row)
    for sku in set(by_sku) | set(unlotted):
        mine = by_sku.get(sku, [])
        u = unlotted.get(sku, 0)
        value = sum(cost - out_cost for _s, _q, cost, out_cost, *_rest in mine)
        if mine and u:
            last = max(mine, key=lambda r: (r[6], r[7], r[8]))
            if last[5]:  # grams at a price per kg, half a fen away from zero
                value += (abs(u) * last[9] + 500) // 1000 * (1 if u > 0 else -1)
            else:
                value += u * last[9]
        expiries = [r[4] for r in mine if r[1] > 0 and r[4]]
        out[sku] = {"sku": sku, "on_hand": sum(r[1] for r in mine) + u, "value_fen": value, "unlotted": u,
                    "lots": len(mine), "lots_with_stock": sum(1 for r in mine if r[1] != 0),
                    "first_expiry": min(expiries) if expiries else None,
                    "first_day": date.fromisoformat(min(expiries)).toordinal() if expiries else None,
                    "weighed": max((int(r[5]) for r in mine), default=0),
                    "last_received": max((r[6] for r in mine), default=None)}
    return out


def stored_summary(db: Path | str) -> dict[str, dict[str, Any]]:
    """stock_summary's figures from the journal (not its copy of the catalogue: :func:`catalogue_copy`)."""
    with sqlite3.connect(db) as c:
        c.row_factory = sqlite3.Row
        return {r["sku"]: {k: (int(r[k]) if k == "weighed" else r[k]) for k in r.keys() if k not in CATALOGUE_COPY}
                for r in c.execute("SELECT * FROM stock_summary")}


def catalogue_copy(db: Path | str) -> dict[str, tuple[Any, ...]]:
    """stock_summary's copy of the catalogue, per sku: (name, category, by_weight)."""
    with sqlite3.connect(db) as c:
        return {r[0]: tuple(r[1:]) for r in c.execute(f"SELECT sku, {', '.join(CATALOGUE_COPY)} FROM stock_summary")}


def the_catalogue(db: Path | str) -> dict[str, tuple[Any, ...]]:
    """What the copy should hold, read from the products of the skus with a summary row."""
    with sqlite3.connect(db) as c:
        return {r[0]: tuple(r[1:]) for r in c.execute(
            "SELECT s.sku, NULLIF(p.name, ''), p.category, p.sold_by = 'weight' FROM stock_summary s "
            "LEFT JOIN products p ON p.sku = s.sku")}


def _note(tmp_path: Path, rows: list[str], batch: str) -> Path:
    path = tmp_path / f"{batch}.csv"
    first = f"{batch},松阳县供销合作社,0578-8066000,2026-11-21,"
    path.write_text("\n".join([HEADER] + [(first if i == 0 else ",,,,") + r for i, r in enumerate(rows)]) + "\n",
                    encoding="utf-8")
    return path


def _sell(till, *items: tuple[str, int]):
    cart = Cart()
    for sku, qty in items:
        cart = cart.add(till.lookup.find(sku), qty)
    return till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, 10_000_000)], login_cashier(till))


def _busy_day(till, tmp_path: Path) -> None:
    """Receiving, sales across lots and past zero, a return, a write-off and an approved count."""
    manager = till.auth.login("manager1", "2222")
    till.stock.receive_file(_note(tmp_path, [f"{APPLES},30,7.10,2026-12-02,茂县,HG-A2,",
                                             f"{APPLES},50,6.35,2026-11-28,茂县,HG-A1,",
                                             f"{EGGS},3,30.00,2026-12-10,松阳,HG01,"], "SHKC-2026-48"), manager)
    assert stored_summary(till.db.path) == independent_summary(till.db.path)
    sale = _sell(till, (APPLES, 51_255), (EGGS, 5))  # across both apple lots; two eggs past zero
    assert stored_summary(till.db.path) == independent_summary(till.db.path)
    till.returns.return_items(sale.sale.receipt_no, {2: 1}, manager, reason="破损")
    till.stock.write_off(APPLES, 1_500, "spoiled", manager)
    sheet = till.stock.take_count({EGGS: 4}, manager, source="test")
    till.stock.approve_count(sheet.count_no, None, manager)
    till.stock.receive_file(_note(tmp_path, [f"{EGGS},10,31.00,2026-12-20,松阳,HG02,"], "SHKC-2026-49"), manager)


def test_the_summary_equals_the_lots_after_receiving_sales_returns_write_offs_and_counts(demo_till,
                                                                                       tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    stored = stored_summary(demo_till.db.path)
    assert stored == independent_summary(demo_till.db.path)
    # what the manager reads: 80 kg received, 51.255 kg sold, 1.5 kg written off
    assert (stored[APPLES]["on_hand"], stored[APPLES]["lots_with_stock"], stored[APPLES]["first_expiry"]) == (
        27_245, 1, "2026-12-02")
    # the box given back went into the first lot, so that lot (expiring 12-10) holds stock again
    assert (stored[EGGS]["on_hand"], stored[EGGS]["lots"], stored[EGGS]["first_expiry"]) == (14, 2, "2026-12-10")
    listed = {p.sku: p for p in demo_till.stock.stock_list()}
    for sku, row in stored.items():
        if row["lots"] or row["unlotted"]:
            p = listed[sku]
            assert (p.on_hand, p.value_fen, p.unlotted, p.earliest_expiry) == (
                row["on_hand"], row["value_fen"], row["unlotted"], row["first_expiry"])
    assert listed[APPLES].on_hand_text == "27.245 kg" and listed[APPLES].value_fen == 21_300 - 891 - 1_065
    assert demo_till.verify().ok


def _migration(path: Path):  # noqa: ANN202 - the migration file as a module
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_0013_fills_the_same_rows_the_projection_keeps(demo_till, tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    kept = stored_summary(demo_till.db.path)
    with sqlite3.connect(demo_till.db.path) as c:
        c.execute("DELETE FROM stock_summary")
        c.execute(_migration(MIGRATION).FILL)
        c.execute(_migration(VERSIONS / "0017_stock_summary_first_day.py").FILL)  # its day number, as 0017 fills it
    assert stored_summary(demo_till.db.path) == kept
    assert demo_till.verify().ok


def test_ledger_verify_names_a_changed_or_deleted_summary_row(demo_till, tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    assert demo_till.verify().ok
    with sqlite3.connect(demo_till.db.path) as c:
        c.execute("UPDATE stock_summary SET on_hand = on_hand + 1000 WHERE sku = ?", (APPLES,))
    report = demo_till.verify()
    assert not report.ok and "stock_summary" in report.problem.reason and APPLES in report.problem.reason
    assert "on_hand" in report.problem.reason
    with sqlite3.connect(demo_till.db.path) as c:
        c.execute("UPDATE stock_summary SET on_hand = on_hand - 1000 WHERE sku = ?", (APPLES,))
    assert demo_till.verify().ok
    with sqlite3.connect(demo_till.db.path) as c:
        c.execute("DELETE FROM stock_summary WHERE sku = ?", (EGGS,))
    report = demo_till.verify()
    assert not report.ok and "missing" in report.problem.reason and EGGS in report.problem.reason


def test_the_whole_list_page_by_page_is_the_list_at_once(demo_till, tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    demo_till.stock.receive_file(_note(tmp_path, ["MX-M001,1,58.00,2026-11-30,松阳,HG-B1,JY-7"], "SHKC-2026-50"),
                                 demo_till.auth.login("manager1", "2222"))
    _sell(demo_till, ("MX-M001", 1_500))  # beef: half a kilo past zero
    at_once = demo_till.stock.stock_list()
    pages = list(demo_till.stock.iter_stock_list(chunk=2, first=1))
    assert len(at_once) == 3 and [len(p) for p in pages] == [1, 2]
    assert [p for page in pages for p in page] == at_once
    assert [p.sku for p in demo_till.stock.stock_list(limit=2, offset=1)] == [p.sku for p in at_once[1:3]]
    [beef] = demo_till.stock.past_zero()
    assert (beef.sku, beef.on_hand, beef.unlotted, beef.value_fen, beef.past_zero) == ("MX-M001", -500, -500, -2_900, True)
    assert stored_summary(demo_till.db.path) == independent_summary(demo_till.db.path)


def test_a_till_with_lots_upgraded_to_0013_has_the_summary_its_journal_makes(tmp_path: Path) -> None:
    cfg, kept = _after_a_busy_day(tmp_path, lambda till: stored_summary(till.db.path))
    _alembic(tmp_path / "till.db", "downgrade", "0012")  # the till as it was before 0013: lots, no summary
    with sqlite3.connect(tmp_path / "till.db") as c:
        assert not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'stock_summary'").fetchall()
        assert c.execute("SELECT COUNT(*) FROM lots").fetchone()[0] == 4
    till = _reopened(cfg)
    try:
        assert stored_summary(till.db.path) == kept
        assert {p.sku: p.on_hand for p in till.stock.stock_list()} == {APPLES: 27_245, EGGS: 14}
        assert till.verify().ok
    finally:
        till.close()


def _reimport(till, **changes: dict[str, Any]) -> None:
    """A catalogue import that changes the given products' fields (name, category, sold_by …)."""
    from dataclasses import replace

    items = [replace(till.lookup.find(sku), **fields) for sku, fields in changes.items()]
    till.catalog.apply(items, source="rename.csv", digest="rename", store_code=till.config.store)


def test_a_renamed_product_is_listed_by_its_new_name_at_once_and_verify_passes(demo_till, tmp_path: Path) -> None:
    from pos.domain.catalog import SoldBy

    _busy_day(demo_till, tmp_path)
    before = {p.sku: p for p in demo_till.stock.stock_list()}
    assert before[APPLES].name == demo_till.lookup.find(APPLES).name and before[APPLES].weighed
    _reimport(demo_till, **{APPLES: {"name": "茂县红富士苹果（新名）", "category": "时令水果"},
                            EGGS: {"name": "", "sold_by": SoldBy.WEIGHT}})
    after = {p.sku: p for p in demo_till.stock.stock_list()}
    assert (after[APPLES].name, after[APPLES].category) == ("茂县红富士苹果（新名）", "时令水果")
    # a product with no name is listed by its sku; its unit is the catalogue's, not its lots'
    assert (after[EGGS].name, after[EGGS].weighed, after[EGGS].on_hand_text) == (EGGS, True, "0.014 kg")
    [apples] = demo_till.stock.stock_list(sku=APPLES, lots=True)
    assert apples.name == "茂县红富士苹果（新名）" and apples.lots
    assert [p.name for page in demo_till.stock.iter_stock_list() for p in page] == [p.name for p in after.values()]
    assert catalogue_copy(demo_till.db.path) == the_catalogue(demo_till.db.path)
    # the near-expiry list too: the apples' lot expiring 12-02, two days on
    near = {ps.sku: ps for ps, _lot in demo_till.stock.near_expiry(date(2026, 11, 30))}
    assert (near[APPLES].name, near[APPLES].category) == ("茂县红富士苹果（新名）", "时令水果")
    # a price change alone leaves the name as it is
    _reimport(demo_till, **{APPLES: {"price_fen": 1_290}})
    assert demo_till.stock.stock_list(sku=APPLES)[0].name == "茂县红富士苹果（新名）"
    assert stored_summary(demo_till.db.path) == independent_summary(demo_till.db.path)
    assert demo_till.verify().ok


def test_a_product_first_received_gets_its_catalogue_name_and_a_deleted_one_is_listed_by_sku(demo_till,
                                                                                           tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    beef = demo_till.lookup.find("MX-M001")
    demo_till.stock.receive_file(_note(tmp_path, ["MX-M001,1,58.00,2026-11-30,松阳,HG-B1,JY-7"], "SHKC-2026-50"),
                                 demo_till.auth.login("manager1", "2222"))
    assert catalogue_copy(demo_till.db.path)["MX-M001"] == (beef.name, beef.category, 1)
    with sqlite3.connect(demo_till.db.path) as c:  # not something the till does; the copy must not outlive it
        c.execute("DELETE FROM products WHERE sku = 'MX-M001'")
    [listed] = demo_till.stock.stock_list(sku="MX-M001")
    assert (listed.name, listed.category, listed.weighed) == ("MX-M001", "", True)  # its lots are by weight
    assert catalogue_copy(demo_till.db.path) == the_catalogue(demo_till.db.path)


def _after_a_busy_day(tmp_path: Path, collect):  # noqa: ANN001, ANN202
    """A demo till's file after a busy day (stock received, sold, returned), closed: its config and what
    ``collect(till)`` read from it before it was closed."""
    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.closing import CashCount
    from pos.services.ports import FixedClock
    from tests.conftest import T0

    cfg = load_config(db=tmp_path / "till.db", printer="dummy:")
    till = open_till(cfg, create=True, demo=True, clock=FixedClock(T0))
    try:
        till.shifts.open(login_cashier(till), CashCount())
        _busy_day(till, tmp_path)
        return cfg, collect(till)
    finally:
        till.close()


def _alembic(path: Path, action: str, revision: str) -> None:
    """``alembic downgrade|upgrade REVISION`` on the till database at ``path`` (as an older or newer program)."""
    from alembic import command
    from sqlalchemy import create_engine

    from pos.store.db import _alembic_config

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            getattr(command, action)(_alembic_config(conn), revision)
    finally:
        engine.dispose()


def _reopened(cfg):  # noqa: ANN001, ANN202
    from pos.bootstrap import open_till
    from pos.services.ports import FixedClock
    from tests.conftest import T0

    return open_till(cfg, clock=FixedClock(T0))  # the new program upgrades it


def test_migration_0016_fills_the_catalogue_copy_of_a_till_with_stock(tmp_path: Path) -> None:
    cfg, (kept, listed, apples, eggs) = _after_a_busy_day(tmp_path, lambda till: (
        stored_summary(till.db.path), till.stock.stock_list(), till.lookup.find(APPLES), till.lookup.find(EGGS)))
    _alembic(tmp_path / "till.db", "downgrade", "0015")  # the till as it was before 0016: no catalogue names
    with sqlite3.connect(tmp_path / "till.db") as c:
        c.execute("UPDATE products SET name = '改名前' WHERE sku = ?", (EGGS,))  # renamed while on the old program
        columns = [r[1] for r in c.execute("PRAGMA table_info(stock_summary)")]
        assert not set(CATALOGUE_COPY) & set(columns)
    till = _reopened(cfg)
    try:
        assert catalogue_copy(till.db.path) == {APPLES: (apples.name, apples.category, 1),
                                                EGGS: ("改名前", eggs.category, 0)}
        assert stored_summary(till.db.path) == kept
        now = till.stock.stock_list()
        assert [p._replace(name="") for p in now] == [p._replace(name="") for p in listed]
        assert {p.sku: p.name for p in now} == {APPLES: apples.name, EGGS: "改名前"}
        assert till.verify().ok
    finally:
        till.close()


def test_migration_0017_gives_a_till_with_stock_the_first_expirys_day_number_and_the_same_days_left(tmp_path: Path) -> None:
    cfg, (kept, listed, lines) = _after_a_busy_day(tmp_path, lambda till: (
        stored_summary(till.db.path), till.stock.stock_list(),
        till.stock.stock_lines(as_json=True) + till.stock.stock_lines()))
    assert {p.sku: p.earliest_expiry for p in listed} == {APPLES: "2026-12-02", EGGS: "2026-12-10"}
    assert all(p.days_left is not None for p in listed)
    _alembic(tmp_path / "till.db", "downgrade", "0016")  # the till as it was before 0017: first expiry as text only
    with sqlite3.connect(tmp_path / "till.db") as c:
        assert "first_day" not in [r[1] for r in c.execute("PRAGMA table_info(stock_summary)")]
    till = _reopened(cfg)
    try:
        assert stored_summary(till.db.path) == kept
        assert till.stock.stock_list() == listed
        assert till.stock.stock_lines(as_json=True) + till.stock.stock_lines() == lines
        assert till.verify().ok
    finally:
        till.close()


def test_migration_0018_drops_the_indexes_no_query_reads_and_trace_and_expiring_answer_the_same(demo_till,
                                                                                                 tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    receipts = [r[0] for r in sqlite3.connect(demo_till.db.path).execute(
        "SELECT DISTINCT doc_no FROM stock_moves WHERE kind IN ('sale', 'return') ORDER BY doc_no")]
    assert receipts
    before = ([demo_till.stock.trace_receipt(no) for no in receipts], demo_till.stock.stock_list(expiring_days=20),
              demo_till.stock.stock_lines(expiring_days=20))
    assert before[1] and all(t.lines for t in before[0])
    path = demo_till.db.path
    dropped = {"ix_stock_moves_sku", "ix_stock_moves_lot", "ix_stock_moves_doc", "ix_stock_summary_expiry"}

    def indexes() -> set[str]:
        with sqlite3.connect(path) as c:
            return {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

    assert not dropped & indexes() and "ix_stock_moves_batch" in indexes()
    _alembic(path, "downgrade", "0017")  # back to 0017: the four indexes again
    assert dropped <= indexes()
    _alembic(path, "upgrade", "heads")
    assert not dropped & indexes()
    assert ([demo_till.stock.trace_receipt(no) for no in receipts], demo_till.stock.stock_list(expiring_days=20),
            demo_till.stock.stock_lines(expiring_days=20)) == before
    assert demo_till.verify().ok


def test_migration_0019_fills_in_stock_from_on_hand_and_the_near_expiry_list_is_the_same(demo_till,
                                                                                        tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    path = demo_till.db.path
    with sqlite3.connect(path) as c:
        kept = c.execute("SELECT lot_id, on_hand, in_stock FROM lots ORDER BY lot_id").fetchall()
    assert {bool(i) for _, _, i in kept} == {True, False}  # lots holding stock, and a lot sold out
    near = demo_till.stock.near_expiry(date(2026, 12, 8))
    assert near
    _alembic(path, "downgrade", "0018")  # back to 0018: no in_stock, the index partial on on_hand again
    with sqlite3.connect(path) as c:
        assert "in_stock" not in [r[1] for r in c.execute("PRAGMA table_info(lots)")]
    _alembic(path, "upgrade", "heads")
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT lot_id, on_hand, in_stock FROM lots ORDER BY lot_id").fetchall() == kept
    assert demo_till.stock.near_expiry(date(2026, 12, 8)) == near
    assert demo_till.verify().ok


def test_migration_0020_indexes_lots_by_product_and_stock_reads_the_same(demo_till, tmp_path: Path) -> None:
    _busy_day(demo_till, tmp_path)
    path = demo_till.db.path

    def lot_indexes() -> dict[str, str]:
        with sqlite3.connect(path) as c:
            return dict(c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lots' "
                                  "AND sql IS NOT NULL"))

    receipts = [r[0] for r in sqlite3.connect(path).execute(
        "SELECT DISTINCT doc_no FROM stock_moves WHERE kind = 'sale' ORDER BY doc_no")]
    before = (demo_till.stock.stock_list(), demo_till.stock.near_expiry(date(2026, 12, 8)),
              [demo_till.stock.trace_receipt(no) for no in receipts])
    assert "in_stock" in lot_indexes()["ix_lots_sku"] and "ix_lots_received" in lot_indexes()
    _alembic(path, "downgrade", "0019")
    assert "in_stock" not in lot_indexes()["ix_lots_sku"] and "ix_lots_received" not in lot_indexes()
    _alembic(path, "upgrade", "heads")
    assert "in_stock" in lot_indexes()["ix_lots_sku"] and "ix_lots_received" in lot_indexes()
    assert (demo_till.stock.stock_list(), demo_till.stock.near_expiry(date(2026, 12, 8)),
            [demo_till.stock.trace_receipt(no) for no in receipts]) == before
    assert demo_till.verify().ok


def test_a_sale_reads_only_the_lots_holding_stock_however_many_a_product_had(demo_till, tmp_path: Path,
                                                                            monkeypatch) -> None:  # noqa: ANN001
    """A product sold for a year has had ~50 weekly lots, nearly all sold out: a sale finds the lots holding stock
    and the last lot received each as a range of an index, and a sale that empties no lot moves the product's
    summary row by its figures instead of adding up every lot again."""
    from pos.store import stock as stock_store

    manager = demo_till.auth.login("manager1", "2222")
    for week in range(6):  # six weekly lots of eggs, each sold out but the last
        demo_till.stock.receive_file(_note(tmp_path, [f"{EGGS},4,30.00,2026-12-{10 + week:02d},松阳,HG{week},"],
                                           f"SHKC-2026-{40 + week}"), manager)
        if week < 5:
            _sell(demo_till, (EGGS, 4))
    path = demo_till.db.path
    with sqlite3.connect(path) as c:
        plan = " / ".join(r[3] for r in c.execute("EXPLAIN QUERY PLAN " + stock_store.SQL_LOTS_FOR_DRAW, ('["x"]',)))
        assert "ix_lots_sku (sku=? AND in_stock=?)" in plan and "ix_lots_received" in plan and "TEMP B-TREE" not in plan
        assert c.execute("SELECT COUNT(*), SUM(in_stock) FROM lots WHERE sku = ?", (EGGS,)).fetchone() == (6, 1)
    summarised: list[list[str]] = []
    real = stock_store.summarise

    def counted(conn, skus) -> None:  # noqa: ANN001
        summarised.append(list(skus))
        real(conn, summarised[-1])

    monkeypatch.setattr(stock_store, "summarise", counted)
    _sell(demo_till, (EGGS, 1))  # 3 left in the last lot: on hand and value move, nothing else
    assert summarised == []
    assert stored_summary(path) == independent_summary(path)
    _sell(demo_till, (EGGS, 3))  # the lot sold out: the row is added up again
    assert summarised == [[EGGS]]
    assert stored_summary(path) == independent_summary(path)
    row = stored_summary(path)[EGGS]
    assert (row["on_hand"], row["lots"], row["lots_with_stock"], row["first_expiry"]) == (0, 6, 0, None)
    assert demo_till.verify().ok
