"""A database that does not answer in time (a writer holding SQLite, a lock wait on PostgreSQL, the
server gone) is a 503 in words with Retry-After — for the API and for a page — never a 500."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from headoffice import accounts, reports
from tests.headoffice.ho_support import running_server
from tests.headoffice.ho_web import make_account, office_client


def _locked(*_a: object, **_k: object) -> None:
    raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def _gone(*_a: object, **_k: object) -> None:
    raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open database file"))


@pytest.mark.parametrize(("fault", "code"), [(_locked, "busy"), (_gone, "database_unavailable")])
def test_a_database_that_does_not_answer_is_a_503_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            fault, code: str) -> None:  # noqa: ANN001
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        _id, token = accounts.create_token(srv.engine, "bi", by="test")
        make_account(srv.engine, "fenxi", "analyst")
        page = office_client(srv.url, "fenxi")
        monkeypatch.setattr(reports, "sales_report", fault)
        r = httpx.get(f"{srv.url}/api/v1/reports/sales", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 503 and r.json()["error"] == code and int(r.headers["Retry-After"]) > 0
        assert "nothing was changed" in r.json()["message"] and "未做任何更改" in r.json()["message_zh"]
        monkeypatch.setattr("headoffice.dashboard.overview", fault)
        html = page.get("/dashboard")
        assert html.status_code == 503 and "未做任何更改" in html.text and "Traceback" not in html.text
