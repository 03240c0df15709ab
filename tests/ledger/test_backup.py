"""Backups (online, while selling), daily backups with retention, and restore that checks first."""

from __future__ import annotations

import gc
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos.bootstrap import open_till
from pos.config import load_config
from pos.services.backup import BackupService, RestoreRefused, restore
from pos.services.ports import FixedClock
from pos.store.db import BACKUP_NAME
from tests.ledger.ledgers import barcodes, open_shift_if_needed, sell

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 22, 2, 0, 0, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def journal(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as c:
        return c.execute("SELECT terminal_id, seq, hash FROM journal ORDER BY seq").fetchall()


def verify_file(path: Path, terminal: str = "MX01"):  # noqa: ANN201
    from sqlalchemy import create_engine

    from pos.services.ledger import verify_ledger

    engine = create_engine(f"sqlite:///{path}")
    try:
        return verify_ledger(engine, terminal)
    finally:
        engine.dispose()


@pytest.fixture
def service(demo_till, tmp_path: Path) -> BackupService:
    return BackupService(demo_till.db.path, tmp_path / "backups", store="MX", terminal="MX01", tz=demo_till.identity.tz,
                         keep=3)


def close(till) -> None:  # noqa: ANN001
    """Close the till before an in-process restore. After an in-process backup one pooled connection
    can outlive ``Till.close()`` until the garbage collector runs (restore normally runs in its own
    process, the CLI, where this cannot happen); collect so that restore's in-use probe sees it gone."""
    till.close()
    gc.collect()


def _sell_some(till, n: int, seed: int = 1) -> None:  # noqa: ANN001
    rng, codes, cashier = random.Random(seed), barcodes(till), till.auth.login("cashier1", "1111")
    for _ in range(n):
        sell(till, cashier, rng, codes)


def test_a_backup_is_named_self_contained_and_identical_to_the_ledger(demo_till, service: BackupService) -> None:
    _sell_some(demo_till, 5)
    r = service.backup(now=T0)
    assert r.path.name == "lianxin-MX-MX01-20261122T020000Z.db" and BACKUP_NAME.match(r.path.name)
    assert r.path.read_bytes()[18:20] == b"\x01\x01"  # rollback-journal file: no -wal needed beside it
    assert not list(r.path.parent.glob(".*partial"))
    assert journal(r.path) == journal(demo_till.db.path) and r.last_seq == journal(r.path)[-1][1]
    assert verify_file(r.path).ok
    again = service.backup(now=T0)  # same second: a second file, never an overwrite
    assert again.path.name == "lianxin-MX-MX01-20261122T020000Z-1.db"
    assert BackupService.for_till(demo_till).backup_dir == demo_till.config.backup_dir


def test_backups_taken_while_a_thread_keeps_selling_restore_and_verify(demo_till, service: BackupService,
                                                                       tmp_path: Path) -> None:
    _sell_some(demo_till, 30)  # some pages to copy
    rng, codes, cashier = random.Random(9), barcodes(demo_till), demo_till.auth.login("cashier1", "1111")
    stop, waits, sold, errors = threading.Event(), [], [], []

    def selling() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            try:
                sold.append(sell(demo_till, cashier, rng, codes).seq)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return
            waits.append(time.perf_counter() - t)

    seller = threading.Thread(target=selling)
    seller.start()
    service.step_pages = 4  # many small steps, so the sales really interleave with the copy
    results = []
    try:
        time.sleep(0.05)
        # Four backups at least, and more until the seller got a real run of sales in between: a
        # busy machine sells fewer sales per backup, never fewer interleavings.
        while len(results) < 4 or (len(sold) <= 10 and len(results) < 60):
            results.append(service.backup(now=T0 + timedelta(minutes=len(results))))
    finally:
        stop.set()
        seller.join(timeout=60)
    assert not errors, errors
    live = journal(demo_till.db.path)
    assert len(sold) > 10
    for r in results[:2] + results[-2:]:
        copy = journal(r.path)
        assert copy == live[: len(copy)] and copy[-1][1] == r.last_seq  # one consistent snapshot, a prefix of the chain
        target = tmp_path / f"restored-{r.path.stem}.db"
        done = restore(target, r.path)
        assert done.kept is None and done.last_seq == r.last_seq
        assert verify_file(target).ok
    assert results[-1].last_seq > results[0].last_seq or len(sold) < 5
    assert max(waits) < 2.0, f"a sale waited {max(waits):.2f} s behind a backup"


def test_restore_checks_the_backup_before_it_replaces_anything(demo_till, service: BackupService, tmp_path: Path) -> None:
    _sell_some(demo_till, 3)
    good = service.backup(now=T0).path
    close(demo_till)
    db = demo_till.db.path
    before = digest(db)

    def refused(backup: Path, *words: str) -> None:
        with pytest.raises(RestoreRefused) as exc:
            restore(db, backup)
        assert "nothing was changed" in exc.value.message and "未做任何修改" in exc.value.message_zh
        for w in words:
            assert w in exc.value.message
        assert digest(db) == before and not list(db.parent.glob("*.replaced-*"))

    damaged = tmp_path / "damaged.db"
    shutil.copyfile(good, damaged)
    with damaged.open("r+b") as fh:
        fh.seek(damaged.stat().st_size // 2)
        fh.write(os.urandom(8192))
    refused(damaged, "damaged")

    cut = tmp_path / "cut.db"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(cut, "cut short")

    broken = tmp_path / "broken.db"
    shutil.copyfile(good, broken)
    with sqlite3.connect(broken) as c:
        for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='journal'").fetchall():
            c.execute(f"DROP TRIGGER {name}")
        c.execute("UPDATE journal SET payload = replace(payload, '\"cashier\":', '\"cashier\": ') WHERE kind = 'sale'")
    with sqlite3.connect(broken) as c:
        first_sale = c.execute("SELECT MIN(seq) FROM journal WHERE kind = 'sale'").fetchone()[0]
    refused(broken, f"broken at entry {first_sale}")

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    refused(foreign, "another program")

    newer = tmp_path / "newer.db"
    shutil.copyfile(good, newer)
    with sqlite3.connect(newer) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_' || version_num")
    refused(newer, "newer LianXin POS")

    text = tmp_path / "notes.db"
    text.write_text("这不是数据库", encoding="utf-8")
    refused(text, "not a SQLite file")
    refused(tmp_path / "missing.db", "no backup file")

    other = tmp_path / "pm"
    pm = open_till(load_config(db=other / "pm.db", printer="dummy:", store="PM"), create=True, clock=FixedClock(T0))
    pm.close()
    refused(other / "pm.db", "terminal PM01", "--force")
    assert restore(db, other / "pm.db", force=True).terminal == "PM01"


def test_restore_keeps_the_replaced_database_and_says_what_only_it_holds(demo_till, service: BackupService) -> None:
    _sell_some(demo_till, 3)
    b = service.backup(now=T0)
    _sell_some(demo_till, 4, seed=2)
    db, newer = demo_till.db.path, journal(demo_till.db.path)
    close(demo_till)
    done = restore(db, b.path, now=T0 + timedelta(hours=1))
    assert done.kept is not None and done.kept.name == "till.replaced-20261122T030000Z.db"
    assert journal(done.kept) == newer and verify_file(done.kept).ok  # everything the old file held is kept
    assert done.lost_entries == len(newer) - len(journal(b.path)) == 5  # a login and four sales
    assert journal(db) == journal(b.path) and verify_file(db).ok
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    till = open_till(load_config(db=db, printer="dummy:"))  # and the till opens on it and sells on
    try:
        open_shift_if_needed(till, till.auth.login("cashier1", "1111"))
        _sell_some(till, 1, seed=3)
        assert till.verify().ok
    finally:
        till.close()


def test_restore_refuses_while_the_database_is_open_here_or_in_another_process(demo_till, service: BackupService) -> None:
    b = service.backup(now=T0)
    db = demo_till.db.path
    with demo_till.db.reader.connect() as c:  # the till in this process has it open
        c.exec_driver_sql("SELECT 1").all()
        with pytest.raises(RestoreRefused, match="open in another program"):
            restore(db, b.path)
    close(demo_till)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(db)!r}); c.execute('SELECT COUNT(*) FROM journal').fetchone()\n"
        "print('holding', flush=True); sys.stdin.read()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        before = digest(db)
        with pytest.raises(RestoreRefused, match="open in another program"):
            restore(db, b.path)
        assert digest(db) == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert restore(db, b.path).kept is not None  # once it is closed


