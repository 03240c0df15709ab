"""Office accounts, their sessions, the change journal, machine report tokens, failed logins."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from .schema import metadata

# People at head office. ``roles`` is a comma-separated subset of analyst, master_data, auditor, admin.
office_accounts = Table(
    "office_accounts",
    metadata,
    Column("login", String(64), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("roles", String(128), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(32), nullable=False),
    Column("password_changed_at", String(32), nullable=False),
)

# A browser session: the cookie carries a random token; only its SHA-256 is stored.
office_sessions = Table(
    "office_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("login", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)
Index("ix_office_sessions_login", office_sessions.c.login)

# Every change made at head office: who, when, what (JSON detail).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("login", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False),
)
Index("ix_audit_log_at", audit_log.c.at)

# Read-only tokens for machine access to reports; revocable. Only the token's SHA-256 is stored.
report_tokens = Table(
    "report_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(128), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    Column("last_used_at", String(32), nullable=True),
)

# Failed logins, by login name and by client address, for throttling.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(64), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", BigInteger, nullable=False),
)
Index("ix_login_failures_login", login_failures.c.login, login_failures.c.at)
Index("ix_login_failures_client", login_failures.c.client, login_failures.c.at)
