"""Office accounts (argon2id passwords, roles), browser sessions, login throttling, the change
journal and machine report tokens. Qt- and web-free: the web layer and the CLI call these.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .schema_accounts import audit_log, login_failures, office_accounts, office_sessions, report_tokens
from .service import HeadOfficeError, iso, utc_now

SESSION_IDLE_S = 8 * 3600  # a session unused for a working day ends
SESSION_MAX_S = 24 * 3600
MAX_FAILURES = 5  # wrong passwords per login (or per client address × 4) ...
FAILURE_WINDOW_S = 15 * 60  # ... within this window lock further attempts until the window passes
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current parameters


class Role(StrEnum):
    ANALYST = "analyst"  # 分析: read every report
    MASTER_DATA = "master_data"  # 主数据: publish catalogue, prices, promotions, users, settings
    AUDITOR = "auditor"  # 审计: read + ledger views
    ADMIN = "admin"  # 管理员: accounts and terminals


class Perm(StrEnum):
    READ = "read"
    LEDGER = "ledger"
    MASTER = "master"
    ADMIN = "admin"


ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.ANALYST: frozenset({Perm.READ}),
    Role.MASTER_DATA: frozenset({Perm.READ, Perm.MASTER}),
    Role.AUDITOR: frozenset({Perm.READ, Perm.LEDGER}),
    Role.ADMIN: frozenset({Perm.READ, Perm.ADMIN}),
}
ROLE_NAMES_ZH = {Role.ANALYST: "分析", Role.MASTER_DATA: "主数据", Role.AUDITOR: "审计", Role.ADMIN: "管理员"}


@dataclass(frozen=True, slots=True)
class Officer:
    """Who is asking: an office account with a session, or a machine holding a report token."""

    login: str
    name: str
    roles: frozenset[Role]
    csrf: str = ""  # the session's CSRF token ("" for machine access)
    machine: bool = False

    @property
    def perms(self) -> frozenset[Perm]:
        if self.machine:
            return frozenset({Perm.READ})
        out: set[Perm] = set()
        for r in self.roles:
            out |= ROLE_PERMS[r]
        return frozenset(out)

    def can(self, perm: Perm) -> bool:
        return perm in self.perms


def parse_roles(text: str | Iterable[str]) -> frozenset[Role]:
    items = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    zh = {v: k for k, v in ROLE_NAMES_ZH.items()}
    out = set()
    for item in items:
        if item in zh:
            out.add(zh[item])
            continue
        try:
            out.add(Role(item))
        except ValueError:
            raise HeadOfficeError("bad_role", 400, f"'{item}' is not a role (analyst, master_data, auditor, admin)",
                                  f"“{item}”不是角色（分析、主数据、审计、管理员）") from None
    if not out:
        raise HeadOfficeError("bad_role", 400, "an account needs at least one role", "账号至少需要一个角色")
    return frozenset(out)


def _check_login(login: str) -> str:
    v = login.strip().lower()
    if not (2 <= len(v) <= 64 and all(c.isascii() and (c.isalnum() or c in "._-@") for c in v)):
        raise HeadOfficeError("bad_login", 400, "a login is 2–64 letters, digits or . _ - @",
                              "登录名应为 2–64 位字母、数字或 . _ - @")
    return v


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise HeadOfficeError("weak_password", 400, f"a password needs at least {MIN_PASSWORD} characters",
                              f"密码至少需要 {MIN_PASSWORD} 个字符")
    if len(password) > 256:
        raise HeadOfficeError("weak_password", 400, "a password is at most 256 characters", "密码最多 256 个字符")


def audit(conn: Connection, login: str, action: str, **detail: Any) -> None:
    """Journal one change (in the caller's transaction, so the change and its record go together)."""
    conn.execute(insert(audit_log).values(at=iso(utc_now()), login=login, action=action,
                                          detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)))


def audit_entries(engine: Engine, *, limit: int = 200, login: str | None = None) -> list[dict[str, Any]]:
    q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if login:
        q = q.where(audit_log.c.login == login)
    with engine.connect() as conn:
        return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in conn.execute(q)]