def test_restore_replaces_a_damaged_database_named_at_start_up(demo_till, service: BackupService, tmp_path: Path) -> None:
    from pos.store.db import CorruptDatabase, open_database

    _sell_some(demo_till, 2)
    b = service.backup(now=T0)
    db = demo_till.db.path
    close(demo_till)
    os.truncate(db, db.stat().st_size // 2)
    with pytest.raises(CorruptDatabase) as exc:
        open_database(db, backup_dirs=[service.backup_dir])
    assert f"lianxin-pos --db {db} restore {b.path}" in exc.value.message
    done = restore(db, b.path)
    assert done.kept is not None
    assert verify_file(db).ok and journal(db) == journal(b.path)


def test_daily_backups_once_a_day_again_after_the_z_and_only_the_newest_days_are_kept(
        demo_till, service: BackupService) -> None:
    manager = demo_till.auth.login("manager1", "2222")
    _sell_some(demo_till, 2)
    manual = service.backup(now=T0 - timedelta(days=30))  # by hand: never pruned
    day1 = T0  # 10:00 in Pinghu
    first = service.auto_backup_if_due(day1)
    assert first is not None and first.path.name.endswith("-daily.db")
    assert service.auto_backup_if_due(day1 + timedelta(hours=2)) is None  # already one today
    if hasattr(demo_till, "closing"):  # after the Z the day's backup is taken again, now holding the Z
        from pos.domain.closing import CashCount

        demo_till.shifts.close(manager, CashCount())
        demo_till.closing.z_close(manager)
        after_z = service.auto_backup_if_due(day1 + timedelta(hours=11))
        assert after_z is not None
        assert service.auto_backup_if_due(day1 + timedelta(hours=11, minutes=5)) is None
    for d in range(1, 6):
        assert service.auto_backup_if_due(day1 + timedelta(days=d)) is not None
    dailies = [b for b in service.backups() if b.daily]
    assert [b.at.date().isoformat() for b in dailies] == ["2026-11-25", "2026-11-26", "2026-11-27"]  # keep = 3
    assert manual.path.exists()


def test_backup_and_restore_from_the_command_line(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"

    def run(*args: str, check: int = 0) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LIANXIN_HOME": str(pos_home)}
        env.pop("POS_DB", None)
        p = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args], capture_output=True,
                           text=True, env=env, cwd=ROOT, timeout=120)
        assert p.returncode == check, p.stderr
        assert "Traceback" not in p.stderr
        return p

    run("init", "--demo")
    out = run("backup").stdout
    assert out.startswith("backup written: ") and "backups" in out
    made = next((pos_home / "data" / "backups").glob("lianxin-MX-MX01-*.db"))
    assert str(made) in run("backup", "--list").stdout
    elsewhere = run("backup", "--to", str(tmp_path / "usb")).stdout
    assert str(tmp_path / "usb") in elsewhere
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))  # damaged
    err = run("ledger", "verify", check=2).stderr
    assert err.count("\n") == 1 and f"restore {made}" in err and "未做任何修改" in err
    out = run("restore", str(made)).stdout
    assert "restored" in out and "ledger verified" in out and "replaced-" in out
    assert run("ledger", "verify").stdout.startswith("ledger ok")
    err = run("restore", str(tmp_path / "nope.db"), check=2).stderr
    assert err.count("\n") == 1 and "no backup file" in err


