"""The keyboard-wedge detector: a scanner's burst vs a person typing, on key timing alone."""

from __future__ import annotations

import pytest

from pos.domain.devices import WedgeDetector, WedgeEvent


def feed(d: WedgeDetector, keys: str, start: float, gap: float, *, enter: bool = True) -> list[WedgeEvent]:
    events: list[WedgeEvent] = []
    t = start
    for ch in keys:
        events += d.feed(ch, t)
        t += gap
    if enter:
        events += d.feed("\r", t)
    return events


def test_a_scanner_burst_ending_in_enter_is_a_scan() -> None:
    d = WedgeDetector()
    assert feed(d, "6901234567892", 1000, 12) == [WedgeEvent("scan", "6901234567892")]
    assert d.pending == ""


def test_measured_scanner_gaps_of_7_to_16_ms_are_a_scan() -> None:
    d = WedgeDetector()
    events = []
    for i, (ch, gap) in enumerate(zip("MX01-20261122-0042", [7, 16, 9, 12, 15, 8] * 3, strict=True)):
        events += d.feed(ch, 100 + i * 16 + gap)
    events += d.feed("\n", 100 + 18 * 16 + 10)
    assert events == [WedgeEvent("scan", "MX01-20261122-0042")]


def test_a_person_typing_is_handed_on_key_by_key() -> None:
    d = WedgeDetector()
    events = feed(d, "1234", 0, 150)
    assert [e.text for e in events if e.kind == "typed"] == ["1", "2", "3", "4"]
    assert events[-1] == WedgeEvent("typed", "4", enter=True)
    assert not any(e.kind == "scan" for e in events)


def test_a_short_fast_burst_is_typing_not_a_scan() -> None:
    d = WedgeDetector(min_length=4)
    assert feed(d, "123", 0, 5) == [WedgeEvent("typed", "123", enter=True)]


def test_held_keys_are_released_when_the_deadline_passes() -> None:
    d = WedgeDetector(max_gap_ms=30)
    assert d.feed("a", 1000) == []
    assert d.deadline() == 1030
    assert d.flush(1020) == []
    assert d.flush(1031) == [WedgeEvent("typed", "a")]
    assert d.deadline() is None


def test_a_slow_enter_after_a_burst_is_typing() -> None:
    d = WedgeDetector()
    events = feed(d, "12345678", 0, 10, enter=False) + d.feed("\r", 70 + 200)
    assert events == [WedgeEvent("typed", "12345678", enter=True)]  # the keys, then their Enter


def test_typing_then_a_scan_keeps_them_apart() -> None:
    d = WedgeDetector()
    events = d.feed("x", 0) + feed(d, "123456", 500, 10)
    assert events == [WedgeEvent("typed", "x"), WedgeEvent("scan", "123456")]


def test_a_non_text_key_or_an_ime_commit_is_never_part_of_a_scan() -> None:
    d = WedgeDetector()
    d.feed("1", 0)
    d.feed("2", 5)
    assert d.interrupt() == [WedgeEvent("typed", "12")]
    assert d.feed("苹果", 10) == [WedgeEvent("typed", "苹果")]


def test_the_threshold_and_minimum_length_are_settings() -> None:
    d = WedgeDetector(max_gap_ms=50, min_length=8)
    assert feed(d, "1234567", 0, 40)[-1].kind == "typed"
    assert feed(d, "12345678", 1000, 40) == [WedgeEvent("scan", "12345678")]
    with pytest.raises(ValueError):
        WedgeDetector(max_gap_ms=0)
