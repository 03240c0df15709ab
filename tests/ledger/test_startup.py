"""A damaged, foreign or newer database at start-up: a plain message and a way out, never a
traceback and never a write to the file."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos.bootstrap import open_till
from pos.config import load_config
from pos.services.backup import BackupService, startup_advice
from pos.store.db import CorruptDatabase, ForeignDatabase, NewerDatabase, NotADatabase, StoreError, open_database

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 22, 2, 0, 0, tzinfo=UTC)


def _truncate(p: Path) -> None:
    os.truncate(p, p.stat().st_size // 2)


def _cut_one_page(p: Path) -> None:
    os.truncate(p, p.stat().st_size - 4096)


def _garble_after_header(p: Path) -> None:
    with p.open("r+b") as fh:
        fh.seek(100)
        fh.write(os.urandom(p.stat().st_size - 100))


def _garble_a_late_page(p: Path) -> None:
    with p.open("r+b") as fh:
        fh.seek(p.stat().st_size // 2 // 4096 * 4096)
        fh.write(os.urandom(4096))


def _foreign(p: Path) -> None:
    p.unlink()
    with sqlite3.connect(p) as c:
        c.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")


def _newer(p: Path) -> None:
    with sqlite3.connect(p) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_' || version_num")


def _text(p: Path) -> None:
    p.write_text("收银记录 2026-11-22\n", encoding="utf-8")


CASES: dict[str, tuple[Callable[[Path], None], type[StoreError], str]] = {
    "truncated": (_truncate, CorruptDatabase, "cut short"),
    "one page short": (_cut_one_page, CorruptDatabase, "cut short"),
    "random bytes after the header": (_garble_after_header, CorruptDatabase, "damaged"),
    "a garbled page": (_garble_a_late_page, CorruptDatabase, "damaged"),
    "foreign": (_foreign, ForeignDatabase, "another program"),
    "newer": (_newer, NewerDatabase, "newer LianXin POS"),
    "not SQLite": (_text, NotADatabase, "not a SQLite file"),
}


@pytest.fixture
def till_with_backups(demo_till, pos_home: Path):  # noqa: ANN201
    """The demo till closed, with two backups in the default backup folder (<data dir>/backups)."""
    service = BackupService.for_till(demo_till)
    service.backup(now=T0 - timedelta(days=1), daily=True)
    newest = service.backup(now=T0).path
    path = demo_till.db.path
    demo_till.close()
    assert newest.parent == pos_home / "data" / "backups"
    return path, newest


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_database_is_refused_with_the_newest_backup_and_the_exact_command(till_with_backups, case: str) -> None:
    path, newest = till_with_backups
    damage, cls, words = CASES[case]
    damage(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(cls) as exc:
        open_database(path)
    e = exc.value
    command = f"lianxin-pos --db {path} restore {newest}"
    assert words in e.message and command in e.message and command in e.message_zh
    assert "nothing was changed" in e.message and "未做任何修改" in e.message_zh
    assert "\n" not in e.message and "\n" not in e.message_zh
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # never written to
    advice = startup_advice(path)
    assert command in advice and "解决办法" in advice and "Way out" in advice and "Nothing was changed" in advice


def test_the_command_line_gives_one_line_and_a_way_out(till_with_backups, pos_home: Path) -> None:
    path, newest = till_with_backups
    _garble_after_header(path)
    env = {**os.environ, "LIANXIN_HOME": str(pos_home)}
    env.pop("POS_DB", None)
    for args in (["ledger", "verify"], ["sell", "--cashier", "cashier1", "--pin", "1111", "--scan", "1", "--pay", "cash:1"]):
        p = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), *args], capture_output=True,
                           text=True, env=env, cwd=ROOT, timeout=120)
        assert p.returncode == 2, p.stderr
        assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
        assert f"restore {newest}" in p.stderr and "已损坏" in p.stderr


def test_without_backups_the_way_out_says_where_it_looked(tmp_path: Path) -> None:
    path = tmp_path / "till.db"
    _text(path)
    advice = startup_advice(path, tmp_path / "usb")
    assert "没有找到备份" in advice and str(tmp_path / "usb") in advice and f"lianxin-pos --db {path} restore" in advice


def test_a_healthy_or_missing_database_needs_no_advice_and_opens(tmp_path: Path, demo_till) -> None:
    assert startup_advice(demo_till.db.path) == ""
    assert startup_advice(tmp_path / "nothing-yet.db") == ""
    older = tmp_path / "copy.db"
    demo_till.close()
    shutil.copyfile(demo_till.db.path, older)
    till = open_till(load_config(db=older, printer="dummy:"))
    try:
        assert till.verify().ok
    finally:
        till.close()


def test_damage_start_up_does_not_look_for_is_reported_with_the_way_out_when_it_is_read(
        till_with_backups, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above QUICK_CHECK_MAX_BYTES start-up only checks the structure; a damaged page elsewhere is
    found when it is read — the operation is refused with the same way out, nothing is written."""
    import pos.store.db as store_db

    path, newest = till_with_backups
    with sqlite3.connect(path) as c:
        root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sales'").fetchone()[0]
        page = c.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(os.urandom(page))
    monkeypatch.setattr(store_db, "QUICK_CHECK_MAX_BYTES", 0)
    till = open_till(load_config(db=path, printer="dummy:"))  # the structure is fine: it opens
    try:
        with pytest.raises(CorruptDatabase) as exc:
            till.verify()
    finally:
        till.close()
    assert f"lianxin-pos --db {path} restore {newest}" in exc.value.message and "交易未保存" in exc.value.message_zh
