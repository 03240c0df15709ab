"""Stock by delivery batch in the till's database (issue 15): fixed SQL, written from journal entries.

Every change of stock is a journal entry (``stock_receipt``, ``stock_writeoff``, ``stock_count``) or
part of one (the ``draws`` of a sale or return payload: pos.domain.stock.StockDraw). :func:`project` turns an
entry into rows of ``delivery_batches``, ``lots``, ``stock_unlotted``, ``stock_moves`` and ``stock_summary`` (one
row per product, what ``stock list`` reads) in the entry's own transaction (``projections.apply`` calls it), so
``ledger verify`` rebuilds them from the journal and names any that differ. stock_summary's copy of the
catalogue (name, category, by_weight: migration 0016) is not written here: the migration's triggers copy it
from products when a summary row is inserted and whenever the catalogue changes.

:func:`load_state` reads what a draw needs for a few products (their lots with stock, their last lot
and their unlotted quantity) into a :class:`pos.domain.stock.StockState`: the rules stay in the
domain, and a sale reads a handful of rows through two indexes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pos.domain.ledger import EntryKind, JournalEntry
from pos.domain.stock import Lot, LotPosition, StockDraw, StockState

LOT_COLUMNS = ("lot_id, sku, batch_no, received_qty, unit_cost_fen, received_on, expiry, weighed, journal_seq, "
               "production_date, origin, certificate_no, quarantine_no, category, on_hand, out_qty, out_cost_fen")
# Both at once, for a sale's few products: their lots holding stock (a lot never goes below 0: pos.domain.stock
# refuses it, so these are the lots with on_hand != 0) and each one's last lot received, each a range of an index
# (ix_lots_sku, ix_lots_received: migration 0020), however many sold-out lots a product has had.
# A lot in both halves comes twice; load_state keeps one.
SQL_LOTS_FOR_DRAW = (
    "WITH wanted (sku) AS (SELECT value FROM json_each(?1)), "
    "last (lot_id) AS (SELECT (SELECT x.lot_id FROM lots AS x WHERE x.sku = wanted.sku "
    "ORDER BY x.received_on DESC, x.journal_seq DESC, x.lot_id DESC LIMIT 1) FROM wanted) "
    f"SELECT {LOT_COLUMNS} FROM lots WHERE sku IN (SELECT sku FROM wanted) AND in_stock = 1 "
    f"UNION ALL SELECT {LOT_COLUMNS} FROM lots WHERE lot_id IN (SELECT lot_id FROM last)")
SQL_UNLOTTED = "SELECT sku, quantity FROM stock_unlotted WHERE sku IN (SELECT value FROM json_each(?))"
SQL_ANY_STOCK = "SELECT EXISTS (SELECT 1 FROM lots) OR EXISTS (SELECT 1 FROM stock_unlotted)"

SQL_BATCH = ("INSERT INTO delivery_batches (batch_no, supplier, contact, arrival, kept_until, received_by, source, lots, "
             "total_cost_fen, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (batch_no) DO UPDATE SET "
             "lots = lots + excluded.lots, total_cost_fen = total_cost_fen + excluded.total_cost_fen")
SQL_LOT = ("INSERT INTO lots (lot_id, sku, name, category, batch_no, journal_seq, received_on, expiry, production_date, "
           "weighed, received_qty, unit_cost_fen, cost_fen, origin, certificate_no, certificate_qr, quarantine_no, on_hand, "
           "out_qty, out_cost_fen, in_stock) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?18, 0, 0, ?18 > 0)")
# quantity: the change of on hand; value: the change of stock value (cost out is negative).
SQL_LOT_MOVE = ("UPDATE lots SET on_hand = on_hand + ?, out_qty = out_qty - ?, out_cost_fen = out_cost_fen - ? "
                "WHERE lot_id = ?")
# in_stock follows on_hand > 0 by a statement of its own, which writes only a lot that starts or stops holding stock:
# SQL_LOT_MOVE does not name it, so SQLite leaves ix_lots_expiring (partial on in_stock) alone (migration 0019).
SQL_LOT_IN_STOCK = "UPDATE lots SET in_stock = on_hand > 0 WHERE lot_id = ? AND in_stock != (on_hand > 0)"
# A product's summary row after lot moves that emptied no lot and filled none, with no unlotted stock moved: only
# on hand and value change (by the moves' quantity and value; lots, lots with stock, first expiry, the last lot and
# so the unlotted stock's value stay as they were), so the row is moved instead of added up again from every lot the
# product ever had. Any other change rewrites the row whole (SQL_SUMMARY).
SQL_SUMMARY_MOVE = "UPDATE stock_summary SET on_hand = on_hand + ?, value_fen = value_fen + ? WHERE sku = ?"
SQL_UNLOTTED_MOVE = ("INSERT INTO stock_unlotted (sku, quantity, journal_seq) VALUES (?, ?, ?) ON CONFLICT (sku) "
                     "DO UPDATE SET quantity = quantity + excluded.quantity, journal_seq = excluded.journal_seq")
SQL_MOVE = ("INSERT INTO stock_moves (journal_seq, idx, kind, business_day, sku, lot_id, batch_no, quantity, cost_fen, "
            "net_fen, cost_known, doc_no, line_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

# An expiry date (YYYY-MM-DD) as the day number date.toordinal() gives it, NULL for none: SQLite's julianday of a
# date is its ordinal + 1721424.5. stock_summary keeps first_expiry so too (first_day, migration 0017).
FIRST_DAY = "CAST(julianday({}) - 1721424.5 AS INTEGER)"

# A product's stock_summary row, rewritten from its few lots (the sku index) and its unlotted row: on hand, value at
# cost (unlotted stock at the last received lot's unit cost, as pos.domain.stock prices it: that lot is looked up
# only when there is unlotted stock), lots received and holding stock, first expiry with stock, last arrival.
# Migration 0013's FILL is the same for every product.
SQL_SUMMARY = (
    "WITH l AS (SELECT COUNT(*) AS n, SUM(on_hand) AS q, SUM(cost_fen - out_cost_fen) AS v, SUM(on_hand != 0) AS k, "
    "MIN(CASE WHEN on_hand > 0 THEN expiry END) AS e, MAX(weighed) AS w, MAX(received_on) AS r FROM lots WHERE sku = ?1), "
    "u AS (SELECT COALESCE((SELECT quantity FROM stock_unlotted WHERE sku = ?1), 0) AS q) "
    "INSERT INTO stock_summary (sku, on_hand, value_fen, unlotted, lots, lots_with_stock, first_expiry, weighed, "
    "last_received, first_day) SELECT ?1, COALESCE(l.q, 0) + u.q, COALESCE(l.v, 0) + CASE WHEN u.q = 0 THEN 0 ELSE COALESCE(("
    "SELECT CASE WHEN x.weighed THEN (u.q * x.unit_cost_fen + (CASE WHEN u.q < 0 THEN -500 ELSE 500 END)) / 1000 "
    "ELSE u.q * x.unit_cost_fen END FROM lots x WHERE x.sku = ?1 "
    "ORDER BY x.received_on DESC, x.journal_seq DESC, x.lot_id DESC LIMIT 1), 0) END, u.q, l.n, "
    f"COALESCE(l.k, 0), l.e, COALESCE(l.w, 0), l.r, {FIRST_DAY.format('l.e')} FROM l, u WHERE 1 "
    "ON CONFLICT (sku) DO UPDATE SET on_hand = excluded.on_hand, value_fen = excluded.value_fen, "
    "unlotted = excluded.unlotted, lots = excluded.lots, lots_with_stock = excluded.lots_with_stock, "
    "first_expiry = excluded.first_expiry, weighed = excluded.weighed, last_received = excluded.last_received, "
    "first_day = excluded.first_day")

# Every product's row at once (migration 0013's FILL; the stock bench writes lots directly, then this).
SQL_SUMMARY_ALL = (
    "WITH l AS (SELECT sku, COUNT(*) AS n, SUM(on_hand) AS q, SUM(cost_fen - out_cost_fen) AS v, "
    "SUM(on_hand != 0) AS k, MIN(CASE WHEN on_hand > 0 THEN expiry END) AS e, MAX(weighed) AS w, "
    "MAX(received_on) AS r FROM lots GROUP BY sku), "
    "last AS (SELECT sku, c, w FROM (SELECT sku, unit_cost_fen AS c, weighed AS w, ROW_NUMBER() OVER (PARTITION BY sku "
    "ORDER BY received_on DESC, journal_seq DESC, lot_id DESC) AS rn FROM lots) WHERE rn = 1), "
    "keys AS (SELECT sku FROM l UNION SELECT sku FROM stock_unlotted) "
    "INSERT INTO stock_summary (sku, on_hand, value_fen, unlotted, lots, lots_with_stock, first_expiry, weighed, "
    "last_received, first_day) "
    "SELECT keys.sku, COALESCE(l.q, 0) + COALESCE(u.quantity, 0), COALESCE(l.v, 0) + COALESCE(CASE WHEN last.w "
    "THEN (u.quantity * last.c + (CASE WHEN u.quantity < 0 THEN -500 ELSE 500 END)) / 1000 "
    "ELSE u.quantity * last.c END, 0), COALESCE(u.quantity, 0), COALESCE(l.n, 0), COALESCE(l.k, 0), l.e, "
    f"COALESCE(l.w, 0), l.r, {FIRST_DAY.format('l.e')} FROM keys LEFT JOIN l ON l.sku = keys.sku LEFT JOIN stock_unlotted u ON u.sku = keys.sku "
    "LEFT JOIN last ON last.sku = keys.sku"
)

STATEMENTS = (SQL_LOTS_FOR_DRAW, SQL_UNLOTTED, SQL_ANY_STOCK, SQL_BATCH, SQL_LOT, SQL_LOT_MOVE, SQL_LOT_IN_STOCK,
              SQL_UNLOTTED_MOVE, SQL_MOVE, SQL_SUMMARY, SQL_SUMMARY_MOVE)

STOCK_KINDS = frozenset({EntryKind.STOCK_RECEIPT, EntryKind.STOCK_WRITEOFF, EntryKind.STOCK_COUNT})


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def lot_from_row(row: Sequence[Any]) -> tuple[Lot, LotPosition]:
    """A ``lots`` row read with :data:`LOT_COLUMNS`, as the domain's lot and its position."""
    (lot_id, sku, batch, qty, cost, received, expiry, weighed, seq, produced, origin, cert, quarantine, category,
     on_hand, out_qty, out_cost) = row
    lot = Lot(lot_id, sku, batch, qty, cost, date.fromisoformat(received), _day(expiry), bool(weighed), seq,
              _day(produced), origin, cert, quarantine, category)
    return lot, LotPosition(on_hand, out_qty, out_cost)


