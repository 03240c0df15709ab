"""Promotions at the till (促销): the set in force, imported from a file or sent by head office.

The set is one versioned document kept in the journal: a ``promo_import`` entry holds every
promotion as JSON with the set's version, so a restart (or a rebuilt database) finds the newest one
again; the meta row ``promotions:seq`` only says which entry that is, to skip a search. The engine's
compiled index (:class:`PromoBook`) is built once per version and shared by every sale.

A sale keeps the book in force when it began (:meth:`PromotionService.context`): importing a new
version half-way through a sale changes the next sale, not that one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos.domain.cart import PromoContext
from pos.domain.ledger import EntryKind
from pos.domain.members import Member
from pos.domain.permissions import Action, Approval, check
from pos.domain.users import User

from .context import TillIdentity
from .ports import Clock, utc_iso
from .uow import UnitOfWorkFactory

if TYPE_CHECKING:  # the engine loads with the first set of promotions (a till with none never needs it)
    from pos.domain.promotions import PromoBook, Promotion

K_PROMO_SEQ = "promotions:seq"  # the seq of the promo_import entry in force
SQL_ENTRY = "SELECT payload FROM journal WHERE seq = ? AND kind = 'promo_import'"
SQL_META = "SELECT value FROM meta WHERE key = ?"
SQL_NEWEST = "SELECT payload FROM journal WHERE kind = 'promo_import' ORDER BY seq DESC LIMIT 1"
SQL_VERSION = ("SELECT payload FROM journal WHERE kind = 'promo_import' AND json_extract(payload, '$.version') = ? "
               "ORDER BY seq DESC LIMIT 1")


@dataclass(frozen=True, slots=True)
class PromoSet:
    """The promotions in force: their version, where they came from, and the engine's index of them."""

    version: int
    promotions: tuple[Promotion, ...]
    source: str = ""  # "file" or "headoffice"; "" when none was ever imported
    book: PromoBook | None = None  # None: no promotions (catalogue prices only)

    @classmethod
    def empty(cls) -> PromoSet:
        return cls(0, (), "", None)

    @classmethod
    def of(cls, promotions: tuple[Promotion, ...], version: int, source: str) -> PromoSet:
        from pos.domain.promotions import PromoBook

        return cls(version, promotions, source, PromoBook.build(promotions) if promotions else None)


@dataclass(frozen=True, slots=True)
class PromoImport:
    version: int
    count: int
    seq: int


def promo_payload(promotions: Iterable[Promotion], *, version: int, source: str, **extra: Any) -> dict[str, Any]:
    """The ``promo_import`` entry's payload: the whole set, so the journal alone rebuilds it."""
    return {"version": version, "source": source, "promotions": [p.to_json() for p in promotions], **extra}


def _promotions(items: Iterable[Mapping[str, Any]]) -> tuple[Promotion, ...]:
    from pos.domain.promotions import Promotion

    return tuple(Promotion.from_json(d) for d in items)


def _set_of(payload: Mapping[str, Any]) -> PromoSet:
    return PromoSet.of(_promotions(payload.get("promotions") or ()), int(payload["version"]),
                       str(payload.get("source", "")))


class PromotionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, till: TillIdentity, *, reader: Any = None) -> None:
        """``reader``: the database's reader engine; with it, the check for a newer set at each sale's start
        reads on the reader lane instead of taking the writer."""
        self._uow = uow
        self._clock = clock
        self._till = till
        self._rows: Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]] | None = None
        if reader is not None:
            from .lookup import SqliteReader

            self._rows = SqliteReader.for_engine(reader).rows
        self._current: PromoSet | None = None
        self._seq: str | None = None  # the meta row the kept set was read for

    # -- reading --------------------------------------------------------------------------
    def current(self) -> PromoSet:
        """The set in force: read from the journal when another import (this till's CLI, head office's
        master data) has put a new one in force since, else the one kept."""
        if self._rows is not None:
            found = self._rows(SQL_META, (K_PROMO_SEQ,))
            seq = found[0][0] if found else None
            if self._current is not None and seq == self._seq:
                return self._current
            rows = self._rows(SQL_ENTRY, (int(seq),)) if seq else []
            row = rows[0] if rows else None
            if row is None:
                newest = self._rows(SQL_NEWEST, ())
                row = newest[0] if newest else None
        else:
            with self._uow() as uow:
                seq = uow.meta.get(K_PROMO_SEQ)
                if self._current is not None and seq == self._seq:
                    return self._current
                row = uow.raw.execute(SQL_ENTRY, (int(seq),)).fetchone() if seq else None
                if row is None:
                    row = uow.raw.execute(SQL_NEWEST).fetchone()
        self._current = _set_of(json.loads(row[0])) if row else PromoSet.empty()
        self._seq = seq
        return self._current

    @property
    def version(self) -> int:
        return self.current().version

    def local_now(self) -> datetime:
        """The store's local time, naive, as promotions' dates and hours are written."""
        return self._till.local(self._clock.now()).replace(tzinfo=None)

    def context(self, member: Member | None = None, *, at: datetime | None = None) -> PromoContext:
        """What a new sale is priced with: the book in force now, its version, the sale's start (store
        local time) and the member, if one is known already."""
        s = self.current()
        return PromoContext(s.book, s.version, at if at is not None else self.local_now(), member)

    def book_of(self, version: int) -> PromoBook | None:
        """The promotions of ``version`` (the one in force, or an older one from the journal); None: none."""
        s = self.current()
        if version == s.version:
            return s.book
        with self._uow() as uow:
            row = uow.raw.execute(SQL_VERSION, (int(version),)).fetchone()
        return _set_of(json.loads(row[0])).book if row else None

    def restore(self, held: Mapping[str, Any], member_of: Callable[[str], Member | None]) -> PromoContext:
        """A held sale's context again (see CheckoutService.hold): the promotions of the version it began
        with, its start, and its member as they are now."""
        version = int(held.get("version") or 0)
        started = held.get("started_at")
        member_id = held.get("member_id")
        return PromoContext(self.book_of(version) if version else None, version,
                            datetime.fromisoformat(started) if started else self.local_now(),
                            member_of(member_id) if member_id else None)

    def active(self, at: datetime | None = None) -> tuple[Promotion, ...]:
        """The promotions that apply at ``at`` (default: now), in the engine's order."""
        s = self.current()
        if s.book is None:
            return ()
        return s.book.active(at if at is not None else self.local_now())

    # -- changing -------------------------------------------------------------------------
    def import_file(self, path: str | os.PathLike[str], by: User, *, approval: Approval | None = None) -> PromoImport:
        """Read a promotion file (CSV or XLSX, the columns of issue 17) and put it in force as the next
        version; a file with any bad row is refused whole, every bad row named (PromoFileError)."""
        from pos.promo_files import read_promotion_file

        check(by.role, Action.SETTINGS, approval, detail="导入促销")
        p = Path(path)
        version = self.current().version + 1
        promos = read_promotion_file(p, version=version)
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        return self._put(promos, version=version, source="file",
                         extra={"file": p.name, "sha256": digest, "by": by.login,
                                "approver": approval.approver if approval else None})

    def _put(self, promos: tuple[Promotion, ...], *, version: int, source: str, extra: Mapping[str, Any]) -> PromoImport:
        now = self._clock.now()
        with self._uow() as uow:
            entry = uow.journal.append(EntryKind.PROMO_IMPORT, business_day=uow.business_day(now), created_at=utc_iso(now),
                                       payload=promo_payload(promos, version=version, source=source, **extra))
            uow.meta.set(K_PROMO_SEQ, str(entry.seq))
            uow.commit()
        self._current, self._seq = PromoSet.of(promos, version, source), str(entry.seq)
        return PromoImport(version, len(promos), entry.seq)


def current_version(uow) -> int:  # noqa: ANN001
    """The version of the set in force, inside a unit of work (0: none)."""
    seq = uow.meta.get(K_PROMO_SEQ)
    row = uow.raw.execute(SQL_ENTRY, (int(seq),)).fetchone() if seq else None
    if row is None:
        row = uow.raw.execute(SQL_NEWEST).fetchone()
    return int(json.loads(row[0])["version"]) if row else 0


def parse_master_section(section: Mapping[str, Any]) -> tuple[int, tuple[Promotion, ...]]:
    """Head office's ``promotions`` section of master data, ``{"version": n, "promotions": [Promotion JSON …]}``
    (KeyError, TypeError or ValueError when it is not in that form)."""
    return int(section["version"]), _promotions(section.get("promotions") or ())


def put_from_headoffice(uow, version: int, promos: tuple[Promotion, ...], *, stamp: str,  # noqa: ANN001
                        business_day: str) -> int | None:
    """Put head office's set in force inside the master data's own transaction; the version it replaces,
    or None when that version (or a newer one) is in force already."""
    old = current_version(uow)
    if version <= old:
        return None
    entry = uow.journal.append(EntryKind.PROMO_IMPORT, business_day=business_day, created_at=stamp,
                               payload=promo_payload(promos, version=version, source="headoffice"))
    uow.meta.set(K_PROMO_SEQ, str(entry.seq))
    return old
