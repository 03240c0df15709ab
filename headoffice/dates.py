"""Strict business-day inputs for reports: ``YYYY-MM-DD`` and nothing else, refused in words.

Dates used to be compared as text, so ``2026-11-1`` silently dropped nine days and ``2026/11/01``
gave ¥0. Here a date is exactly four digits, two, two, separated by ``-``, and a real calendar
day; anything else (``2026-11-1``, ``2026/11/01``, ``11/01``, ``2026-02-30``, a first day after the
last) is a :class:`DateInputError` (HTTP 400 in the console, exit 2 at the command line) naming
the field, what was typed and what is expected.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .service import HeadOfficeError

_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIELDS = {"from": ("first day (from)", "起始日"), "to": ("last day (to)", "截止日")}
MIN_YEAR, MAX_YEAR = 2000, 2099


class DateInputError(HeadOfficeError):
    def __init__(self, en: str, zh: str, field: str | None = None) -> None:
        super().__init__("bad_date", 400, en, zh, **({"field": field} if field else {}))
        self.field = field


def _shown(text: str) -> str:
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= 24 else clean[:24] + "…"


def parse_day(text: str, field: str = "from") -> date:
    """``text`` as a date, or a :class:`DateInputError` saying why not."""
    en_name, zh_name = FIELDS.get(field, (field, field))
    raw = text.strip()
    if not _SHAPE.fullmatch(raw):
        shown = _shown(text)
        hint_en, hint_zh = "", ""
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", raw)
        if m:
            hint_en = f"; did you mean {m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}?"
            hint_zh = f"；是否要写 {m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}？"
        elif re.fullmatch(r"\d{1,2}[-/.]\d{1,2}", raw):
            hint_en, hint_zh = "; the year is needed too", "；还需要写年份"
        raise DateInputError(
            f"the {en_name} '{shown}' is not a date written as YYYY-MM-DD (for example 2026-11-01){hint_en}",
            f"{zh_name}“{shown}”不是 年-月-日 格式的日期（例如 2026-11-01）{hint_zh}", field)
    y, m_, d = (int(p) for p in raw.split("-"))
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateInputError(f"the {en_name} {raw} is out of range (years {MIN_YEAR}–{MAX_YEAR})",
                             f"{zh_name} {raw} 超出范围（{MIN_YEAR}–{MAX_YEAR} 年）", field)
    if not 1 <= m_ <= 12:
        raise DateInputError(f"the {en_name} {raw} does not exist: there is no month {m_}",
                             f"{zh_name} {raw} 不存在：没有 {m_} 月", field)
    days = calendar.monthrange(y, m_)[1]
    if not 1 <= d <= days:
        raise DateInputError(f"the {en_name} {raw} does not exist: {calendar.month_name[m_]} {y} has {days} days",
                             f"{zh_name} {raw} 不存在：{y} 年 {m_} 月只有 {days} 天", field)
    return date(y, m_, d)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def parse_period(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    """Both bounds checked (blank means open); a first day after the last is refused."""
    start = parse_day(date_from, "from") if date_from and date_from.strip() else None
    end = parse_day(date_to, "to") if date_to and date_to.strip() else None
    if start and end and start > end:
        raise DateInputError(f"the first day {start} is after the last day {end}",
                             f"起始日 {start} 晚于截止日 {end}", "to")
    return start, end


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def month(d: date) -> str:
    return d.strftime("%Y-%m")
