"""Head office use cases: terminals and enrolment, signed-request checks, storing batches, master data.

Every refusal is a :class:`HeadOfficeError` with a stable ``code`` (sent as ``error`` in the JSON
answer), an HTTP status, and a sentence in English and Chinese.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from pos.domain.errors import PosError
from pos.domain.ledger import StoredEntry, canonical_json, genesis_hash, verify_chain
from pos.domain.pricing import RoundingMode
from pos.domain.users import Role, check_pin_format
from pos.sync import signing

from . import derive, members, terminal_info
from .schema import derive_state, entries, master_versions, problems, retired_keys, terminals

T = TypeVar("T")
MAX_BATCH = 5000
# The batch formats head office reads: 1, each payload its canonical JSON text in a string; 2 (a body that says
# "v":2), each payload that JSON object itself, its bytes in the body exactly the bytes the till hashed (no
# escaping at the till, no unescaping here). Acknowledgements say "batch_format": 2, so a till sends format 2
# only to a head office that reads it (an older one answers without it).
BATCH_FORMAT = 2
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_TTL_HOURS = 72
MAX_CODE_ATTEMPTS = 10
BUSY_RETRIES = 4  # a batch that lost a deadlock or waited too long for a lock is tried again this often


class HeadOfficeError(PosError):
    def __init__(self, code: str, status: int, message: str, message_zh: str, **extra: Any) -> None:
        super().__init__(message, message_zh=message_zh)
        self.code = code
        self.status = status
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "message_zh": self.message_zh, **self.extra}


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# -- terminals -------------------------------------------------------------------------------------
def _code_hash(terminal_id: str, code: str) -> str:
    clean = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"{terminal_id}:{clean}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _check_id(value: str, what: str) -> str:
    v = value.strip().upper()
    if not (v.isascii() and v.isalnum() and 2 <= len(v) <= 12):
        raise HeadOfficeError("bad_id", 400, f"{what} '{value}' must be 2–12 letters or digits", f"{what}“{value}”应为 2–12 位字母或数字")
    return v


@dataclass(frozen=True)
class IssuedCode:
    terminal_id: str
    store_code: str
    code: str
    expires_at: str


def add_terminal(engine: Engine, store: str, terminal: str, *, reissue: bool = False,
                 ttl_hours: int = CODE_TTL_HOURS) -> IssuedCode:
    """Register a till (or issue it a new code) and return its one-time enrolment code."""
    store, terminal = _check_id(store, "store"), _check_id(terminal, "terminal")
    code = _new_code()
    now = utc_now()
    expires = iso(now + timedelta(hours=ttl_hours))
    with engine.begin() as conn:
        row = conn.execute(select(terminals).where(terminals.c.terminal_id == terminal)).first()
        if row is None:
            conn.execute(insert(terminals).values(
                terminal_id=terminal, store_code=store, status="pending", code_hash=_code_hash(terminal, code),
                code_expires_at=expires, code_attempts=0, created_at=iso(now), last_seq=0, flagged=False))
            conn.execute(insert(derive_state).values(terminal_id=terminal, derived_seq=0))
        else:
            if row.store_code != store:
                raise HeadOfficeError("store_mismatch", 409, f"terminal {terminal} belongs to store {row.store_code}",
                                      f"收银机 {terminal} 属于门店 {row.store_code}")
            if row.status != "pending" and not reissue:
                raise HeadOfficeError(
                    "already_enrolled", 409,
                    f"terminal {terminal} is already {row.status}; pass --reissue to give it a new code",
                    f"收银机 {terminal} 已{'登记' if row.status == 'active' else '停用'}，如需重新登记请加 --reissue")
            conn.execute(update(terminals).where(terminals.c.terminal_id == terminal).values(
                status="pending", code_hash=_code_hash(terminal, code), code_expires_at=expires, code_attempts=0,
                revoked_at=None))
    return IssuedCode(terminal, store, code, expires)


def revoke_terminal(engine: Engine, terminal: str) -> None:
    terminal = _check_id(terminal, "terminal")
    with engine.begin() as conn:
        n = conn.execute(update(terminals).where(terminals.c.terminal_id == terminal).values(
            status="revoked", revoked_at=iso(utc_now()), code_hash=None)).rowcount
    if not n:
        raise HeadOfficeError("unknown_terminal", 404, f"no terminal {terminal}", f"没有收银机 {terminal}")


def list_terminals(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(terminals.c.terminal_id, terminals.c.store_code, terminals.c.status,
                                   terminals.c.last_seq, terminals.c.last_batch_at, terminals.c.flagged,
                                   terminals.c.enrolled_at, terminals.c.revoked_at)
                            .order_by(terminals.c.store_code, terminals.c.terminal_id)).all()
    return [dict(r._mapping) for r in rows]


def redeem_code(engine: Engine, terminal: str, store: str, code: str) -> dict[str, Any]:
    """Swap a one-time code for the terminal's secret; the code cannot be used again.

    Each attempt is counted first, by a conditional ``UPDATE … WHERE code_attempts < MAX`` that
    only one request at a time can win, and only then compared: however many wrong codes arrive
    at once, no more than MAX_CODE_ATTEMPTS of them are ever compared.
    """
    terminal = _check_id(terminal, "terminal")
    now = utc_now()
    failure: HeadOfficeError | None = None
    pending = (terminals.c.terminal_id == terminal) & (terminals.c.status == "pending") & terminals.c.code_hash.is_not(None)
    with engine.begin() as conn:
        row = conn.execute(select(terminals).where(terminals.c.terminal_id == terminal)).first()
        if row is None:
            raise HeadOfficeError("unknown_terminal", 404, f"head office has no terminal {terminal}; ask for it to be added",
                                  f"总部没有收银机 {terminal}，请联系总部添加")
        if row.status != "pending" or not row.code_hash:
            raise HeadOfficeError("no_code", 409, f"terminal {terminal} has no enrolment code waiting; ask head office for a new one",
                                  f"收银机 {terminal} 没有待用的登记码，请向总部索取新的登记码")
        if row.code_expires_at and row.code_expires_at < iso(now):
            raise HeadOfficeError("code_expired", 403, "the enrolment code has expired; ask head office for a new one",
                                  "登记码已过期，请向总部索取新的登记码")
        counted = conn.execute(update(terminals).where(pending, terminals.c.code_attempts < MAX_CODE_ATTEMPTS)
                               .values(code_attempts=terminals.c.code_attempts + 1)).rowcount
        if not counted:
            raise HeadOfficeError("code_exhausted", 403, "too many wrong codes; ask head office for a new one",
                                  "登记码输错次数过多，请向总部索取新的登记码")
        if not signing.constant_time_equal(row.code_hash, _code_hash(terminal, code)):
            failure = HeadOfficeError("bad_code", 403, "the enrolment code is wrong", "登记码不正确")
        elif row.store_code != store.strip().upper():
            failure = HeadOfficeError("store_mismatch", 409,
                                      f"terminal {terminal} is registered for store {row.store_code}, not {store}",
                                      f"收银机 {terminal} 登记在门店 {row.store_code}，不是 {store}")
        else:
            secret = secrets.token_bytes(32).hex()
            won = conn.execute(update(terminals).where(pending, terminals.c.code_hash == row.code_hash).values(
                status="active", secret=secret, code_hash=None, code_expires_at=None, code_attempts=0,
                enrolled_at=iso(now))).rowcount
            if won and row.secret:  # receipts printed under the old key keep their trace page
                conn.execute(insert(retired_keys).values(terminal_id=terminal, secret=row.secret, retired_at=iso(now)))
            if won:  # with the store's member key (made for its first terminal), shared by all its tills
                return {"terminal_id": terminal, "store": row.store_code, "secret": secret, "server_time": time.time(),
                        "acknowledged_seq": row.last_seq, "member_key": members.store_key(conn, row.store_code)}
            failure = HeadOfficeError("no_code", 409, f"terminal {terminal} was enrolled by another request just now",
                                      f"收银机 {terminal} 刚被另一个请求登记")
    raise failure  # after the commit: the attempt stays counted


# -- writers --------------------------------------------------------------------------------------
class _WriterTurn:
    """This process's turn at the SQLite head office's write lock: a thread lock, then (for a database file, on
    POSIX) an OS file lock on ``<database>.write.lock`` that every server process of the same file takes too."""

    def __init__(self, path: str | None) -> None:
        self._thread = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def __enter__(self) -> _WriterTurn:
        self._thread.acquire()
        if self._path is not None:
            try:
                import fcntl

                if self._fd is None:
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)  # waits without the interpreter lock; woken at the release
            except BaseException:
                self._thread.release()
                raise
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            if self._fd is not None:
                import fcntl

                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread.release()


_writer_locks: dict[Any, _WriterTurn] = {}


def _one_writer(engine: Engine) -> AbstractContextManager[Any]:
    """On SQLite, batch, nonce and deriving writes take turns at a lock of their own before they ask for the
    database's write lock: one waiting here is woken the moment the writer before it is done, where one waiting
    in SQLite's busy handler sleeps on (up to 100 ms a try), and 50 counters sending at once saw seconds of that.
    The lock is a file lock as well as a thread lock, so the server processes of ``serve --workers N`` take
    turns the same way (two processes' writers in the busy handler made a drain run anywhere between 4,500 and
    23,582 entries/s). PostgreSQL locks the terminal's row instead (nothing here)."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    database = engine.url.database or ""
    shared = database not in ("", ":memory:") and not database.startswith("file:")
    key = os.path.abspath(database) if shared else id(engine)  # one lock per database file in a process
    lock = _writer_locks.get(key)
    if lock is None:
        lock = _writer_locks.setdefault(key, _WriterTurn(f"{database}.write.lock" if shared and os.name == "posix"
                                                         else None))
    return lock


