"""Report rows derived from stored journal entries: documents, 消费帮扶 facts by origin county, and the
dashboard's tables (schema_dashboard.py).

Deriving is the second step after storing (ARCHITECTURE.md, sync): a batch is acknowledged once its
raw entries are stored and chain-checked, and :func:`catch_up` derives what is stored but not yet
derived (``derive_state.derived_seq`` < ``terminals.last_seq``), a chunk of one terminal's entries per
transaction, so it may lag behind a burst of batches but never skips or counts twice: the
transaction that adds a chunk's rows also moves ``derived_seq`` on, and only if nobody else moved it
first (compare-and-set). A :class:`Deriver` thread in the server catches up after every batch, and
every reader calls :func:`catch_up` before it reads, so a page never shows figures older than the
entries acknowledged before it was asked for. The dashboard tables are sums per counter × day × …; a batch adds to them with one upsert per
table (``INSERT … ON CONFLICT DO UPDATE``, on SQLite and PostgreSQL alike). ``rebuild`` empties
every derived table and derives it again from ``entries`` (for a database that had entries
before the dashboard tables existed, or to check them): running it twice gives the same rows. Promotion
cost and member sales (promo_facts.py) are derived in the same pass, into the same chunk's transaction.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, case, delete, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from pos.domain.ledger import StoredEntry

from . import batches as batches_mod
from . import facts as facts_mod
from . import promo_facts as promo_mod
from .schema import derive_state, documents, entries, origin_facts, problems, terminals
from .schema_batches import BATCH_TABLES, SUM_FIELDS, batch_lot_sums, batch_lots
from .schema_dashboard import (
    RECON_APPROVED,
    RECON_DECLARED,
    RECON_Z,
    ROLLUPS,
    dash_days,
    dash_origin,
    dash_sales,
    dash_tenders,
)

try:  # each stored payload decoded in C (the same objects json.loads gives: stored payloads hold no floats)
    from msgspec.json import decode as _loads
except ImportError:  # pragma: no cover - msgspec is a dependency; json does the same, slower
    _loads = json.loads

log = logging.getLogger("lianxin.headoffice")
CHUNK = 2000  # entries derived per transaction
ENTRY_COLUMNS = (entries.c.terminal_id, entries.c.seq, entries.c.kind, entries.c.business_day, entries.c.created_at,
                 entries.c.payload, entries.c.prev_hash, entries.c.hash)  # named: later migrations may add columns
SaleLookup = Callable[[str, int], Mapping[str, Any] | None]
DAY_FIELDS = ("sales_fen", "returns_fen", "receipts", "return_docs", "training_docs", "voids", "cash_in_fen",
              "cash_out_fen", "shifts_closed", "counted_fen", "expected_cash_fen", "over_short_fen")


def _cut(value: Any, n: int) -> str:
    return str(value)[:n]


def derive_batch(conn: Connection, terminal: str, store_code: str, new: list[StoredEntry]) -> None:
    """Insert the report rows of newly stored entries (in the batch's transaction)."""
    sales_here: dict[str, dict[str, Any]] = {}

    def sale_line(receipt_no: str, line_no: int) -> Mapping[str, Any] | None:
        payload = sales_here.get(receipt_no)
        if payload is None:
            text = conn.execute(select(entries.c.payload).join(documents, and_(
                documents.c.terminal_id == entries.c.terminal_id, documents.c.seq == entries.c.seq)).where(
                documents.c.terminal_id == terminal, documents.c.doc_no == receipt_no)).scalar()
            payload = _loads(text) if text else {}
            if text:
                sales_here[receipt_no] = payload  # its other returned lines (and the promotions' facts) ask again
        return next((ln for ln in payload.get("lines", ()) if ln.get("line_no") == line_no), None)

    docs: list[tuple[Any, ...]] = []  # rows as plain tuples in the columns' order of _DOC_SQL / _FACT_SQL
    rows: list[tuple[Any, ...]] = []
    dash = _Dashboard(terminal, store_code)
    lots = batches_mod.Collector(terminal, store_code)
    promos = promo_mod.Collector(terminal, store_code)
    line_facts, sale_kinds = facts_mod.line_facts, ("sale", "return")
    for e in new:
        try:
            payload = _loads(e.payload_text)
            lines = None
            if e.kind in sale_kinds:
                lines = line_facts(e.kind, payload, sale_line)  # once: the dashboard's and (sales) origin facts
                doc, found = facts_mod.derive(e.kind, payload, sale_line, lines if e.kind == "sale" else None)
                if doc is not None:
                    if doc.kind == "sale":
                        sales_here[doc.doc_no] = payload
                    docs.append((terminal, e.seq, store_code, doc.kind, doc.doc_no, e.business_day, doc.amount_fen,
                                 doc.training))
                    rows.extend((terminal, e.seq, store_code, e.business_day, doc.kind, f.origin, f.category,
                                 f.amount_fen) for f in found)
            dash.add(e, payload, sale_line, lines)
            lots.add(e.kind, e.seq, e.business_day, payload)  # never raises: unreadable draws are counted
            promos.add(e.kind, e.business_day, e.created_at, payload, sale_line)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            from .service import HeadOfficeError  # service imports this module

            raise HeadOfficeError(
                "bad_payload", 400, f"entry {e.seq} ({e.kind[:32]}) does not hold what a {e.kind[:32]} entry needs: {exc!r}"[:300],
                f"第 {e.seq} 条记录（{e.kind[:32]}）的内容不完整或格式不对", bad_seq=e.seq) from None
    if docs:
        _insert_rows(conn, _DOC_SQL, docs)
    if rows:
        _insert_rows(conn, _FACT_SQL, rows)
    dash.write(conn)
    write_batches(conn, lots)
    promos.write(conn)


_DOC_SQL = ("INSERT INTO documents (terminal_id, seq, store_code, kind, doc_no, business_day, amount_fen, training) ",
            ("text", "bigint", "text", "text", "text", "text", "bigint", "boolean"))
_FACT_SQL = ("INSERT INTO origin_facts (terminal_id, seq, store_code, business_day, kind, origin, category, amount_fen) ",
             ("text", "bigint", "text", "text", "text", "text", "text", "bigint"))
_ROWS_AT_ONCE = 500  # rows in one multi-row INSERT on SQLite: 8 values a row, within its limit of bound values


@functools.lru_cache(maxsize=32)
def _values(marker: str, width: int, n: int) -> str:
    row = "(" + ", ".join([marker] * width) + ")"
    return ", ".join([row] * n)


def _insert_rows(conn: Connection, sql: tuple[str, tuple[str, ...]], rows: list[tuple[Any, ...]]) -> None:
    """Rows (plain tuples) into a derived table through the driver with fixed SQL text: no statement built and
    no parameters constructed per row (SQLAlchemy's executemany of dicts was a sixth of deriving's time).
    SQLite: a few statements of many rows each (each step lets go of the interpreter lock: fewer steps, fewer
    waits to take it back). PostgreSQL: one statement with a column array each (``unnest``), short enough for
    psycopg to keep parsed (a statement of thousands of placeholders is parsed again every time)."""
    head, types = sql
    if conn.dialect.name == "sqlite":
        from itertools import chain

        for i in range(0, len(rows), _ROWS_AT_ONCE):
            part = rows[i:i + _ROWS_AT_ONCE]
            conn.exec_driver_sql(head + "VALUES " + _values("?", len(types), len(part)),
                                 tuple(chain.from_iterable(part)))
        return
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    if conn.dialect.name == "postgresql":
        if conn.dialect.driver == "psycopg":
            marker = "%b"  # arrays sent in binary: no quoting worked out per value (service._INSERT_UNNEST does the same)
        arrays = ", ".join(f"{marker}::{t}[]" for t in types)
        conn.exec_driver_sql(f"{head}SELECT * FROM unnest({arrays})", tuple(list(col) for col in zip(*rows, strict=True)))
        return
    conn.exec_driver_sql(head + "VALUES " + _values(marker, len(types), 1), rows)  # pragma: no cover - another database


def write_batches(conn: Connection, lots: batches_mod.Collector) -> None:
    """Add a chunk's lots and per-lot sums (schema_batches.py) to the tables, one upsert each."""
    if lots.lots:
        rows = list(lots.lots.values())
        _upsert(conn, batch_lots, rows, replace=tuple(k for k in rows[0] if k not in ("terminal_id", "lot")))
    if lots.sums:
        _upsert(conn, batch_lot_sums, list(lots.sums.values()), add=SUM_FIELDS, replace=("store_code",),
                earliest=("first_sale_day",), latest=("last_sale_day",), filled=("batch",))


@functools.lru_cache(maxsize=4096)
def _week(day: str) -> str:
    y, w, _ = date.fromisoformat(day).isocalendar()
    return f"{y}-W{w:02d}"


class _Dashboard:
    """The dashboard sums of some entries of one terminal, to be added to the tables in one go."""

    def __init__(self, terminal: str, store_code: str) -> None:
        self.terminal, self.store = terminal, store_code
        self.sales: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
        self.origins: dict[tuple[str, str], dict[str, Any]] = {}
        self.tenders: dict[tuple[str, str], dict[str, Any]] = {}
        self.days: dict[str, dict[str, Any]] = {}

    def _day(self, day: str) -> dict[str, Any]:
        row = self.days.get(day)
        if row is None:
            row = self.days[day] = {"terminal_id": self.terminal, "business_day": day, "store_code": self.store,
                                    **dict.fromkeys(DAY_FIELDS, 0), "z_seq": None, "z_net_fen": None,
                                    "recon_state": 0, "declared_fen": None, "recon_variance_fen": None}
        return row

    def _tender(self, day: str, kind: str) -> dict[str, Any]:
        key = (day, _cut(kind, 32))
        row = self.tenders.get(key)
        if row is None:
            row = self.tenders[key] = {"terminal_id": self.terminal, "business_day": day, "tender": key[1],
                                       "store_code": self.store, "paid_fen": 0, "refunded_fen": 0, "payments": 0,
                                       "month": day[:7]}
        return row

    def add(self, e: StoredEntry, p: Mapping[str, Any], lookup: SaleLookup,
            lines: list[facts_mod.LineFact] | None = None) -> None:
        """``lines``: the entry's facts_mod.line_facts, when the caller has them already."""
        day = e.business_day
        kind = e.kind
        if kind in ("sale", "return"):
            row = self._day(day)
            if p.get("training"):
                row["training_docs"] += 1
                return
            if kind == "sale":
                row["sales_fen"] += int(p["total"])
                row["receipts"] += 1
                tenders = list(p.get("tenders") or ())
                nets = [int(t["amount"]) for t in tenders]
                left = int(p.get("change", 0) or 0)
                for i in reversed(range(len(tenders))):  # change comes out of the cash tenders, last first
                    if left and tenders[i].get("kind") == "cash":
                        take = min(left, nets[i])
                        nets[i] -= take
                        left -= take
                for t, net in zip(tenders, nets, strict=True):
                    tr = self._tender(day, str(t["kind"]))
                    tr["paid_fen"] += net
                    tr["payments"] += 1
            else:
                row["returns_fen"] += int(p.get("refund", sum(int(ln["refund"]) for ln in p["lines"])))
                row["return_docs"] += 1
                for t in p.get("refunds") or ():
                    self._tender(day, str(t["kind"]))["refunded_fen"] += int(t["amount"])
            for f in facts_mod.line_facts(kind, p, lookup) if lines is None else lines:
                self._line(day, f)
        elif kind == "void":
            self._day(day)["voids"] += 1
        elif kind in ("cash_in", "cash_out"):
            self._day(day)[f"{kind}_fen"] += int(p.get("amount", 0))
        elif kind == "shift_close":
            row = self._day(day)
            row["shifts_closed"] += 1
            row["counted_fen"] += int(p.get("counted_total", 0))
            row["expected_cash_fen"] += int(p.get("expected_cash", 0))
            row["over_short_fen"] += int(p.get("variance", 0))
        elif kind == "z_closure":
            row = self._day(_cut(p.get("day") or day, 10))
            row["z_seq"] = e.seq
            row["z_net_fen"] = int((p.get("totals") or {}).get("net", 0))
            row["recon_state"] = max(row["recon_state"], RECON_Z)
        elif kind == "reconcile":
            row = self._day(_cut(p.get("day") or day, 10))
            row["declared_fen"] = sum(int(v) for v in (p.get("declared") or {}).values() if v is not None)
            row["recon_state"] = max(row["recon_state"], RECON_DECLARED)
        elif kind == "day_approved":
            row = self._day(_cut(p.get("day") or day, 10))
            row["recon_state"] = RECON_APPROVED
            row["recon_variance_fen"] = sum(int(ln["variance"]) for ln in p.get("lines") or ()
                                            if ln.get("variance") is not None)

    def _line(self, day: str, f: facts_mod.LineFact) -> None:
        origin, category = _cut(f.origin, 200), _cut(f.category, 200)
        key = (day, origin, category, _cut(f.sku, 64), _cut(f.batch, 64))
        row = self.sales.get(key)
        if row is None:
            row = self.sales[key] = {"terminal_id": self.terminal, "business_day": day, "origin": origin,
                                     "category": category, "sku": key[3], "batch": key[4], "store_code": self.store,
                                     "week": _week(day), "month": day[:7], "name": _cut(f.name, 200),
                                     "weighed": f.weighed, "quantity": 0, "sales_fen": 0, "returns_fen": 0}
        row["quantity"] += f.quantity
        o = self.origins.get((day, origin))
        if o is None:
            o = self.origins[(day, origin)] = {"terminal_id": self.terminal, "business_day": day, "origin": origin,
                                               "store_code": self.store, "week": row["week"], "month": row["month"],
                                               "sales_fen": 0, "returns_fen": 0}
        column = "sales_fen" if f.amount_fen >= 0 else "returns_fen"
        row[column] += abs(f.amount_fen)
        o[column] += abs(f.amount_fen)

    def write(self, conn: Connection) -> None:
        if self.sales:
            _upsert(conn, dash_sales, list(self.sales.values()), add=("quantity", "sales_fen", "returns_fen"),
                    replace=("name", "weighed"))
        if self.origins:
            _upsert(conn, dash_origin, list(self.origins.values()), add=("sales_fen", "returns_fen"))
        if self.tenders:
            _upsert(conn, dash_tenders, [{k: v for k, v in r.items() if k != "month"} for r in self.tenders.values()],
                    add=("paid_fen", "refunded_fen", "payments"))
        for table, source, keys, carry, add in ROLLUPS:
            summed: dict[tuple[Any, ...], dict[str, Any]] = {}
            for base in getattr(self, source).values():
                key = tuple(base[k] for k in keys)
                row = summed.get(key)
                if row is None:
                    row = summed[key] = {**{k: base[k] for k in (*keys, *carry)}, **dict.fromkeys(add, 0)}
                for k in add:
                    row[k] += base[k]
            if summed:
                _upsert(conn, table, list(summed.values()), add=add, replace=tuple(c for c in carry if c in ("name", "weighed")))
        if self.days:
            _upsert(conn, dash_days, list(self.days.values()), add=DAY_FIELDS, greatest=("recon_state",),
                    newer=("z_seq", "z_net_fen", "declared_fen", "recon_variance_fen"))


def _upsert(conn: Connection, table, rows: list[dict[str, Any]], *, add: Iterable[str] = (),  # noqa: ANN001
            replace: Iterable[str] = (), greatest: Iterable[str] = (), newer: Iterable[str] = (),
            earliest: Iterable[str] = (), latest: Iterable[str] = (), filled: Iterable[str] = ()) -> None:
    """Insert ``rows``; where a row's key is there already, add to it (and keep the larger / newer values).

    ``earliest`` / ``latest``: the smaller / larger of two values that may be NULL (NULL loses);
    ``filled``: the value kept unless it is empty ("").
    """
    keys = [col.name for col in table.primary_key.columns]
    # Rows in key order: concurrent batches of different tills that touch the same roll-up rows (the
    # same day and county) then lock them in the same order, so they wait for each other, never deadlock.
    rows = sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys))
    columns = tuple(rows[0])
    how = (tuple(add), tuple(replace), tuple(greatest), tuple(newer), tuple(earliest), tuple(latest), tuple(filled))
    if any(tuple(r) != columns for r in rows):  # rows of different shapes (none today): statement per shape
        conn.execute(_upsert_statement(conn.dialect.name, table, keys, *how), rows)
        return
    sql, order, consts = _compiled_upsert(conn.dialect, table, columns, how)
    if order is None:  # named parameters (psycopg): the rows as they are, with the statement's constants
        conn.exec_driver_sql(sql, [{**consts, **r} for r in rows] if consts else rows)
    else:
        conn.exec_driver_sql(sql, [tuple(r[n] if n in r else consts[n] for n in order) for r in rows])


