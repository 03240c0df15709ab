"""The counters page's figures and the admin's terminal changes (enrol, reissue a code, revoke).

Read side: one row per terminal with what head office holds, what the till last said about itself
(headoffice/terminal_info.py), flags from the problems table, stale clocks and business days with
sales but no Z. Ledger side (auditors): the stored entries of one terminal, paged, and the chain
re-verified over everything head office holds.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, func, select, text

from pos.domain.ledger import EntryKind, StoredEntry, verify_chain
from pos.sync.enrolment import enrolment_text

from . import service
from .accounts import audit
from .schema import entries, problems, terminals
from .schema_masterdata import terminal_reports

STALE_CLOCK_S = 5 * 60  # a till whose clock is off by more than this is flagged
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
PAGE_SIZE = 50

PROBLEM_WORDS = {"gap": ("缺号", "gap"), "chain_broken": ("哈希链断裂", "broken chain"), "conflict": ("记录冲突", "conflict")}


def _iso_parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def local_time(text: str | None) -> str:
    """A stored UTC time as Shanghai wall time, ``2026-12-03 14:05``; '' when there is none."""
    t = _iso_parse(text)
    return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if t else ""


# Walks each terminal's distinct sale days through the (kind, terminal_id, business_day) index, one
# seek a day, instead of reading every sale: the cost grows with days, not with sales.
_DAYS_WITHOUT_Z = text("""
WITH RECURSIVE d(terminal_id, day) AS (
  SELECT t.terminal_id, (SELECT MIN(e.business_day) FROM entries e
                         WHERE e.kind = :sale AND e.terminal_id = t.terminal_id AND e.business_day < :today)
  FROM terminals t
  UNION ALL
  SELECT d.terminal_id, (SELECT MIN(e.business_day) FROM entries e
                         WHERE e.kind = :sale AND e.terminal_id = d.terminal_id AND e.business_day > d.day
                           AND e.business_day < :today)
  FROM d WHERE d.day IS NOT NULL
)
SELECT d.terminal_id, d.day FROM d
WHERE d.day IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entries z WHERE z.kind = :z AND z.terminal_id = d.terminal_id
                                         AND z.business_day = d.day)
""")


def days_without_z(engine: Engine, today: str) -> dict[str, list[str]]:
    """Per terminal, business days before ``today`` with a sale stored but no Z closure stored."""
    with engine.connect() as conn:
        rows = conn.execute(_DAYS_WITHOUT_Z, {"sale": EntryKind.SALE, "z": EntryKind.Z_CLOSURE, "today": today}).all()
    out: dict[str, list[str]] = {}
    for t, day in rows:
        out.setdefault(t, []).append(day)
    return {t: sorted(days) for t, days in out.items()}


def overview(engine: Engine, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per terminal for /terminals, in store and terminal order."""
    now = now or datetime.now(UTC)
    today = now.astimezone(SHANGHAI).strftime("%Y-%m-%d")
    with engine.connect() as conn:
        rows = conn.execute(
            select(terminals.c.terminal_id, terminals.c.store_code, terminals.c.status, terminals.c.last_seq,
                   terminals.c.last_batch_at, terminals.c.enrolled_at, terminals.c.revoked_at,
                   terminals.c.code_expires_at, terminal_reports.c.app_version, terminal_reports.c.head_seq,
                   terminal_reports.c.sent_at, terminal_reports.c.received_at, terminal_reports.c.clock_skew_s)
            .select_from(terminals.outerjoin(terminal_reports, terminal_reports.c.terminal_id == terminals.c.terminal_id))
            .order_by(terminals.c.store_code, terminals.c.terminal_id)).all()
        counts = conn.execute(select(problems.c.terminal_id, problems.c.kind, func.count())
                              .group_by(problems.c.terminal_id, problems.c.kind)).all()
        latest = conn.execute(select(problems).order_by(problems.c.id.desc()).limit(200)).all()
    by_kind: dict[str, dict[str, int]] = {}
    for t, kind, n in counts:
        by_kind.setdefault(t, {})[kind] = int(n)
    recent: dict[str, list[dict[str, Any]]] = {}
    for p in latest:
        if len(recent.setdefault(p.terminal_id, [])) < 3:
            recent[p.terminal_id].append({**dict(p._mapping), "at_local": local_time(p.at)})
    no_z = days_without_z(engine, today)
    out = []
    for r in rows:
        held = int(r.last_seq or 0)
        waiting = max(0, int(r.head_seq) - held) if r.head_seq is not None else None
        skew = int(r.clock_skew_s) if r.clock_skew_s is not None else None
        flags: list[tuple[str, str]] = []  # (中文, English)
        for kind, n in sorted(by_kind.get(r.terminal_id, {}).items()):
            zh, en = PROBLEM_WORDS.get(kind, (kind, kind))
            flags.append((f"{zh} ×{n}", f"{en} ×{n}"))
        if skew is not None and abs(skew) > STALE_CLOCK_S:
            zh, en = _span(abs(skew))
            flags.append((f"时钟{'快' if skew > 0 else '慢'} {zh}", f"clock {'ahead' if skew > 0 else 'behind'} {en}"))
        if r.status == "revoked":
            flags.append(("已停用", "revoked"))
        out.append({
            "terminal_id": r.terminal_id, "store_code": r.store_code, "status": r.status, "held_seq": held,
            "last_batch": local_time(r.last_batch_at), "enrolled": local_time(r.enrolled_at),
            "revoked": local_time(r.revoked_at), "code_expires": local_time(r.code_expires_at),
            "head_seq": r.head_seq, "waiting": waiting, "version": r.app_version or "", "clock_skew_s": skew,
            "stale_clock": skew is not None and abs(skew) > STALE_CLOCK_S, "flags": flags,
            "days_without_z": no_z.get(r.terminal_id, []), "problems": recent.get(r.terminal_id, []),
        })
    return out


