"""Helpers for device tests: the printer test helpers on the path, and socat pty pairs."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (str(_HERE), str(_HERE.parent / "printers")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from socat_pair import SocatPair  # noqa: E402 - needs the path above


@pytest.fixture
def socat_pair(tmp_path: Path) -> Iterator[SocatPair]:
    if shutil.which("socat") is None or os.name != "posix":
        pytest.skip("needs socat (Debian package socat)")
    pair = SocatPair(tmp_path).start()
    try:
        yield pair
    finally:
        pair.stop()