def _upsert_statement(dialect: str, table, keys: list[str], add: Iterable[str] = (),  # noqa: ANN001
                      replace: Iterable[str] = (), greatest: Iterable[str] = (), newer: Iterable[str] = (),
                      earliest: Iterable[str] = (), latest: Iterable[str] = (), filled: Iterable[str] = ()):  # noqa: ANN202
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(table)
    new = stmt.excluded
    c = table.c
    values: dict[str, Any] = {k: c[k] + new[k] for k in add}
    values.update({k: new[k] for k in replace})
    values.update({k: case((new[k] > c[k], new[k]), else_=c[k]) for k in greatest})
    values.update({k: func.coalesce(new[k], c[k]) for k in newer})
    values.update({k: case((new[k].is_(None), c[k]), (c[k].is_(None), new[k]), (new[k] < c[k], new[k]), else_=c[k])
                   for k in earliest})
    values.update({k: case((new[k].is_(None), c[k]), (c[k].is_(None), new[k]), (new[k] > c[k], new[k]), else_=c[k])
                   for k in latest})
    values.update({k: case((c[k] == "", new[k]), else_=c[k]) for k in filled})
    return stmt.on_conflict_do_update(index_elements=keys, set_=values)


_COMPILED: dict[tuple[Any, ...], tuple[str, tuple[str, ...] | None, dict[str, Any]]] = {}


