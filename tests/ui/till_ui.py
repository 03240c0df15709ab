"""Helpers for the UI tests: demo catalogue codes, typing a scan, waiting for ops, reading the journal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from pos.bootstrap import Till
from pos.domain.ledger import JournalEntry, parse_stored
from pos.store.uow import iter_journal
from ui.checkout import CheckoutWindow
from ui.ops import OpRunner

# From resources/demo/catalog_MX.csv
HUAJIAO = "6945837000172"  # 茂县大红袍花椒 100g, ￥28.00
HONEY = "6972316000521"  # 松阳土蜂蜜 500g, ￥88.00
WALNUTS = "6945837000455"  # 茂县核桃 500g, ￥35.00
APPLE_PLU = "101"  # 茂县冰糖心苹果（特级）, ￥16.80 per kg, weighed


def wait_ops(qtbot: Any, runner: OpRunner) -> None:
    """Wait until every op submitted so far has been delivered back on the GUI thread."""
    qtbot.waitUntil(runner.is_idle, timeout=15_000)


def scan(qtbot: Any, window: CheckoutWindow, code: str, *, wait: bool = True) -> None:
    """Type ``code`` into the scan field and press Enter, as a keyboard-wedge scanner does."""
    qtbot.keyClicks(window.scan_field, code)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    if wait:
        wait_ops(qtbot, window.runner)


def journal(till: Till, kind: str | None = None) -> list[JournalEntry]:
    with till.db.reader.connect() as conn:
        rows = [parse_stored(r) for r in iter_journal(conn, till.identity.terminal_id)]
    return [e for e in rows if kind is None or e.kind == kind]


def press(qtbot: Any, window: CheckoutWindow, key: Qt.Key) -> None:
    """Press ``key`` in the scan field once the till window is active again (shortcuts need it;
    after a dialog closes, the window manager gives activation back asynchronously)."""
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.scan_field, key)


def commit_text(widget: Any, text: str) -> None:
    """What a Chinese IME does when the cashier picks a word: commit it into the focused field.

    (``qtbot.keyClicks`` with Chinese text aborts the process; this is the way to type it.)
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press_in(qtbot: Any, dialog: Any, widget: Any, key: Qt.Key) -> None:
    """Press ``key`` in ``widget`` of ``dialog`` once the dialog is the active window (its F-keys need it)."""
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.keyClick(widget, key)


def type_enter(qtbot: Any, widget: Any, text: str) -> None:
    """Type ASCII ``text`` into ``widget`` (replacing a selection) and press Enter."""
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
