"""Members in the till's database (issue 17): fixed SQL, and the projection from journal entries.

``members`` is the read model of ``member_add`` / ``member_change`` entries, with each member's points
moved by the ``"member"`` of sale and return payloads (``member_points`` keeps one row per such sale or
return). :func:`write` runs for every entry in its own transaction (``projections.apply``), so
``ledger verify`` rebuilds both tables from the journal and names a row that was edited.

No clear phone number is written here or in the entries: ``phone_hash`` (keyed HMAC) finds a member,
``phone_last4`` offers a pick list, ``phone_enc`` (AES-GCM) is opened only by the service holding the
store's member key.

Entry payloads:

- ``member_add``: ``member_id, store, phone_hash, phone_last4, phone_enc, key_id, name, tier, birthday,
  code, by``
- ``member_change``: ``member_id, name, tier, birthday`` (the member's whole new state), ``changed``
  (the names of what changed), ``by``
- sale: ``"member": {"id", "tier", "points_earned", "points_redeemed", "redeem_fen"}``; return:
  ``"member": {"id", "points_reversed"}``. Training entries move no points.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from pos.domain.ledger import EntryKind, JournalEntry

MEMBER_COLUMNS = "member_id, phone_last4, phone_enc, key_id, name, tier, birthday, code, points"

SQL_INSERT = ("INSERT INTO members (member_id, store, phone_hash, phone_last4, phone_enc, key_id, name, tier, birthday, "
              "code, points, created_at, created_by, journal_seq, updated_seq) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")
SQL_CHANGE = "UPDATE members SET name = ?, tier = ?, birthday = ?, updated_seq = ? WHERE member_id = ?"
SQL_POINTS = ("INSERT INTO member_points (journal_seq, member_id, business_day, kind, doc_no, earned, redeemed, reversed, "
              "redeem_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_MOVE_POINTS = "UPDATE members SET points = points + ?, updated_seq = ? WHERE member_id = ?"

SQL_BY_HASH = f"SELECT {MEMBER_COLUMNS} FROM members WHERE phone_hash = ?"
SQL_BY_ID = f"SELECT {MEMBER_COLUMNS} FROM members WHERE member_id = ?"
SQL_BY_LAST4 = f"SELECT {MEMBER_COLUMNS} FROM members WHERE phone_last4 = ? ORDER BY member_id LIMIT ?"
SQL_HASH_TAKEN = "SELECT member_id FROM members WHERE phone_hash = ?"
# The terminal's own running number: its ids are the terminal id + 6 digits (pos.domain.members.new_member_id).
SQL_LAST_OWN_ID = ("SELECT MAX(member_id) FROM members WHERE member_id >= ? AND member_id <= ? "
                   "AND length(member_id) = ?")
SQL_EXPORT = ("SELECT member_id, phone_enc, key_id, name, tier, birthday, code, points, created_at FROM members "
              "ORDER BY member_id")
SQL_ANY_KEY = "SELECT key_id FROM members LIMIT 1"

STATEMENTS = (SQL_INSERT, SQL_CHANGE, SQL_POINTS, SQL_MOVE_POINTS, SQL_BY_HASH, SQL_BY_ID, SQL_BY_LAST4, SQL_HASH_TAKEN,
              SQL_LAST_OWN_ID, SQL_EXPORT, SQL_ANY_KEY)

KINDS = frozenset({EntryKind.MEMBER_ADD, EntryKind.MEMBER_CHANGE, EntryKind.SALE, EntryKind.RETURN})


def _add(raw: sqlite3.Connection, entry: JournalEntry, p: dict[str, Any]) -> None:
    raw.execute(SQL_INSERT, (p["member_id"], p["store"], p["phone_hash"], p["phone_last4"], p["phone_enc"], p["key_id"],
                             p["name"], p["tier"], p.get("birthday"), p["code"], entry.created_at, p["by"], entry.seq,
                             entry.seq))


def _change(raw: sqlite3.Connection, entry: JournalEntry, p: dict[str, Any]) -> None:
    raw.execute(SQL_CHANGE, (p["name"], p["tier"], p.get("birthday"), entry.seq, p["member_id"]))


def _points(raw: sqlite3.Connection, entry: JournalEntry, p: dict[str, Any], member: dict[str, Any]) -> None:
    member_id = str(member["id"])
    if entry.kind == EntryKind.SALE:
        doc, kind = p["receipt_no"], "sale"
        earned, redeemed, reversed_ = int(member.get("points_earned", 0)), int(member.get("points_redeemed", 0)), 0
    else:
        doc, kind = p["return_no"], "return"
        earned, redeemed, reversed_ = 0, 0, int(member.get("points_reversed", 0))
    raw.execute(SQL_POINTS, (entry.seq, member_id, entry.business_day, kind, doc, earned, redeemed, reversed_,
                             int(member.get("redeem_fen", 0))))
    # a member registered at another till of the store may not be here yet: the history row still is
    raw.execute(SQL_MOVE_POINTS, (earned - redeemed - reversed_, entry.seq, member_id))


def write(raw: sqlite3.Connection, entry: JournalEntry) -> None:
    """The member rows ``entry`` adds or changes (nothing for other kinds, or a sale without a member)."""
    kind = entry.kind
    if kind not in KINDS:
        return
    p = entry.payload
    if kind == EntryKind.MEMBER_ADD:
        _add(raw, entry, p)
    elif kind == EntryKind.MEMBER_CHANGE:
        _change(raw, entry, p)
    else:
        member = p.get("member")
        if member and not p.get("training"):
            _points(raw, entry, p, member)


def last_own_number(raw: sqlite3.Connection, terminal_id: str) -> int:
    """The highest running number of the members this terminal registered (0 for none)."""
    n = len(terminal_id) + 6
    row = raw.execute(SQL_LAST_OWN_ID, (terminal_id + "000000", terminal_id + "999999", n)).fetchone()
    return int(row[0][len(terminal_id):]) if row and row[0] else 0
