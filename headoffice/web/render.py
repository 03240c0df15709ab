"""Page rendering: one Jinja2 environment, the base layout's context (account, CSRF token, menu)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from pos import __version__
from pos.domain.money import format_yuan

from ..accounts import ROLE_NAMES_ZH, Officer, Perm
from .access import iter_routes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))  # autoescape on for .html
templates.env.filters["yuan"] = lambda fen: "" if fen is None else format_yuan(int(fen))
templates.env.globals["version"] = __version__

# The menu: (path, 中文, English, permission needed). Pages not built yet are left out by `menu()`.
NAV: tuple[tuple[str, str, str, Perm], ...] = (
    ("/dashboard", "消费帮扶", "Dashboard", Perm.READ),
    ("/terminals", "柜台与收银机", "Counters", Perm.READ),
    ("/master", "主数据", "Master data", Perm.MASTER),
    ("/invoices", "开票申请", "Invoice requests", Perm.READ),
    ("/audit", "变更记录", "Change journal", Perm.LEDGER),
    ("/accounts", "账号与口令", "Accounts", Perm.ADMIN),
)


def menu(request: Request, officer: Officer | None) -> list[dict[str, Any]]:
    if officer is None:
        return []
    paths = {getattr(r, "path", None) for r in iter_routes(request.app.routes)}
    here = request.url.path
    return [{"path": p, "zh": zh, "en": en, "active": here == p or here.startswith(p + "/")}
            for p, zh, en, perm in NAV
            if p in paths and (officer.can(perm) or (perm == Perm.LEDGER and officer.can(Perm.ADMIN)))]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``templates/<name>`` inside base.html's layout for the account making the request."""
    officer: Officer | None = context.pop("officer", None) or getattr(request.state, "officer", None)
    roles = "、".join(ROLE_NAMES_ZH[r] for r in sorted(officer.roles)) if officer else ""
    return templates.TemplateResponse(request, name, {
        "officer": officer, "roles_zh": roles, "csrf": officer.csrf if officer else context.pop("csrf", ""),
        "menu": menu(request, officer), **context}, status_code=status)
