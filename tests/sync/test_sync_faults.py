"""Two tills sell offline, then sync through a proxy that drops answers, resets and delays connections.

Nothing may be lost or counted twice: head office ends up with exactly each till's journal
(same seqs, same hashes, chain verified), and its per-counter totals equal the tills' own to the fen.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from headoffice import reports, service
from pos.domain.ledger import verify_chain
from pos.domain.pricing import allocate
from pos.services.ports import FixedClock
from pos.store.uow import iter_journal
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell
from tests.sync.faultproxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
SALES_PER_TILL = 1500


def _unit_skus(store: str) -> list[str]:
    with (ROOT / "resources" / "demo" / f"catalog_{store}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["sku"] for r in rows if r["sold_by"] == "unit" and r["active"] != "no"][:10]


def _weighed_plus(store: str) -> list[str]:
    with (ROOT / "resources" / "demo" / f"catalog_{store}.csv").open(encoding="utf-8") as fh:
        return [r["plu"] for r in csv.DictReader(fh) if r["sold_by"] == "weight" and r["plu"]][:3]


def journal_totals(till) -> tuple[int, dict[str, int], int, int]:  # noqa: ANN001
    """What the till's own journal says: net (sales − refunds, training left out) and net by origin county."""
    net, by_origin, n_sales, n_returns = 0, {}, 0, 0
    sales: dict[str, dict] = {}
    with till.db.reader.connect() as conn:
        for row in iter_journal(conn, till.identity.terminal_id):
            p = json.loads(row.payload_text)
            if row.kind == "sale":
                sales[p["receipt_no"]] = p
                if p["training"]:
                    continue
                n_sales += 1
                net += p["total"]
                for ln in p["lines"]:
                    if ln["components"]:
                        for c in ln["components"]:
                            by_origin[c["origin"]] = by_origin.get(c["origin"], 0) + c["revenue"]
                    else:
                        share = ln["amount"] - ln["sale_discount_share"] + ln["rounding_share"]
                        by_origin[ln["origin"]] = by_origin.get(ln["origin"], 0) + share
            elif row.kind == "return" and not p["training"]:
                n_returns += 1
                net -= p["refund"]
                for ln in p["lines"]:
                    sold = next(x for x in sales[p["receipt_no"]]["lines"] if x["line_no"] == ln["orig_line_no"])
                    comps = sold["components"]
                    if comps:
                        for c, s in zip(comps, allocate(ln["refund"], [c["revenue"] for c in comps]), strict=True):
                            by_origin[c["origin"]] = by_origin.get(c["origin"], 0) - s
                    else:
                        by_origin[ln["origin"]] = by_origin.get(ln["origin"], 0) - ln["refund"]
    return net, by_origin, n_sales, n_returns


def sell_offline(till, n: int) -> None:  # noqa: ANN001
    cashier = cashier_of(till)
    manager = till.auth.login("manager1", "2222")
    skus = _unit_skus(till.identity.store_code)
    plus = _weighed_plus(till.identity.store_code)
    for i in range(n):
        codes = [(skus[i % len(skus)], 1 + i % 3)]
        if plus and i % 4 == 0:
            codes.append((plus[i % len(plus)], 250 + (i * 37) % 1500))  # grams
        if i % 7 == 0:
            codes.append((skus[(i + 3) % len(skus)], 1))
        if till.identity.store_code == "MX" and i % 10 == 0:
            codes.append(("MX-G001", 1))  # 松阳农特产大礼包: a gift box with components
        done = sell(till, cashier, codes, training=(i % 97 == 5))
        if i % 50 == 7 and not done.sale.training:
            till.returns.return_items(done.sale.receipt_no, {done.sale.lines[-1].line_no: 1}, manager)


@pytest.mark.slow
def test_two_tills_sync_through_a_faulty_proxy_lose_and_double_nothing(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    clock_a = FixedClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC), step=timedelta(seconds=7))
    clock_b = FixedClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC), step=timedelta(seconds=11))
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv, FaultProxy(srv.port) as proxy:
        tills = [make_till(tmp_path, "MX", "MX01", clock_a, sync_batch_size=100),
                 make_till(tmp_path, "PM", "PM01", clock_b, sync_batch_size=100)]
        try:
            for till in tills:
                code = service.add_terminal(srv.engine, till.identity.store_code, till.identity.terminal_id).code
                till.sync.enroll(srv.url, code)
                fast_retries(till)
            for till in tills:
                sell_offline(till, SALES_PER_TILL)
            t_sold = time.perf_counter()

            reports_by_till: dict[str, list] = {t.identity.terminal_id: [] for t in tills}

            def drain(till) -> None:  # noqa: ANN001
                for _ in range(30):  # bounded: each cycle either finishes or fails after its retries
                    rep = till.sync.run_cycle(proxy.url)
                    reports_by_till[till.identity.terminal_id].append(rep)
                    if rep.ok and rep.waiting == 0:
                        return

            threads = [threading.Thread(target=drain, args=(t,)) for t in tills]
            for th in threads:
                th.start()
            for th in threads:
                th.join(120)
            t_synced = time.perf_counter()

            report = reports.sales_report(srv.engine)
            counters = {c["terminal"]: c for c in report["by_counter"]}
            total_entries = 0
            expected_origin: dict[str, int] = {}
            for till in tills:
                tid = till.identity.terminal_id
                last = reports_by_till[tid][-1]
                assert last.ok and last.waiting == 0, last
                with till.db.reader.connect() as conn:
                    mine = list(iter_journal(conn, tid))
                held = service.stored_entries(srv.engine, tid)
                total_entries += len(held)
                # zero lost, zero duplicated: the very same entries, once each, chain intact
                assert [(e.seq, e.hash) for e in held] == [(e.seq, e.hash) for e in mine]
                assert verify_chain(held, tid) is None
                assert till.sync.status().waiting == 0
                net, by_origin, n_sales, n_returns = journal_totals(till)
                assert counters[tid]["net"] == net
                assert (counters[tid]["receipts"], counters[tid]["return_documents"]) == (n_sales, n_returns)
                for k, v in by_origin.items():
                    expected_origin[k] = expected_origin.get(k, 0) + v
            assert {o["origin"]: o["net"] for o in report["by_origin"]} == {k: v for k, v in expected_origin.items()}
            assert report["total"]["net"] == sum(c["net"] for c in report["by_counter"])
            assert service.list_problems(srv.engine) == []
            # every kind of fault really happened, and the tills had to retry
            assert proxy.counts["drop"] >= 3 and proxy.counts["reset"] >= 3 and proxy.counts["delay"] >= 3, proxy.counts
            assert sum(r.retries for reps in reports_by_till.values() for r in reps) >= 6
            rate = total_entries / (t_synced - t_sold)
            print(f"\nsold {2 * SALES_PER_TILL} in {t_sold - t0:.1f}s; synced {total_entries} entries through the "
                  f"faulty proxy in {t_synced - t_sold:.1f}s ({rate:.0f} entries/s); faults {dict(proxy.counts)}")
        finally:
            for till in tills:
                till.close()
