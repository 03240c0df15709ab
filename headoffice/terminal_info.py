"""What a till says about itself with each batch (the optional ``till`` object of the batch body).

``note`` runs inside the batch's transaction (the terminal's row is locked), so the report and the
batch are stored together; a malformed ``till`` object refuses the whole batch with ``bad_batch``.
The counters page (headoffice/terminals_view.py) reads it: entries waiting = the till's head_seq
minus what head office holds, app version, and a stale clock when the till's time is off.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from .schema_masterdata import terminal_reports

MAX_SEQ = 2**63 - 1
MAX_VERSION = 32


def _bad(what_en: str, what_zh: str) -> Exception:
    from .service import HeadOfficeError  # service imports this module

    return HeadOfficeError("bad_batch", 400, f"the batch's till report is wrong: {what_en}",
                           f"批次中的收银机信息有误：{what_zh}")


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?", re.ASCII)


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time (``Z`` or an offset; none means UTC), or None when it is not one."""
    if not isinstance(text, str) or not _ISO_TIME.fullmatch(text):
        return None
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def check(till: Any) -> dict[str, Any]:
    """The checked fields of a ``till`` object: version, head_seq, sent_at (each may be absent)."""
    if not isinstance(till, dict):
        raise _bad("'till' must be an object", "“till”应为对象")
    version, head_seq, sent_at = till.get("version"), till.get("head_seq"), till.get("sent_at")
    if version is not None and (not isinstance(version, str) or len(version) > MAX_VERSION
                                or any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in version)):
        raise _bad(f"'version' must be text of at most {MAX_VERSION} characters, without control characters",
                   f"“version”应为不超过 {MAX_VERSION} 个字符的文字，不含控制字符")
    if head_seq is not None and (type(head_seq) is not int or not 0 <= head_seq <= MAX_SEQ):
        raise _bad("'head_seq' must be a whole number from 0 to 2^63-1", "“head_seq”应为 0 到 2^63-1 的整数")
    when = None
    if sent_at is not None:
        when = parse_time(sent_at) if isinstance(sent_at, str) else None
        if when is None:
            raise _bad("'sent_at' must be an ISO time like 2026-12-03T08:00:00Z", "“sent_at”应为 ISO 时间，例如 2026-12-03T08:00:00Z")
    return {"version": version, "head_seq": head_seq, "sent_at": when}


def note(conn: Connection, terminal: str, till: Any, received: str) -> None:
    """Record the till's own report (version, its newest seq, its clock) sent with a batch."""
    if till is None:
        return
    info = check(till)
    got = parse_time(received) or datetime.now(UTC)
    sent: datetime | None = info["sent_at"]
    values = {
        "app_version": info["version"], "head_seq": info["head_seq"],
        "sent_at": sent.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if sent else None,
        "received_at": received,
        "clock_skew_s": int((sent - got).total_seconds()) if sent else None,
    }
    from .service import fixed_sql  # service imports this module

    row = (values["app_version"], values["head_seq"], values["sent_at"], values["received_at"], values["clock_skew_s"],
           terminal)
    if not fixed_sql(conn, _UPDATE, row).rowcount:  # fixed SQL: this runs with every batch
        fixed_sql(conn, _INSERT, row)


_COLUMNS = ("app_version", "head_seq", "sent_at", "received_at", "clock_skew_s")
_UPDATE = f"UPDATE {terminal_reports.name} SET " + ", ".join(f"{c} = ?" for c in _COLUMNS) + " WHERE terminal_id = ?"
_INSERT = f"INSERT INTO {terminal_reports.name} ({', '.join(_COLUMNS)}, terminal_id) VALUES (?, ?, ?, ?, ?, ?)"