# -- accounts -----------------------------------------------------------------------------------------
def create_account(engine: Engine, login: str, name: str, password: str, roles: Iterable[Role] | str, *,
                   by: str) -> str:
    login = _check_login(login)
    check_password(password)
    role_set = parse_roles(roles if isinstance(roles, str) else [str(r) for r in roles])
    name = name.strip() or login
    now = iso(utc_now())
    try:
        with engine.begin() as conn:
            conn.execute(insert(office_accounts).values(
                login=login, name=name[:128], password_hash=_hasher.hash(password),
                roles=",".join(sorted(role_set)), active=True, created_at=now, password_changed_at=now))
            audit(conn, by, "account.create", account=login, roles=sorted(role_set))
    except IntegrityError:
        raise HeadOfficeError("account_exists", 409, f"there is already an account '{login}'",
                              f"账号“{login}”已存在") from None
    return login


def update_account(engine: Engine, login: str, *, by: str, name: str | None = None, roles: str | None = None,
                   active: bool | None = None, password: str | None = None) -> None:
    login = _check_login(login)
    values: dict[str, Any] = {}
    if name is not None and name.strip():
        values["name"] = name.strip()[:128]
    if roles is not None:
        values["roles"] = ",".join(sorted(parse_roles(roles)))
    if active is not None:
        values["active"] = active
    if password is not None:
        check_password(password)
        values["password_hash"] = _hasher.hash(password)
        values["password_changed_at"] = iso(utc_now())
    if not values:
        return
    with engine.begin() as conn:
        if login == by and (values.get("active") is False or ("roles" in values and "admin" not in values["roles"])):
            raise HeadOfficeError("self_lockout", 409, "you cannot disable yourself or drop your own admin role",
                                  "不能停用自己或去掉自己的管理员角色")
        n = conn.execute(update(office_accounts).where(office_accounts.c.login == login).values(**values)).rowcount
        if not n:
            raise HeadOfficeError("unknown_account", 404, f"no account '{login}'", f"没有账号“{login}”")
        if values.get("active") is False or "password_hash" in values:
            conn.execute(delete(office_sessions).where(office_sessions.c.login == login))
        audit(conn, by, "account.update", account=login,
              **{k: v for k, v in values.items() if k not in ("password_hash", "password_changed_at")},
              password_reset="password_hash" in values)


def list_accounts(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(office_accounts.c.login, office_accounts.c.name, office_accounts.c.roles,
                                   office_accounts.c.active, office_accounts.c.created_at)
                            .order_by(office_accounts.c.login)).all()
    return [dict(r._mapping) for r in rows]


def account_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(office_accounts)).scalar() or 0)


# -- logging in ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Session:
    token: str  # goes into the cookie; never stored
    officer: Officer


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _throttled(conn: Connection, login: str, client: str, now: int) -> bool:
    since = now - FAILURE_WINDOW_S
    by_login = conn.execute(select(func.count()).select_from(login_failures).where(
        login_failures.c.login == login, login_failures.c.at >= since)).scalar() or 0
    by_client = conn.execute(select(func.count()).select_from(login_failures).where(
        login_failures.c.client == client, login_failures.c.at >= since)).scalar() or 0
    return by_login >= MAX_FAILURES or by_client >= 4 * MAX_FAILURES


def _password_ok(conn: Connection, login: str, password: str, client: str, now: int) -> Any:
    """The active account whose password this is, or None (the failure recorded); refuses while throttled."""
    if _throttled(conn, login, client, now):
        raise HeadOfficeError("throttled", 429, f"too many wrong passwords; try again in {FAILURE_WINDOW_S // 60} minutes",
                              f"密码错误次数过多，请 {FAILURE_WINDOW_S // 60} 分钟后再试")
    row = conn.execute(select(office_accounts).where(office_accounts.c.login == login)).first()
    ok = False
    if row is not None and row.active and len(password) <= 256:
        try:
            ok = _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        try:  # spend the same time on unknown logins
            _hasher.verify(_DUMMY_HASH, password[:256])
        except (VerificationError, InvalidHashError):
            pass
    if not ok:
        conn.execute(insert(login_failures).values(login=login, client=client, at=now))
        return None
    conn.execute(delete(login_failures).where(login_failures.c.login == login))
    return row


def _wrong() -> HeadOfficeError:
    return HeadOfficeError("bad_login", 401, "wrong login or password", "登录名或密码错误")