def load_state(raw: sqlite3.Connection, skus: Iterable[str]) -> StockState:
    """What drawing ``skus`` needs: their lots holding stock (or owing it), the last lot received of each
    (its cost prices stock sold past zero) and their unlotted quantity. A product with none of these is
    not followed (:func:`pos.domain.stock.tracked`)."""
    import json

    arg = json.dumps(sorted(set(skus)))
    lots: dict[str, Lot] = {}
    positions: dict[str, LotPosition] = {}
    for row in raw.execute(SQL_LOTS_FOR_DRAW, (arg,)):  # two statements, however many products
        if row[0] not in lots:
            lot, pos = lot_from_row(row)
            lots[lot.lot_id], positions[lot.lot_id] = lot, pos
    unlotted = dict(raw.execute(SQL_UNLOTTED, (arg,)).fetchall())
    return StockState(lots, positions, unlotted)


# One product's part of a StockState: its lots (those holding stock, its last lot received, and any a draw of this
# writer emptied since they were read) with their positions, and its unlotted quantity (None: no row). The writer
# caches it per product (SqlUnitOfWork.stock_state): drawing from the lots it holds gives the draws the rows would.
StockPart = tuple[tuple[tuple[Lot, LotPosition], ...], int | None]


def state_parts(state: StockState, skus: Iterable[str]) -> dict[str, StockPart]:
    """``state`` cut into the parts of ``skus`` (a product of none of its lots and no unlotted row: an empty part)."""
    lots: dict[str, list[tuple[Lot, LotPosition]]] = {sku: [] for sku in skus}
    positions = state.positions
    for lot in state.lots.values():
        mine = lots.get(lot.sku)
        if mine is not None:
            mine.append((lot, positions[lot.lot_id]))
    unlotted = state.unlotted
    return {sku: (tuple(mine), unlotted.get(sku)) for sku, mine in lots.items()}


