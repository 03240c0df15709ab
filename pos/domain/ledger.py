"""The journal's hash chain: canonical JSON, entry hashes, and the check that finds the first bad entry.

``hash = sha256(prev_hash || canonical_json(entry without hash))``. The first entry of a
terminal chains from :func:`genesis_hash` of its terminal id. Canonical JSON has sorted keys,
no spaces, UTF-8 and integers only: a float anywhere is refused, because money is fen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import LedgerError


class EntryKind:
    """Names of journal entry kinds (plain strings in the table)."""

    SALE = "sale"
    RETURN = "return"
    VOID = "void"
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    SHIFT_OPEN = "shift_open"
    SHIFT_CLOSE = "shift_close"
    Z_CLOSURE = "z_closure"
    OVERRIDE = "override"
    DRAWER_OPEN = "drawer_open"
    LOGIN = "login"
    PRICE_CHANGE = "price_change"
    CATALOG_IMPORT = "catalog_import"
    STOCK_RECEIPT = "stock_receipt"
    STOCK_ADJUST = "stock_adjust"  # (never written; stock counts are STOCK_COUNT)
    STOCK_WRITEOFF = "stock_writeoff"  # 报损
    STOCK_COUNT = "stock_count"  # 盘点调整, written when a count sheet is approved
    TERMINAL_INIT = "terminal_init"
    HOLD = "hold"
    RECALL = "recall"
    REPRINT = "reprint"
    SETTING = "setting"
    TRAINING = "training"
    RECONCILE = "reconcile"
    DAY_APPROVED = "day_approved"
    USER_ADD = "user_add"
    USER_DISABLE = "user_disable"
    ACCOUNT_PAYMENT = "account_payment"  # 回款: a payment received on an institution account (issue 16)
    MEMBER_ADD = "member_add"  # 会员登记 (issue 17): hashed and encrypted phone, never the clear number
    MEMBER_CHANGE = "member_change"  # a member's name, tier or birthday changed
    MEMBER_EXPORT = "member_export"  # who exported the members' personal data, when, how many
    MEMBER_SYNC = "member_sync"  # members and points from the store's other tills, one page from head office
    PROMO_IMPORT = "promo_import"  # 促销: the whole set of promotions in force, with its version (issue 17)


def _float_path(value: Any, path: str = "payload") -> str | None:
    """Where a float (or a non-string key) hides in ``value`` — the slow walk, for the message."""
    if isinstance(value, float):
        return path
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"{path} key {k!r}"
            found = _float_path(v, f"{path}.{k}")
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = _float_path(v, f"{path}[{i}]")
            if found:
                return found
    return None


_PLAIN = frozenset({str, int, bool, type(None)})
_STR_KEYS = frozenset({str})


def _check_no_floats(value: Any) -> None:
    """Refuse floats anywhere in ``value``. An exact-type walk: this runs for every journal entry."""
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        v = pop()
        t = type(v)
        if t in _PLAIN:
            continue
        if t is dict:
            if not _STR_KEYS.issuperset(map(type, v)):  # every key a str (checked in C)
                break
            push(v.values())
        elif t is list or t is tuple:
            push(v)
        elif isinstance(v, Mapping):  # a mapping of another type: rare, walk it the slow way
            if _float_path(v):
                break
        else:
            break
    else:
        return
    where = _float_path(value)
    raise LedgerError(f"{where or 'payload'} is not an integer, string, list or object; the journal holds integers only")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text, no floats, no NaN."""
    _check_no_floats(value)
    if _fast is not None:
        try:
            return _fast(value)
        except Exception:  # noqa: BLE001 - whatever it refuses, the standard library's encoder says why
            pass
    return _canonical(value)


# json.dumps with these options, without building a new JSONEncoder at every call
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_fast: Callable[[Any], str] | None = None


def use_canonical_encoder(encode: Callable[[Any], str] | None) -> None:
    """Have :func:`canonical_json` encode with ``encode`` (None: the standard library's again).

    ``encode`` must write exactly the text the standard library writes for every value that passed
    the float check (plain dicts with str keys, lists, tuples, str, int, bool, None): the hash of every
    entry is over that text. pos.store installs msgspec's encoder (its test holds the two equal); where
    it raises, the standard library's encoder runs instead and says what was wrong."""
    global _fast
    _fast = encode


def genesis_hash(terminal_id: str) -> str:
    return hashlib.sha256(f"lianxin-pos genesis {terminal_id}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class JournalEntry:
    terminal_id: str
    seq: int
    kind: str
    business_day: str  # YYYY-MM-DD, the store's business day
    created_at: str  # ISO 8601 UTC, e.g. 2026-11-22T06:30:01.123456Z
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return entry_body(self.terminal_id, self.seq, self.kind, self.business_day, self.created_at, self.payload, self.prev_hash)


def entry_body(
    terminal_id: str, seq: int, kind: str, business_day: str, created_at: str, payload: Mapping[str, Any], prev_hash: str
) -> dict[str, Any]:
    return {
        "terminal_id": terminal_id,
        "seq": seq,
        "kind": kind,
        "business_day": business_day,
        "created_at": created_at,
        "payload": dict(payload),
        "prev_hash": prev_hash,
    }


def compute_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(body)).encode()).hexdigest()


