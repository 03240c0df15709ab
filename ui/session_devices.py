"""What the till session runs for the whole application: the keyboard-wedge filter (scans go to the
checkout window in use) and background sync with head office (started when the till opens if it
is enrolled, woken after each sale, stopped when the session ends)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from pos.bootstrap import Till

from .ops import Lane, OpRunner
from .qtcompat import emit
from .wedge import WedgeFilter

log = logging.getLogger("lianxin.ui")

SYNC_INTERVAL_S = 60.0


class SessionDevices(QObject):
    sync_report = Signal(object)  # a SyncReport from the background thread, on the GUI thread

    def __init__(self, till: Till, runner: OpRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self.runner = runner
        self.window: Any = None
        self.wedge = WedgeFilter(till.devices.wedge_detector(), self, ready=self._ready)
        self.wedge.add_target(self._scan)
        self.sync_started = False
        self.sync_report.connect(self._reported)

    def _reported(self, _report: Any) -> None:
        window = self.window
        if window is not None:
            window.status_strip.refresh_sync()

    def start(self) -> None:
        self.wedge.install(QApplication.instance())  # type: ignore[arg-type]

    def set_window(self, window: Any) -> None:
        """The checkout window now in use (None after logout)."""
        self.window = window
        if window is not None:
            window.sale_completed.connect(lambda _done: self.sync_soon())
            self.start_sync()

    def _ready(self) -> bool:
        window = self.window
        return bool(window is not None and window.can_take_scan())

    def _scan(self, code: str) -> bool:
        window = self.window
        return bool(window is not None and window.accept_scan(code))

    # -- background sync ---------------------------------------------------------------------

    def start_sync(self) -> None:
        if self.sync_started:
            return
        till = self.till
        self.runner.run(Lane.READER, lambda: till.sync.status().enrolled, self._enrolled,
                        lambda exc: log.warning("sync status unavailable: %s", exc))

    def _enrolled(self, enrolled: bool) -> None:
        if not enrolled or self.sync_started:
            return
        self.sync_started = True
        self.till.sync.start_background(SYNC_INTERVAL_S, on_report=self._report)

    def _report(self, report: Any) -> None:  # the sync thread
        try:
            emit(self.sync_report, report)
        except RuntimeError:
            pass

    def sync_soon(self) -> None:
        if self.sync_started:
            self.till.sync.sync_soon()

    def stop(self) -> None:
        self.wedge.remove()
        if self.sync_started:
            self.sync_started = False
            self.till.sync.stop(timeout=5.0)
