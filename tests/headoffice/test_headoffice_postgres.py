"""Head office on PostgreSQL: a throw-away cluster (initdb + pg_ctl on a free loopback port), a till syncs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from headoffice import reports, service
from pos.domain.ledger import verify_chain
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell


def test_head_office_on_postgresql_takes_a_tills_sales_and_reports_them(postgres_url: str, tmp_path: Path) -> None:
    with running_server(postgres_url) as srv:
        assert srv.engine.dialect.name == "postgresql" and srv.engine.dialect.driver == "psycopg"
        till = make_till(tmp_path, "MX", "MX01", FixedClock(datetime(2026, 11, 22, 2, tzinfo=UTC)), sync_batch_size=50)
        try:
            till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX01").code)
            fast_retries(till)
            cashier = cashier_of(till)
            total = 0
            for i in range(120):
                done = sell(till, cashier, [("MX-E001", 1 + i % 2), ("MX-G001", 1), ("101", 500 + i)])
                total += done.sale.total_fen
            rep = till.sync.run_cycle()
            assert rep.ok and rep.waiting == 0 and rep.batches >= 3
            assert till.sync.run_cycle().sent == 0  # nothing twice
            held = service.stored_entries(srv.engine, "MX01")
            assert len(held) == rep.acknowledged_seq and verify_chain(held, "MX01") is None
            data = reports.sales_report(srv.engine)
            assert data["by_counter"][0]["net"] == total and data["total"]["net"] == total
            assert sum(o["net"] for o in data["by_origin"]) == total
            assert {o["origin"] for o in data["by_origin"]} >= {"茂县", "松阳"}
        finally:
            till.close()
