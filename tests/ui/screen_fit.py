"""Checks that a dialog fits a counter's screen: the till's style sheet scaled for a screen size, and
every visible button, label and placeholder whose text does not fit its widget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QStyle, QStyleOptionButton, QWidget

from ui import style


def sheet_for(size: QSize) -> str:
    """The till's style sheet as the app applies it on a screen of ``size`` (scaled from 1280×800)."""
    if hasattr(style, "scaled") and hasattr(style, "factor_for"):
        return style.scaled(style.STYLE_SHEET, style.factor_for(size))
    return style.STYLE_SHEET


def cut_off(dialog: QWidget) -> list[str]:
    """Every visible button, label and placeholder whose text is wider than its widget, and every
    button under 44 px or outside the dialog."""
    problems = []
    inside = dialog.rect()
    for w in dialog.findChildren(QWidget):
        if not w.isVisibleTo(dialog):
            continue
        fm = w.fontMetrics()
        if isinstance(w, QPushButton):
            option = QStyleOptionButton()
            option.initFrom(w)
            if w.isChecked():
                option.state |= QStyle.StateFlag.State_On
            room = w.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, w).width()
            for line in w.text().split("\n"):
                if fm.horizontalAdvance(line) > room:
                    problems.append(f"button {line!r}: {fm.horizontalAdvance(line)} > {room}")
            if w.height() < 44:
                problems.append(f"button {w.text()!r} only {w.height()} px high")
            if not inside.contains(w.rect().translated(w.mapTo(dialog, w.rect().topLeft()))):
                problems.append(f"button {w.text()!r} outside the dialog")
        elif isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                room = w.contentsRect()
                needed = fm.boundingRect(QRect(0, 0, room.width(), 100_000), Qt.TextFlag.TextWordWrap, w.text()).height()
                if needed > room.height():
                    problems.append(f"label {w.text()!r} needs {needed} px, has {room.height()}")
            elif fm.horizontalAdvance(w.text()) > w.width():
                problems.append(f"label {w.text()!r}: {fm.horizontalAdvance(w.text())} > {w.width()}")
        elif isinstance(w, QLineEdit) and w.placeholderText():
            room = w.width() - 2 * 12  # the field's frame and padding
            if fm.horizontalAdvance(w.placeholderText()) > room:
                problems.append(f"placeholder {w.placeholderText()!r}: {fm.horizontalAdvance(w.placeholderText())} > {room}")
    return problems


def settled(qtbot: Any, dialog: QWidget, screen: QSize, timeout: int = 3_000) -> None:
    """Nothing cut off once the layout has caught up with the last text change (as the cashier sees it):
    this module's check and the till's own (ui.fit, also used by ``make screenshots``)."""
    from ui import fit

    area = QRect(0, 0, screen.width(), screen.height())

    def found() -> list[str]:
        return cut_off(dialog) + fit.problems(dialog, area)

    try:
        qtbot.waitUntil(lambda: not found(), timeout=timeout)
    except AssertionError:
        assert found() == []
        raise