# -- signed requests ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caller:
    terminal_id: str
    store_code: str
    secret: bytes
    nonce: str
    digest: str = ""  # the body digest the signature covers (see check_body)
    nonce_pending: bool = False  # a batch's nonce is stored in the batch's own transaction (one commit, not two)


def _auth_error(code: str, status: int, en: str, zh: str, **extra: Any) -> HeadOfficeError:
    return HeadOfficeError(code, status, en, zh, **extra)


def check_signature_headers(headers: Mapping[str, str], terminal_in_path: str, now: float | None = None) -> dict[str, str]:
    """What can be checked of a signed request from its headers alone, before its body is read
    and without the database: all five headers there, signed for the terminal in the address, a
    timestamp close to head office's clock, a sane nonce and digest. Returns the header values."""
    now = time.time() if now is None else now
    h = {k.lower(): v for k, v in headers.items()}
    values = {name: h.get(name.lower(), "").strip() for name in signing.REQUEST_HEADERS}
    if not all(values.values()):
        missing = ", ".join(n for n, v in values.items() if not v)
        raise _auth_error("unsigned", 401, f"the request is not signed (missing {missing})", "请求未签名，已拒绝")
    values[signing.H_TERMINAL] = values[signing.H_TERMINAL].upper()
    if values[signing.H_TERMINAL] != terminal_in_path.upper():
        raise _auth_error("terminal_mismatch", 403, "the request is signed by another terminal than the one in its address",
                          "请求签名的收银机与地址中的不一致")
    ts_text = values[signing.H_TIMESTAMP]
    ts = int(ts_text) if ts_text.isascii() and ts_text.isdigit() and len(ts_text) <= 12 else 0
    if abs(now - ts) > signing.MAX_SKEW_S:
        raise _auth_error("stale_timestamp", 401,
                          f"the request's time is {int(now - ts)} s away from head office's clock; check the till's clock",
                          "请求时间与总部时间相差过大，请检查收银机时间", server_time=now)
    if len(values[signing.H_NONCE]) > 64:
        raise _auth_error("bad_nonce", 400, "the nonce is too long (64 characters at most)", "随机数过长（最多 64 个字符）")
    return values