def state_of_parts(parts: Mapping[str, StockPart]) -> StockState:
    """The StockState made of products' parts (:func:`state_parts` the other way)."""
    lots: dict[str, Lot] = {}
    positions: dict[str, LotPosition] = {}
    unlotted: dict[str, int] = {}
    for sku, (part_lots, part_unlotted) in parts.items():
        for lot, pos in part_lots:
            lots[lot.lot_id] = lot
            positions[lot.lot_id] = pos
        if part_unlotted is not None:
            unlotted[sku] = part_unlotted
    return StockState(lots, positions, unlotted)


def any_stock(raw: sqlite3.Connection) -> bool:
    return bool(raw.execute(SQL_ANY_STOCK).fetchone()[0])


# -- projection ---------------------------------------------------------------------------------------


class _Moves:
    """Writes an entry's moves: the stock_moves rows, and each lot's (or product's unlotted) running figures."""

    def __init__(self, raw: sqlite3.Connection, entry: JournalEntry) -> None:
        self.raw, self.entry, self.rows = raw, entry, []
        self.lot_moves: list[tuple] = []
        self.unlotted_moves: list[tuple] = []

    def add(self, kind: str, sku: str, lot: str | None, batch: str, quantity: int, value: int, net: int, known: bool,
            doc: str, line: int) -> None:
        if lot is not None:
            self.lot_moves.append((quantity, quantity, value, lot))
        else:
            self.unlotted_moves.append((sku, quantity, self.entry.seq))
        self.rows.append((self.entry.seq, len(self.rows), kind, self.entry.business_day, sku, lot, batch, quantity,
                          value, net, int(known), doc, line))

    def done(self) -> None:
        """The running figures (each statement once for all its rows, in the order added), the moves, the summary."""
        raw = self.raw
        flipped = moved = 0  # lots that started or stopped holding stock; lot rows moved
        if self.lot_moves:
            moved = raw.executemany(SQL_LOT_MOVE, self.lot_moves).rowcount
            flipped = raw.executemany(SQL_LOT_IN_STOCK, [(m[3],) for m in self.lot_moves]).rowcount
        if self.unlotted_moves:
            raw.executemany(SQL_UNLOTTED_MOVE, self.unlotted_moves)
        if not self.rows:
            return
        raw.executemany(SQL_MOVE, self.rows)
        # (a move naming no lot row moves nothing there: the row is added up again, as it always was before)
        if flipped == 0 and moved == len(self.lot_moves) == len(self.rows) and not self.unlotted_moves:
            by_sku: dict[str, list[int]] = {}
            for r in self.rows:
                d = by_sku.setdefault(r[4], [0, 0])
                d[0] += r[7]
                d[1] += r[8]
            moved = sorted(by_sku.items())
            if raw.executemany(SQL_SUMMARY_MOVE, [(q, v, sku) for sku, (q, v) in moved]).rowcount == len(moved):
                return
        summarise(raw, (r[4] for r in self.rows))


