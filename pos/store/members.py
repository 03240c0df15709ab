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
- ``member_sync`` (one page from head office, headoffice/members.py): ``cursor``, ``key_id``, ``records``, each
  ``{"type": "add", "member": {member_add's fields, created_at}, "alias_of"?}``, ``{"type": "change",
  "member_id", "name", "tier", "birthday"}`` or ``{"type": "points", "member_id", "kind", "doc_no",
  "business_day", "earned", "redeemed", "reversed", "redeem_fen"}`` — the store's other tills' entries.
  Their points move ``members.points`` only: ``member_points`` keeps this till's own sales and returns.

**Aliases.** The same phone registered at two tills while offline: the registration head office stored
first wins, the other becomes an *alias* of it — its row keeps its member id and card code, but its
``phone_hash`` becomes ``alias:<winner>:<own id>`` (so the phone and the last 4 find only the winner), its
points go to the winner, and points earned later under its id count to the winner too.

What the cashier sees, at any till after sync: the phone number (or its last 4) finds one member, the
winner — the name, tier and card number of the registration head office stored first — holding the points
of both registrations; the card printed for the other registration still works and finds her too. The
other registration's name and tier are not kept (change the winner's if they were the right ones).
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
SQL_BY_LAST4 = (f"SELECT {MEMBER_COLUMNS} FROM members WHERE phone_last4 = ? AND phone_hash NOT LIKE 'alias:%' "
                "ORDER BY member_id LIMIT ?")
ALIAS = "alias:"  # the phone_hash of an alias: alias:<the member it stands for>:<its own id>
SQL_HASH_OF = "SELECT phone_hash FROM members WHERE member_id = ?"
SQL_MAKE_ALIAS = "UPDATE members SET phone_hash = ?, points = 0, updated_seq = ? WHERE member_id = ?"
SQL_POINTS_OF = "SELECT points FROM members WHERE member_id = ?"
# by member id or card; an alias gives the member it stands for (two parameters: the id twice)
SQL_BY_ID_RESOLVED = (f"SELECT {MEMBER_COLUMNS} FROM members WHERE member_id = COALESCE((SELECT substr(phone_hash, 7, "
                      "instr(substr(phone_hash, 7), ':') - 1) FROM members WHERE member_id = ? AND phone_hash LIKE "
                      "'alias:%'), ?)")
