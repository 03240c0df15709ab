"""Repositories: the SQL behind products, users, stores and settings."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos.domain.catalog import Product, SoldBy
from pos.domain.errors import InvalidInput
from pos.domain.ledger import JournalEntry, StoredEntry
from pos.domain.references import normalise_account_code, normalise_voucher_number
from pos.domain.returns import Return
from pos.domain.sale import Sale

from . import writer as W
from .schema import (
    accounts,
    closures,
    day_reconciliations,
    held_sales,
    journal,
    meta,
    products,
    shifts,
    stores,
    users,
)
from .schema import bundle_components as bc
from .writer import WriteContext


def to_stored(row: Row) -> StoredEntry:
    return StoredEntry(row.terminal_id, row.seq, row.kind, row.business_day, row.created_at, row.payload, row.prev_hash, row.hash)


def product_from_row(row: Row) -> Product:
    return Product(
        sku=row.sku, name=row.name, price_fen=row.price_fen, sold_by=SoldBy(row.sold_by), barcode=row.barcode,
        category=row.category, origin=row.origin, unit=row.unit, plu=row.plu, tax_rate_bp=row.tax_rate_bp,
        style=row.style, size=row.size, color=row.color, active=bool(row.active),
    )


def product_values(p: Product, store_code: str | None, now: str) -> dict[str, Any]:
    return {
        "sku": p.sku, "store_code": store_code, "barcode": p.barcode, "plu": p.plu, "name": p.name,
        "category": p.category, "origin": p.origin, "unit": p.unit, "sold_by": p.sold_by.value,
        "price_fen": p.price_fen, "tax_rate_bp": p.tax_rate_bp, "style": p.style, "size": p.size,
        "color": p.color, "active": p.active, "updated_at": now,
    }


def _for_store(store_code: str | None):
    return or_(products.c.store_code.is_(None), products.c.store_code == store_code)


class ProductRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by_barcode(self, code: str, store_code: str | None) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.barcode == code, _for_store(store_code))).first()
        return product_from_row(row) if row else None

    def by_sku(self, sku: str) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.sku == sku)).first()
        return product_from_row(row) if row else None

    def by_plu(self, plu: str, store_code: str | None) -> Product | None:
        row = self.conn.execute(select(products).where(products.c.plu == plu, _for_store(store_code))).first()
        return product_from_row(row) if row else None

    def prices_by_sku(self, skus: Iterable[str]) -> dict[str, tuple[int, str | None]]:
        out: dict[str, tuple[int, str | None]] = {}
        sku_list = list(skus)
        for i in range(0, len(sku_list), 500):
            chunk = sku_list[i : i + 500]
            for row in self.conn.execute(
                select(products.c.sku, products.c.price_fen, products.c.store_code).where(products.c.sku.in_(chunk))
            ):
                out[row.sku] = (row.price_fen, row.store_code)
        return out

    def barcode_owners(self, barcodes: Iterable[str]) -> dict[str, str]:
        """barcode -> sku for the given barcodes that are already in the catalogue."""
        out: dict[str, str] = {}
        codes = [b for b in barcodes if b]
        for i in range(0, len(codes), 500):
            for row in self.conn.execute(
                select(products.c.barcode, products.c.sku).where(products.c.barcode.in_(codes[i : i + 500]))
            ):
                out[row.barcode] = row.sku
        return out

    def upsert_many(self, items: Iterable[Product], store_code: str | None, now: str) -> None:
        values = [product_values(p, store_code, now) for p in items]
        if not values:
            return
        stmt = sqlite_insert(products)
        stmt = stmt.on_conflict_do_update(
            index_elements=[products.c.sku],
            set_={c.name: stmt.excluded[c.name] for c in products.columns if c.name != "sku"},
        )
        for i in range(0, len(values), 1000):
            self.conn.execute(stmt, values[i : i + 1000])
        # Search-index hook: re-index what was just written, in this same transaction, so search
        # never disagrees with the catalogue (see pos/store/search_repo.py). Local import: this
        # hook stays one self-contained edit.
        from .search_repo import SearchRepo

        SearchRepo(self.conn).reindex_rows(values)

    def count(self, store_code: str | None = None) -> int:
        q = select(func.count()).select_from(products)
        if store_code is not None:
            q = q.where(_for_store(store_code))
        return self.conn.execute(q).scalar_one()


@dataclass(frozen=True, slots=True)
class UserRecord:
    login: str
    display_name: str
    role: str
    pin_hash: str
    active: bool
    failed_attempts: int
    locked_until: str | None


class UserRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, login: str) -> UserRecord | None:
        row = self.conn.execute(select(users).where(users.c.login == login)).first()
        if not row:
            return None
        return UserRecord(row.login, row.display_name, row.role, row.pin_hash, bool(row.active), row.failed_attempts, row.locked_until)

    def add(self, login: str, display_name: str, role: str, pin_hash: str, now: str) -> None:
        self.conn.execute(
            users.insert().values(login=login, display_name=display_name, role=role, pin_hash=pin_hash, active=True,
                                  failed_attempts=0, created_at=now)
        )

    def record_attempt(self, login: str, *, failed: bool, locked_until: str | None = None) -> None:
        values: dict[str, Any] = {"failed_attempts": users.c.failed_attempts + 1} if failed else {"failed_attempts": 0}
        values["locked_until"] = locked_until
        self.conn.execute(users.update().where(users.c.login == login).values(**values))

    def set_active(self, login: str, active: bool) -> None:
        self.conn.execute(users.update().where(users.c.login == login).values(active=active))

    def all(self) -> list[UserRecord]:
        rows = self.conn.execute(select(users).order_by(users.c.role, users.c.login)).all()
        return [UserRecord(r.login, r.display_name, r.role, r.pin_hash, bool(r.active), r.failed_attempts, r.locked_until) for r in rows]


@dataclass(frozen=True, slots=True)
class StoreRecord:
    code: str
    name: str
    counter_name: str
    address: str


class StoreRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, code: str) -> StoreRecord | None:
        row = self.conn.execute(select(stores).where(stores.c.code == code)).first()
        return StoreRecord(row.code, row.name, row.counter_name, row.address) if row else None

    def put(self, rec: StoreRecord) -> None:
        stmt = sqlite_insert(stores).values(code=rec.code, name=rec.name, counter_name=rec.counter_name, address=rec.address)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=[stores.c.code],
                                                     set_={"name": rec.name, "counter_name": rec.counter_name, "address": rec.address}))


class _WriteRepo:
    """A repository the write path uses: in a unit of work it is given the :class:`WriteContext`
    (plain sqlite3, the writer's caches); elsewhere a SQLAlchemy Connection, whose own sqlite3
    connection it reads through, in that connection's transaction."""

    def __init__(self, conn: Connection | WriteContext) -> None:
        self._hot = conn if isinstance(conn, WriteContext) else None
        self._sa = None if self._hot is not None else conn

    @property
    def conn(self) -> Connection:
        return self._hot.conn if self._hot is not None else self._sa

    @property
    def _raw(self) -> sqlite3.Connection:
        return self._hot.raw if self._hot is not None else self._sa.connection.driver_connection


class MetaRepo(_WriteRepo):
    """Settings and markers (key → text). In a unit of work (a :class:`WriteContext`) on plain sqlite3."""

    def get(self, key: str, default: str | None = None) -> str | None:
        if self._hot is not None:
            row = self._hot.raw.execute(W.SQL_META_GET, (key,)).fetchone()
            v = row[0] if row else None
        else:
            v = self._sa.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
        return default if v is None else v

    def set(self, key: str, value: str) -> None:
        hot = self._hot
        if hot is not None:
            before = hot.raw.total_changes
            hot.raw.execute(W.SQL_META_SET, (key, value))
            if not key.startswith("journal_head"):  # the chain head is the journal's own to write
                hot.known += hot.raw.total_changes - before
            return
        stmt = sqlite_insert(meta).values(key=key, value=value)
        self._sa.execute(stmt.on_conflict_do_update(index_elements=[meta.c.key], set_={"value": value}))


# Payments received on an institution account (pos.services.period_reports.ACCOUNT_PAYMENT entries).
SQL_ACCOUNT_PAID = ("SELECT COALESCE(SUM(json_extract(payload, '$.amount')), 0) FROM journal "
                    "WHERE kind = 'account_payment' AND json_extract(payload, '$.code') = ?")


class DocumentRepo(_WriteRepo):
    """Sales and returns as the journal recorded them, found by their receipt numbers.

    Plain sqlite3 with fixed SQL (the sale commit asks these); given a SQLAlchemy Connection it
    reads through that connection's sqlite3 connection, in its transaction."""

    def next_number(self, kind: str, prefix: str) -> int:
        """1 + the highest number of ``kind`` ('sale' or 'return') already issued under ``prefix``.

        Sales look at the newest rows of the day first (an index seek on (terminal, day) in
        insertion order), so numbering the 5,000th sale of a day costs what the first did. In a
        unit of work the answer is cached in the writer and moved on by each sale or return written
        under ``prefix`` (pos.store.uow.JournalRepo.append).
        """
        hot = self._hot
        if hot is not None:
            key = W.number_key(kind, prefix)
            cached = hot.get(key)
            if cached is not W.WriteContext.MISSING:
                return cached
        n = self._next_number(kind, prefix)
        if hot is not None:
            hot.put(key, n)
        return n

    def _next_number(self, kind: str, prefix: str) -> int:
        raw = self._raw
        if kind == "sale":
            terminal, day = prefix.split("-")[0], prefix.split("-")[1]
            iso = f"{day[:4]}-{day[4:6]}-{day[6:8]}"
            recent = [r[0] for r in raw.execute(W.SQL_RECENT_SALE_NOS, (terminal, iso))]
            for no in recent:
                tail = no[len(prefix):]
                if no.startswith(prefix) and tail.isdigit():
                    return int(tail) + 1
            if len(recent) < 50:
                return 1
        sql = W.SQL_COUNT_SALE_NOS if kind == "sale" else W.SQL_COUNT_RETURN_NOS
        return raw.execute(sql, (prefix + "[0-9]*",)).fetchone()[0] + 1

    def _payload(self, seq: int) -> tuple[str, str, dict[str, Any]]:
        row = self._raw.execute(W.SQL_ENTRY_PAYLOAD, (seq,)).fetchone()
        if row is None:
            raise LookupError(f"no journal entry {seq}")
        return row[0], row[1], json.loads(row[2])

    def sale(self, receipt_no: str) -> Sale | None:
        row = self._raw.execute(W.SQL_SALE_SEQ, (receipt_no,)).fetchone()
        if row is None or row[0] is None:
            return None
        terminal, day, payload = self._payload(row[0])
        return Sale.from_payload(terminal, day, payload)

    def sale_time(self, receipt_no: str) -> datetime | None:
        """When the sale was committed: its journal entry's ``created_at`` (UTC)."""
        row = self._raw.execute(W.SQL_SALE_TIME, (receipt_no,)).fetchone()
        created = row[0] if row else None
        if not created:
            return None
        t = datetime.fromisoformat(created)
        return t if t.tzinfo else t.replace(tzinfo=UTC)

    def returns_of(self, receipt_no: str) -> list[Return]:
        seqs = [r[0] for r in self._raw.execute(W.SQL_RETURN_SEQS, (receipt_no,))]
        return [Return.from_payload(self._payload(s)[2]) for s in seqs]

    def voucher_used(self, number: str) -> str | None:
        """The real (not training) sale that redeemed voucher ``number``, compared normalised."""
        row = self._raw.execute(W.SQL_VOUCHER_USED, (normalise_voucher_number(number),)).fetchone()
        return row[0] if row else None

    def account_balance(self, code: str) -> int:
        """What an institution account owes: account tenders less account refunds (training left out), less
        the payments received (回款, ``account_payment`` entries: few, found by the journal's kind index)."""
        ref = normalise_account_code(code)
        raw = self._raw
        return (raw.execute(W.SQL_ACCOUNT_SPENT, (ref,)).fetchone()[0] - raw.execute(W.SQL_ACCOUNT_BACK, (ref,)).fetchone()[0]
                - raw.execute(SQL_ACCOUNT_PAID, (ref,)).fetchone()[0])


@dataclass(frozen=True, slots=True)
class AccountRecord:
    code: str
    name: str
    credit_limit_fen: int
    active: bool


class AccountRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    """Institution accounts (挂账单位). Codes are stored and looked up normalised (`` mxgxs`` is MXGXS)."""

    def get(self, code: str) -> AccountRecord | None:
        key = normalise_account_code(code)
        r = self.conn.execute(select(accounts).where(accounts.c.code == key)).first()
        return AccountRecord(r.code, r.name, r.credit_limit_fen, bool(r.active)) if r else None

    def put(self, rec: AccountRecord) -> None:
        code = normalise_account_code(rec.code)
        if not code:
            raise InvalidInput("an institution account needs a code", message_zh="挂账单位需要编码")
        stmt = sqlite_insert(accounts).values(code=code, name=rec.name, credit_limit_fen=rec.credit_limit_fen,
                                              active=rec.active)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=[accounts.c.code],
                                                     set_={"name": rec.name, "credit_limit_fen": rec.credit_limit_fen,
                                                           "active": rec.active}))

    def all(self) -> list[AccountRecord]:
        return [AccountRecord(r.code, r.name, r.credit_limit_fen, bool(r.active))
                for r in self.conn.execute(select(accounts).order_by(accounts.c.code))]


