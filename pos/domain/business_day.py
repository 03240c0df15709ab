"""The business day (营业日) as a value: a calendar date written exactly ``YYYY-MM-DD``.

Python 3.11's ``date.fromisoformat`` also takes ``20251231`` and ``2025-W01-1``; taken as days,
those let one day be closed twice under two spellings. Every edge (CLI ``--day``, services, the
till) goes through :meth:`BusinessDay.parse`, which accepts only the one spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from .errors import InvalidInput
from .ledger import EntryKind

_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

# Entries that make a day one of trading: a day with any of these needs its Z. Logins, settings,
# reprints and catalogue changes do not (a manager looking in on a closed day opens nothing).
BUSINESS_KINDS: tuple[str, ...] = (
    EntryKind.SALE, EntryKind.RETURN, EntryKind.VOID, EntryKind.CASH_IN, EntryKind.CASH_OUT,
    EntryKind.SHIFT_OPEN, EntryKind.SHIFT_CLOSE, EntryKind.HOLD, EntryKind.RECALL, EntryKind.DRAWER_OPEN,
)


class InvalidBusinessDay(InvalidInput):
    code = "invalid_business_day"


@dataclass(frozen=True, slots=True, order=True)
class BusinessDay:
    """One business day of a counter. ``str(day)`` is its ``YYYY-MM-DD`` form (as journaled)."""

    date: date

    @classmethod
    def parse(cls, text: object) -> BusinessDay:
        """``2026-11-22`` → the day; anything else (``20261122``, ``2026-W47-7``, ``2026-2-30``) is refused."""
        if isinstance(text, BusinessDay):
            return text
        raw = text if isinstance(text, str) else ""
        m = _DAY.fullmatch(raw.strip())
        shown = _shown(text)
        if m is None:
            raise InvalidBusinessDay(f"'{shown}' is not a day: write it as YYYY-MM-DD, e.g. 2026-11-22",
                                     message_zh=f"“{shown}”不是日期：请按 年-月-日 填写，如 2026-11-22")
        try:
            return cls(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            raise InvalidBusinessDay(f"{shown} is not a day of the calendar",
                                     message_zh=f"{shown} 不是日历上的日期") from None

    @classmethod
    def of(cls, moment: datetime, tz: tzinfo) -> BusinessDay:
        """The local calendar day of ``moment`` in the store's time zone."""
        return cls(moment.astimezone(tz).date())

    def next(self) -> BusinessDay:
        return BusinessDay(self.date + timedelta(days=1))

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    def __str__(self) -> str:
        return self.date.isoformat()


def till_day(local_today: BusinessDay, last_closed: BusinessDay | None) -> BusinessDay:
    """The day an operation belongs to: the local date, unless that day (or a later one) has had
    its Z already; then the day after the last closed one."""
    if last_closed is not None and local_today <= last_closed:
        return last_closed.next()
    return local_today


def _shown(value: object) -> str:
    """A bad value as it can be echoed safely: control characters escaped, at most 40 characters."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return text[:40] + ("…" if len(text) > 40 else "")
