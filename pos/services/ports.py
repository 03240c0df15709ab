"""Ports the services depend on; adapters are wired in ``pos.bootstrap``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Protocol

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


class PinHasher(Protocol):
    def hash(self, pin: str) -> str: ...

    def verify(self, pin_hash: str, pin: str) -> bool: ...


CHINA_TZ: tzinfo = timezone(timedelta(hours=8), "CST")


def utc_iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