def authenticate(engine: Engine, *, method: str, path: str, headers: Mapping[str, str], body: bytes | None,
                 terminal_in_path: str, now: float | None = None, defer_nonce: bool = False) -> Caller:
    """Check a signed request; each reason for refusing has its own code.

    With ``body=None`` the request is checked from its headers (key, signature, nonce) before its
    body is read; then :func:`check_body` compares the body with the digest that was signed.

    With ``defer_nonce`` (a batch) a nonce already seen is still refused here, but the new one is
    written by :func:`store_body` in the batch's own transaction, or on its own when the batch is
    refused: one commit (one fsync) per batch instead of two.
    """
    now = time.time() if now is None else now
    values = check_signature_headers(headers, terminal_in_path, now)
    terminal = values[signing.H_TERMINAL]
    nonce = values[signing.H_NONCE]
    row = _caller_row(engine, terminal, nonce)
    if row is None:
        raise _auth_error("unknown_terminal", 401, f"head office does not know terminal {terminal}",
                          f"总部没有收银机 {terminal} 的登记")
    if row.status == "revoked":
        raise _auth_error("revoked_terminal", 403, f"terminal {terminal} has been revoked at head office; ask head office",
                          f"收银机 {terminal} 已被总部停用，请联系总部")
    if row.status != "active" or not row.secret:
        raise _auth_error("not_enrolled", 401, f"terminal {terminal} has not redeemed its enrolment code yet",
                          f"收银机 {terminal} 尚未完成登记")
    ts = int(values[signing.H_TIMESTAMP])
    if body is not None:
        _check_digest(values[signing.H_DIGEST], body)
    secret = bytes.fromhex(row.secret)
    expected = signing.request_signature(secret, method, path, ts, values[signing.H_NONCE], values[signing.H_DIGEST])
    if not signing.constant_time_equal(expected, values[signing.H_SIGNATURE]):
        raise _auth_error("bad_signature", 401, "the request's signature is wrong (wrong key?)", "请求签名错误（密钥不符？）")
    if defer_nonce:
        if row.seen:
            raise _replayed()
        return Caller(terminal, row.store_code, secret, nonce, values[signing.H_DIGEST], nonce_pending=True)
    try:
        with _one_writer(engine), engine.begin() as conn:
            _add_nonce(conn, terminal, nonce, now)
    except IntegrityError:
        raise _replayed() from None
    return Caller(terminal, row.store_code, secret, nonce, values[signing.H_DIGEST])


class _CallerRow(tuple):
    @property
    def status(self) -> str:
        return self[0]

    @property
    def secret(self) -> str | None:
        return self[1]

    @property
    def store_code(self) -> str:
        return self[2]

    @property
    def seen(self) -> bool:
        return bool(self[3])


_CALLER_SQL = ("SELECT status, secret, store_code, EXISTS (SELECT 1 FROM nonces WHERE nonces.terminal_id = "
               "terminals.terminal_id AND nonces.nonce = ?) FROM terminals WHERE terminal_id = ?")


