"""The business day as a value: one spelling (YYYY-MM-DD), and the till's rule for which day a sale is."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.business_day import BusinessDay, InvalidBusinessDay, till_day

PINGHU = timezone(timedelta(hours=8))


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_every_calendar_day_reads_back_as_itself(d: date) -> None:
    day = BusinessDay.parse(d.isoformat())
    assert day.date == d and str(day) == day.iso == d.isoformat()


@pytest.mark.parametrize("typed", ["20251231", "2025-W01-1", "2025-1-5", "2025-02-30", "2025-13-01", "2025-12-31T00:00",
                                   "２０２５-１２-３１", " ", None, 20251231])
def test_a_day_written_any_other_way_is_refused_in_plain_words(typed: object) -> None:
    with pytest.raises(InvalidBusinessDay) as exc:
        BusinessDay.parse(typed)
    assert "2026-11-22" in exc.value.message or "calendar" in exc.value.message
    assert "日期" in exc.value.message_zh


def test_a_control_character_in_a_bad_day_is_shown_escaped() -> None:
    with pytest.raises(InvalidBusinessDay) as exc:
        BusinessDay.parse("2025\x1b[31m-01")
    assert "\x1b" not in exc.value.message and "\\x1b" in exc.value.message


def test_the_till_day_is_the_local_date_until_that_day_has_its_z() -> None:
    half_past_midnight = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # 00:30 on the 23rd in Pinghu
    today = BusinessDay.of(half_past_midnight, PINGHU)
    assert str(today) == "2026-11-23"
    assert till_day(today, None) == today
    assert till_day(today, BusinessDay.parse("2026-11-22")) == today
    assert str(till_day(today, today)) == "2026-11-24"  # closed already: the next sale is tomorrow's
    assert BusinessDay.parse("2026-11-22") < today
