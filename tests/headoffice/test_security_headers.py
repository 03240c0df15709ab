"""Every head-office response carries the security headers once; signed-in pages and the login page are
not cached; a till's batch goes through the same middleware (a real server on loopback)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.headoffice.ho_support import running_server
from tests.headoffice.ho_web import make_account, office_client


def test_pages_and_the_api_carry_the_security_headers_once(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        make_account(srv.engine, "ana", "analyst")
        for path in ("/login", "/healthz", "/api/v1/terminals/MX01/status", "/no-such-page"):
            r = httpx.get(srv.url + path)
            assert r.headers.get_list("x-frame-options") == ["DENY"], path
            assert r.headers["x-content-type-options"] == "nosniff"
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert httpx.get(srv.url + "/login").headers["cache-control"] == "no-store"
        assert "cache-control" not in httpx.get(srv.url + "/healthz").headers
        signed_in = office_client(srv.url, "ana")
        page = signed_in.get("/dashboard")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert page.headers.get_list("referrer-policy") == ["same-origin"]
