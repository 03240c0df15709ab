"""One realistic ledger, built once per test session and copied by the tests that need one."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos.bootstrap import open_till
from pos.config import load_config
from pos.services.ports import FixedClock
from tests.ledger.ledgers import Ledger, build_ledger

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# 2026-12-04 15:00 in Pinghu: the day after the old ledger's Z.
LATER = datetime(2026, 12, 4, 7, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def built_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """Built once per session under its own LIANXIN_HOME (the autouse pos_home is per test)."""
    home = tmp_path_factory.mktemp("ledger-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIANXIN_HOME", str(home))
        mp.delenv("POS_DB", raising=False)
        return build_ledger(home / "ledger.db")


@pytest.fixture
def old_till(tmp_path: Path, pos_home: Path):
    """The ledger an older program wrote (schema 0007, tests/fixtures/ledger_v0007.db),
    opened — and so upgraded — by this one, with its device key, at LATER."""
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "ledger_v0007.db", db)
    key = pos_home / "config" / "device.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "ledger_v0007.device.key", key)
    key.chmod(0o600)
    till = open_till(load_config(db=db, printer="dummy:"), clock=FixedClock(LATER))
    yield till, db
    till.close()