def summarise(raw: sqlite3.Connection, skus: Iterable[str]) -> None:
    """Rewrite the stock_summary rows of ``skus`` (one UPSERT each, in sku order) from their lots and unlotted stock."""
    raw.executemany(SQL_SUMMARY, [(s,) for s in sorted(set(skus))])


def _receipt(raw: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    batch = str(p["batch"])
    raw.execute(SQL_BATCH, (batch, p.get("supplier", ""), p.get("contact", ""), p["arrival"], p.get("kept_until", ""),
                            p.get("by", ""), p.get("source", ""), len(p["lots"]), int(p.get("total_cost", 0)), entry.seq))
    moves = _Moves(raw, entry)
    for i, lot in enumerate(p["lots"], start=1):
        qty, cost = int(lot["quantity"]), int(lot["cost"])
        raw.execute(SQL_LOT, (lot["lot"], lot["sku"], lot.get("name", ""), lot.get("category", ""), batch, entry.seq,
                              p["arrival"], lot.get("expiry"), lot.get("production_date"), int(bool(lot.get("weighed"))),
                              qty, int(lot["unit_cost"]), cost, lot.get("origin", ""), lot.get("certificate", ""),
                              lot.get("certificate_qr", ""), lot.get("quarantine", ""), qty))
        # the lot row starts with its quantity on hand; the move records it (Σ moves per lot = on hand)
        moves.rows.append((entry.seq, len(moves.rows), "receive", entry.business_day, lot["sku"], lot["lot"], batch, qty,
                           cost, 0, 1, batch, i))
    moves.done()


def _writeoff(raw: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    moves = _Moves(raw, entry)
    doc = f"WO{entry.seq}"
    for d in p["draws"]:
        q, c = int(d["qty"]), int(d["cost"])
        moves.add("write_off", p["sku"], d.get("lot"), d.get("batch") or "", -q, -c, 0, True, doc, 0)
    moves.done()


def _count(raw: sqlite3.Connection, entry: JournalEntry) -> None:
    p = entry.payload
    moves = _Moves(raw, entry)
    doc = f"PD{int(p['count_no'])}"
    for i, line in enumerate(p["lines"], start=1):
        for m in line.get("moves", ()):
            q, c = int(m["qty"]), int(m["cost"])
            moves.add("adjust", line["sku"], m.get("lot"), m.get("batch") or "", q, c if q > 0 else -c, 0, True, doc, i)
    moves.done()


def sale_draws(raw: sqlite3.Connection, entry: JournalEntry, receipt_no: str, draws: Sequence[StockDraw]) -> None:
    """A sale's draws: stock out of each lot at its cost, with the revenue it brought."""
    moves = _Moves(raw, entry)
    for d in draws:
        moves.add("sale", d.sku, d.lot_id, d.batch_no, -d.quantity, -d.cost_fen, d.net_fen, d.cost_known, receipt_no,
                  d.line_no)
    moves.done()


def return_draws(raw: sqlite3.Connection, entry: JournalEntry, return_no: str, draws: Sequence[StockDraw]) -> None:
    """A return's draws: stock back into the lots it came from, with the cost it takes back and the refund."""
    moves = _Moves(raw, entry)
    for d in draws:
        moves.add("return", d.sku, d.lot_id, d.batch_no, d.quantity, d.cost_fen, -d.net_fen, d.cost_known, return_no,
                  d.line_no)
    moves.done()


PROJECTORS = {EntryKind.STOCK_RECEIPT: _receipt, EntryKind.STOCK_WRITEOFF: _writeoff, EntryKind.STOCK_COUNT: _count}


def project(raw: sqlite3.Connection, entry: JournalEntry) -> None:
    """The stock rows of a stock entry (sales and returns call :func:`sale_draws` / :func:`return_draws`)."""
    projector = PROJECTORS.get(entry.kind)
    if projector is not None:
        projector(raw, entry)

