"""`stock list` over 200,000 products with 5 lots each (issue 15: answers in under 0.5 s).

The stock tables are read models of the journal's stock entries (pos/store/stock.py). Projecting a
million lots through the journal would take far longer than the figure it serves, so the database is
a copy of the bench catalogue with the same rows written through plain ``sqlite3`` in chunks, the way
bench/catalog_db.py writes the catalogue: delivery batches, lots (on hand, what left at what cost),
the stock moves that explain each lot (a receipt, and a sale for what left it: Σ moves = on hand),
and a product in a hundred sold past zero (stock_unlotted), then the running per-product summary the
projection keeps (stock_summary, migration 0013) filled from those rows, with its copy of each product's
name, category and unit (migration 0016's trigger copies them from the catalogue as each row goes in).
Built once into bench/.data/.

Timed, each beside a floor measured in the same run, interleaved run by run:

* ``StockService.stock_list()`` (every followed product) against a bare ``GROUP BY sku`` over the
  lots table fetched whole: the least SQL that answers "on hand, value and first expiry per product";
  its CPU time too (this process's), which a shared host's load swells less than the wall clock;
* ``stock_list(sku, lots=True)`` (``stock list --sku SKU --lots``) against a bare select of that
  product's lots;
* ``stock_list(expiring_days=3)`` (``--expiring 3``) against a bare ``GROUP BY`` of the lots with
  stock expiring by then;
* ``stock_list(limit=100)``, the first screenful the manager's 库存 page could load;
* ``iter_stock_list()``, the whole list as products in pages: its first page, and all of it, beside a bare
  ``SELECT *`` of the summary fetched whole (the least any list read from the summary costs: its rows as
  plain tuples, no objects);
* ``stock list --limit 0`` as the command prints it, text and ``--json``, into ``os.devnull`` (lines
  SQLite writes, a page at a time: pos/cli/stock._write_lines), beside the same bare ``SELECT *``;

and, as a proposal for the schema, the bare ``GROUP BY`` again over a covering index of the lots.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pos.store.stock import SQL_SUMMARY_ALL

from .catalog_db import config, ensure_catalog
from .common import CATALOG_SIZE, DATA, bench_home, generate_products, line, record, summary_ms, timed

VERSION = "4"  # 2: stock_summary (migration 0013) filled; 3: with its copy of the catalogue (0016); 4: lots.in_stock (0019)
STOCK_PRODUCTS = min(CATALOG_SIZE, int(os.environ.get("BENCH_STOCK", "200000")))
LOTS_PER_PRODUCT = 5
LOTS_PER_BATCH = 200  # a 山海快车 truck brings a couple of hundred lines
NOW = datetime(2026, 11, 22, 1, tzinfo=UTC)  # 09:00 at the till: today is 2026-11-22
TODAY = date(2026, 11, 22)
TARGET_MS = 500
REPEAT = 5
SKU_LOOKUPS, SKU_BUDGET_S, SKU_MIN = 200, 20.0, 5  # one product's lots: up to 200 lookups or 20 s, at least 5
CHUNK = 50_000
SEQ_RECEIPTS, SEQ_SALES = 10_000_000, 20_000_000  # stock_moves keys past any real journal seq of the copy

INSERT_LOT = ("INSERT INTO lots (lot_id, sku, name, category, batch_no, journal_seq, received_on, expiry, production_date, "
              "weighed, received_qty, unit_cost_fen, cost_fen, origin, certificate_no, certificate_qr, quarantine_no, "
              f"on_hand, out_qty, out_cost_fen, in_stock) VALUES ({', '.join('?' * 20)}, ?18 > 0)")
INSERT_MOVE = ("INSERT INTO stock_moves (journal_seq, idx, kind, business_day, sku, lot_id, batch_no, quantity, cost_fen, "
               f"net_fen, cost_known, doc_no, line_no) VALUES ({', '.join('?' * 13)})")
FLOOR_LIST = ("SELECT sku, SUM(on_hand), SUM(cost_fen - out_cost_fen), SUM(on_hand != 0), "
              "MIN(CASE WHEN on_hand > 0 THEN expiry END) FROM lots GROUP BY sku")
COVERING = "CREATE INDEX bench_ix_lots_stock ON lots (sku, on_hand, cost_fen, out_cost_fen, expiry)"
FLOOR_LOTS = "SELECT * FROM lots WHERE sku = ? AND on_hand != 0"
# The least any list read from the running summary costs: its rows fetched whole as plain tuples, no objects.
FLOOR_SUMMARY = "SELECT * FROM stock_summary"
FLOOR_EXPIRING = ("SELECT sku, SUM(on_hand), MIN(expiry) FROM lots WHERE on_hand > 0 AND expiry IS NOT NULL "
                  "AND expiry <= ? GROUP BY sku")


def db_path() -> Path:
    return DATA / f"stock-{STOCK_PRODUCTS}x{LOTS_PER_PRODUCT}.db"


def _rows(n_products: int, seed: int = 15):  # noqa: ANN202 - yields (lots, moves) chunks
    """The stock of ``n_products`` bench products, ``LOTS_PER_PRODUCT`` lots each: lot i of a product came
    in round i (a week apart, the last one this week), in a batch shared with ``LOTS_PER_BATCH`` - 1 other
    lines. A fifth of the lots have no expiry (dry goods), the others expire from 3 days ago to a year on;
    a third of the lots are sold out, a third partly sold."""
    from pos.domain.catalog import SoldBy

    rnd = random.Random(seed)
    per_round = max(1, n_products // LOTS_PER_BATCH)  # batches per round
    lots, moves = [], []
    for j, p in enumerate(generate_products(n_products)):
        weighed = p.sold_by is SoldBy.WEIGHT
        for i in range(LOTS_PER_PRODUCT):
            b = i * per_round + j % per_round
            batch = f"SHKC-2026-{b:05d}"
            lot_id = f"{batch}/{j // per_round + 1}"
            arrival = TODAY - timedelta(days=7 * (LOTS_PER_PRODUCT - 1 - i))
            qty = rnd.randint(1_000, 80_000) if weighed else rnd.randint(1, 200)
            unit_cost = rnd.randint(50, max(51, p.price_fen * 8 // 10))
            cost = (qty * unit_cost + 500) // 1000 if weighed else qty * unit_cost
            expiry = None if rnd.random() < 0.2 else (arrival + timedelta(days=rnd.randint(4, 365))).isoformat()
            r = rnd.random()
            out = qty if r < 1 / 3 else (rnd.randint(1, qty - 1) if r < 2 / 3 and qty > 1 else 0)
            out_cost = cost if out == qty else cost * out // qty
            lots.append((lot_id, p.sku, p.name, p.category, batch, SEQ_RECEIPTS + b, arrival.isoformat(), expiry,
                         None, int(weighed), qty, unit_cost, cost, p.origin, f"HG{b:05d}{j:07d}", "", "", qty - out,
                         out, out_cost))
            moves.append((SEQ_RECEIPTS + b, j // per_round, "receive", arrival.isoformat(), p.sku, lot_id, batch, qty,
                          cost, 0, 1, batch, j // per_round + 1))
            if out:
                n = j * LOTS_PER_PRODUCT + i
                moves.append((SEQ_SALES + n, 0, "sale", TODAY.isoformat(), p.sku, lot_id, batch, -out, -out_cost,
                              out_cost * 13 // 10, 1, f"MX01-20261122-{n % 10000:04d}", 1))
        if len(lots) >= CHUNK:
            yield lots, moves
            lots, moves = [], []
    if lots:
        yield lots, moves


def _tables(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as c:
        return set(c.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') "
                             "AND name NOT LIKE 'sqlite_%'"))


def ensure_stock_db() -> tuple[Path, float | None]:
    """The bench catalogue with the stock of its first STOCK_PRODUCTS products; seconds spent building, or None."""
    path = db_path()
    src, _ = ensure_catalog()
    if path.exists():
        with sqlite3.connect(path) as c:
            row = c.execute("SELECT value FROM meta WHERE key = 'bench_stock'").fetchone()
        # a catalogue rebuilt since with another schema makes this copy stale too
        if row and row[0] == f"{VERSION}:{STOCK_PRODUCTS}:{LOTS_PER_PRODUCT}" and _tables(path) == _tables(src):
            return path, None
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    t = time.perf_counter()
    tmp = path.with_name(path.name + ".building")
    s, d = sqlite3.connect(src), sqlite3.connect(tmp)
    s.backup(d)
    s.close()
    d.close()
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a benchmark fixture, rebuilt if the machine crashes mid-build
        conn.execute("PRAGMA cache_size = -1000000")
        conn.execute("BEGIN IMMEDIATE")
        for table in ("stock_moves", "lots", "stock_unlotted", "delivery_batches"):
            conn.execute(f"DELETE FROM {table}")
        per_round = max(1, STOCK_PRODUCTS // LOTS_PER_BATCH)
        conn.executemany(
            "INSERT INTO delivery_batches (batch_no, supplier, contact, arrival, kept_until, received_by, source, lots, "
            "total_cost_fen, journal_seq) VALUES (?, '松阳县供销合作社', '0578-8066000', ?, ?, 'manager1', 'bench', 0, 0, ?)",
            [(f"SHKC-2026-{b:05d}", (TODAY - timedelta(days=7 * (LOTS_PER_PRODUCT - 1 - b // per_round))).isoformat(),
              "2027-05-22", SEQ_RECEIPTS + b) for b in range(per_round * LOTS_PER_PRODUCT)])
        for lots, moves in _rows(STOCK_PRODUCTS):
            conn.executemany(INSERT_LOT, lots)
            conn.executemany(INSERT_MOVE, moves)
        conn.execute("UPDATE delivery_batches SET lots = (SELECT COUNT(*) FROM lots l WHERE l.batch_no = "
                     "delivery_batches.batch_no), total_cost_fen = (SELECT SUM(cost_fen) FROM lots l "
                     "WHERE l.batch_no = delivery_batches.batch_no)")
        rnd = random.Random(16)
        conn.executemany("INSERT INTO stock_unlotted (sku, quantity, journal_seq) VALUES (?, ?, ?)",
                         [(f"B{j:07d}", -rnd.randint(1, 5), SEQ_SALES) for j in range(0, STOCK_PRODUCTS, 100)])
        conn.execute("DELETE FROM stock_summary")
        conn.execute(SQL_SUMMARY_ALL)  # what the projection keeps, per product, for the rows written above
        conn.execute("INSERT INTO meta (key, value) VALUES ('bench_stock', ?) ON CONFLICT (key) DO UPDATE SET "
                     "value = excluded.value", (f"{VERSION}:{STOCK_PRODUCTS}:{LOTS_PER_PRODUCT}",))
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for p in tmp.parent.glob(tmp.name + "-*"):
        p.unlink()
    tmp.replace(path)
    return path, time.perf_counter() - t


def _covering_floor() -> tuple[list[float], str]:
    """A proposal, not the till's schema: the bare GROUP BY again once an index holds every column it
    reads (COVERING), so SQLite walks that index alone instead of fetching each lot's table row. The
    index is dropped afterwards; the timings and SQLite's plan are returned."""
    conn = sqlite3.connect(db_path(), isolation_level=None)
    try:
        conn.execute("DROP INDEX IF EXISTS bench_ix_lots_stock")
        conn.execute(COVERING)
        plan = " ".join(str(r[-1]) for r in conn.execute("EXPLAIN QUERY PLAN " + FLOOR_LIST))
        conn.execute(FLOOR_LIST).fetchall()
        return timed(lambda: conn.execute(FLOOR_LIST).fetchall(), REPEAT), plan
    finally:
        conn.execute("DROP INDEX IF EXISTS bench_ix_lots_stock")
        conn.close()


