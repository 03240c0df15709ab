"""Sync drain: 100,000 journal entries to a head office on loopback (SQLite), in a server process of its own."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta

from .common import DATA, bench_home, free_port, line, record, serve

ENTRIES = int(os.environ.get("BENCH_SYNC_ENTRIES", "100000"))


def _till_with_entries():  # noqa: ANN202
    """A till whose journal holds ENTRIES sale entries (written in large transactions to save time)."""
    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.cart import Cart
    from pos.domain.ledger import EntryKind
    from pos.domain.sale import build_sale
    from pos.domain.tenders import Tender, TenderKind, settle
    from pos.services.ports import FixedClock, utc_iso

    path = DATA / f"sync-{ENTRIES}.db"
    for p in DATA.glob(f"sync-{ENTRIES}.db*"):
        p.unlink()
    clock = FixedClock(datetime(2026, 11, 22, 1, tzinfo=UTC))
    till = open_till(load_config(db=path, printer="dummy:", device_key=DATA / "device.key"), create=True, demo=True,
                     clock=clock)
    egg = till.lookup.find("6972316000170")
    honey = till.lookup.find("6972316000521")
    cart = Cart().add(egg, 2).add(honey)
    due = cart.total_fen
    settlement = settle(due, [Tender(TenderKind.CASH, due)])
    with till.uow() as uow:
        start = uow.journal.head().seq
    n, at = 0, clock.at
    while n < ENTRIES - start:
        with till.uow() as uow:
            for _ in range(min(2000, ENTRIES - start - n)):
                n += 1
                day = (at + timedelta(seconds=n * 5)).date()
                sale = build_sale(receipt_no=f"MX01-{day:%Y%m%d}-{n:06d}", terminal_id="MX01",
                                  business_day=day.isoformat(), cashier_login="cashier1", cashier_name="张小芳",
                                  cart=cart, settlement=settlement)
                uow.journal.append(EntryKind.SALE, business_day=day.isoformat(),
                                   created_at=utc_iso(at + timedelta(seconds=n * 5)), payload=sale.to_payload())
            uow.commit()
    return till


def main() -> dict[str, dict]:
    import httpx

    os.environ["LIANXIN_SYNC_SECRETS"] = "file"
    with bench_home("sync"):
        t = time.perf_counter()
        till = _till_with_entries()
        fill_s = time.perf_counter() - t
        ho_db = DATA / "headoffice.db"
        for p in DATA.glob("headoffice.db*"):
            p.unlink()
        port = free_port()
        server = serve(["main.py", "headoffice", "serve", "--db", f"sqlite:///{ho_db}", "--port", str(port)], port)
        try:
            from headoffice import service
            from headoffice.db import open_engine

            engine = open_engine(f"sqlite:///{ho_db}")
            code = service.add_terminal(engine, "MX", "MX01").code
            engine.dispose()
            till.sync.enroll(f"http://127.0.0.1:{port}", code)
            with till.uow() as uow:
                total = uow.journal.head().seq
            t = time.perf_counter()
            report = till.sync.run_cycle()
            while report.waiting and report.last_error is None:
                report = till.sync.run_cycle()
            drain_s = time.perf_counter() - t
            sent = total - report.waiting
            # Baseline: the same number of batches of the same size, POSTed to an echo server on loopback.
            batch = till.sync._batch(0)  # noqa: SLF001 - the exact wire form of one batch
        finally:
            server.terminate()
            server.wait(10)
        eport = free_port()
        echo = serve(["-m", "uvicorn", "bench.echo_app:app", "--port", str(eport), "--log-level", "warning"], eport)
        try:
            body = json.dumps({"entries": batch}, ensure_ascii=False, separators=(",", ":")).encode()
            batches = -(-total // max(1, len(batch)))
            with httpx.Client() as client:
                t = time.perf_counter()
                for _ in range(batches):
                    client.post(f"http://127.0.0.1:{eport}/echo", content=body,
                                headers={"content-type": "application/json"}).raise_for_status()
                echo_s = time.perf_counter() - t
        finally:
            echo.terminate()
            echo.wait(10)
        till.close()
    rate = round(sent / drain_s)
    base_rate = round(total / echo_s)
    results = {"sync_drain": {"entries": sent, "seconds": round(drain_s, 2), "entries_per_s": rate, "target_per_s": 5000,
                              "batch_size": len(batch), "baseline": f"HTTP echo of the same batches {base_rate:,}/s",
                              "baseline_per_s": base_rate, "fill_s": round(fill_s, 1),
                              "error": report.last_error}}
    print(line(f"sync drain of {sent:,} entries (loopback, SQLite)", f"{rate:,} entries/s", "≥ 5,000/s",
               f"HTTP echo {base_rate:,}/s", rate >= 5000))
    record(results)
    return results


if __name__ == "__main__":
    main()
