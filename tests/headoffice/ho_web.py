"""Helpers for console tests: office accounts and an httpx client logged in through the real /login form.

Session cookies are Secure, and httpx (like any cookie jar) will not send a Secure cookie over
plain http://127.0.0.1, so the client carries the cookies in its own Cookie header.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import httpx
from sqlalchemy import Engine

from headoffice.accounts import create_account

PASSWORD = "连心-correct-horse-42"


def make_account(engine: Engine, login: str, roles: str, *, name: str = "", password: str = PASSWORD) -> str:
    return create_account(engine, login, name or login, password, roles, by="test")


def cookies_of(resp: httpx.Response) -> dict[str, str]:
    out: dict[str, str] = {}
    for header in resp.headers.get_list("set-cookie"):
        c = SimpleCookie()
        c.load(header)
        out.update({k: m.value for k, m in c.items()})
    return out


def csrf_in(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


class OfficeClient(httpx.Client):
    """An httpx client with a logged-in session; ``csrf`` is the session's form token."""

    csrf: str = ""

    def form(self, path: str, data: dict[str, str] | None = None, **kw) -> httpx.Response:  # noqa: ANN003
        return self.post(path, data={"csrf": self.csrf, **(data or {})}, **kw)


def office_client(base_url: str, login: str, password: str = PASSWORD) -> OfficeClient:
    page = httpx.get(f"{base_url}/login")
    jar = cookies_of(page)
    resp = httpx.post(f"{base_url}/login", data={"login": login, "password": password, "csrf": csrf_in(page.text),
                                                 "next": "/dashboard"},
                      headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    assert resp.status_code == 303, f"login failed: {resp.status_code} {resp.text[:300]}"
    session = cookies_of(resp)["lx_session"]
    client = OfficeClient(base_url=base_url, headers={"Cookie": f"lx_session={session}", "Accept": "text/html"},
                          follow_redirects=False, timeout=30)
    page = client.get("/account")  # every account's own page; its layout carries the session's CSRF token
    assert page.status_code == 200, page.text[:300]
    client.csrf = csrf_in(page.text)
    return client
