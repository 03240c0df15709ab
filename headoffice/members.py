"""A store's members, shared between its tills (issue 17): the store's member key and the member feed.

**The member key.** All tills of a store hash and encrypt members' phone numbers under one key
(pos/services/members.py), so that a number registered at one till is found at the others. Head office
makes it (32 random bytes) the first time a terminal of the store enrols (:func:`store_key`), keeps it in
``member_keys``, and hands it to every till of the store in the enrolment answer (``member_key``, hex,
beside the terminal's own secret). A till writes it to its ``member_key`` file when it holds no member
yet; a till that registered members under a key of its own keeps that key (see pos/services/sync.py).

**The feed** (``GET /api/v1/terminals/{id}/members?since=N``, signed like the other sync calls): the
store's ``member_add`` / ``member_change`` entries and every member's points movements (the ``"member"``
of stored sale and return payloads, training excluded), in head office's stored order, as records with a
cursor. :func:`catch_up` indexes what the store's tills uploaded since the last call (``member_feed``,
``member_feed_state`` remembers how far each terminal was read), one store at a time (the store's
``member_keys`` row is locked while it does). A till gets the records of the *other* terminals after its
cursor, a page at a time; it never gets its own entries back, and never a record twice.

**The same phone registered at two tills while offline:** the registration head office stored first
wins (``received_at``; the feed is indexed when a till asks for it, in that order). The later one is sent with ``"alias_of": <the first member_id>``: every till then keeps it as an
alias — its card still finds the member, its points count to the first one, and the phone number and
last 4 find only the first (see pos/store/members.py).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from pos.services.members import member_key_id

from .schema import entries, metadata, terminals

PAGE = 500  # records per answer
SCAN = 5000  # entries read from the store at a time while indexing
SCAN_BUDGET = 20_000  # entries indexed in one request at most (~1.5 s; a head office with years of sales catches up in steps)
MEMBER_KINDS = ("member_add", "member_change", "sale", "return")

member_keys = Table(
    "member_keys",
    metadata,
    Column("store_code", String(32), primary_key=True),
    Column("secret", String(128), nullable=False),  # hex
    Column("key_id", String(16), nullable=False),  # as the tills compute it (pos.services.members.member_key_id)
    Column("created_at", String(32), nullable=False),
)

# One row per member record, in head office's stored order (``id`` is the cursor).
member_feed = Table(
    "member_feed",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("store_code", String(32), nullable=False),
    Column("terminal_id", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),  # add | change | points
    Column("member_id", String(64), nullable=False),
    Column("phone_hash", String(64), nullable=True),  # adds only
    Column("record", Text, nullable=False),  # JSON, as sent to the tills
)
Index("ix_member_feed_store", member_feed.c.store_code, member_feed.c.id)
Index("ix_member_feed_phone", member_feed.c.store_code, member_feed.c.phone_hash, member_feed.c.id)

# How far each terminal's stored entries were read into member_feed.
member_feed_state = Table(
    "member_feed_state",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("scanned_seq", BigInteger, nullable=False),
)


def _now() -> str:
    from .service import iso, utc_now

    return iso(utc_now())


def store_key(conn: Connection, store: str) -> str:
    """The store's member key (hex), made the first time it is asked for."""
    row = conn.execute(select(member_keys.c.secret).where(member_keys.c.store_code == store)).first()
    if row is not None:
        return str(row.secret)
    secret = secrets.token_bytes(32)
    try:
        with conn.begin_nested():
            conn.execute(insert(member_keys).values(store_code=store, secret=secret.hex(),
                                                    key_id=member_key_id(secret), created_at=_now()))
    except IntegrityError:  # another terminal of the store enrolled at the same moment: its key is the store's
        return str(conn.execute(select(member_keys.c.secret).where(member_keys.c.store_code == store)).scalar_one())
    return secret.hex()


def _lock_store(conn: Connection, store: str) -> str:
    """Lock the store's key row for this transaction (one indexer per store at a time); its key id."""
    store_key(conn, store)
    conn.execute(update(member_keys).where(member_keys.c.store_code == store)
                 .values(key_id=member_keys.c.key_id))  # a write: SQLite already holds the lock, PostgreSQL the row
    return str(conn.execute(select(member_keys.c.key_id).where(member_keys.c.store_code == store)).scalar_one())


def _records(kind: str, terminal: str, seq: int, day: str, created_at: str, payload: dict[str, Any]) -> Iterator[
        tuple[str, str, str | None, dict[str, Any]]]:
    """(feed kind, member id, phone hash, record) of one stored entry."""
    if kind == "member_add":
        member = {k: payload.get(k) for k in ("member_id", "store", "phone_hash", "phone_last4", "phone_enc", "key_id",
                                              "name", "tier", "birthday", "code", "by")}
        member["created_at"] = created_at
        yield "add", str(payload["member_id"]), str(payload["phone_hash"]), {"type": "add", "member": member}
    elif kind == "member_change":
        yield "change", str(payload["member_id"]), None, {
            "type": "change", "member_id": str(payload["member_id"]), "name": payload.get("name"),
            "tier": payload.get("tier"), "birthday": payload.get("birthday")}
    else:
        member = payload.get("member")
        if not isinstance(member, dict) or payload.get("training") or not member.get("id"):
            return
        sale = kind == "sale"
        yield "points", str(member["id"]), None, {
            "type": "points", "member_id": str(member["id"]), "kind": kind, "business_day": day,
            "doc_no": str(payload.get("receipt_no" if sale else "return_no") or ""),
            "earned": int(member.get("points_earned", 0)) if sale else 0,
            "redeemed": int(member.get("points_redeemed", 0)) if sale else 0,
            "reversed": 0 if sale else int(member.get("points_reversed", 0)),
            "redeem_fen": int(member.get("redeem_fen", 0)) if sale else 0}