def _compiled_upsert(dialect, table, columns: tuple[str, ...], how: tuple[tuple[str, ...], ...],  # noqa: ANN001
                     ) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
    """The upsert's SQL text, compiled once per table, columns and dialect: (text, the parameters' order for a
    positional driver (None: named), the statement's own constants). The rows then go to the driver as plain
    tuples (or dicts): no statement compiled or parameters built per row (that was a third of deriving's time)."""
    key = (dialect.name, dialect.paramstyle, table.name, columns, how)
    found = _COMPILED.get(key)
    if found is None:
        keys = [col.name for col in table.primary_key.columns]
        compiled = _upsert_statement(dialect.name, table, keys, *how).compile(dialect=dialect, column_keys=list(columns))
        consts = {name: bp.effective_value for name, bp in compiled.binds.items() if name not in columns}
        order = tuple(compiled.positiontup) if compiled.positional else None
        found = _COMPILED[key] = (str(compiled), order, consts)
    return found


def rebuild(conn: Connection, *, documents_too: bool = True, chunk: int = 2000) -> dict[str, int]:
    """Empty the derived tables and derive them again from every stored entry (in ``conn``'s transaction).

    ``documents_too=False`` rebuilds only the dashboard tables (documents and origin facts kept).
    """
    from .schema_dashboard import DERIVED

    for t in DERIVED:
        conn.execute(delete(t))
    with_batches = inspect(conn).has_table(batch_lots.name)  # (not yet when migration ho0003 runs this)
    if with_batches:
        for t in BATCH_TABLES:
            conn.execute(delete(t))
    with_promos = promo_mod.exists(conn)  # (not yet when migrations before ho0012 run this)
    if with_promos:
        promo_mod.empty(conn)
    if documents_too:
        conn.execute(delete(origin_facts))
        conn.execute(delete(documents))
    stores = dict(conn.execute(select(terminals.c.terminal_id, terminals.c.store_code)).all())
    # (Migration ho0003 runs this before derive_state exists: then every entry held was derived.)
    known = inspect(conn).has_table(derive_state.name)
    derived = dict(conn.execute(select(derive_state.c.terminal_id, derive_state.c.derived_seq)).all()) if known else {}
    counted = {"entries": 0, "terminals": 0}
    for terminal in sorted(set(conn.execute(select(entries.c.terminal_id).distinct()).scalars())):
        counted["terminals"] += 1
        store = stores.get(terminal, "")
        # Documents too: everything stored is derived now. Dashboard only: up to where documents were
        # derived — the rest is the catch-up's, which adds the dashboard rows with the documents.
        upto = None if documents_too or not known else int(derived.get(terminal, 0))
        after = -1
        while True:
            q = select(*ENTRY_COLUMNS).where(entries.c.terminal_id == terminal, entries.c.seq > after)
            if upto is not None:
                q = q.where(entries.c.seq <= upto)
            rows = conn.execute(q.order_by(entries.c.seq).limit(chunk)).all()
            if not rows:
                break
            batch = [StoredEntry(r.terminal_id, int(r.seq), r.kind, r.business_day, r.created_at, r.payload,
                                 r.prev_hash, r.hash) for r in rows]
            if documents_too:
                derive_batch(conn, terminal, store, batch)
            else:
                _dashboard_only(conn, terminal, store, batch, with_batches=with_batches, with_promos=with_promos)
            counted["entries"] += len(batch)
            after = batch[-1].seq
        if documents_too and known and after > 0:
            _set_derived(conn, terminal, after)
    return counted


