"""`headoffice demo` gives a person something to look at: accounts that log in, two counters that synced
every day's sales and Z, nothing flagged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from headoffice.demo import DEMO_PASSWORD, seed
from headoffice.terminals_view import overview
from tests.headoffice.ho_support import running_server
from tests.headoffice.ho_web import office_client


def test_the_demo_head_office_has_two_clean_counters_and_working_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_HOME", str(tmp_path / "home"))
    db = f"sqlite:///{tmp_path / 'ho.db'}"
    with running_server(db) as srv:
        rep = seed(srv.engine, first_day=date(2026, 11, 1), days=2, sales_per_day=4, folder=tmp_path / "demo")
        assert rep.sales >= 2 * 2 * 3 and set(rep.accounts) == {"admin", "fenxi", "zhushuju", "shenji"}
        rows = {r["terminal_id"]: r for r in overview(srv.engine)}
        assert set(rows) == {"MX01", "PM01"}
        for r in rows.values():  # the demo tills traded in November, so only their clocks look stale
            assert r["status"] == "active" and not r["days_without_z"] and r["waiting"] == 0, r
            assert [en for _zh, en in r["flags"]] == [en for _zh, en in r["flags"] if en.startswith("clock behind")]
        page = office_client(srv.url, "fenxi", DEMO_PASSWORD).get("/terminals")
        assert page.status_code == 200 and "PM01" in page.text