def _caller_row(engine: Engine, terminal: str, nonce: str) -> _CallerRow | None:
    """The terminal's status, secret and store, and whether it sent ``nonce`` before: one read. On SQLite it is
    read outside any transaction (WAL: a reader never waits), where an engine connection would begin with
    BEGIN IMMEDIATE (db.py) and wait its turn behind the batch being committed, up to 100 ms a try."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            found = raw.driver_connection.execute(_CALLER_SQL, (nonce, terminal)).fetchone()
        finally:
            raw.close()
    else:
        with engine.connect() as conn:
            found = fixed_sql(conn, _CALLER_SQL, (nonce, terminal)).first()
    return None if found is None else _CallerRow(found)


def _replayed() -> HeadOfficeError:
    return _auth_error("replayed_nonce", 401, "this request was already received (replayed nonce)",
                       "该请求已收到过（重放），已拒绝")


def _add_nonce(conn, terminal: str, nonce: str, now: float | None = None) -> None:  # noqa: ANN001
    now = time.time() if now is None else now
    if random.random() < 0.02:  # forget nonces older than any timestamp that could still be accepted
        fixed_sql(conn, _PRUNE_NONCES, (int(now) - 2 * signing.MAX_SKEW_S,))
    fixed_sql(conn, _ADD_NONCE, (terminal, nonce, int(now)))


# The statements every batch runs, as fixed SQL text through the driver (no statement built, compiled and
# looked up in SQLAlchemy's cache at each batch: on PostgreSQL that was a fifth of a 250-entry batch's own
# CPU time besides decoding). Written with ? and given to a driver that wants %s with them swapped.
_PRUNE_NONCES = "DELETE FROM nonces WHERE seen_at < ?"
_ADD_NONCE = "INSERT INTO nonces (terminal_id, nonce, seen_at) VALUES (?, ?, ?)"
_HEAD = "SELECT last_seq, last_hash FROM terminals WHERE terminal_id = ?"
_ADVANCE = "UPDATE terminals SET last_seq = ?, last_hash = ?, last_batch_at = ? WHERE terminal_id = ?"


@functools.lru_cache(maxsize=64)
def _in_paramstyle(sql: str, paramstyle: str) -> str:
    return sql.replace("?", "%s") if paramstyle in ("format", "pyformat") else sql


def fixed_sql(conn, sql: str, params: tuple):  # noqa: ANN001, ANN201
    """``sql`` (fixed text, ? for each parameter, no other ? in it) run through the connection's driver;
    the driver's errors come back as SQLAlchemy's (an IntegrityError stays one)."""
    return conn.exec_driver_sql(_in_paramstyle(sql, conn.dialect.paramstyle), params)


def remember_nonce(engine: Engine, caller: Caller) -> None:
    """The nonce of a batch that was refused (so never stored with it): kept, so the request cannot be replayed."""
    if not caller.nonce_pending:
        return
    try:
        with _one_writer(engine), engine.begin() as conn:
            _add_nonce(conn, caller.terminal_id, caller.nonce)
    except IntegrityError:
        raise _replayed() from None


def _check_digest(digest: str, body: bytes) -> None:
    if not signing.constant_time_equal(digest, signing.body_digest(body)):
        raise _auth_error("body_mismatch", 400, "the request body does not match its digest (changed on the way)",
                          "请求内容与其摘要不符（传输中被改动），已拒绝")


def check_body(caller: Caller, body: bytes) -> None:
    """The body read after :func:`authenticate` (``body=None``) is the one that was signed."""
    _check_digest(caller.digest, body)


# -- batches ----------------------------------------------------------------------------------------
def _parse_entries(terminal: str, raw: Any) -> list[StoredEntry]:
    """Every entry of the batch checked (headoffice/validate.py) before anything is stored."""
    from . import validate

    return validate.batch(raw, terminal, MAX_BATCH)


def _record_problem(engine: Engine, terminal: str, kind: str, expected: int | None, got: int | None, reason: str) -> None:
    with engine.begin() as conn:
        conn.execute(insert(problems).values(terminal_id=terminal, at=iso(utc_now()), kind=kind, expected_seq=expected,
                                             got_seq=got, reason=reason))
        conn.execute(update(terminals).where(terminals.c.terminal_id == terminal).values(flagged=True))


class _NotYet(Exception):
    """A batch the till sent ahead (before the one before it was acknowledged) arrived first."""

    def __init__(self, last_seq: int) -> None:
        super().__init__(last_seq)
        self.last_seq = last_seq


AHEAD_WAIT_S = 1.0  # how long a batch sent ahead waits for the batch before it to be stored, then a plain 409


def _store(engine: Engine, caller: Caller, raw: Any, batch: list[StoredEntry], *, linked: bool = False,
           ahead: bool = False, payloads: list[bytes] | None = None,
           ) -> tuple[tuple[str, int | None, int | None, str] | None, int, list[StoredEntry], list[StoredEntry]]:
    """One attempt at storing a checked batch, in one transaction. ``linked``: the batch's own entries were
    found hashed and chained already (validate.links_ok, outside any lock): only its link to the stored head is
    left to check here. ``ahead``: the till sent it before the batch before was acknowledged; if that batch is not
    stored yet this raises :class:`_NotYet` (nothing stored, nothing recorded)."""
    terminal = caller.terminal_id
    problem: tuple[str, int | None, int | None, str] | None = None
    old: list[StoredEntry] = []
    new: list[StoredEntry] = []
    received = iso(utc_now())
    with _one_writer(engine), engine.begin() as conn:
        head = fixed_sql(conn, _HEAD if conn.dialect.name == "sqlite" else _HEAD + " FOR UPDATE", (terminal,)).one()
        last_seq, last_hash = int(head[0]), head[1]
        if ahead and batch and batch[0].seq > last_seq + 1:
            raise _NotYet(last_seq)
        if caller.nonce_pending:  # the request's nonce, in the batch's transaction
            try:
                _add_nonce(conn, terminal, caller.nonce)
            except IntegrityError:
                raise _replayed() from None
        terminal_info.note(conn, terminal, raw.get("till"), received)
        old = [e for e in batch if e.seq <= last_seq]
        new = [e for e in batch if e.seq > last_seq]
        if old:
            held = dict(conn.execute(select(entries.c.seq, entries.c.hash).where(
                entries.c.terminal_id == terminal, entries.c.seq.in_([e.seq for e in old]))).all())
            for e in old:
                if held.get(e.seq) != e.hash:
                    problem = ("conflict", last_seq + 1, e.seq,
                               f"entry {e.seq} differs from the one head office already holds")
                    break
        if problem is None and new:
            expected_prev = (last_hash or "") if last_seq else genesis_hash(terminal)
            if new[0].seq != last_seq + 1:
                problem = ("gap", last_seq + 1, new[0].seq,
                           f"expected seq {last_seq + 1}, the batch starts at {new[0].seq}")
            elif not (linked and new[0].prev_hash == expected_prev):
                start = StoredEntry(terminal, last_seq, "", "", "", "", "", last_hash or "") if last_seq else None
                bad = verify_chain(new, terminal, start_after=start)
                if bad is not None:
                    problem = ("chain_broken", last_seq + 1, bad.seq, bad.reason)
        if problem is None and new:
            fresh = None if payloads is None else [p for e, p in zip(batch, payloads, strict=True) if e.seq > last_seq]
            _insert(conn, caller, new, received, fresh)
            fixed_sql(conn, _ADVANCE, (new[-1].seq, new[-1].hash, received, terminal))
            last_seq = new[-1].seq
    return problem, last_seq, new, old


def _transient(exc: Exception) -> bool:
    """A failure that goes away by itself: a deadlock or serialization failure between two batches, a lock
    or connection that was not free in time (PostgreSQL), a database busy with another writer (SQLite)."""
    if isinstance(exc, SATimeoutError):
        return True
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) in ("40P01", "40001", "55P03") or "database is locked" in str(orig)


def store_body(engine: Engine, caller: Caller, body: bytes) -> dict[str, Any]:
    """:func:`store_batch` of a request body: decoded and checked once, in C (validate.fast_batch); a body
    the fast path cannot vouch for is parsed and checked by the rules, which name what is wrong. A batch
    refused for any reason still has its nonce kept (a replay of it is refused as one)."""
    decoded = keeping_nonce(engine, caller, decode_body, caller, body)
    return keeping_nonce(engine, caller, store_decoded, engine, caller, decoded)


def keeping_nonce(engine: Engine, caller: Caller, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``; when it refuses the batch, the request's nonce is kept all the same."""
    try:
        return fn(*args)
    except HeadOfficeError as exc:
        if exc.code != "replayed_nonce":
            try:
                remember_nonce(engine, caller)
            except HeadOfficeError:
                pass  # already kept (the refusal's own transaction wrote it): the refusal is the answer
        raise


