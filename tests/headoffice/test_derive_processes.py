"""Two head-office server processes on one database (``serve --workers 2``, or two servers): exactly one of
them runs the deriver (headoffice/derive.py DeriveRole: a file lock on SQLite, an advisory lock on
PostgreSQL), the report rows after a burst of batches into both are the ones a rebuild from the stored
entries gives, and when the deriving process stops, the other takes the role over."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bench.bench_headoffice_sync import journal, sale_templates, wire_body
from bench.common import ROOT, free_port
from headoffice import dashboard as dash
from headoffice import derive, service
from headoffice.db import open_engine
from headoffice.schema import documents
from headoffice.schema_dashboard import DERIVED
from pos.sync import signing

TILLS, BATCHES, BATCH = ("MX01", "PH01", "SY01", "QT01"), 3, 60
LAUNCH = ("import logging, runpy, sys; logging.basicConfig(level=logging.INFO, stream=sys.stderr, "
          "format='%(process)d %(name)s %(message)s'); sys.argv = ['main.py'] + sys.argv[1:]; "
          "runpy.run_path('main.py', run_name='__main__')")


def _serve(db_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "headoffice", "serve", "--db", db_url, "--port",
                                 str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"head office did not start: {log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _send(url: str, terminal: str, secret: bytes, bodies: list[bytes], errors: list[str]) -> None:
    path = f"/api/v1/terminals/{terminal}/batches"
    with httpx.Client(base_url=url, timeout=60) as client:
        for body in bodies:
            headers = {"Content-Type": "application/json", **signing.sign_request(secret, terminal, "POST", path, body)}
            r = client.post(path, content=body, headers=headers)
            if r.status_code != 200:
                errors.append(f"{terminal}: {r.status_code} {r.text[:300]}")
                return


def _burst(urls: list[str], secrets: dict[str, bytes], bodies: dict[str, list[bytes]]) -> None:
    """Every till's batches at once, the tills shared out over the servers."""
    errors: list[str] = []
    threads = [threading.Thread(target=_send, args=(urls[i % len(urls)], t, secrets[t], bodies[t], errors))
               for i, t in enumerate(bodies)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert errors == []


def _wait_derived(engine) -> None:  # noqa: ANN001
    """Until the server processes' deriver has derived everything (this process only looks: it derives nothing)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if derive.backlog(engine).left == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"the report rows still lag by {derive.backlog(engine).left} entries")


def _derivers(log: Path) -> tuple[set[int], int]:
    """The processes that took the deriver's role, and the entries they derived (their log lines)."""
    text = log.read_text("utf-8", "replace")
    took = {int(m) for m in re.findall(r"process (\d+) derives the report rows", text)}
    n = sum(int(m) for m in re.findall(r"process \d+ derived (\d+) entries", text))
    return took, n


def _derivers_once_logged(logs: list[Path], entries: int) -> list[tuple[set[int], int]]:
    """:func:`_derivers` of each log, once their lines count ``entries`` derived (or after 10 s): a deriver
    logs a chunk just after committing it, so the backlog can read 0 a moment before the line is written."""
    deadline = time.monotonic() + 10
    while True:
        found = [_derivers(log) for log in logs]
        if sum(n for _, n in found) >= entries or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def _sold(journals) -> int:  # noqa: ANN001
    return sum(int(json.loads(e["payload"])["total"]) for j in journals for e in j)


def _snapshot(engine) -> dict[str, list]:  # noqa: ANN001
    with engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in (*DERIVED, documents)}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ho.db'}"
    return request.getfixturevalue("postgres_url")


def test_two_server_processes_one_deriver_and_the_dashboard_is_right_after_a_burst(db_url: str, tmp_path: Path) -> None:
    engine = open_engine(db_url)
    templates = sale_templates(40)
    start = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
    journals = {t: journal(t, templates, BATCHES * BATCH + BATCH, start) for t in TILLS}
    bodies = {t: [wire_body(j[i:i + BATCH]) for i in range(0, len(j), BATCH)] for t, j in journals.items()}
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    servers = [_serve(db_url, log) for log in logs]
    try:
        secrets = {}
        for i, t in enumerate(TILLS):
            code = service.add_terminal(engine, t[:2], t).code
            r = httpx.post(f"{servers[i % 2][1]}/api/v1/enroll", json={"terminal_id": t, "store": t[:2], "code": code})
            assert r.status_code == 200, r.text
            secrets[t] = bytes.fromhex(r.json()["secret"])
        _burst([url for _, url in servers], secrets, {t: b[:BATCHES] for t, b in bodies.items()})
        _wait_derived(engine)
        found = _derivers_once_logged(logs, BATCHES * BATCH * len(TILLS))
        took = [s for s, (who, _n) in zip(servers, found, strict=True) if who]
        assert len(took) == 1  # exactly one process derives, every entry of the burst
        assert sorted(found, key=lambda x: x[1]) == [(set(), 0), ({took[0][0].pid}, BATCHES * BATCH * len(TILLS))]

        # the dashboard as a manager sees it: every sale counted once
        with engine.connect() as conn:
            f = dash.make_filter(conn, "2026-11-01", "2026-12-31")
        assert dash.overview(engine, f).total["net"] == _sold(j[:BATCHES * BATCH] for j in journals.values())
        derived = _snapshot(engine)
        with engine.begin() as conn:
            derive.rebuild(conn)  # what the stored entries give, derived from scratch
        assert _snapshot(engine) == derived

        # the deriving process stops: the other one takes the role over and derives the next batches
        deriver, other = took[0], next(s for s in servers if s is not took[0])
        _stop(deriver[0])
        _burst([other[1]], secrets, {t: b[BATCHES:] for t, b in bodies.items()})
        _wait_derived(engine)
        other_log = logs[servers.index(other)]
        assert _derivers_once_logged([other_log], BATCH * len(TILLS)) == [({other[0].pid}, BATCH * len(TILLS))]
        assert dash.overview(engine, f).total["net"] == _sold(journals.values())
    finally:
        for proc, _url in servers:
            _stop(proc)
        engine.dispose()
