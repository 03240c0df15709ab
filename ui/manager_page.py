"""The base of every page of the manager screen (日结, 对账, 人员, and the stock pages of ui/stock*.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from pos.bootstrap import Till
from pos.domain.users import User

from .messages import error_text
from .ops import OpRunner
from .style import ERROR_COLOR, INFO_COLOR


class ManagerPage(QWidget):
    """A page of the manager screen: a status line, the person using it, the service's runner and the
    way to ask a yes/no question."""

    report_view: Any = None  # a ReportView when the page shows a printable report (the screen asks every page)

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._user = user
        self._ask = ask
        self.status = QLabel("")
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)

    def say(self, text: str, color: str = INFO_COLOR) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};")

    def fail(self, exc: BaseException) -> None:
        self.say(error_text(exc), ERROR_COLOR)
