"""50 tills syncing at once into a head office on PostgreSQL, then the same on SQLite (loopback, this machine).

A throw-away PostgreSQL cluster (initdb + pg_ctl), ``python main.py headoffice serve`` in a
process of its own, 50 terminals enrolled through the real API. Each till's journal is built
the way a till builds it: sale payloads from ``pos.domain.sale.build_sale`` over carts of
realistic products (gift boxes with their counties' components included), chained with
``pos.domain.ledger.next_entry``. 50 client threads then send their batches at the same moment,
signed like a till signs them (``pos.sync.signing``); every batch's latency is measured.

Head office acknowledges a batch once its entries are stored and chain-checked; its deriver thread
turns them into report rows in a second step. Both are measured: entries acknowledged per second
and batch latency, and how long after the first batch every report row is derived, and the CPU time head
office's processes used during the burst (µs an entry: its cost, whatever else the machine was running).

Floor, in the same run: the same rows bulk-loaded into the same kind of database over one connection
(one transaction per batch, the way head office stores them: PostgreSQL ``COPY``, SQLite multi-row INSERTs), into
a table with the same key and index as head office's, no HTTP, no checks, no derived report rows.

``BENCH_HO_TILLS`` (50), ``BENCH_HO_BATCHES`` per till (2) and ``BENCH_HO_BATCH`` entries per
batch (250) change the size, ``BENCH_HO_IN_FLIGHT`` a till's batches on their way at once (1, comparable
with earlier runs; the till itself has pos.services.sync.IN_FLIGHT = 2, and with 2 here every batch of every
till is queued from the first moment, so latency grows with no gain in throughput on 2 cores);
``BENCH_HO_FORMAT=1`` sends the old batch format (payloads as JSON strings) instead of format 2;
``BENCH_HO_WORKERS`` the server processes (``serve --workers``, default
one a CPU core, 1 to 4; ``BENCH_HO_SQLITE_WORKERS`` the same for SQLite); the default run takes well under a minute.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .common import free_port, line, percentile, postgres_binaries, postgres_cluster, record, serve_headoffice

TILLS = int(os.environ.get("BENCH_HO_TILLS", "50"))
BATCHES = int(os.environ.get("BENCH_HO_BATCHES", "2"))
BATCH = int(os.environ.get("BENCH_HO_BATCH", "250"))
# `headoffice serve --workers`: one a core, 1 to 4, on PostgreSQL and SQLite alike (README's advice). 2 cores,
# 4 Dec, 3 runs each: PostgreSQL 1 worker 13,852-17,657/s, p99 739-1,007 ms; 2 workers 17,573-22,929/s, p99
# 669-834 ms; SQLite (one writer at a time, decoding side by side) 1: 12,005-13,874/s, p99 1,241-1,381 ms;
# 2: 19,132-21,038/s, p99 841-922 ms.
WORKERS = int(os.environ.get("BENCH_HO_WORKERS", str(max(1, min(4, os.cpu_count() or 1)))))
SQLITE_WORKERS = int(os.environ.get("BENCH_HO_SQLITE_WORKERS", str(WORKERS)))
IN_FLIGHT = int(os.environ.get("BENCH_HO_IN_FLIGHT", "1"))  # a till's batches on their way at once (the till: 2)
TEMPLATES = 200  # distinct carts; each sale gets its own receipt number, time and chain position


def postgres():  # noqa: ANN201
    """A PostgreSQL cluster of the benchmark's own on a free loopback port (durable: fsync stays on)."""
    return postgres_cluster(durable=True, options="-c max_connections=200")