class BundleRepo(_WriteRepo):
    def components_of(self, skus: Iterable[str]) -> dict[str, tuple]:
        """bundle sku → ((sku, name, qty, category, origin, tax_rate_bp, revenue weight), …).

        One fixed statement per sku not cached yet; in a unit of work the answers (also "no
        components") stay in the writer's cache until a catalogue or bundle write drops it."""
        hot = self._hot
        raw = hot.raw if hot is not None else self._sa.connection.driver_connection
        out: dict[str, tuple] = {}
        for sku in sorted(set(skus)):
            key = W.bundle_key(sku)
            parts = hot.get(key) if hot is not None else W.WriteContext.MISSING
            if parts is W.WriteContext.MISSING:
                parts = tuple(raw.execute(W.SQL_BUNDLE_COMPONENTS, (sku,)).fetchall())
                if hot is not None:
                    hot.put(key, parts)
            if parts:
                out[sku] = parts
        return out

    def put(self, bundle_sku: str, components: list[tuple[str, int, int | None]]) -> None:
        # Through SQLAlchemy on purpose: a write the hot path does not follow, so it drops the cache.
        self.conn.execute(bc.delete().where(bc.c.bundle_sku == bundle_sku))
        if components:
            self.conn.execute(bc.insert(), [{"bundle_sku": bundle_sku, "component_sku": s, "quantity": q, "weight": w}
                                            for s, q, w in components])
        if self._hot is not None:
            self._hot.forget(W.bundle_key(bundle_sku))


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    shift_no: int
    business_day: str
    opened_seq: int
    opened_at: str
    opened_by: str
    opening_float_fen: int
    closed_seq: int | None
    closed_by: str | None
    expected_cash_fen: int | None
    counted_cash_fen: int | None

    @property
    def is_open(self) -> bool:
        return self.closed_seq is None


