"""Random single tamperings of a ledger, each with the seq ``ledger verify`` must name, and a judge.

Every case is a list of SQL statements run through a raw sqlite3 connection with the journal's
triggers dropped and put back afterwards (as someone with the file and a SQLite shell would),
on its own fresh in-memory copy of the ledger (``deserialize`` of the built file's bytes).

The seq that verify must name — the rule, precisely:

* Journal edits, deletions, reorderings: verify walks the stored rows in (seq, terminal_id)
  order and names the first position where they stop being the chain 1, 2, 3 … of this
  terminal. That is **the lowest seq the change touched**: an edited or deleted row's seq; for a
  row whose seq was changed from k to an integer v, min(k, v); to a fraction v, min(k, ceil(v));
  to text, k. Two rows swapped: the lower one. (Seq 0 and below never get in: the schema's CHECK
  refuses them; such cases count as "refused by SQLite itself".)
* Insertions: a row at an existing seq under another terminal id is named at that seq; at an
  integer seq v outside 1..max, min(v, max + 1); at a fraction v, ceil(v).
* Deleting the newest rows: what is left is a valid chain, but the journal's head (seq and hash)
  is recorded in ``meta`` with every entry, so verify names the first deleted seq (the journal
  ends before its recorded head).
* Read-model edits (sales, sale_lines, payments, returns): the seq of the sale (or return) the
  changed row belongs to — a sales row names its journal_seq, a line or payment the seq of its
  receipt's sale; a row moved from one receipt to another names the lower of the two sales'
  seqs; an invented sales row names the journal_seq it claims; a line or payment of a receipt
  that has no sale names the journal's last seq.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
from dataclasses import dataclass, field
from typing import Any

JOURNAL_COLUMNS = ("terminal_id", "seq", "kind", "business_day", "created_at", "payload", "prev_hash", "hash")
KINDS = ("sale", "void", "return", "login", "hold", "recall", "reprint", "z_closure", "cash_in", "SALE", "")


@dataclass(frozen=True)
class Case:
    family: str
    what: str
    sql: tuple[tuple[str, tuple[Any, ...]], ...]
    expected: int


@dataclass
class Base:
    """What the generator knows about the built ledger."""

    terminal: str
    rows: dict[int, dict[str, Any]]  # seq -> journal row
    sale_seq: dict[str, int]  # receipt_no -> seq
    return_seq: dict[str, int]  # return_no -> seq
    sales: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def max_seq(self) -> int:
        return max(self.rows)

    @classmethod
    def load(cls, conn: sqlite3.Connection, terminal: str) -> Base:
        conn.row_factory = sqlite3.Row
        rows = {r["seq"]: dict(r) for r in conn.execute("SELECT * FROM journal WHERE terminal_id = ?", (terminal,))}
        sales = [dict(r) for r in conn.execute("SELECT * FROM sales ORDER BY receipt_no")]
        rets = {r["return_no"]: r["journal_seq"] for r in conn.execute("SELECT return_no, journal_seq FROM returns")}
        base = cls(terminal, rows, {s["receipt_no"]: s["journal_seq"] for s in sales}, rets, sales,
                   [dict(r) for r in conn.execute("SELECT * FROM sale_lines ORDER BY receipt_no, line_no")],
                   [dict(r) for r in conn.execute("SELECT * FROM payments ORDER BY receipt_no, idx")])
        conn.row_factory = None
        return base


def _flip(text: str, rng: random.Random) -> str:
    """``text`` with one character changed (hex stays hex)."""
    i = rng.randrange(len(text))
    pool = "0123456789abcdef" if all(c in "0123456789abcdef" for c in text) else "0123456789abcdefXYZ中"
    return text[:i] + rng.choice([c for c in pool if c != text[i]]) + text[i + 1:]


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def _upd(col: str, value: Any, seq: int, terminal: str) -> tuple[str, tuple[Any, ...]]:
    return (f"UPDATE journal SET {col} = ? WHERE terminal_id = ? AND seq = ?", (value, terminal, seq))


def _insert(row: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    return ("INSERT INTO journal (terminal_id, seq, kind, business_day, created_at, payload, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tuple(row[c] for c in JOURNAL_COLUMNS))


# -- journal edits ----------------------------------------------------------------------------
def edit_column(b: Base, rng: random.Random, col: str) -> Case:
    k = rng.randint(1, b.max_seq)
    row, t = b.rows[k], b.terminal
    old = row[col]
    expected = k
    if col == "payload":
        choice = rng.randrange(6)
        digits = [i for i, ch in enumerate(old) if ch.isdigit()]
        if choice == 0 and digits:
            i = rng.choice(digits)
            new: Any = old[:i] + rng.choice([d for d in "0123456789" if d != old[i]]) + old[i + 1:]
            what = f"payload: one digit changed at {i}"
        elif choice == 1:
            new, what = json.dumps(json.loads(old), ensure_ascii=False, sort_keys=True), "payload: same JSON, not canonical"
        elif choice == 2:
            new, what = old[: rng.randrange(len(old))], "payload: cut short"
        elif choice == 3:
            doc = json.loads(old)
            key = rng.choice(sorted(doc))
            doc[key] = rng.choice([None, 0, "x", [], {"a": 1}]) if doc[key] != 0 else 1
            new, what = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")), f"payload: {key} replaced"
        elif choice == 4:
            new, what = old.encode(), "payload: same bytes stored as a BLOB"
        else:
            new, what = _flip(old, rng), "payload: one character changed"
        return Case("edit payload", f"seq {k} {what}", (_upd("payload", new, k, t),), expected)
    if col in ("hash", "prev_hash"):
        other = b.rows[rng.choice([s for s in b.rows if s != k])][col]
        new, what = rng.choice([(_hex(rng), "random"), (_flip(old, rng), "one character"), (old.upper(), "upper case"),
                                ("", "empty"), (other, "another entry's")])
        return Case(f"edit {col}", f"seq {k} {col}: {what}", (_upd(col, new, k, t),), expected)
    if col == "kind":
        new = rng.choice([x for x in KINDS if x != old])
        return Case("edit kind", f"seq {k} kind {old} -> {new!r}", (_upd("kind", new, k, t),), expected)
    if col == "business_day":
        new = rng.choice(["2026-11-21", "2026-11-23", "2026/11/22", "2026-11-22 ", ""])
        new = new if new != old else "2026-01-01"
        return Case("edit business_day", f"seq {k} business_day -> {new!r}", (_upd(col, new, k, t),), expected)
    if col == "created_at":
        new = rng.choice([_flip(old, rng), old.replace("Z", "+00:00"), old[:19] + "Z", old + " "])
        return Case("edit created_at", f"seq {k} created_at -> {new!r}", (_upd(col, new, k, t),), expected)
    if col == "terminal_id":
        new = rng.choice(["MX02", "PM01", "mx01", "AA01", "ZZ99", "", f"{t} "])
        return Case("edit terminal_id", f"seq {k} terminal_id -> {new!r}", (_upd(col, new, k, t),), expected)
    assert col == "seq"
    form = rng.randrange(4)
    if form == 0:
        v: Any = b.max_seq + rng.randint(1, 50)
    elif form == 1:  # half a step either way (the schema's CHECK refuses anything below 1)
        v = k + 0.5 if k == 1 or rng.random() < 0.5 else k - 0.5
    elif form == 2:
        v = rng.randint(1, b.max_seq - 1) + 0.5
    else:
        v = rng.choice(["x", "seven", "1a"])
    if isinstance(v, str):
        expected = k
    elif isinstance(v, float):
        expected = min(k, math.ceil(v))
    else:
        expected = min(k, v)
    return Case("edit seq", f"seq {k} -> {v!r}", (_upd("seq", v, k, t),), expected)


# -- deletions, insertions, reorderings -------------------------------------------------------
def delete(b: Base, rng: random.Random) -> Case:
    t = b.terminal
    if rng.random() < 0.15:  # the newest rows
        m = rng.randint(1, 4)
        k = b.max_seq - m + 1
        return Case("delete tail", f"delete seq {k}..{b.max_seq}",
                    (("DELETE FROM journal WHERE terminal_id = ? AND seq >= ?", (t, k)),), k)
    m = rng.choice([1, 1, 1, 2, 3, 5])
    k = rng.randint(1, b.max_seq - m)
    return Case("delete", f"delete seq {k}..{k + m - 1}",
                (("DELETE FROM journal WHERE terminal_id = ? AND seq BETWEEN ? AND ?", (t, k, k + m - 1)),), k)


def insert(b: Base, rng: random.Random) -> Case:
    top = b.max_seq
    form = rng.randrange(5)
    k = rng.randint(1, top)
    row = dict(b.rows[k])
    if form == 0:
        row["terminal_id"] = rng.choice(["AA01", "MX02", "ZZ99", "mx01"])
        return Case("insert", f"copy of seq {k} under terminal {row['terminal_id']}", (_insert(row),), k)
    if form == 1:  # a forged next entry: right prev_hash, wrong hash
        row.update(seq=top + 1, prev_hash=b.rows[top]["hash"], hash=_hex(rng))
        return Case("insert", f"forged entry at seq {top + 1}", (_insert(row),), top + 1)
    if form == 2:  # an old entry replayed at the end
        row.update(seq=top + 1)
        return Case("insert", f"seq {k} replayed as seq {top + 1}", (_insert(row),), top + 1)
    if form == 3:
        v = top + rng.randint(2, 9)  # seq 0 and below are refused by the schema's CHECK (seq >= 1)
        row.update(seq=v)
        return Case("insert", f"copy of seq {k} at seq {v}", (_insert(row),), min(v, top + 1))
    v = rng.randint(1, top - 1) + 0.5
    row.update(seq=v)
    return Case("insert", f"copy of seq {k} at seq {v}", (_insert(row),), math.ceil(v))


def reorder(b: Base, rng: random.Random) -> Case:
    t, top = b.terminal, b.max_seq
    form = rng.randrange(4)
    k, j = sorted(rng.sample(range(1, top + 1), 2))
    if form == 0:  # swap the contents, keep the seqs
        a, c = b.rows[k], b.rows[j]
        cols = [x for x in JOURNAL_COLUMNS if x not in ("seq", "terminal_id")]
        sets = ", ".join(f"{x} = ?" for x in cols)
        return Case("reorder", f"contents of seq {k} and {j} swapped", (
            (f"UPDATE journal SET {sets} WHERE terminal_id = ? AND seq = ?", (*[c[x] for x in cols], t, k)),
            (f"UPDATE journal SET {sets} WHERE terminal_id = ? AND seq = ?", (*[a[x] for x in cols], t, j)),
        ), k)
    if form == 1:  # swap the seqs (the rows trade places)
        return Case("reorder", f"seq {k} and {j} renumbered into each other's place", (
            ("UPDATE journal SET seq = 1000000000 WHERE terminal_id = ? AND seq = ?", (t, k)),
            ("UPDATE journal SET seq = ? WHERE terminal_id = ? AND seq = ?", (k, t, j)),
            ("UPDATE journal SET seq = ? WHERE terminal_id = ? AND seq = 1000000000", (j, t)),
        ), k)
    if form == 2:  # move one entry to the end
        k = rng.randint(1, top - 1)
        return Case("reorder", f"seq {k} moved to the end", (_upd("seq", top + 1, k, t),), k)
    m = rng.randint(2, 5)  # rotate a window by one
    k = rng.randint(1, top - m + 1)
    stmts = [("UPDATE journal SET seq = 1000000000 WHERE terminal_id = ? AND seq = ?", (t, k + m - 1))]
    for s in range(k + m - 2, k - 1, -1):
        stmts.append(("UPDATE journal SET seq = ? WHERE terminal_id = ? AND seq = ?", (s + 1, t, s)))
    stmts.append(("UPDATE journal SET seq = ? WHERE terminal_id = ? AND seq = 1000000000", (k, t)))
    return Case("reorder", f"seq {k}..{k + m - 1} rotated by one", tuple(stmts), k)


# -- read models ------------------------------------------------------------------------------
def _changed(old: Any, rng: random.Random) -> Any:
    if isinstance(old, int):
        return old + rng.choice([-100, -1, 1, 7, 100, 10_000])
    if old is None:
        return rng.choice([0, "x"])
    return rng.choice([old + "x", _flip(old, rng) if old else "x", old.upper() if old.upper() != old else old + "y"])


def read_model(b: Base, rng: random.Random) -> Case:
    table = rng.choice(["sales", "sale_lines", "sale_lines", "payments", "payments", "returns"])
    action = rng.choice(["edit", "edit", "delete", "add", "move"])
    if table == "returns":
        ret_no, seq = rng.choice(sorted(b.return_seq.items()))
        col = rng.choice(["refund_fen", "cashier", "receipt_no"])
        return Case("read model returns", f"returns {ret_no}: {col} changed",
                    ((f"UPDATE returns SET {col} = {col} || 'x' WHERE return_no = ?" if col != "refund_fen"
                      else "UPDATE returns SET refund_fen = refund_fen + 1 WHERE return_no = ?", (ret_no,)),), seq)
    if table == "sales":
        s = rng.choice(b.sales)
        r, seq = s["receipt_no"], s["journal_seq"]
        if action == "delete":
            return Case("read model sales", f"sales {r} deleted", (("DELETE FROM sales WHERE receipt_no = ?", (r,)),), seq)
        if action in ("add", "move"):
            free = sorted(set(range(1, b.max_seq + 10)) - set(b.sale_seq.values()))
            v = rng.choice(free)
            row = dict(s, receipt_no=f"{r[:-4]}9{rng.randint(100, 999)}", journal_seq=v)
            cols = ", ".join(row)
            return Case("read model sales", f"invented sales row claiming seq {v}",
                        ((f"INSERT INTO sales ({cols}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())),), v)
        col = rng.choice(["subtotal_fen", "total_fen", "paid_fen", "change_fen", "cashier", "created_at", "business_day",
                          "terminal_id", "journal_seq", "training", "receipt_no"])
        if col == "receipt_no":
            new: Any = r + "X"
        elif col == "training":
            new = 1 - int(s[col])
        elif col == "journal_seq":
            new = rng.choice(sorted(set(range(1, b.max_seq + 10)) - set(b.sale_seq.values())))
        else:
            new = _changed(s[col], rng)
        return Case("read model sales", f"sales {r}: {col} {s[col]!r} -> {new!r}",
                    ((f"UPDATE sales SET {col} = ? WHERE receipt_no = ?", (new, r)),), seq)
    rows, key = (b.lines, "line_no") if table == "sale_lines" else (b.payments, "idx")
    row = rng.choice(rows)
    r, n, seq = row["receipt_no"], row[key], b.sale_seq[row["receipt_no"]]
    where = f"WHERE receipt_no = ? AND {key} = ?"
    if action == "delete":
        return Case(f"read model {table}", f"{table} {r}/{n} deleted", ((f"DELETE FROM {table} {where}", (r, n)),), seq)
    if action == "add":
        new_row = dict(row, **{key: max(x[key] for x in rows if x["receipt_no"] == r) + 1})
        cols = ", ".join(new_row)
        return Case(f"read model {table}", f"{table} {r}: a row added",
                    ((f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(new_row))})", tuple(new_row.values())),), seq)
    if action == "move":
        taken = {(x["receipt_no"], x[key]) for x in rows}
        if rng.random() < 0.2:
            to, to_seq = f"{r[:-4]}8888", b.max_seq
        else:
            to = rng.choice([x for x in b.sale_seq if x != r and (x, n) not in taken] or [r + "Z"])
            to_seq = b.sale_seq.get(to, b.max_seq)
        return Case(f"read model {table}", f"{table} {r}/{n} moved to {to}",
                    ((f"UPDATE {table} SET receipt_no = ? {where}", (to, r, n)),), min(seq, to_seq))
    cols = (["sku", "barcode", "name", "unit", "sold_by", "quantity", "unit_price_fen", "amount_fen", "category", "origin",
             "tax_rate_bp"] if table == "sale_lines" else ["tender", "amount_fen", "reference"])
    col = rng.choice(cols)
    new = _changed(row[col], rng)
    return Case(f"read model {table}", f"{table} {r}/{n}: {col} {row[col]!r} -> {new!r}",
                ((f"UPDATE {table} SET {col} = ? {where}", (new, r, n)),), seq)


def generate(b: Base, n: int, seed: int) -> list[Case]:
    """``n`` cases: every journal column edited, deletions, insertions, reorderings, read models."""
    rng = random.Random(seed)
    makers = [*(lambda b, r, c=c: edit_column(b, r, c) for c in JOURNAL_COLUMNS)] * 2 + [delete, delete, insert, insert,
                                                                                        reorder, reorder] + [read_model] * 6
    return [makers[i % len(makers)](b, rng) for i in range(n)]


# -- the judge (runs in worker processes) ------------------------------------------------------
_BASE: bytes = b""
_TERMINAL = ""
_BEFORE: list[tuple[Any, ...]] = []


def init_worker(base: bytes, terminal: str) -> None:
    global _BASE, _TERMINAL, _BEFORE
    _BASE, _TERMINAL = base, terminal
    conn = sqlite3.connect(":memory:")
    conn.deserialize(base)
    _BEFORE = _contents(conn)
    conn.close()


def _contents(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every value of the tampered tables with its SQLite type (5 and 5.0, 'a' and b'a' differ)."""
    out = []
    for table in ("journal", "sales", "sale_lines", "payments", "returns"):
        out.extend((table, *((type(v).__name__, v) for v in row)) for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"))
    return out


def judge(case: Case) -> tuple[str, int | None, str]:
    """Apply ``case`` to a fresh copy and verify it: ("flagged", seq, reason), ("passed", None, "")
    or ("not applied", None, why) when SQLite refused the change itself (a primary key clash)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from pos.services.ledger import verify_ledger

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.deserialize(_BASE)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        for sql, params in case.sql:
            conn.execute(sql, params)
    except sqlite3.Error as exc:
        return ("not applied", None, str(exc))
    if _contents(conn) == _BEFORE:
        return ("not applied", None, "nothing changed")
    for _, ddl in triggers:
        conn.execute(ddl)
    conn.commit()
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
    try:
        report = verify_ledger(engine, _TERMINAL)
    finally:
        engine.dispose()
        conn.close()
    if report.ok:
        return ("passed", None, "")
    return ("flagged", report.problem.seq, report.problem.reason)