@dataclass(frozen=True)
class DecodedBatch:
    """A batch body decoded, before any database work: the fast path's checked entries, or the parsed JSON
    for the rules to judge (:func:`store_batch`)."""

    till: Any = None
    entries: list[StoredEntry] | None = None
    ahead: bool = False
    linked: bool = False
    raw: Any = None
    payloads: list[bytes] | None = None  # the fast path's payloads as UTF-8 bytes, entry for entry


def decode_body(caller: Caller, body: bytes) -> DecodedBatch:
    from . import validate

    fast = validate.fast_decode_raw(body, caller.terminal_id, MAX_BATCH)
    if fast is not None:
        till, batch, ahead, linked, payloads = fast
        return DecodedBatch(till, batch, ahead, linked, payloads=payloads)
    raw = validate.parsed_body(body)
    return DecodedBatch(ahead=isinstance(raw, dict) and raw.get("sent_ahead") is True, raw=raw)


def store_decoded(engine: Engine, caller: Caller, decoded: DecodedBatch, *,
                  ahead_wait_s: float | None = None) -> dict[str, Any]:
    """``ahead_wait_s``: how long a batch sent ahead may still wait here for the one before it (AHEAD_WAIT_S)."""
    if decoded.entries is None:
        return store_batch(engine, caller, decoded.raw)
    return _store_checked(engine, caller, {"till": decoded.till}, decoded.entries, linked=decoded.linked,
                          ahead=decoded.ahead, payloads=decoded.payloads,
                          ahead_wait_s=AHEAD_WAIT_S if ahead_wait_s is None else ahead_wait_s)


def before_it_stored(engine: Engine, caller: Caller, decoded: DecodedBatch) -> bool:
    """Whether what comes before ``decoded``'s first entry is stored (or it cannot tell): a batch sent ahead is
    worth a writer's turn only then. One read outside any transaction, as :func:`_caller_row` reads."""
    if not decoded.entries:
        return True
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            row = raw.driver_connection.execute(_HEAD, (caller.terminal_id,)).fetchone()
        finally:
            raw.close()
    else:
        with engine.connect() as conn:
            row = fixed_sql(conn, _HEAD, (caller.terminal_id,)).first()
    return row is None or decoded.entries[0].seq <= int(row[0]) + 1


def store_batch(engine: Engine, caller: Caller, raw: Any) -> dict[str, Any]:
    """Store a batch all-or-nothing; answer with the highest contiguous seq held for the terminal."""
    terminal = caller.terminal_id
    try:
        batch = _parse_entries(terminal, raw)
    except HeadOfficeError as exc:
        if "index" in exc.extra:  # a signed till sent an entry head office cannot take: the office should look
            _record_problem(engine, terminal, exc.code, None, exc.extra.get("seq"), exc.message[:2000])
        raise
    return _store_checked(engine, caller, raw, batch, ahead=isinstance(raw, dict) and raw.get("sent_ahead") is True)