def _span(seconds: int) -> tuple[str, str]:
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} 天", f"{seconds // 86400} days"
    if seconds >= 2 * 3600:
        return f"{seconds // 3600} 小时", f"{seconds // 3600} h"
    return f"{seconds // 60} 分钟", f"{seconds // 60} min"


def stores(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [s for (s,) in conn.execute(select(terminals.c.store_code).distinct().order_by(terminals.c.store_code))]


# -- admin: enrol, reissue, revoke --------------------------------------------------------------------
@dataclass(frozen=True)
class Enrolment:
    issued: service.IssuedCode
    text: str  # what the QR code says
    qr: str  # the QR code as an SVG data: URI

    @property
    def expires_local(self) -> str:
        return local_time(self.issued.expires_at)


def qr_data_uri(text: str) -> str:
    import segno

    out = io.BytesIO()  # a standalone SVG (with its namespace, or browsers draw nothing), base64 in a data: URI
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=2, dark="#1d2733", xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def enrol(engine: Engine, by: str, store: str, terminal: str, url: str, *, reissue: bool = False) -> Enrolment:
    """A new terminal (or a new code for a known one): its one-time code and the QR text for its wizard.

    service.add_terminal opens its own transaction (it makes and hashes the code), so the change
    journal is written right after it, in a transaction of its own. The code itself is never journaled.
    """
    issued = service.add_terminal(engine, store, terminal, reissue=reissue)
    with engine.begin() as conn:
        audit(conn, by, "terminal.reissue" if reissue else "terminal.enrol", terminal=issued.terminal_id,
              store=issued.store_code, code_expires_at=issued.expires_at)
    text = enrolment_text(url, issued.store_code, issued.terminal_id, issued.code)
    return Enrolment(issued, text, qr_data_uri(text))


def revoke(engine: Engine, by: str, terminal: str) -> None:
    """Refuse every further request of a till. service.revoke_terminal opens its own transaction, so
    the change journal is written right after it (revoking must not wait on anything else)."""
    service.revoke_terminal(engine, terminal)
    with engine.begin() as conn:
        audit(conn, by, "terminal.revoke", terminal=terminal.strip().upper())


def terminal_row(engine: Engine, terminal: str) -> dict[str, Any]:
    t = terminal.strip().upper()
    row = None
    if t.isascii() and t.isalnum() and len(t) <= 32:  # anything else cannot be a terminal id (nor go into SQL text)
        with engine.connect() as conn:
            row = conn.execute(select(terminals.c.terminal_id, terminals.c.store_code, terminals.c.status,
                                      terminals.c.last_seq, terminals.c.last_hash)
                               .where(terminals.c.terminal_id == t)).first()
    if row is None:
        shown = "".join(c for c in terminal[:32] if c.isprintable())
        raise service.HeadOfficeError("unknown_terminal", 404, f"no terminal {shown}", f"没有收银机 {shown}")
    return dict(row._mapping)


# -- auditors: the ledger ----------------------------------------------------------------------------
def ledger_page(engine: Engine, terminal: str, page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:
    info = terminal_row(engine, terminal)
    t = info["terminal_id"]
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(entries).where(entries.c.terminal_id == t)).scalar() or 0)
        pages = max(1, -(-total // size))
        page = min(max(1, page), pages)
        rows = conn.execute(select(entries.c.seq, entries.c.kind, entries.c.business_day, entries.c.created_at,
                                   entries.c.received_at, entries.c.hash)
                            .where(entries.c.terminal_id == t).order_by(entries.c.seq.desc())
                            .limit(size).offset((page - 1) * size)).all()
    items = [{"seq": int(r.seq), "kind": r.kind, "business_day": r.business_day, "created": local_time(r.created_at),
              "received": local_time(r.received_at), "hash": r.hash[:12]} for r in rows]
    return {"terminal": info, "entries": items, "total": total, "page": page, "pages": pages,
            "problems": [{**p, "at_local": local_time(p["at"])} for p in reversed(service.list_problems(engine, t))]}


def _stream(engine: Engine, terminal: str) -> Iterator[StoredEntry]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(
            select(entries).where(entries.c.terminal_id == terminal).order_by(entries.c.seq))
        for r in result:
            yield StoredEntry(r.terminal_id, int(r.seq), r.kind, r.business_day, r.created_at, r.payload,
                              r.prev_hash, r.hash)


def verify(engine: Engine, terminal: str) -> dict[str, Any]:
    """Re-check the hash chain over every entry head office holds for ``terminal``."""
    info = terminal_row(engine, terminal)
    t = info["terminal_id"]
    seen = {"n": 0, "last": None}

    def counted() -> Iterator[StoredEntry]:
        for e in _stream(engine, t):
            seen["n"] += 1
            seen["last"] = e
            yield e

    bad = verify_chain(counted(), t)
    if bad is not None:
        return {"ok": False, "checked": seen["n"], "bad_seq": bad.seq, "reason": bad.reason}
    last = seen["last"]
    if last is not None and (last.seq != int(info["last_seq"]) or last.hash != info["last_hash"]):
        return {"ok": False, "checked": seen["n"], "bad_seq": last.seq,
                "reason": f"the newest stored entry ({last.seq}) is not the head head office records ({info['last_seq']})"}
    return {"ok": True, "checked": seen["n"], "bad_seq": None, "reason": ""}
