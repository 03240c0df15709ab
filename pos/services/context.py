"""Who and where this till is: store, counter, terminal, local time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from .ports import CHINA_TZ


@dataclass(frozen=True, slots=True)
class TillIdentity:
    store_code: str
    terminal_id: str
    store_name: str
    counter_name: str
    tz: tzinfo = CHINA_TZ

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def business_day(self, t: datetime) -> str:
        """The store's business day of ``t`` (its local calendar date until Z closures move it)."""
        return self.local(t).date().isoformat()

    def shown_time(self, t: datetime) -> str:
        return self.local(t).strftime("%Y-%m-%d %H:%M:%S")