def log_in(engine: Engine, login: str, password: str, *, client: str = "") -> Session:
    """Check a login and password; a new session, or a refusal that does not say which was wrong."""
    now = int(time.time())
    login = login.strip().lower()[:64]
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE; the throttle check and the record are one step
        row = _password_ok(conn, login, password, client[:64], now)
        if row is not None:
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            conn.execute(delete(office_sessions).where(office_sessions.c.expires_at < now))
            conn.execute(insert(office_sessions).values(token_hash=_token_hash(token), login=login, csrf=csrf,
                                                        created_at=now, last_seen=now, expires_at=now + SESSION_MAX_S))
            audit(conn, login, "session.login", client=client[:64])
            return Session(token, Officer(row.login, row.name, parse_roles(row.roles), csrf))
    raise _wrong()  # after the failure is committed, so throttling counts it


def change_own_password(engine: Engine, login: str, current: str, new: str, *, client: str = "") -> None:
    """An account changes its own password: the current one is checked (and throttled) like a login,
    without opening a session; every session of the account then ends."""
    check_password(new)
    with engine.begin() as conn:
        ok = _password_ok(conn, login, current, client[:64], int(time.time())) is not None
    if not ok:
        raise _wrong()
    update_account(engine, login, by=login, password=new)


_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def officer_for_session(engine: Engine, token: str | None) -> Officer | None:
    """The account behind a session cookie, or None (no cookie, unknown, expired, idle, disabled)."""
    if not token or len(token) > 128:
        return None
    now = int(time.time())
    th = _token_hash(token)
    with engine.connect() as conn:
        row = conn.execute(select(office_sessions.c.csrf, office_sessions.c.last_seen, office_sessions.c.expires_at,
                                  office_accounts.c.login, office_accounts.c.name, office_accounts.c.roles,
                                  office_accounts.c.active)
                           .join(office_accounts, office_accounts.c.login == office_sessions.c.login)
                           .where(office_sessions.c.token_hash == th)).first()
    if row is None or not row.active or row.expires_at < now or row.last_seen < now - SESSION_IDLE_S:
        return None
    if now - row.last_seen > 60:  # note activity at most once a minute
        with engine.begin() as conn:
            conn.execute(update(office_sessions).where(office_sessions.c.token_hash == th).values(last_seen=now))
    return Officer(row.login, row.name, parse_roles(row.roles), row.csrf)


def log_out(engine: Engine, token: str | None) -> None:
    if not token:
        return
    with engine.begin() as conn:
        conn.execute(delete(office_sessions).where(office_sessions.c.token_hash == _token_hash(token[:128])))


# -- machine tokens ---------------------------------------------------------------------------------
def create_token(engine: Engine, label: str, *, by: str) -> tuple[int, str]:
    token = "lxr_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        tid = conn.execute(insert(report_tokens).values(
            token_hash=_token_hash(token), label=label.strip()[:128] or "report token", created_by=by,
            created_at=iso(utc_now()))).inserted_primary_key[0]
        audit(conn, by, "token.create", token_id=tid, label=label)
    return int(tid), token


def revoke_token(engine: Engine, token_id: int, *, by: str) -> None:
    with engine.begin() as conn:
        n = conn.execute(update(report_tokens).where(report_tokens.c.id == token_id, report_tokens.c.revoked_at.is_(None))
                         .values(revoked_at=iso(utc_now()))).rowcount
        if not n:
            raise HeadOfficeError("unknown_token", 404, f"no live report token {token_id}", f"没有有效的报表口令 {token_id}")
        audit(conn, by, "token.revoke", token_id=token_id)


def list_tokens(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(report_tokens.c.id, report_tokens.c.label, report_tokens.c.created_by,
                                   report_tokens.c.created_at, report_tokens.c.revoked_at, report_tokens.c.last_used_at)
                            .order_by(report_tokens.c.id)).all()
    return [dict(r._mapping) for r in rows]


def officer_for_token(engine: Engine, token: str | None) -> Officer | None:
    if not token or len(token) > 128:
        return None
    th = _token_hash(token)
    with engine.connect() as conn:
        row = conn.execute(select(report_tokens.c.id, report_tokens.c.label, report_tokens.c.last_used_at)
                           .where(report_tokens.c.token_hash == th, report_tokens.c.revoked_at.is_(None))).first()
    if row is None:
        return None
    now = iso(utc_now())
    if (row.last_used_at or "")[:16] != now[:16]:
        with engine.begin() as conn:
            conn.execute(update(report_tokens).where(report_tokens.c.id == row.id).values(last_used_at=now))
    return Officer(f"token:{row.id}", row.label, frozenset({Role.ANALYST}), machine=True)