SQL_OWN_POINTS = "SELECT COALESCE(SUM(earned - redeemed - reversed), 0) FROM member_points WHERE member_id = ?"
SQL_SYNC_ADD = ("INSERT INTO members (member_id, store, phone_hash, phone_last4, phone_enc, key_id, name, tier, "
                "birthday, code, points, created_at, created_by, journal_seq, updated_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_HASH_TAKEN = "SELECT member_id FROM members WHERE phone_hash = ?"
# The terminal's own running number: its ids are the terminal id + 6 digits (pos.domain.members.new_member_id).
SQL_LAST_OWN_ID = ("SELECT MAX(member_id) FROM members WHERE member_id >= ? AND member_id <= ? "
                   "AND length(member_id) = ?")
SQL_EXPORT = ("SELECT member_id, phone_enc, key_id, name, tier, birthday, code, points, created_at FROM members "
              "WHERE phone_hash NOT LIKE 'alias:%' ORDER BY member_id")
SQL_ANY_KEY = "SELECT key_id FROM members LIMIT 1"

STATEMENTS = (SQL_INSERT, SQL_CHANGE, SQL_POINTS, SQL_MOVE_POINTS, SQL_BY_HASH, SQL_BY_ID, SQL_BY_LAST4, SQL_HASH_TAKEN,
              SQL_LAST_OWN_ID, SQL_EXPORT, SQL_ANY_KEY, SQL_HASH_OF, SQL_MAKE_ALIAS, SQL_OWN_POINTS, SQL_SYNC_ADD, SQL_POINTS_OF,
              SQL_BY_ID_RESOLVED)

KINDS = frozenset({EntryKind.MEMBER_ADD, EntryKind.MEMBER_CHANGE, EntryKind.SALE, EntryKind.RETURN,
                   EntryKind.MEMBER_SYNC})


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
    # a member registered at another till of the store may not be here yet: the history row still is (and
    # counts when the member comes down, _sync_add); an alias's points go to the member it stands for
    raw.execute(SQL_MOVE_POINTS, (earned - redeemed - reversed_, entry.seq, canonical(raw, member_id)))


def canonical(raw: sqlite3.Connection, member_id: str) -> str:
    """The member ``member_id`` stands for: itself, or the winner when it is an alias."""
    row = raw.execute(SQL_HASH_OF, (member_id,)).fetchone()
    if row is not None and str(row[0]).startswith(ALIAS):
        return str(row[0]).split(":")[1]
    return member_id


def _sync_add(raw: sqlite3.Connection, entry: JournalEntry, rec: dict[str, Any]) -> None:
    m = rec["member"]
    member_id = str(m["member_id"])
    if raw.execute(SQL_HASH_OF, (member_id,)).fetchone() is not None:
        return  # already here (never sent twice; a till's own members are never sent back)
    alias_of = rec.get("alias_of")
    phone_hash = f"{ALIAS}{alias_of}:{member_id}" if alias_of else str(m["phone_hash"])
    points = int(raw.execute(SQL_OWN_POINTS, (member_id,)).fetchone()[0])  # this till's sales before it came down
    if alias_of:
        if points:
            raw.execute(SQL_MOVE_POINTS, (points, entry.seq, canonical(raw, str(alias_of))))
        points = 0
    else:
        taken = raw.execute(SQL_HASH_TAKEN, (phone_hash,)).fetchone()
        if taken is not None:  # registered here too while offline, after it in head office's order: ours is the alias
            own = str(taken[0])
            moved = raw.execute(SQL_POINTS_OF, (own,)).fetchone()[0]
            raw.execute(SQL_MAKE_ALIAS, (f"{ALIAS}{member_id}:{own}", entry.seq, own))
            points += int(moved)
    raw.execute(SQL_SYNC_ADD, (member_id, m.get("store") or "", phone_hash, m["phone_last4"], m["phone_enc"],
                               m["key_id"], m["name"], m["tier"], m.get("birthday"), m["code"], points,
                               m.get("created_at") or entry.created_at, m.get("by") or "", entry.seq, entry.seq))


def _sync(raw: sqlite3.Connection, entry: JournalEntry, p: dict[str, Any]) -> None:
    key_id = p.get("key_id")
    for rec in p.get("records", ()):
        kind = rec.get("type")
        if kind == "add":
            if not key_id or rec["member"].get("key_id") == key_id:  # never a member under another key
                _sync_add(raw, entry, rec)
        elif kind == "change":
            raw.execute(SQL_CHANGE, (rec["name"], rec["tier"], rec.get("birthday"), entry.seq, rec["member_id"]))
        elif kind == "points":
            delta = int(rec.get("earned", 0)) - int(rec.get("redeemed", 0)) - int(rec.get("reversed", 0))
            raw.execute(SQL_MOVE_POINTS, (delta, entry.seq, canonical(raw, str(rec["member_id"]))))


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
    elif kind == EntryKind.MEMBER_SYNC:
        _sync(raw, entry, p)
    else:
        member = p.get("member")
        if member and not p.get("training"):
            _points(raw, entry, p, member)


def last_own_number(raw: sqlite3.Connection, terminal_id: str) -> int:
    """The highest running number of the members this terminal registered (0 for none)."""
    n = len(terminal_id) + 6
    row = raw.execute(SQL_LAST_OWN_ID, (terminal_id + "000000", terminal_id + "999999", n)).fetchone()
    return int(row[0][len(terminal_id):]) if row and row[0] else 0