def _set_derived(conn: Connection, terminal: str, seq: int) -> None:
    if conn.execute(update(derive_state).where(derive_state.c.terminal_id == terminal)
                    .values(derived_seq=seq, derived_at=_now())).rowcount == 0:
        conn.execute(insert(derive_state).values(terminal_id=terminal, derived_seq=seq, derived_at=_now()))


def _dashboard_only(conn: Connection, terminal: str, store: str, batch: list[StoredEntry], *,
                    with_batches: bool = True, with_promos: bool = True) -> None:
    def sale_line(receipt_no: str, line_no: int) -> Mapping[str, Any] | None:
        text = conn.execute(select(entries.c.payload).join(documents, and_(
            documents.c.terminal_id == entries.c.terminal_id, documents.c.seq == entries.c.seq)).where(
            documents.c.terminal_id == terminal, documents.c.doc_no == receipt_no)).scalar()
        payload = json.loads(text) if text else {}
        return next((ln for ln in payload.get("lines", ()) if ln.get("line_no") == line_no), None)

    dash = _Dashboard(terminal, store)
    lots = batches_mod.Collector(terminal, store)
    promos = promo_mod.Collector(terminal, store)
    for e in batch:
        try:
            payload = json.loads(e.payload_text)
            dash.add(e, payload, sale_line)
            lots.add(e.kind, e.seq, e.business_day, payload)
            promos.add(e.kind, e.business_day, e.created_at, payload, sale_line)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            continue  # stored before payloads were checked: left out of the dashboard, as of the reports
    dash.write(conn)
    if with_batches:
        write_batches(conn, lots)
    if with_promos:
        promos.write(conn)


