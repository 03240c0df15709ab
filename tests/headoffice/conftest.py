"""Sync tests keep the head-office key in a file under the test's LIANXIN_HOME, never in a real keyring."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _secrets_in_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_SYNC_SECRETS", "file")
