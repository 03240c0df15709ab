"""What the command line echoes back: user text made safe to show, numbers checked before use."""

from __future__ import annotations

import argparse

import pytest

from pos.cli.base import MAX_WHOLE_NUMBER, shown, whole_number


@pytest.mark.parametrize(("text", "safe"), [
    ("MX01-\x1b]0;title\x07", "MX01-\\x1b]0;title\\x07"),
    ("line\nbreak\r", "line\\x0abreak\\x0d"),
    ("bidi\u202eevil", "bidi\\u202eevil"),
    ("冰糖心苹果 ￥12.80", "冰糖心苹果 ￥12.80"),
    ("", ""),
])
def test_control_characters_are_shown_as_escapes(text: str, safe: str) -> None:
    assert shown(text) == safe


def test_a_whole_number_is_plain_digits_of_sensible_size() -> None:
    assert whole_number("42") == 42
    assert whole_number("４２") == 42
    assert whole_number(str(MAX_WHOLE_NUMBER)) == MAX_WHOLE_NUMBER
    for bad in ("", "-1", "1e3", "1_000", "4.0", "9" * 40, "9" * 5000):
        with pytest.raises(argparse.ArgumentTypeError):
            whole_number(bad)