BATCH_KINDS = ("stock_receipt", "stock_writeoff", "stock_count", "sale", "return")


def rebuild_batches(conn: Connection, *, chunk: int = 2000) -> int:
    """Empty the batch tables and derive them again from the stored entries already derived (the deriver
    adds the rest with the other report rows); entries read. For migration ho0010."""
    for t in BATCH_TABLES:
        conn.execute(delete(t))
    stores = dict(conn.execute(select(terminals.c.terminal_id, terminals.c.store_code)).all())
    derived = dict(conn.execute(select(derive_state.c.terminal_id, derive_state.c.derived_seq)).all())
    n = 0
    for terminal in sorted(derived):
        lots = batches_mod.Collector(terminal, stores.get(terminal, ""))
        after = -1
        while True:
            rows = conn.execute(select(entries.c.seq, entries.c.kind, entries.c.business_day, entries.c.payload)
                                .where(entries.c.terminal_id == terminal, entries.c.seq > after,
                                       entries.c.seq <= int(derived[terminal]), entries.c.kind.in_(BATCH_KINDS))
                                .order_by(entries.c.seq).limit(chunk)).all()
            if not rows:
                break
            for r in rows:
                try:
                    payload = json.loads(r.payload)
                except ValueError:
                    continue
                if r.kind in ("sale", "return") and "draws" not in payload:
                    continue
                lots.add(r.kind, int(r.seq), r.business_day, payload)
            n += len(rows)
            after = int(rows[-1].seq)
        write_batches(conn, lots)
    return n