def _printed(stock, as_json: bool) -> int:  # noqa: ANN001 - a StockService
    """The whole list as ``stock list --limit 0 [--json]`` writes it, into os.devnull; the products written."""
    import sys

    from pos.cli.stock import _write_lines

    old = sys.stdout
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            return _write_lines(stock.iter_stock_lines(as_json=as_json), as_json)
        finally:
            sys.stdout = old


def _check(ok: bool, what: str) -> None:
    """A wrong answer makes its timing meaningless: stop the benchmark (not an assert: -O keeps it)."""
    if not ok:
        raise RuntimeError(f"stock list answered wrongly: {what}")


def _interleaved(service, floor, repeat: int,  # noqa: ANN001
                 cpu: list[float] | None = None) -> tuple[list[float], list[float], object, object]:
    """``repeat`` runs of each, in turn (which goes first alternates); the last answers of both. ``cpu``
    gets the service's CPU time (this process's) of each run."""
    svc_s, floor_s = [], []
    got = bare = None
    for i in range(repeat):
        for fn, out in ((service, svc_s), (floor, floor_s))[:: 1 - 2 * (i % 2)]:
            c, t = time.process_time(), time.perf_counter()
            answer = fn()
            out.append(time.perf_counter() - t)
            if out is svc_s:
                got = answer
                if cpu is not None:
                    cpu.append(time.process_time() - c)
            else:
                bare = answer
    return svc_s, floor_s, got, bare