def _store_checked(engine: Engine, caller: Caller, raw: Any, batch: list[StoredEntry], *, linked: bool = False,
                   ahead: bool = False, payloads: list[bytes] | None = None,
                   ahead_wait_s: float = AHEAD_WAIT_S) -> dict[str, Any]:
    terminal = caller.terminal_id
    derive.arriving()
    attempt, waited_until = 0, time.monotonic() + ahead_wait_s
    while True:
        attempt += 1
        try:
            problem, last_seq, new, old = _store(engine, caller, raw, batch, linked=linked, ahead=ahead,
                                                 payloads=payloads)
            break
        except _NotYet as exc:  # the batch before this one is still on its way (or failed): wait a little for it
            attempt -= 1
            if time.monotonic() >= waited_until:
                raise HeadOfficeError(
                    "out_of_order", 409, f"this batch was sent ahead, and the batch before it has not arrived; "
                    f"head office holds up to seq {exc.last_seq}, send from {exc.last_seq + 1}",
                    f"本批提前发送，其前一批尚未到达；总部需要从序号 {exc.last_seq + 1} 开始",
                    expected_seq=exc.last_seq + 1, bad_seq=batch[0].seq, acknowledged_seq=exc.last_seq) from None
            time.sleep(0.005)
        except (OperationalError, SATimeoutError) as exc:
            if not _transient(exc):
                raise
            if attempt == BUSY_RETRIES:
                raise HeadOfficeError("busy", 503, "head office is busy (other counters' batches hold the rows this one "
                                      "adds to); nothing was stored, the till sends it again",
                                      "总部繁忙（其他收银机的批次正在写入），本批未保存，收银机会自动重发",
                                      retry_after_s=2) from None
            time.sleep(random.uniform(0.05, 0.25) * attempt)  # then the whole batch again, from the start
    if problem is not None:
        kind, expected, got, reason = problem
        _record_problem(engine, terminal, kind, expected, got, reason)
        words = {"gap": ("entries are missing before this batch", "批次前有记录缺失"),
                 "chain_broken": ("the batch does not continue the hash chain", "批次与哈希链不连续"),
                 "conflict": ("the batch differs from entries head office already holds", "批次与总部已有记录不一致")}[kind]
        raise HeadOfficeError(kind, 409, f"{words[0]}: {reason}; head office expects seq {expected}",
                              f"{words[1]}，总部需要从序号 {expected} 开始", expected_seq=expected, bad_seq=got,
                              acknowledged_seq=expected - 1 if expected else 0)
    if new:
        derive.stored(engine)  # the report rows follow in the second step (derive.py)
    # batch_format: the newest batch format head office reads (validate.BATCH_FORMAT); a till sends that one from then on
    return {"acknowledged_seq": last_seq, "accepted": len(new), "duplicates": len(old), "batch_format": BATCH_FORMAT}


_INSERT_COLUMNS = "terminal_id, seq, kind, business_day, created_at, payload, prev_hash, hash, received_at"
_INSERT = {"qmark": f"INSERT INTO entries ({_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
           "format": f"INSERT INTO entries ({_INSERT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
           "pyformat": f"INSERT INTO entries ({_INSERT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"}


_COPY = f"COPY entries ({_INSERT_COLUMNS}) FROM STDIN"
_INSERT_UNNEST = (f"INSERT INTO entries ({_INSERT_COLUMNS}) SELECT %s, s, k, d, c, p, ph, h, %s FROM "
                  "unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[]) "
                  "AS t(s, k, d, c, p, ph, h)")


def _insert(conn, caller: Caller, new: list[StoredEntry], received: str,  # noqa: ANN001
            payloads: list[bytes] | None = None) -> None:
    """The batch's rows as plain tuples through the driver's executemany, one fixed statement (psycopg
    pipelines it; sqlite3 steps one prepared statement): no statement building per row. ``payloads``: the
    new entries' payloads as UTF-8 bytes (the fast path has them), for a COPY buffer built as bytes."""
    terminal = caller.terminal_id
    rows = [(terminal, e.seq, e.kind, e.business_day, e.created_at, e.payload_text, e.prev_hash, e.hash, received)
            for e in new]
    if conn.dialect.name == "postgresql":  # COPY: the rows streamed in one command, no statement per row
        driver = conn.connection.driver_connection
        if hasattr(driver, "cursor") and hasattr(driver, "pgconn"):  # psycopg 3
            data = _copy_bytes(rows, payloads) if payloads is not None and len(payloads) == len(rows) else None
            with driver.cursor() as cur, cur.copy(_COPY) as copy:
                copy.write(data or _copy_text(rows))  # one buffer: the interpreter lock let go once, not at every row
            return
        columns = [[e.seq for e in new], [e.kind for e in new], [e.business_day for e in new],
                   [e.created_at for e in new], [e.payload_text for e in new], [e.prev_hash for e in new],
                   [e.hash for e in new]]
        conn.exec_driver_sql(_INSERT_UNNEST, (terminal, received, *columns))
        return
    if conn.dialect.name == "sqlite":
        # A few statements of many rows each, not one step per row: sqlite3 lets go of the interpreter lock
        # around every step, and taking it back waits for whatever thread holds it (the next batch being
        # decoded): executemany of 2,000 rows beside a busy thread took 0.86 ms a row, this 24 µs (6 µs alone,
        # executemany 13).
        raw = conn.connection.driver_connection
        per = min(_ROWS_PER_INSERT, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 9)  # this build's limit
        for i in range(0, len(rows), per):
            chunk = rows[i:i + per]
            conn.exec_driver_sql(_multi_insert(len(chunk)), tuple(chain.from_iterable(chunk)))
        return
    sql = _INSERT.get(conn.dialect.paramstyle)
    if sql is None:  # pragma: no cover - another driver: let SQLAlchemy write the statement
        conn.execute(insert(entries), [dict(zip(_INSERT_COLUMNS.split(", "), r, strict=True)) for r in rows])
        return
    conn.exec_driver_sql(sql, rows)