# -- the tills' journals ------------------------------------------------------------------------
def sale_templates(count: int, seed: int = 12) -> list[dict[str, Any]]:
    """Sale payloads of realistic carts: 1–6 lines, weighed goods, gift boxes, cash / WeChat / Alipay."""
    from pos.domain.cart import Cart
    from pos.domain.catalog import Product, SoldBy
    from pos.domain.sale import build_sale
    from pos.domain.tenders import Tender, TenderKind, settle

    from .common import generate_products

    rnd = random.Random(seed)
    products = list(generate_products(300, seed=seed))
    box = Product("GB-001", "山海协作礼盒（茂县·青田）", 29800, barcode="6972316000736", category="礼盒", unit="盒",
                  tax_rate_bp=1300)
    parts = {"GB-001": (("MX-H001", "茂县土蜂蜜 500g", 1, "蜂蜜", "茂县", 900, 6800),
                        ("QT-R001", "青田稻鱼米 2.5kg", 2, "粮油", "青田", 900, 4500))}
    kinds = (TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY)
    out = []
    for i in range(count):
        cart = Cart()
        for p in rnd.sample(products, rnd.randint(1, 6)):
            cart = cart.add(p, rnd.randint(150, 2500) if p.sold_by is SoldBy.WEIGHT else rnd.randint(1, 3))
        if rnd.random() < 0.15:
            cart = cart.add(box, 1)
        kind = rnd.choice(kinds)
        due = cart.total_fen
        paid = (due // 10000 + 1) * 10000 if kind is TenderKind.CASH else due
        settlement = settle(due, [Tender(kind, paid, None if kind is TenderKind.CASH else f"4200{rnd.randrange(10**14):014d}")])
        sale = build_sale(receipt_no=f"XX00-20261122-{i + 1:04d}", terminal_id="XX00", business_day="2026-11-22",
                          cashier_login="cashier1", cashier_name="张小芳", cart=cart, settlement=settlement,
                          components_of=parts, shift_no=1)
        out.append(sale.to_payload())
    return out


def terminal_ids(n: int) -> list[str]:
    stores = ("MX", "PH", "SY", "QT", "JZ")
    return [f"{stores[i % len(stores)]}{i // len(stores) + 1:02d}" for i in range(n)]


def journal(terminal: str, templates: list[dict[str, Any]], entries: int, start: datetime) -> list[dict[str, Any]]:
    """``entries`` sale entries of ``terminal``, hashed and chained as its till would write them."""
    from pos.domain.ledger import canonical_json, genesis_hash, hash_stored

    rnd = random.Random(terminal)
    prev, out = genesis_hash(terminal), []
    per_day: dict[date, int] = {}
    at = start
    for seq in range(1, entries + 1):
        at += timedelta(seconds=rnd.randint(20, 200))
        day = at.date()
        per_day[day] = per_day.get(day, 0) + 1
        payload = dict(rnd.choice(templates))
        payload["receipt_no"] = f"{terminal}-{day:%Y%m%d}-{per_day[day]:04d}"
        text = canonical_json(payload)
        created = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        digest = hash_stored(prev, terminal, seq, "sale", day.isoformat(), created, text)
        out.append({"seq": seq, "kind": "sale", "business_day": day.isoformat(), "created_at": created,
                    "payload": text, "prev_hash": prev, "hash": digest})
        prev = digest
    return out


def wire_body(entries: list[dict[str, Any]]) -> bytes:
    """A batch body as a till sends it (pos.services.sync.wire_batch): batch format 2, each payload the entry's
    stored JSON itself (a till that has synced with this head office before sends that from its first batch)."""
    from pos.services.sync import wire_batch

    if os.environ.get("BENCH_HO_FORMAT") == "1":  # the old form: each payload its JSON text in a string
        return json.dumps({"entries": entries}, ensure_ascii=False, separators=(",", ":")).encode()
    batch = wire_batch(tuple(e[k] for k in ("seq", "kind", "business_day", "created_at", "payload", "prev_hash", "hash"))
                       for e in entries)
    return b'{"v":2,"entries":' + batch.encoded + b"}"


# -- the run --------------------------------------------------------------------------------------
def _send_all(url: str, terminal: str, secret: bytes, batches: list[bytes], start: threading.Barrier,
              latencies: list[float], errors: list[str]) -> None:
    """One till: its batches in order as its sync loop sends them, IN_FLIGHT at a time (each after the first
    of a pipeline marked ``sent_ahead``, so head office keeps the order); the latency of each accepted one."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from pos.sync import signing

    path = f"/api/v1/terminals/{terminal}/batches"

    def post(client: httpx.Client, body: bytes) -> None:
        headers = {"Content-Type": "application/json", **signing.sign_request(secret, terminal, "POST", path, body)}
        t = time.perf_counter()
        try:
            r = client.post(path, content=body, headers=headers)
        except httpx.HTTPError as exc:
            errors.append(f"{terminal}: {type(exc).__name__}: {exc}")
            return
        if r.status_code != 200:
            errors.append(f"{terminal}: {r.status_code} {r.text[:200]}")
            return
        latencies.append(time.perf_counter() - t)

    with httpx.Client(base_url=url, timeout=120) as client, ThreadPoolExecutor(IN_FLIGHT) as pool:
        start.wait()
        pending: list = []
        for i, body in enumerate(batches):
            if len(pending) == IN_FLIGHT:
                pending.pop(0).result()
            ahead = bool(pending) and i > 0
            if ahead:  # the till's own mark (pos.sync.transport): sent before the batch before was acknowledged
                body = body[:-1] + b',"sent_ahead":true}'
            pending.append(pool.submit(post, client, body))
        for f in pending:
            f.result()


def _floor(db_url: str, rows: list[list[tuple]]) -> float:
    """Seconds to bulk-load the same rows over one connection with COPY (as head office stores them), one
    transaction per batch, into a copy of head office's entries table (same key, index and compression)."""
    import psycopg

    with psycopg.connect(db_url) as conn:
        # head office's own entries table, copied (key, index, the payload's compression): only its rows differ
        conn.execute("CREATE TABLE floor_entries (LIKE entries INCLUDING ALL)")
        conn.commit()
        t = time.perf_counter()
        from headoffice.service import _copy_text  # the batch's rows in COPY's text format, as head office sends them

        with conn.cursor() as cur:
            for batch in rows:
                with cur.copy("COPY floor_entries FROM STDIN") as copy:
                    copy.write(_copy_text(batch))
                conn.commit()
        return time.perf_counter() - t


def _floor_sqlite(path: str, rows: list[list[tuple]]) -> float:
    """Seconds to bulk-INSERT the same rows into a SQLite file (WAL, synchronous=FULL, cache and index as head
    office), many rows to a statement."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA cache_size=-32768")  # as head office sets it
    conn.execute("CREATE TABLE floor_entries (terminal_id text, seq integer, kind text, business_day text, "
                 "created_at text, payload text, prev_hash text, hash text, received_at text, "
                 "PRIMARY KEY (terminal_id, seq))")
    conn.execute("CREATE INDEX ix_floor_kind_day ON floor_entries (kind, terminal_id, business_day)")
    from headoffice.service import _ROWS_PER_INSERT as per  # rows to a statement, as head office writes them

    t = time.perf_counter()
    for batch in rows:
        conn.execute("BEGIN IMMEDIATE")
        for i in range(0, len(batch), per):
            chunk = batch[i:i + per]
            conn.execute("INSERT INTO floor_entries VALUES " + ",".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)),
                         [v for r in chunk for v in r])
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t


def _cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` and every process under it (Linux /proc), or None."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115, PTH123
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in os.listdir(f"/proc/{pid}/task"):
            for child in open(f"/proc/{pid}/task/{task}/children").read().split():  # noqa: SIM115, PTH123
                total += _cpu_s(int(child)) or 0.0
        return total
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _run(db_url: str, ids: list[str], bodies: dict[str, list[bytes]], workers: int) -> dict[str, Any]:
    """Enrol every till, send every batch at once, then wait for the deriver to catch up."""
    import httpx

    from headoffice import derive, service
    from headoffice.db import open_engine

    port = free_port()
    server = serve_headoffice(db_url, port, "--workers", str(workers))
    url = f"http://127.0.0.1:{port}"
    errors: list[str] = []
    try:
        engine = open_engine(db_url)
        secrets_ = {}
        with httpx.Client(base_url=url, timeout=30) as client:
            for t in ids:
                code = service.add_terminal(engine, t[:2], t).code
                r = client.post("/api/v1/enroll", json={"terminal_id": t, "store": t[:2], "code": code})
                r.raise_for_status()
                secrets_[t] = bytes.fromhex(r.json()["secret"])
        latencies: list[float] = []
        barrier = threading.Barrier(len(ids) + 1)
        threads = [threading.Thread(target=_send_all, args=(url, t, secrets_[t], bodies[t], barrier, latencies, errors))
                   for t in ids]
        for th in threads:
            th.start()
        barrier.wait()
        t, cpu0, client0 = time.perf_counter(), _cpu_s(server.pid), time.process_time()
        for th in threads:
            th.join()
        sync_s = time.perf_counter() - t
        cpu1, client_cpu_s = _cpu_s(server.pid), time.process_time() - client0
        cpu_s = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None  # head office's processes, the burst
        # The second step: the server's deriver turns the acknowledged entries into report rows.
        lag_left = None
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline:
            with engine.connect() as conn:
                lag_left = sum(last - done for _, _, done, last in derive.lagging(conn))
            if lag_left == 0:
                break
            time.sleep(0.05)
        derived_s = time.perf_counter() - t
        held = service.counts(engine)["entries"]
        heads = {row["terminal_id"]: row["last_seq"] for row in service.list_terminals(engine)}
        engine.dispose()
    finally:
        server.terminate()
        try:
            _out, err = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            _out, err = server.communicate()
        if errors and err:
            print("   server's log (end):\n" + err.decode("utf-8", "replace")[-3000:])
    return {"latencies": latencies, "errors": errors, "sync_s": sync_s, "derived_s": derived_s, "lag_left": lag_left,
            "held": held, "heads": heads, "cpu_s": cpu_s, "client_cpu_s": client_cpu_s}


def _summary(label: str, run: dict[str, Any], total: int, floor_s: float, floor_what: str, mb: float,
             build_s: float, database: str, workers: int) -> dict[str, Any]:
    lat, errors = run["latencies"], run["errors"]
    rate = round(run["held"] / run["sync_s"]) if run["sync_s"] else 0
    floor_rate = round(total / floor_s) if floor_s else 0
    derive_rate = round(total / run["derived_s"]) if run["derived_s"] else 0
    ok = (not errors and run["held"] == total and run["lag_left"] == 0
          and all(v == BATCHES * BATCH for v in run["heads"].values()))
    p50, p99 = percentile([x * 1000 for x in lat], 50), percentile([x * 1000 for x in lat], 99)
    print(f"   {label}, {workers} server process(es): {TILLS} tills × {BATCHES} batches × {BATCH} entries "
          f"({mb:.0f} MB of JSON): {len(lat)} batches "
          f"accepted, {len(errors)} errors, {run['held']:,} entries held in {run['sync_s']:.1f} s, every report row "
          f"derived {run['derived_s']:.1f} s after the first batch")
    cpu_s = run.get("cpu_s")
    cpu_us = round(cpu_s / run["held"] * 1e6) if cpu_s is not None and run["held"] else None
    if cpu_s is not None:  # what head office itself spent, whatever else the machine was doing
        print(f"   head office's processes used {cpu_s:.2f} CPU s during the burst: {cpu_us} µs an entry, "
              f"{cpu_s / run['sync_s']:.2f} of {os.cpu_count()} cores; the 50 tills' threads (this process) "
              f"{run['client_cpu_s']:.2f} CPU s")
    if errors:
        print(f"   first error: {errors[0]}")
    print(line(f"{TILLS} tills syncing into {label} (p50 / p99 batch)", f"{p50:.0f} / {p99:.0f} ms", "p99 ≤ 1,000 ms",
               "—", ok and p99 <= 1000))
    print(line(f"{TILLS} tills syncing into {label} (acknowledged)", f"{rate:,} entries/s", "≥ 10,000/s",
               f"{floor_what} {floor_rate:,}/s", ok and rate >= 10_000))
    print(line(f"{TILLS} tills into {label}: report rows derived", f"{derive_rate:,} entries/s", "keeps up",
               f"acknowledged {rate:,}/s", ok))
    return {"tills": TILLS, "batches": TILLS * BATCHES, "batch_entries": BATCH, "entries": total,
            "entries_stored": run["held"], "batches_accepted": len(lat), "errors": len(errors),
            "first_error": errors[0] if errors else None, "seconds": round(run["sync_s"], 2), "entries_per_s": rate,
            "batch_p50_ms": round(p50, 1), "batch_p99_ms": round(p99, 1), "derived_s": round(run["derived_s"], 2),
            "derived_per_s": derive_rate, "body_mb": round(mb, 1),
            "server_cpu_s": round(cpu_s, 2) if cpu_s is not None else None,
            "client_cpu_s": round(run["client_cpu_s"], 2), "server_cpu_us_per_entry": cpu_us,
            "floor": f"{floor_what} {floor_rate:,}/s", "floor_per_s": floor_rate,
            "ratio_to_floor": round(floor_rate / rate, 1) if rate else None, "build_s": round(build_s, 1),
            "database": database, "workers": workers, "ok": ok}


def main() -> dict[str, dict]:
    import tempfile
    from pathlib import Path

    t0 = time.perf_counter()
    templates = sale_templates(TEMPLATES)
    ids = terminal_ids(TILLS)
    start = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
    journals = {t: journal(t, templates, BATCHES * BATCH, start) for t in ids}
    bodies = {t: [wire_body(j[i:i + BATCH]) for i in range(0, len(j), BATCH)] for t, j in journals.items()}
    build_s = time.perf_counter() - t0
    total = TILLS * BATCHES * BATCH
    mb = sum(len(b) for bs in bodies.values() for b in bs) / 2**20
    received = "2026-12-03T00:00:00.000000Z"
    rows = [[(t, e["seq"], e["kind"], e["business_day"], e["created_at"], e["payload"], e["prev_hash"], e["hash"],
              received) for e in j[i:i + BATCH]] for t, j in journals.items() for i in range(0, len(j), BATCH)]
    results: dict[str, dict] = {}
    if postgres_binaries() is None:
        print("   PostgreSQL skipped: its server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    else:
        with postgres() as db_url:
            run = _run(db_url, ids, bodies, WORKERS)
            floor_s = _floor(db_url, rows)
        results["headoffice_sync_50"] = _summary("PostgreSQL", run, total, floor_s, "bulk COPY, one connection", mb,
                                                 build_s, "PostgreSQL (fsync on), loopback", WORKERS)
    with tempfile.TemporaryDirectory() as tmp:
        run = _run(f"sqlite:///{Path(tmp) / 'ho.db'}", ids, bodies, SQLITE_WORKERS)
        floor_s = _floor_sqlite(str(Path(tmp) / "floor.db"), rows)
    results["headoffice_sync_50_sqlite"] = _summary("SQLite", run, total, floor_s, "bulk INSERT into a SQLite file", mb,
                                                    build_s, "SQLite (WAL, synchronous FULL), loopback", SQLITE_WORKERS)
    record(results)
    return results


if __name__ == "__main__":
    main()
