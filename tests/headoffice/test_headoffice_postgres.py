"""Head office on PostgreSQL: a throw-away cluster (initdb + pg_ctl on a free loopback port), a till syncs."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from headoffice import reports, service
from pos.domain.ledger import verify_chain
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(cand, "initdb").exists() and Path(cand, "pg_ctl").exists():
            return Path(cand)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []  # initdb refuses to run as root
    base = Path(tempfile.mkdtemp(prefix="lianxin-pg-", dir="/tmp"))
    data = base / "data"
    if as_root:
        shutil.chown(base, "postgres")
    port = _free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--no-sync"], check=True, capture_output=True, timeout=120)
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w",
                        "-t", "60", "start"], check=True, capture_output=True, timeout=90)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
    finally:
        shutil.rmtree(base, ignore_errors=True)


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