def _copy_value(v: object) -> str:
    text = str(v)
    for raw, escaped in (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def _copy_text(rows: list[tuple]) -> bytes:
    """Rows in COPY's text format: tab between columns, a newline after each row, and in every value a
    backslash, newline, carriage return or tab written as its escape (no value here is NULL).

    Escaped all at once: the rows joined with \\x01 and their values with \\x00 (characters no checked value
    holds: JSON text cannot, and the other fields are checked against their patterns), escaped in four passes
    over the whole text, then the separators put in: a few C passes instead of a call per value."""
    if not rows:
        return b""
    text = "\x01".join(["\x00".join(map(str, r)) for r in rows])
    if text.count("\x01") != len(rows) - 1 or text.count("\x00") != len(rows) * (len(rows[0]) - 1):
        return "".join("\t".join(map(_copy_value, r)) + "\n" for r in rows).encode("utf-8")  # a value holds one
    for raw, escaped in (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        if raw in text:
            text = text.replace(raw, escaped)
    return (text.replace("\x00", "\t").replace("\x01", "\n") + "\n").encode("utf-8")


def _copy_bytes(rows: list[tuple], payloads: list[bytes]) -> bytes | None:
    """:func:`_copy_text` of checked entries' rows whose payloads' UTF-8 bytes are at hand (the fast path's):
    built as bytes, no text encoded again (a 2 KB payload held as text with Chinese in it is slow to scan and
    encode). Only a payload may hold a character COPY escapes (JSON escapes, whitespace between tokens): every
    other value is checked against its pattern. None when one does after all (then :func:`_copy_text`)."""
    out = []
    add = out.append
    for (terminal, seq, kind, day, at, _text, prev, hash_, received), p in zip(rows, payloads, strict=True):
        if b"\\" in p or b"\n" in p or b"\r" in p or b"\t" in p:
            p = p.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r").replace(b"\t", b"\\t")
        add(f"{terminal}\t{seq:d}\t{kind}\t{day}\t{at}\t".encode())  # the checked fields: two encodes a row, not seven
        add(p)
        add(f"\t{prev}\t{hash_}\t{received}\n".encode())
    data = b"".join(out)
    return data if data.count(b"\t") == 8 * len(rows) and data.count(b"\n") == len(rows) else None


# rows in one INSERT on SQLite, at most: 9 values a row within its limit of bound values (32,766; 999 before 3.32), so a
# till's batch of 2,000 is one statement: each statement is a trip out of the interpreter and back, and coming
# back waits for whichever thread holds the interpreter lock (a 2,000-entry batch stored beside a thread decoding
# without pause: 500 rows a statement 91 ms, 3,600 rows 71 ms)
_ROWS_PER_INSERT = 3600


@functools.lru_cache(maxsize=64)
def _multi_insert(n: int) -> str:
    return f"INSERT INTO entries ({_INSERT_COLUMNS}) VALUES " + ",".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * n)


def terminal_state(engine: Engine, terminal: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(terminals.c.last_seq, terminals.c.last_batch_at, terminals.c.flagged,
                                  terminals.c.store_code).where(terminals.c.terminal_id == terminal)).one()
    return {"terminal_id": terminal, "store": row.store_code, "acknowledged_seq": int(row.last_seq),
            "last_batch_at": row.last_batch_at, "flagged": bool(row.flagged)}


def list_problems(engine: Engine, terminal: str | None = None) -> list[dict[str, Any]]:
    q = select(problems).order_by(problems.c.id)
    if terminal:
        q = q.where(problems.c.terminal_id == terminal)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def stored_entries(engine: Engine, terminal: str) -> list[StoredEntry]:
    with engine.connect() as conn:
        rows = conn.execute(select(entries).where(entries.c.terminal_id == terminal).order_by(entries.c.seq)).all()
    return [StoredEntry(r.terminal_id, int(r.seq), r.kind, r.business_day, r.created_at, r.payload, r.prev_hash, r.hash)
            for r in rows]


# -- master data ---------------------------------------------------------------------------------
def _empty_document(store: str) -> dict[str, Any]:
    return {"store": store, "catalog": {"products": [], "components": {}}, "users": [], "settings": {}}


def latest_master(engine: Engine, store: str) -> tuple[int, dict[str, Any], str, str] | None:
    with engine.connect() as conn:
        row = conn.execute(select(master_versions).where(master_versions.c.store_code == store)
                           .order_by(master_versions.c.version.desc()).limit(1)).first()
    if row is None:
        return None
    return int(row.version), json.loads(row.document), row.published_at, row.effective_at


def master_for(engine: Engine, store: str, since: int) -> dict[str, Any]:
    """The newest master data of ``store`` if newer than ``since``, else ``{"unchanged": true}``."""
    found = latest_master(engine, store)
    if found is None or found[0] <= since:
        return {"unchanged": True, "version": found[0] if found else 0}
    version, doc, published, effective = found
    # no effective time: at once, whatever the till's clock says
    return {**doc, "version": version, "published_at": published, "effective_at": effective or None}


def publish(engine: Engine, store: str, change, *, effective_at: datetime | None = None, note: str = "") -> int:  # noqa: ANN001
    """A new version of ``store``'s master data: ``change(document)`` edits a copy of the latest one."""
    store = _check_id(store, "store")
    now = utc_now()
    with engine.begin() as conn:
        row = conn.execute(select(master_versions.c.version, master_versions.c.document)
                           .where(master_versions.c.store_code == store)
                           .order_by(master_versions.c.version.desc()).limit(1)).first()
        doc = json.loads(row.document) if row else _empty_document(store)
        version = (int(row.version) if row else 0) + 1
        change(doc)
        doc.pop("digest", None)
        doc["digest"] = hashlib.sha256(canonical_json(doc).encode()).hexdigest()
        conn.execute(insert(master_versions).values(
            store_code=store, version=version, published_at=iso(now), effective_at=iso(effective_at) if effective_at else "",
            note=note, document=canonical_json(doc)))
    return version


def merged_catalogue(by_sku: dict[str, dict[str, Any]], components: Mapping[str, Any],
                     new_components: Mapping[str, Any]) -> dict[str, Any]:
    """The catalogue of a master document after a change: one barcode per product, every gift box's
    components in the catalogue (the one check for the CLI's and the browser's publishing)."""
    owners: dict[str, str] = {}
    for p in by_sku.values():
        if p.get("barcode"):
            if p["barcode"] in owners:
                raise HeadOfficeError("barcode_clash", 400,
                                      f"barcode {p['barcode']} would belong to both {owners[p['barcode']]} and {p['sku']}",
                                      f"条码 {p['barcode']} 将同时属于 {owners[p['barcode']]} 和 {p['sku']}")
            owners[p["barcode"]] = p["sku"]
    comps = dict(components)
    for box, parts in new_components.items():
        for sku, _q in parts:
            if sku not in by_sku:
                raise HeadOfficeError("unknown_component", 400, f"gift box {box}: component {sku} is not in the catalogue",
                                      f"礼盒 {box} 的组成商品 {sku} 不在商品目录中")
        comps[box] = [[s, int(q)] for s, q in parts]
    return {"products": sorted(by_sku.values(), key=lambda d: d["sku"]), "components": comps}


@dataclass(frozen=True)
class PublishReport:
    version: int
    products: int
    added: int
    price_changes: int


def publish_catalog(engine: Engine, store: str, path: Path, *, effective_at: datetime | None = None) -> PublishReport:
    """Validate a catalogue file (the till's own rules) and publish it merged into the store's catalogue."""
    from pos.catalog_files import read_catalog_file
    from pos.domain.catalog_import import validate_rows
    from pos.services.catalog import CatalogRejected
    from pos.services.sync import product_to_json

    path = Path(path)
    file = read_catalog_file(path)
    result = validate_rows(file.header, file.rows, header_row=file.header_row)
    if result.errors:
        raise CatalogRejected(list(result.errors), path, more=result.more_errors)
    counts = {"added": 0, "price": 0}

    def change(doc: dict[str, Any]) -> None:
        by_sku = {p["sku"]: p for p in doc["catalog"]["products"]}
        for p in result.products:
            old = by_sku.get(p.sku)
            if old is None:
                counts["added"] += 1
            elif old["price"] != p.price_fen:
                counts["price"] += 1
            by_sku[p.sku] = product_to_json(p)
        doc["catalog"] = merged_catalogue(by_sku, doc["catalog"].get("components") or {}, result.components)

    version = publish(engine, store, change, effective_at=effective_at, note=f"catalogue {path.name}")
    return PublishReport(version, len(result.products), counts["added"], counts["price"])


def set_user(engine: Engine, store: str, login: str, display_name: str | None, role: str | None, *,
             initial_pin: str | None = None, active: bool = True) -> int:
    """Add or change a user for a store's tills. The PIN is an initial one: each till hashes it itself."""
    if role is not None:
        try:
            Role(role)
        except ValueError:
            raise HeadOfficeError("bad_role", 400, f"role must be one of {', '.join(r.value for r in Role)}",
                                  "角色无效") from None
    if initial_pin is not None:
        check_pin_format(initial_pin)

    def change(doc: dict[str, Any]) -> None:
        people = {u["login"]: u for u in doc.get("users", [])}
        u = people.get(login)
        if u is None:
            if initial_pin is None or role is None or not display_name:
                raise HeadOfficeError("new_user_needs_pin", 400, "a new user needs a name, a role and an initial PIN",
                                      "新用户需要姓名、角色和初始密码")
            u = {"login": login, "pin_serial": 0}
        if display_name:
            u["display_name"] = display_name
        if role:
            u["role"] = role
        u["active"] = active
        if initial_pin is not None:
            u["initial_pin"] = initial_pin
            u["pin_serial"] = int(u.get("pin_serial", 0)) + 1
        people[login] = u
        doc["users"] = sorted(people.values(), key=lambda d: d["login"])

    return publish(engine, store, change, note=f"user {login}")


def set_setting(engine: Engine, store: str, *, rounding: str) -> int:
    try:
        RoundingMode(rounding)
    except ValueError:
        raise HeadOfficeError("bad_setting", 400, f"rounding must be one of {', '.join(m.value for m in RoundingMode)}",
                              "抹零方式无效") from None

    def change(doc: dict[str, Any]) -> None:
        doc.setdefault("settings", {})["rounding"] = rounding

    return publish(engine, store, change, note=f"rounding {rounding}")


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {"entries": conn.execute(select(func.count()).select_from(entries)).scalar_one(),
                "terminals": conn.execute(select(func.count()).select_from(terminals)).scalar_one()}
