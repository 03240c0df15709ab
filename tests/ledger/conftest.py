"""One realistic ledger, built once per test session and copied by the tests that need one."""

from __future__ import annotations

import pytest

from tests.ledger.ledgers import Ledger, build_ledger


@pytest.fixture(scope="session")
def built_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """Built once per session under its own LIANXIN_HOME (the autouse pos_home is per test)."""
    home = tmp_path_factory.mktemp("ledger-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIANXIN_HOME", str(home))
        mp.delenv("POS_DB", raising=False)
        return build_ledger(home / "ledger.db")