def main() -> dict[str, dict]:
    from pos.bootstrap import open_till
    from pos.services.ports import FixedClock

    with bench_home("stock"):
        path, built = ensure_stock_db()
        till = open_till(config(path), clock=FixedClock(NOW))
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            stock = till.stock
            _check(stock.today() == TODAY, f"the till's day is {stock.today()}, not {TODAY}")
            stock.stock_list(limit=10)  # warm: the connection, the statement cache, the first pages
            raw.execute(FLOOR_LIST).fetchall()

            full_cpu: list[float] = []
            full_s, full_floor_s, full, bare = _interleaved(stock.stock_list, lambda: raw.execute(FLOOR_LIST).fetchall(),
                                                            REPEAT, full_cpu)
            _check(len(full) == len(bare) == STOCK_PRODUCTS, f"{len(full)} rows listed, {len(bare)} by the floor")
            page_s, _, page, _ = _interleaved(lambda: stock.stock_list(limit=100), lambda: None, REPEAT)
            _check(len(page) == 100, f"a first page of {len(page)} rows")
            # the whole list as `stock list --limit 0` prints it: pages as they are read
            first_s, stream_s, summary_s = [], [], []
            for i in range(REPEAT):  # beside the bare select of the summary, which goes first alternating
                for streamed in (True, False)[:: 1 - 2 * (i % 2)]:
                    t = time.perf_counter()
                    if not streamed:
                        raw.execute(FLOOR_SUMMARY).fetchall()
                        summary_s.append(time.perf_counter() - t)
                        continue
                    pages = stock.iter_stock_list()
                    n = len(next(pages))
                    first_s.append(time.perf_counter() - t)
                    n += sum(len(p) for p in pages)
                    stream_s.append(time.perf_counter() - t)
                    _check(n == STOCK_PRODUCTS, f"{n} rows streamed")

            # and as `stock list --limit 0` prints it, text and --json, to a sink that keeps nothing: lines
            # SQLite writes, written a page at a time (pos/cli/stock._write_lines), beside the same bare select
            printed_s: dict[bool, list[float]] = {False: [], True: []}
            printed_floor_s: list[float] = []
            for i in range(REPEAT):
                for as_json in (False, True, None)[:: 1 - 2 * (i % 2)]:
                    t = time.perf_counter()
                    if as_json is None:
                        raw.execute(FLOOR_SUMMARY).fetchall()
                        printed_floor_s.append(time.perf_counter() - t)
                        continue
                    n = _printed(stock, as_json)
                    printed_s[as_json].append(time.perf_counter() - t)
                    _check(n == STOCK_PRODUCTS, f"{n} rows printed")

            rnd = random.Random(3)
            skus = [f"B{rnd.randrange(STOCK_PRODUCTS):07d}" for _ in range(SKU_LOOKUPS)]
            one_s, one_floor_s = [], []
            started = time.perf_counter()
            for k, sku in enumerate(skus):
                if k >= SKU_MIN and time.perf_counter() - started > SKU_BUDGET_S:
                    break
                pair = ((lambda s=sku: stock.stock_list(sku=s, lots=True), one_s),
                        (lambda s=sku: raw.execute(FLOOR_LOTS, (s,)).fetchall(), one_floor_s))
                for fn, out in pair[:: 1 - 2 * (k % 2)]:
                    t = time.perf_counter()
                    answer = fn()
                    out.append(time.perf_counter() - t)
                    if out is one_s:
                        _check(len(answer) == 1 and bool(answer[0].lots), f"{sku}: no lots listed")

            until = (TODAY + timedelta(days=3)).isoformat()
            exp_s, exp_floor_s, expiring, bare_exp = _interleaved(
                lambda: stock.stock_list(expiring_days=3), lambda: raw.execute(FLOOR_EXPIRING, (until,)).fetchall(),
                REPEAT)
            _check(len(expiring) == len(bare_exp), f"{len(expiring)} expiring listed, {len(bare_exp)} by the floor")
            n_lots = raw.execute("SELECT COUNT(*) FROM lots").fetchone()[0]
        finally:
            raw.close()
            till.close()
        covering_s, covering_plan = _covering_floor()

    med = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
    full_ms, floor_ms = med(full_s), med(full_floor_s)
    one, one_floor = summary_ms(one_s), summary_ms(one_floor_s)
    exp_ms, exp_floor_ms, page_ms = med(exp_s), med(exp_floor_s), med(page_s)
    results = {
        "stock_list": {
            "products": STOCK_PRODUCTS, "lots": n_lots, "target_ms": TARGET_MS, "n": REPEAT,
            "full_ms": full_ms, "full_max_ms": round(max(full_s) * 1000, 1), "full_cpu_ms": med(full_cpu),
            "floor_group_by_ms": floor_ms,
            "ratio_full": round(full_ms / max(floor_ms, 1e-6), 2),
            "first_page_ms": page_ms, "stream_first_page_ms": med(first_s), "stream_all_ms": med(stream_s),
            "floor_summary_select_ms": med(summary_s),
            "printed_text_ms": med(printed_s[False]), "printed_json_ms": med(printed_s[True]),
            "floor_printed_select_ms": med(printed_floor_s),
            "ratio_printed_text": round(med(printed_s[False]) / max(med(printed_floor_s), 1e-6), 2),
            "sku_lots_p50_ms": one["p50_ms"], "sku_lots_p99_ms": one["p99_ms"],
            "floor_sku_lots_p50_ms": one_floor["p50_ms"], "floor_sku_lots_p99_ms": one_floor["p99_ms"],
            "expiring_3_ms": exp_ms, "expiring_3_products": len(expiring), "floor_expiring_ms": exp_floor_ms,
            "floor_covering_index_ms": med(covering_s), "covering_plan": covering_plan,
            "built_s": None if built is None else round(built, 1), "db": path.name,
        },
    }
    print(line(f"stock list, {STOCK_PRODUCTS:,} products × {LOTS_PER_PRODUCT} lots (median)", f"{full_ms:.1f} ms",
               f"≤ {TARGET_MS} ms", f"bare GROUP BY {floor_ms:.1f} ms (×{results['stock_list']['ratio_full']}); "
               f"CPU {med(full_cpu):.0f} ms", full_ms <= TARGET_MS))
    print(line("  the bare GROUP BY with a covering index", f"{med(covering_s):.1f} ms", "",
               "a proposal: " + COVERING.split(" ON ")[1], None))
    print(line("  the whole list streamed: first page / all", f"{med(first_s):.0f} / {med(stream_s):.0f} ms",
               f"≤ {TARGET_MS} ms", f"bare SELECT of the summary {med(summary_s):.0f} ms", med(first_s) <= TARGET_MS))
    text_ms, json_ms, pf_ms = med(printed_s[False]), med(printed_s[True]), med(printed_floor_s)
    print(line("  stock list --limit 0 printed: text / --json", f"{text_ms:.0f} / {json_ms:.0f} ms",
               f"≤ {TARGET_MS} ms", f"bare SELECT of the summary {pf_ms:.0f} ms (×{text_ms / max(pf_ms, 1e-6):.2f})",
               text_ms <= TARGET_MS))
    print(line("  first 100 rows (limit 100)", f"{page_ms:.1f} ms", f"≤ {TARGET_MS} ms", "", page_ms <= TARGET_MS))
    print(line("  --sku SKU --lots p50 / p99", f"{one['p50_ms']:.2f} / {one['p99_ms']:.2f} ms", f"≤ {TARGET_MS} ms",
               f"bare select {one_floor['p50_ms']:.2f}/{one_floor['p99_ms']:.2f} ms", one["p99_ms"] <= TARGET_MS))
    print(line(f"  --expiring 3 ({len(expiring):,} products)", f"{exp_ms:.1f} ms", f"≤ {TARGET_MS} ms",
               f"bare GROUP BY {exp_floor_ms:.1f} ms", exp_ms <= TARGET_MS))
    if built is not None:
        print(f"   (stock database built in {built:.0f} s: {n_lots:,} lots)")
    record(results)
    return results


if __name__ == "__main__":
    main()