_str = json.JSONEncoder(ensure_ascii=False).encode


def body_text(terminal_id: str, seq: int, kind: str, business_day: str, created_at: str, payload_text: str,
              prev_hash: str) -> str:
    """``canonical_json(entry_body(...))`` built around a payload that is already canonical text.

    Keys in sorted order, as canonical JSON has them. Hashing the stored text this way checks a
    chain without parsing a single payload; a payload edited in any way changes the hash.
    """
    return ('{"business_day":' + _str(business_day) + ',"created_at":' + _str(created_at) + ',"kind":' + _str(kind)
            + ',"payload":' + payload_text + ',"prev_hash":' + _str(prev_hash) + ',"seq":' + str(int(seq))
            + ',"terminal_id":' + _str(terminal_id) + "}")


def hash_stored(prev_hash: str, terminal_id: str, seq: int, kind: str, business_day: str, created_at: str,
                payload_text: str) -> str:
    return hashlib.sha256(
        (prev_hash + body_text(terminal_id, seq, kind, business_day, created_at, payload_text, prev_hash)).encode()
    ).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last entry of a terminal's chain: all that is needed to append the next one."""

    seq: int
    hash: str


def next_entry(
    previous: ChainHead | JournalEntry | None,
    *,
    terminal_id: str,
    kind: str,
    business_day: str,
    created_at: str,
    payload: Mapping[str, Any],
) -> JournalEntry:
    """The entry that follows ``previous`` (or opens the chain of ``terminal_id``)."""
    return next_entry_text(previous, terminal_id=terminal_id, kind=kind, business_day=business_day,
                           created_at=created_at, payload=payload)[0]


def next_entry_text(
    previous: ChainHead | JournalEntry | None,
    *,
    terminal_id: str,
    kind: str,
    business_day: str,
    created_at: str,
    payload: Mapping[str, Any],
) -> tuple[JournalEntry, str]:
    """:func:`next_entry` and the payload's canonical JSON it was hashed over: the text to store.

    The payload is serialised once; the stored text is exactly the text hashed, so the entry
    verifies byte for byte (``hash_stored`` over the stored row gives the same digest).
    """
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = genesis_hash(terminal_id) if previous is None else previous.hash
    text = canonical_json(payload)
    digest = hash_stored(prev_hash, terminal_id, seq, kind, business_day, created_at, text)
    return JournalEntry(terminal_id, seq, kind, business_day, created_at, dict(payload), prev_hash, digest), text


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A journal row exactly as stored: the payload is the stored text, not yet trusted."""

    terminal_id: str
    seq: int
    kind: str
    business_day: str
    created_at: str
    payload_text: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.reason}"


def parse_stored(row: StoredEntry) -> JournalEntry:
    """The entry behind a stored row; raises LedgerError if its payload is not canonical JSON."""
    try:
        payload = json.loads(row.payload_text)
    except (ValueError, TypeError) as exc:
        raise LedgerError(f"payload is not JSON ({exc})") from exc
    if not isinstance(payload, dict):
        raise LedgerError("payload is not a JSON object")
    if canonical_json(payload) != row.payload_text:
        raise LedgerError("payload is not in canonical form")
    return JournalEntry(row.terminal_id, row.seq, row.kind, row.business_day, row.created_at, payload, row.prev_hash, row.hash)


def verify_chain(rows: Iterable[StoredEntry], terminal_id: str, *, start_after: StoredEntry | None = None) -> ChainProblem | None:
    """Walk ``rows`` in stored order and return the first entry that breaks the chain, or None.

    Catches a changed field or payload (hash mismatch), a deleted or inserted entry (seq gap or
    prev_hash mismatch), reordering, and an entry of another terminal.
    """
    expected_seq = 1 if start_after is None else start_after.seq + 1
    expected_prev = genesis_hash(terminal_id) if start_after is None else start_after.hash
    for row in rows:
        bad_seq = row.seq if isinstance(row.seq, int) else expected_seq
        if row.terminal_id != terminal_id:
            return ChainProblem(bad_seq, f"belongs to terminal {row.terminal_id!r}, not {terminal_id!r}")
        if row.seq != expected_seq:
            return ChainProblem(min(expected_seq, bad_seq), f"expected seq {expected_seq}, found {row.seq} (an entry is missing, inserted or moved)")
        if row.prev_hash != expected_prev:
            return ChainProblem(row.seq, "prev_hash does not match the previous entry's hash")
        if not isinstance(row.payload_text, str) or type(row.seq) is not int:
            return ChainProblem(bad_seq, "the entry's payload or seq is not of the right type")
        recomputed = hash_stored(row.prev_hash, row.terminal_id, row.seq, row.kind, row.business_day, row.created_at,
                                 row.payload_text)
        if recomputed != row.hash:
            try:  # say why, when the payload itself is the problem
                parse_stored(row)
            except LedgerError as exc:
                return ChainProblem(row.seq, str(exc))
            return ChainProblem(row.seq, "hash does not match the entry's content (it was changed)")
        expected_seq += 1
        expected_prev = row.hash
    return None
