"""Shared fixtures: a till on a real SQLite file in a temp dir, offscreen Qt, a fixed clock."""

from __future__ import annotations

import os

# Qt must never try to reach a display in tests; set before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos.bootstrap import Till, open_till
from pos.config import Config, load_config
from pos.services.ports import FixedClock

# 2026-11-22 10:00 in Pinghu (UTC+8).
T0 = datetime(2026, 11, 22, 2, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data/config home: no test touches the user's real till."""
    home = tmp_path / "home"
    monkeypatch.setenv("LIANXIN_HOME", str(home))
    monkeypatch.delenv("POS_DB", raising=False)
    return home


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(db=tmp_path / "till.db", printer="dummy:")


@pytest.fixture
def file_config(tmp_path: Path) -> Config:
    """Like ``config`` but receipts go to a folder (the default printer of a real till)."""
    return load_config(db=tmp_path / "till.db", printer=f"file:{tmp_path / 'receipts'}")


@pytest.fixture
def fresh_till(config: Config, clock: FixedClock):
    """The demo store (茂县专柜, terminal MX01) on a fresh SQLite file, no shift open yet."""
    till = open_till(config, create=True, demo=True, clock=clock)
    yield till
    till.close()


@pytest.fixture
def demo_till(fresh_till: Till):
    """The demo store with cashier1's shift open (a zero float), ready to sell."""
    from pos.domain.closing import CashCount

    fresh_till.shifts.open(login_cashier(fresh_till), CashCount())
    return fresh_till


def login_cashier(till: Till):
    return till.auth.login("cashier1", "1111")
