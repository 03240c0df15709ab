"""Ports the services depend on; adapters are wired in ``pos.bootstrap``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, Protocol

from pos.domain.receipt import Receipt


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and replays: returns ``at`` and moves by ``step`` on every call."""

    def __init__(self, at: datetime, step: timedelta = timedelta(seconds=1)) -> None:
        self.at = at
        self.step = step

    def now(self) -> datetime:
        t = self.at
        self.at = self.at + self.step
        return t


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> object: ...


@dataclass(frozen=True, slots=True)
class PrintResult:
    """What became of a print: printed, queued for a retry (``job_id``) or failed; never an exception.

    It lives here, beside the printer port, so the receipt service and the print queue both use it
    without importing each other."""

    ok: bool
    message: str
    message_zh: str
    job_id: int | None = None  # the print-queue job holding a receipt that did not print
    drawer_kicked: bool = False  # the bytes sent included the cash-drawer kick


class PrintJobQueue(Protocol):
    """Where a receipt that did not print is kept for a retry (pos.services.print_queue.PrintQueue)."""

    def enqueue(self, *, data: bytes, kind: str = "receipt", receipt_no: str | None = None, text: str | None = None,
                error: str = "", error_zh: str = "") -> int: ...


class TillIdentityParts(Protocol):
    """The parts of a till's identity that wiring code reads (pos.services.context.TillIdentity has them)."""

    @property
    def store_code(self) -> str: ...

    @property
    def terminal_id(self) -> str: ...

    @property
    def tz(self) -> tzinfo: ...


class TillParts(Protocol):
    """What code that is handed the whole till reads from it (``pos.bootstrap.Till`` has these).

    The backup service and the sync wiring take this instead of importing ``pos.bootstrap``, so
    bootstrap can import them and nothing imports bootstrap back."""

    @property
    def config(self) -> Any: ...  # pos.config.Config

    @property
    def db(self) -> Any: ...  # pos.store.db.Database

    @property
    def identity(self) -> Any: ...  # TillIdentityParts, and more for the services built from it

    @property
    def clock(self) -> Clock: ...

    @property
    def checkout(self) -> Any: ...  # pos.services.checkout.CheckoutService

    def uow(self) -> Any: ...  # a new unit of work (pos.store.uow.SqlUnitOfWork)


class PinHasher(Protocol):
    def hash(self, pin: str) -> str: ...

    def verify(self, pin_hash: str, pin: str) -> bool: ...


CHINA_TZ: tzinfo = timezone(timedelta(hours=8), "CST")


def utc_iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
