"""The PySide6 emit work-around: emitting many signals never frees ``True``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.qtcompat import emit

UI_DIR = Path(__file__).resolve().parents[2] / "ui"


class Bell(QObject):
    rang = Signal(object)


def test_a_thousand_emits_keep_true_alive(qapp: Any) -> None:
    bell = Bell()
    heard: list[object] = []
    bell.rang.connect(heard.append)
    before = sys.getrefcount(True)
    for i in range(1000):
        emit(bell.rang, i)
    assert len(heard) == 1000
    assert abs(sys.getrefcount(True) - before) < 50


def test_the_ui_emits_only_through_the_work_around() -> None:
    offenders = [
        f"{path.name}:{n}"
        for path in UI_DIR.glob("*.py") if path.name != "qtcompat.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.emit\(", line)
    ]
    assert offenders == []