def catch_up(conn: Connection, store: str) -> tuple[str, bool]:
    """Index the store's entries stored since the last call into ``member_feed`` (the caller's transaction), in
    the order head office stored them (``received_at``, then terminal and seq); returns the store's member key
    id, and whether all was indexed (False: the budget ran out; the next call goes on). A registration under another key (a till that registered members before it was enrolled) is left out:
    its phone hash means nothing to the others."""
    key_id = _lock_store(conn, store)
    tills = conn.execute(select(terminals.c.terminal_id, terminals.c.last_seq)
                         .where(terminals.c.store_code == store).order_by(terminals.c.terminal_id)).all()
    found: list[tuple[str, str, int, str, str, str | None, dict[str, Any]]] = []
    budget = SCAN_BUDGET
    complete = True
    for terminal, last_seq in tills:
        scanned = conn.execute(select(member_feed_state.c.scanned_seq)
                               .where(member_feed_state.c.terminal_id == terminal)).scalar()
        start = int(scanned or 0)
        done = start
        while done < int(last_seq or 0):
            if budget <= 0:
                complete = False
                break
            # A stored terminal's seqs run 1 … last_seq without a hole, so a range of SCAN seqs is SCAN entries.
            # Only the entries that can hold a member record are read (a sale or return without "member" in its
            # text cannot): the database looks into each payload in C, and the rest never reach Python (reading
            # and decoding every payload was ~9 µs an entry, a sixth of a 100,000-entry drain).
            upto = min(int(last_seq), done + min(SCAN, budget))
            rows = conn.execute(
                select(entries.c.seq, entries.c.kind, entries.c.business_day, entries.c.created_at, entries.c.payload,
                       entries.c.received_at)
                .where(entries.c.terminal_id == terminal, entries.c.seq > done, entries.c.seq <= upto,
                       entries.c.kind.in_(MEMBER_KINDS),
                       or_(entries.c.kind.not_in(("sale", "return")), entries.c.payload.contains('"member"')))
                .order_by(entries.c.seq)).all()
            budget -= upto - done
            done = upto
            for seq, kind, day, created_at, text, received_at in rows:
                if kind not in MEMBER_KINDS or (kind in ("sale", "return") and '"member"' not in text):
                    continue
                for feed_kind, member_id, phone_hash, record in _records(kind, terminal, seq, day, created_at,
                                                                          json.loads(text)):
                    if feed_kind == "add" and record["member"].get("key_id") != key_id:
                        continue
                    found.append((str(received_at), terminal, int(seq), feed_kind, member_id, phone_hash, record))
        if done != start:
            if scanned is None:
                conn.execute(insert(member_feed_state).values(terminal_id=terminal, scanned_seq=done))
            else:
                conn.execute(update(member_feed_state).where(member_feed_state.c.terminal_id == terminal)
                             .values(scanned_seq=done))
    found.sort(key=lambda f: f[:3])
    # the first registration of each phone: those indexed before, then those in this step in order
    hashes = sorted({f[5] for f in found if f[3] == "add"})
    firsts: dict[str, str] = {}
    for i in range(0, len(hashes), 500):
        for phone_hash, member_id in conn.execute(
                select(member_feed.c.phone_hash, member_feed.c.member_id).where(
                    member_feed.c.store_code == store, member_feed.c.kind == "add",
                    member_feed.c.phone_hash.in_(hashes[i:i + 500])).order_by(member_feed.c.id.desc())):
            firsts[phone_hash] = member_id  # lowest id last: it stays
    rows: list[dict[str, Any]] = []
    for _received, terminal, seq, feed_kind, member_id, phone_hash, record in found:
        if feed_kind == "add" and phone_hash is not None:
            first = firsts.setdefault(phone_hash, member_id)
            if first != member_id:
                record["alias_of"] = first
        record.update(terminal=terminal, seq=seq)
        rows.append({"store_code": store, "terminal_id": terminal, "seq": seq, "kind": feed_kind,
                     "member_id": member_id, "phone_hash": phone_hash,
                     "record": json.dumps(record, ensure_ascii=False, sort_keys=True)})
    for i in range(0, len(rows), 1000):  # in order: the ids are the feed's order
        conn.execute(insert(member_feed), rows[i:i + 1000])
    return key_id, complete


def feed_for(engine: Engine, store: str, terminal: str, since: int, *, page: int | None = None) -> dict[str, Any]:
    """The store's member records from terminals other than ``terminal`` after cursor ``since``: ``{"records",
    "cursor" (the one to ask with next), "more", "key_id"}``. Every record has its ``cursor``."""
    from .service import _one_writer

    page = page or PAGE
    with _one_writer(engine), engine.begin() as conn:
        key_id, complete = catch_up(conn, store)
        newest = int(conn.execute(select(func.max(member_feed.c.id)).where(member_feed.c.store_code == store)).scalar()
                     or 0)
        rows = conn.execute(select(member_feed.c.id, member_feed.c.record).where(
            member_feed.c.store_code == store, member_feed.c.terminal_id != terminal, member_feed.c.id > since,
            member_feed.c.id <= newest).order_by(member_feed.c.id).limit(page + 1)).all()
    more = len(rows) > page or not complete
    rows = rows[:page]
    records = [{**json.loads(r.record), "cursor": int(r.id)} for r in rows]
    # past the last page, the cursor moves over the till's own records too (they are never sent)
    cursor = int(rows[-1].id) if len(rows) == page and more else max(newest, since)
    return {"records": records, "cursor": cursor, "more": more, "key_id": key_id}