def test_a_copy_left_by_a_killed_backup_is_swept_and_one_being_written_is_not(demo_till, service: BackupService) -> None:
    folder = service.backup_dir
    folder.mkdir(parents=True)
    killed = folder / ".lianxin-MX-MX01-20261121T020000Z-daily.db.partial"
    killed.write_bytes(b"\0" * 4096)
    old = time.time() - 3600
    os.utime(killed, (old, old))
    busy = folder / ".lianxin-MX-MX01-20261122T015959Z.db.partial"
    busy.write_bytes(b"\0" * 4096)  # another backup writing right now
    result = service.backup(now=T0)
    assert result.path.exists()
    assert not killed.exists()
    assert busy.exists()


def test_a_backup_that_would_fill_the_disk_is_refused_plainly_and_writes_nothing(
        demo_till, service: BackupService, monkeypatch: pytest.MonkeyPatch) -> None:
    from pos.domain.errors import PosError

    real = shutil.disk_usage

    def nearly_full(path):  # noqa: ANN001, ANN202
        u = real(path)
        return type(u)(u.total, u.total - 1024 * 1024, 1024 * 1024)  # 1 MB free: the OS edge, faked

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)
    with pytest.raises(PosError) as caught:
        service.backup(now=T0)
    assert "not enough free space" in str(caught.value)
    assert "空间不足" in caught.value.message_zh
    assert list(service.backup_dir.iterdir()) == []  # not even a partial copy
    monkeypatch.setattr(shutil, "disk_usage", real)
    assert service.backup(now=T0).path.exists()  # with room again, it works


def test_only_the_newest_three_copies_before_an_upgrade_are_kept(tmp_path: Path) -> None:
    from pos.store.db import KEEP_UPGRADE_COPIES, keep_copy_before_upgrade

    db = tmp_path / "till.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE t (x)")
    folder = tmp_path / "backups"
    made = []
    for i in range(5):
        made.append(keep_copy_before_upgrade(db, folder, f"00{i:02d}"))
        t = time.time() - 100 + i
        os.utime(made[-1], (t, t))
    kept = sorted(folder.glob("before-upgrade-*.db"))
    assert len(kept) == KEEP_UPGRADE_COPIES == 3
    assert set(kept) == set(made[-3:])
