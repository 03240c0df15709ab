"""Deriving report rows is a second step after a batch is acknowledged (headoffice/derive.py):
the acknowledgement waits only for the raw entries; documents, 消费帮扶 facts and the dashboard
follow, may lag, catch up, and never count an entry twice or lose one."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select, update

from headoffice import dashboard as dash
from headoffice import derive
from headoffice.schema import derive_state, documents, entries, problems, terminals
from headoffice.schema_dashboard import DERIVED
from pos.services.ports import FixedClock
from tests.headoffice.ho_support import cashier_of, fast_retries, make_till, running_server, sell
from tests.headoffice.test_dashboard import utc


def _snapshot(engine) -> dict[str, list]:  # noqa: ANN001
    with engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in (*DERIVED, documents)}


def _lag(engine) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    with engine.connect() as conn:
        return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(
            select(terminals.c.terminal_id, derive_state.c.derived_seq, terminals.c.last_seq)
            .join(derive_state, derive_state.c.terminal_id == terminals.c.terminal_id))}


def _trade(srv, tmp: Path, sales: int) -> None:  # noqa: ANN001
    from headoffice import service

    till = make_till(tmp, "MX", "MX01", FixedClock(utc("2026-11-05")))
    try:
        till.sync.enroll(srv.url, service.add_terminal(srv.engine, "MX", "MX01").code)
        fast_retries(till)
        cashier = cashier_of(till)
        for i in range(sales):
            sell(till, cashier, [("6945837000172", 1 + i % 3)])
        assert till.sync.run_cycle().ok
    finally:
        till.close()


def test_a_batch_is_acknowledged_before_its_report_rows_and_a_reader_catches_up(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:  # no deriver thread (lifespan off)
        _trade(srv, tmp_path, 6)
        (derived, last), = _lag(srv.engine).values()
        assert derived == 0 and last > 6  # stored and acknowledged, not derived yet
        with srv.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(documents)).scalar() == 0
            f = dash.make_filter(conn, "2026-11-05", "2026-11-05")
        ov = dash.overview(srv.engine, f)  # the reader derives first
        with srv.engine.connect() as conn:
            sold = conn.execute(select(func.sum(documents.c.amount_fen))).scalar()
        assert sold > 0 and ov.total["net"] == sold
        assert _lag(srv.engine) == {"MX01": (last, last)}
        with srv.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(documents)).scalar() == 6


def test_concurrent_catch_ups_count_every_entry_once(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        _trade(srv, tmp_path, 25)
        engine = srv.engine
        with engine.begin() as conn:  # the reference: everything derived in one go
            derive.rebuild(conn)
        want = _snapshot(engine)
        for t in DERIVED:  # back to "acknowledged, not derived"
            with engine.begin() as conn:
                conn.execute(t.delete())
        with engine.begin() as conn:
            conn.execute(documents.delete())
            conn.execute(update(derive_state).values(derived_seq=0))
        results: list[derive.CaughtUp] = []
        threads = [threading.Thread(target=lambda: results.append(derive.catch_up(engine, chunk=3))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sum(r.derived for r in results) == _lag(engine)["MX01"][1]  # each entry derived by exactly one
        assert _snapshot(engine) == want


def test_an_entry_that_cannot_be_derived_is_reported_and_the_rest_still_counts(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        _trade(srv, tmp_path, 4)
        with srv.engine.begin() as conn:
            seq = conn.execute(select(func.min(entries.c.seq)).where(entries.c.kind == "sale")).scalar()
            conn.execute(update(entries).where(entries.c.seq == seq).values(payload='{"lines":[]}'))  # damaged at rest
        done = derive.catch_up(srv.engine)
        assert done.skipped == 1
        assert _lag(srv.engine)["MX01"][0] == _lag(srv.engine)["MX01"][1]
        with srv.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(documents)).scalar() == 3
            reasons = conn.execute(select(problems.c.reason).where(problems.c.kind == "not_derived")).scalars().all()
        assert len(reasons) == 1 and f"entry {seq}" in reasons[0]


def test_the_deriver_thread_catches_up_without_any_reader(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        deriver = derive.Deriver(srv.engine, idle_s=30).start()
        try:
            _trade(srv, tmp_path, 5)  # the batch wakes it (derive.stored)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                derived, last = _lag(srv.engine)["MX01"]
                if derived == last:
                    break
                time.sleep(0.05)
            assert derived == last > 0
        finally:
            deriver.stop()