def derived_counts(conn: Connection) -> dict[str, int]:
    from .schema_dashboard import DERIVED

    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (*DERIVED, *BATCH_TABLES, *(promo_mod.TABLES if promo_mod.exists(conn) else ()))}


# -- the second step: catching up with what is stored -------------------------------------------------
@dataclass(frozen=True, slots=True)
class CaughtUp:
    derived: int  # entries derived by this call
    left: int  # entries stored but not yet derived when it stopped (0: up to date)
    skipped: int = 0  # entries that could not be derived (recorded as problems)


def lagging(conn: Connection) -> list[tuple[str, str, int, int]]:
    """(terminal, store, derived_seq, last_seq) of every terminal with stored entries not yet derived."""
    derived = func.coalesce(derive_state.c.derived_seq, 0)
    rows = conn.execute(
        select(terminals.c.terminal_id, terminals.c.store_code, derived, terminals.c.last_seq)
        .select_from(terminals.outerjoin(derive_state, derive_state.c.terminal_id == terminals.c.terminal_id))
        .where(terminals.c.last_seq > derived).order_by(terminals.c.terminal_id)).all()
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _derive_chunk(engine: Engine, terminal: str, store: str, after: int, chunk: int) -> tuple[int, int]:
    """Derive up to ``chunk`` entries after ``after``; (entries derived, entries skipped). (0, 0) if
    another process moved ``derived_seq`` first — nothing is added twice. On SQLite it takes its turn at the write
    lock with the batches (service._one_writer), so neither waits in SQLite's busy handler for the other."""
    from .service import _one_writer  # service imports this module

    with _one_writer(engine), engine.begin() as conn:
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        # fixed SQL through the driver: plain tuples, no Row objects (the columns named: ENTRY_COLUMNS' order)
        rows = conn.exec_driver_sql(_CHUNK_SQL.replace("?", marker), (terminal, after, chunk)).fetchall()
        if not rows:
            return 0, 0
        batch = [StoredEntry(t, int(q), k, d, c, p, ph, h) for t, q, k, d, c, p, ph, h in rows]
        last = batch[-1].seq
        moved = conn.execute(update(derive_state).where(derive_state.c.terminal_id == terminal,
                                                        derive_state.c.derived_seq == after)
                             .values(derived_seq=last, derived_at=_now()))
        if moved.rowcount == 0:
            if after == 0 and conn.execute(select(derive_state.c.terminal_id).where(
                    derive_state.c.terminal_id == terminal)).first() is None:
                conn.execute(insert(derive_state).values(terminal_id=terminal, derived_seq=last, derived_at=_now()))
            else:
                return 0, 0  # someone else derived this chunk: leave it to them
        skipped = 0
        try:
            with conn.begin_nested():
                derive_batch(conn, terminal, store, batch)
        except Exception as exc:  # noqa: BLE001 - one bad entry must not hold up the rest: derive one by one
            from .service import HeadOfficeError

            if not isinstance(exc, HeadOfficeError):
                raise
            for e in batch:
                try:
                    with conn.begin_nested():
                        derive_batch(conn, terminal, store, [e])
                except HeadOfficeError as bad:
                    skipped += 1
                    conn.execute(insert(problems).values(
                        terminal_id=terminal, at=_now(), kind="not_derived", expected_seq=None, got_seq=e.seq,
                        reason=f"entry {e.seq} is stored but left out of the reports: {bad.message}"[:2000]))
        return len(batch) - skipped, skipped


_CHUNK_SQL = ("SELECT terminal_id, seq, kind, business_day, created_at, payload, prev_hash, hash FROM entries "
              "WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?")


