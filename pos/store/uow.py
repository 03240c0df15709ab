"""The unit of work: one SQLite write transaction; rolls back unless ``commit()`` is called."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos.domain.business_day import BusinessDay, till_day
from pos.domain.ledger import ChainHead, JournalEntry, StoredEntry, canonical_json, next_entry

from . import projections
from .db import Database
from .repositories import (
    AccountRepo,
    BundleRepo,
    ClosureRepo,
    DocumentRepo,
    MetaRepo,
    ProductRepo,
    ShiftRepo,
    StoreRepo,
    UserRepo,
    to_stored,
)
from .schema import closures, journal, meta, sales


class JournalRepo:
    def __init__(self, conn: Connection, terminal_id: str) -> None:
        self.conn = conn
        self.terminal_id = terminal_id

    def head(self) -> ChainHead | None:
        row = self.conn.execute(
            select(journal.c.seq, journal.c.hash)
            .where(journal.c.terminal_id == self.terminal_id)
            .order_by(journal.c.seq.desc())
            .limit(1)
        ).first()
        return ChainHead(row.seq, row.hash) if row else None

    def append(self, kind: str, *, business_day: str, created_at: str, payload: dict[str, Any]) -> JournalEntry:
        """Chain a new entry after the head and write its read models, in this transaction."""
        entry = next_entry(
            self.head(), terminal_id=self.terminal_id, kind=kind, business_day=business_day,
            created_at=created_at, payload=payload,
        )
        self.conn.execute(
            journal.insert().values(
                terminal_id=entry.terminal_id, seq=entry.seq, kind=entry.kind, business_day=entry.business_day,
                created_at=entry.created_at, payload=canonical_json(entry.payload), prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        projections.apply(self.conn, entry)
        # The head of the chain, kept beside it: a journal cut short at its end (which no hash
        # can show) no longer matches it. Someone with the file can rewrite this too; the anchor
        # out of their reach is head office's acknowledged seq and hash.
        self.conn.execute(
            sqlite_insert(meta).values(key=f"{JOURNAL_HEAD}:{entry.terminal_id}", value=f"{entry.seq}:{entry.hash}")
            .on_conflict_do_update(index_elements=[meta.c.key], set_={"value": f"{entry.seq}:{entry.hash}"})
        )
        return entry

    def stored(self, seq: int) -> StoredEntry | None:
        row = self.conn.execute(
            select(journal).where(journal.c.terminal_id == self.terminal_id, journal.c.seq == seq)
        ).first()
        return to_stored(row) if row else None


class SalesRepo:
    def __init__(self, conn: Connection, terminal_id: str) -> None:
        self.conn = conn
        self.terminal_id = terminal_id

    def count_for_day(self, business_day: str) -> int:
        return self.conn.execute(
            select(func.count()).select_from(sales).where(
                sales.c.terminal_id == self.terminal_id, sales.c.business_day == business_day
            )
        ).scalar_one()


JOURNAL_HEAD = "journal_head"


class SqlUnitOfWork:
    """``with uow: …; uow.commit()`` — leaving the block without commit rolls everything back."""

    def __init__(self, db: Database, terminal_id: str, tz: tzinfo = timezone(timedelta(hours=8))) -> None:
        self.db = db
        self.terminal_id = terminal_id
        self.tz = tz

    def __enter__(self) -> SqlUnitOfWork:
        self.conn = self.db.writer.connect()
        self._tx = self.conn.begin()
        self.journal = JournalRepo(self.conn, self.terminal_id)
        self.sales = SalesRepo(self.conn, self.terminal_id)
        self.products = ProductRepo(self.conn)
        self.users = UserRepo(self.conn)
        self.meta = MetaRepo(self.conn)
        self.stores = StoreRepo(self.conn)
        self.documents = DocumentRepo(self.conn)
        self.accounts = AccountRepo(self.conn)
        self.bundles = BundleRepo(self.conn)
        self.shifts = ShiftRepo(self.conn)
        self.closures = ClosureRepo(self.conn)
        return self

    def business_day(self, now: datetime) -> str:
        """The business day an operation at ``now`` belongs to (``YYYY-MM-DD``, as journaled): the
        local date, unless that day has been closed (Z) already, in which case it is the day after
        the last closed one. See :meth:`business_day_value` for the value."""
        return self.business_day_value(now).iso

    def business_day_value(self, now: datetime) -> BusinessDay:
        return till_day(BusinessDay.of(now, self.tz), self.last_closed_day())

    def last_closed_day(self) -> BusinessDay | None:
        """The latest business day with a Z. Read from the closures read model (rebuilt from the
        journal), so a restored or re-verified database agrees with it."""
        last = self.conn.execute(select(func.max(closures.c.business_day))).scalar()
        return BusinessDay.parse(last) if last is not None else None

    def commit(self) -> None:
        self._tx.commit()

    def rollback(self) -> None:
        if self._tx.is_active:
            self._tx.rollback()

    def __exit__(self, *exc: object) -> None:
        try:
            self.rollback()
        finally:
            self.conn.close()


def iter_journal(conn: Connection, terminal_id: str | None, *, after_seq: int = 0, batch: int = 2000) -> Iterator[StoredEntry]:
    """Stored entries in seq order, read in batches (constant memory).

    ``terminal_id=None`` reads every row whatever its terminal, so that ``ledger verify`` also
    sees a row whose terminal id was changed behind the triggers' back.
    """
    last = after_seq
    while True:
        q = select(journal).where(journal.c.seq > last)
        if terminal_id is not None:
            q = q.where(journal.c.terminal_id == terminal_id)
        rows = conn.execute(q.order_by(journal.c.seq, journal.c.terminal_id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield to_stored(row)
        last = rows[-1].seq
