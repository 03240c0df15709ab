"""SIGKILL at random moments never loses a committed sale and never leaves half of one.

A child (tests/crash/child.py) rings up sales on a real SQLite file (WAL, synchronous=FULL)
through ``open_till`` + ``checkout.complete_sale`` and prints each receipt number after the
commit returns; the test kills it with SIGKILL after a random delay — sometimes while it is
still opening the till, mostly while it sells. After every kill the files as the kill left them
(database + WAL, copied, without the -shm index so that SQLite has to recover) must pass:

- ``PRAGMA integrity_check`` is ``ok``;
- ``ledger verify`` passes (chain and read models);
- no partial sale: every sales row has lines, payments and its journal entry, every journal sale
  entry has its sales row, no line or payment without its sale;
- every receipt the child reported as committed is there, at the seq it reported.

The next life then opens the original files itself (its own WAL recovery). CRASH_KILLS sets the
number of kills (200 here, 5,000 with ``make crash-test``); CRASH_SEED replays a run.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from pos.bootstrap import open_till
from pos.config import load_config
from pos.services.ledger import verify_ledger

CHILD = Path(__file__).with_name("child.py")
KILLS = int(os.environ.get("CRASH_KILLS", "200"))
SEED = int(os.environ.get("CRASH_SEED", "20261122"))
LIVES_PER_DB = 8  # a fresh database now and then keeps `ledger verify` after each kill cheap
FRESH_EVERY = 25  # every 25th life is a new interpreter instead of a fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash test forks (POSIX only)")


class Lines:
    """The child's stdout as a queue of lines, read by a thread (so a wait can time out)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.q: queue.Queue[str] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        self.thread.start()

    def _pump(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.q.put(line.rstrip("\n"))
        self.q.put("")  # end of output

    def until(self, prefix: str, sink: list[str], timeout: float = 60.0) -> str:
        """Lines up to (and returning) the first one starting with ``prefix``; the others go to ``sink``."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.q.get(timeout=max(0.01, deadline - time.monotonic()))
            if line == "":
                raise AssertionError(f"the child ended without '{prefix}'; it said: {sink[-5:]}")
            if line.startswith(prefix):
                return line
            sink.append(line)

    def drain(self, sink: list[str]) -> None:
        while True:
            try:
                sink.append(self.q.get_nowait())
            except queue.Empty:
                return


def _template(tmp: Path) -> Path:
    path = tmp / "template.db"
    till = open_till(load_config(db=path, printer="dummy:"), create=True, demo=True)
    till.close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


def _snapshot(db: Path, into: Path) -> Path:
    """The files exactly as the kill left them: database and WAL (no -shm: SQLite must recover)."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir()
    copy = into / db.name
    shutil.copyfile(db, copy)
    if Path(f"{db}-wal").exists():
        shutil.copyfile(f"{db}-wal", f"{copy}-wal")
    return copy


PARTIAL_SALE_QUERIES = {
    "sales row without lines": "SELECT receipt_no FROM sales s WHERE NOT EXISTS "
                               "(SELECT 1 FROM sale_lines l WHERE l.receipt_no = s.receipt_no)",
    "sales row without payments": "SELECT receipt_no FROM sales s WHERE NOT EXISTS "
                                  "(SELECT 1 FROM payments p WHERE p.receipt_no = s.receipt_no)",
    "sales row without its journal entry": "SELECT receipt_no FROM sales s WHERE NOT EXISTS (SELECT 1 FROM journal j "
                                           "WHERE j.seq = s.journal_seq AND j.kind = 'sale')",
    "journal sale without its sales row": "SELECT seq FROM journal j WHERE kind = 'sale' AND NOT EXISTS "
                                          "(SELECT 1 FROM sales s WHERE s.journal_seq = j.seq)",
    "line without its sale": "SELECT receipt_no FROM sale_lines l WHERE NOT EXISTS "
                             "(SELECT 1 FROM sales s WHERE s.receipt_no = l.receipt_no)",
    "payment without its sale": "SELECT receipt_no FROM payments p WHERE NOT EXISTS "
                                "(SELECT 1 FROM sales s WHERE s.receipt_no = p.receipt_no)",
}


def check_after_kill(db: Path, committed: dict[str, int], scratch: Path, where: str) -> int:
    """All the promises after a kill, on a copy of the files; returns the number of sales."""
    copy = _snapshot(db, scratch)
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        for what, sql in PARTIAL_SALE_QUERIES.items():
            assert c.execute(sql).fetchall() == [], f"{where}: {what}"
        stored = dict(c.execute("SELECT receipt_no, journal_seq FROM sales").fetchall())
    missing = {r: s for r, s in committed.items() if stored.get(r) != s}
    assert not missing, f"{where}: committed sales missing or moved: {sorted(missing.items())[:5]}"
    engine = create_engine(f"sqlite:///{copy}")
    try:
        report = verify_ledger(engine, "MX01")
    finally:
        engine.dispose()
    assert report.ok, f"{where}: ledger verify: {report.problem}"
    return len(stored)


def test_sigkill_at_random_moments_loses_nothing_committed_and_leaves_no_partial_sale(tmp_path: Path, pos_home: Path) -> None:
    rng = random.Random(SEED)
    template = _template(tmp_path)
    env = {**os.environ, "LIANXIN_HOME": str(pos_home), "PYTHONUNBUFFERED": "1"}
    env.pop("POS_DB", None)
    server = subprocess.Popen([sys.executable, str(CHILD), "--server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=env, cwd=tmp_path)
    lines = Lines(server)
    started = time.monotonic()
    db: Path | None = None
    committed: dict[str, int] = {}
    lives_on_db = dbs = total_sales = early = 0
    try:
        for life in range(KILLS):
            if db is None or lives_on_db >= LIVES_PER_DB:
                dbs += 1
                db = tmp_path / f"till{dbs}.db"
                shutil.copyfile(template, db)
                committed, lives_on_db = {}, 0
            seed = rng.randrange(2**31)
            out: list[str] = []
            fresh = life % FRESH_EVERY == FRESH_EVERY - 1
            if fresh:
                proc = subprocess.Popen([sys.executable, str(CHILD), str(db), str(seed)], stdout=subprocess.PIPE,
                                        text=True, env=env, cwd=tmp_path)
                pid, life_lines = proc.pid, Lines(proc)
            else:
                assert server.stdin is not None
                server.stdin.write(f"go {db} {seed}\n")
                server.stdin.flush()
                pid, life_lines = int(lines.until("PID ", out).split()[1]), lines
            if rng.random() < 0.15:  # while it is still opening the till (and recovering the WAL)
                early += 1
                time.sleep(rng.uniform(0, 0.03 if not fresh else 0.6))
            else:
                life_lines.until(f"READY {pid}", out)
                time.sleep(rng.uniform(0, 0.15))
            os.kill(pid, signal.SIGKILL)
            if fresh:
                proc.wait(timeout=30)
                assert proc.returncode == -signal.SIGKILL, f"life {life}: the child ended by itself ({out[-3:]})"
                life_lines.thread.join(timeout=30)
                life_lines.drain(out)
            else:
                status = int(lines.until(f"EXIT {pid} ", out).split()[2])
                assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
                    f"life {life}: the child ended by itself ({out[-3:]})"
            errors = [ln for ln in out if ln.startswith(f"E {pid} ")]
            assert not errors, f"life {life}: {errors[:3]}"
            for ln in out:
                if ln.startswith(f"C {pid} "):
                    _, _, receipt, seq = ln.split()
                    committed[receipt] = int(seq)
            total_sales += len([ln for ln in out if ln.startswith(f"C {pid} ")])
            check_after_kill(db, committed, tmp_path / "check", f"life {life} (seed {SEED}, child seed {seed})")
            lives_on_db += 1
    finally:
        if server.stdin is not None:
            server.stdin.close()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    took = time.monotonic() - started
    print(f"\ncrash test: {KILLS} kills ({early} while opening), {total_sales} committed sales checked, "
          f"{dbs} databases, {took:.1f} s")
    assert total_sales > KILLS  # the kills really landed among sales, not only before the first one