def catch_up(engine: Engine, *, budget: int | None = None, chunk: int = CHUNK) -> CaughtUp:
    """Derive what is stored and not yet derived, oldest terminal chunk first; stop after ``budget`` entries."""
    if backlog(engine).left == 0:  # the common case, read without taking SQLite's write lock
        return CaughtUp(0, 0, 0)
    done = skipped = 0
    while True:
        with engine.connect() as conn:
            todo = lagging(conn)
        if not todo:
            return CaughtUp(done, 0, skipped)
        progressed = False
        for terminal, store, after, _last in todo:
            if budget is not None and done >= budget:
                return CaughtUp(done, sum(last_ - after_ for _, _, after_, last_ in todo), skipped)
            try:
                n, bad = _derive_chunk(engine, terminal, store, after, chunk)
            except (IntegrityError, OperationalError) as exc:  # a concurrent deriver got there first, or busy
                log.info("deriving %s after %s waits: %s", terminal, after, str(exc)[:200])
                continue
            done += n
            skipped += bad
            progressed = progressed or n + bad > 0
        if not progressed:  # others hold every lagging terminal: they will finish it
            with engine.connect() as conn:
                left = sum(last - after for _, _, after, last in lagging(conn))
            return CaughtUp(done, left, skipped)


QUIET_S = 1.0  # the deriver waits until no batch came in for this long …
YIELD_AT_MOST_S = 5.0  # … but never longer than this at a time: then a small chunk, then it waits again
BURST_CHUNK = 500  # entries derived at a time while batches keep coming
POLL_S = 1.0  # the deriving process looks for batches stored by other processes this often
TAKE_OVER_S = 5.0  # a process that does not derive tries to take the role over this often (the one that did stopped)
_last_store = 0.0  # time.monotonic() of the last batch arriving or stored in this process
_LAG_SQL = ("SELECT max(t.last_batch_at), sum(CASE WHEN t.last_seq > coalesce(d.derived_seq, 0) "
            "THEN t.last_seq - coalesce(d.derived_seq, 0) ELSE 0 END) FROM terminals t "
            "LEFT JOIN derive_state d ON d.terminal_id = t.terminal_id")


@dataclass(frozen=True, slots=True)
class Backlog:
    left: int  # entries stored and not yet derived, over every terminal
    last_batch_at: float | None  # the newest batch stored by any process (seconds since the epoch), or None