class ShiftRepo(_WriteRepo):
    @staticmethod
    def _rec(r: Row | tuple) -> ShiftRecord:
        return ShiftRecord(*r[:10]) if isinstance(r, tuple) else ShiftRecord(
            r.shift_no, r.business_day, r.opened_seq, r.opened_at, r.opened_by, r.opening_float_fen, r.closed_seq,
            r.closed_by, r.expected_cash_fen, r.counted_cash_fen)

    def current(self) -> ShiftRecord | None:
        """The open shift of this drawer, if any (cached in the writer until a shift opens or closes)."""
        hot = self._hot
        if hot is not None:
            rec = hot.get(W.OPEN_SHIFT)
            if rec is W.WriteContext.MISSING:
                row = hot.raw.execute(W.SQL_OPEN_SHIFT).fetchone()
                rec = ShiftRecord(*row) if row else None
                hot.put(W.OPEN_SHIFT, rec)
            return rec
        row = self._sa.connection.driver_connection.execute(W.SQL_OPEN_SHIFT).fetchone()
        return ShiftRecord(*row) if row else None

    def get(self, shift_no: int) -> ShiftRecord | None:
        raw = self._hot.raw if self._hot is not None else self._sa.connection.driver_connection
        row = raw.execute(W.SQL_SHIFT_BY_NO, (shift_no,)).fetchone()
        return ShiftRecord(*row) if row else None

    def last_no(self) -> int:
        return self.conn.execute(select(func.coalesce(func.max(shifts.c.shift_no), 0))).scalar_one()

    def open_on_or_before(self, day: str) -> list[ShiftRecord]:
        rows = self.conn.execute(select(shifts).where(shifts.c.closed_seq.is_(None), shifts.c.business_day <= day))
        return [self._rec(r) for r in rows]

    def held_sales(self) -> list[Row]:
        """Every sale put aside (挂单) and not yet taken back, oldest first (cart JSON included)."""
        return list(self.conn.execute(select(held_sales).order_by(held_sales.c.hold_no)).all())


class ClosureRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, day: str) -> Row | None:
        return self.conn.execute(select(closures).where(closures.c.business_day == day)).first()

    def last(self) -> Row | None:
        """The Z taken last (by journal seq), whatever day it closed: the grand total (累计) chains
        from it, so days closed out of calendar order still add up."""
        return self.conn.execute(select(closures).order_by(closures.c.journal_seq.desc()).limit(1)).first()

    def latest_day(self) -> str | None:
        """The latest business day that has a Z (the calendar's, not the closing order's)."""
        return self.conn.execute(select(func.max(closures.c.business_day))).scalar()

    def all(self) -> list[Row]:
        """Every Z of this till, newest day first."""
        return list(self.conn.execute(select(closures).order_by(closures.c.business_day.desc())).all())

    def has_activity(self, day: str, kinds: Iterable[str]) -> bool:
        return self.conn.execute(
            select(journal.c.seq).where(journal.c.kind.in_(list(kinds)), journal.c.business_day == day).limit(1)
        ).first() is not None

    def oldest_unclosed_day(self, kinds: Iterable[str], up_to: str) -> str | None:
        """The oldest business day up to ``up_to`` that has an entry of ``kinds`` and no Z.

        Only the gaps between closed days can hold one: each gap is asked with one index seek per
        kind (ix_journal_kind_day), and gaps between consecutive calendar days are skipped, so a
        till that closes every day asks almost nothing and never reads the entries themselves.
        """
        kinds = list(kinds)
        closed = sorted(d for d in self.conn.execute(select(closures.c.business_day)).scalars() if d <= up_to)
        lows: list[str] = ["", *closed]
        highs: list[str | None] = [*closed, None]
        for lo, hi in zip(lows, highs, strict=True):
            if lo and hi and date.fromisoformat(hi) - date.fromisoformat(lo) <= timedelta(days=1):
                continue
            conds = [journal.c.business_day > lo, journal.c.business_day <= up_to]
            if hi is not None:
                conds.append(journal.c.business_day < hi)
            firsts = [self.conn.execute(select(func.min(journal.c.business_day)).where(journal.c.kind == k, *conds))
                      .scalar() for k in kinds]
            found = min((d for d in firsts if d is not None), default=None)
            if found is not None:
                return found
        return None

    def reconciliation(self, day: str) -> Row | None:
        return self.conn.execute(select(day_reconciliations).where(day_reconciliations.c.business_day == day)).first()

    def day_entries(self, day: str) -> list[JournalEntry]:
        """The day's entries, payloads parsed, for totals (ledger verify is what checks them)."""
        return self._parsed(journal.c.business_day == day)

    def entries_since(self, seq: int) -> list[JournalEntry]:
        """Entries from ``seq`` on, payloads parsed, for a shift's totals."""
        return self._parsed(journal.c.seq >= seq)

    def entries_between(self, first_seq: int, last_seq: int | None) -> list[JournalEntry]:
        """Entries from ``first_seq`` to ``last_seq`` (to the end when None), payloads parsed."""
        if last_seq is None:
            return self._parsed(journal.c.seq >= first_seq)
        return self._parsed((journal.c.seq >= first_seq) & (journal.c.seq <= last_seq))

    def _parsed(self, condition) -> list[JournalEntry]:  # noqa: ANN001 - a SQLAlchemy clause
        rows = self.conn.execute(
            select(journal.c.terminal_id, journal.c.seq, journal.c.kind, journal.c.business_day, journal.c.created_at,
                   journal.c.payload).where(condition).order_by(journal.c.seq)
        ).all()
        loads = json.loads
        return [JournalEntry(r.terminal_id, r.seq, r.kind, r.business_day, r.created_at, loads(r.payload), "", "")
                for r in rows]