def backlog(engine: Engine) -> Backlog:
    """What is left to derive, and when any process last stored a batch (``terminals.last_batch_at``, which every
    batch's own transaction writes: a signal between server processes that costs the batches nothing). One read;
    on SQLite outside any transaction (WAL: it never waits for the writer, nor holds it up)."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            row = raw.driver_connection.execute(_LAG_SQL).fetchone()
        finally:
            raw.close()
    else:
        with engine.connect() as conn:
            row = conn.exec_driver_sql(_LAG_SQL).first()
    last = None
    if row is not None and row[0]:
        try:
            last = datetime.fromisoformat(str(row[0]).replace("Z", "+00:00")).timestamp()
        except ValueError:
            last = None
    return Backlog(int(row[1] or 0) if row is not None else 0, last)


class DeriveRole:
    """The right to run the deriver thread, held by one server process at a time (``serve --workers N``, or
    several servers on one database): two derivers would take turns at the same rows and both hold up the
    batches. Taken without waiting and held until :meth:`release` or the process ends: on SQLite an OS file lock
    on ``<database>.derive.lock`` (dropped by the OS when the process dies), on PostgreSQL a session advisory
    lock on a connection of its own (dropped when that connection closes). An in-memory SQLite database has one
    process anyway."""

    PG_KEY = 0x4C58_4465_7269_7665  # "LXDerive": pg_try_advisory_lock's key

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._file = None
        self._pg = None  # the connection holding the advisory lock
        self.held = False
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        if database and database != ":memory:" and not database.startswith("file::memory:"):
            from pathlib import Path

            from pos.sync.lock import FileCycleLock

            self._file = FileCycleLock(Path(f"{database}.derive.lock"))

    def acquire(self) -> bool:
        """True if this process holds the role (already, or now)."""
        if self.engine.dialect.name == "postgresql":
            return self._acquire_pg()
        if self._file is None:
            self.held = True
        elif not self.held:
            self.held = self._file.acquire()
        return self.held

    def _acquire_pg(self) -> bool:
        from sqlalchemy import text

        if self._pg is not None:
            try:
                self._pg.exec_driver_sql("SELECT 1")  # still ours while its connection lives
                return True
            except Exception:  # noqa: BLE001 - the connection (and with it the lock) is gone: try again afresh
                self._close_pg()
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception:  # noqa: BLE001 - the database is away: no role this time
            return False
        try:
            won = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.PG_KEY}).scalar())
        except Exception:  # noqa: BLE001
            conn.close()
            return False
        if won:
            self._pg, self.held = conn, True
        else:
            conn.close()
        return won

    def _close_pg(self) -> None:
        conn, self._pg, self.held = self._pg, None, False
        if conn is not None:
            try:
                conn.invalidate()  # closed, not returned to the pool: the session (and its lock) ends
            except Exception:  # noqa: BLE001
                pass

    def release(self) -> None:
        if self._pg is not None:
            self._close_pg()
        if self._file is not None and self.held:
            self._file.release()
        self.held = False


class Deriver:
    """A thread that catches up after every acknowledged batch (``wake()``), and polls for batches stored by
    other processes.

    One process derives at a time (:class:`DeriveRole`); in the others this thread only tries now and then to
    take the role over (the process holding it may have stopped). Readers derive what they need in any process
    (:func:`fresh`); compare-and-set keeps every entry counted once.

    It gives way to batches arriving, in any process: while tills are sending, deriving one chunk holds the
    database's write lock (SQLite) and the interpreter lock for as long as it takes, and every batch waiting
    behind it waits that long for its acknowledgement. So it derives once no batch came in for QUIET_S (this
    process's own arrivals, and ``terminals.last_batch_at`` for every process's: :func:`backlog`), and during a
    long burst one chunk every YIELD_AT_MOST_S: the report rows lag behind a burst and catch up after it,
    never lost.
    """

    def __init__(self, engine: Engine, *, idle_s: float = POLL_S, quiet_s: float = QUIET_S,
                 yield_at_most_s: float = YIELD_AT_MOST_S, take_over_s: float = TAKE_OVER_S) -> None:
        self.engine = engine
        self.idle_s = idle_s
        self.quiet_s = quiet_s
        self.yield_at_most_s = yield_at_most_s
        self.take_over_s = take_over_s
        self.role = DeriveRole(engine)
        self.derived = 0  # entries this thread derived (for logs and tests)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="headoffice-derive", daemon=True)

    def start(self) -> Deriver:
        _deriver_for[id(self.engine)] = self
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        _deriver_for.pop(id(self.engine), None)
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self.role.release()

    def _run(self) -> None:
        import os

        wait, announced = 0.0, False
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                if not self.role.acquire():
                    wait = self.take_over_s  # another process derives
                    continue
                if not announced:
                    log.info("process %s derives the report rows", os.getpid())
                    announced = True
                wait = self.idle_s
                if backlog(self.engine).left == 0:
                    continue
                while not self._stop.is_set():
                    quiet = self._give_way()
                    if self._stop.is_set():
                        return
                    result = catch_up(self.engine, budget=CHUNK if quiet else BURST_CHUNK,
                                      chunk=CHUNK if quiet else BURST_CHUNK)
                    self.derived += result.derived
                    if result.derived:
                        log.info("process %s derived %s entries, %s left", os.getpid(), result.derived, result.left)
                    if result.left == 0 or result.derived + result.skipped == 0:
                        break  # up to date, or others (readers) hold what is left
            except Exception:  # logged and tried again: stored entries are never lost, only late
                log.exception("deriving report rows failed; trying again")
                self.role.release()  # a lost connection may have taken the role with it: taken again next time
                wait, announced = 1.0, False

    def _quiet_for(self) -> float:
        """Seconds since a batch last arrived in this process or was stored by any process."""
        quiet = time.monotonic() - _last_store
        try:
            last = backlog(self.engine).last_batch_at
        except Exception:  # noqa: BLE001 - the database busy or away: this process's own signal only
            last = None
        if last is not None and last <= time.time() + 1.0:  # a time ahead of this clock (clocks apart) says nothing
            quiet = min(quiet, max(0.0, time.time() - last))
        return quiet

    def _give_way(self) -> bool:
        """Wait while batches are arriving (at most yield_at_most_s); True if they stopped."""
        began = time.monotonic()
        while not self._stop.is_set():
            quiet_for = self._quiet_for()
            if quiet_for >= self.quiet_s:
                return True
            now = time.monotonic()
            if now - began >= self.yield_at_most_s:
                return False
            self._stop.wait(max(0.02, min(self.quiet_s - quiet_for, began + self.yield_at_most_s - now)))
        return True


_deriver_for: dict[int, Deriver] = {}


READ_BUDGET = 200_000  # entries a reader derives before it reads; more waits for the deriver thread


def fresh(engine: Engine) -> CaughtUp:
    """Before reading derived rows: derive what was acknowledged and not yet derived (cheap when nothing is)."""
    return catch_up(engine, budget=READ_BUDGET)


def arriving() -> None:
    """A batch is being received: the deriver gives way (see :class:`Deriver`)."""
    global _last_store
    _last_store = time.monotonic()


def stored(engine: Engine) -> None:
    """A batch was acknowledged: wake this process's deriver, if it runs one (it starts once batches pause)."""
    global _last_store
    _last_store = time.monotonic()
    deriver = _deriver_for.get(id(engine))
    if deriver is not None:
        deriver.wake()
