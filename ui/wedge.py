"""Barcode scanners for the whole application.

* :class:`WedgeFilter` — an application-wide event filter for keyboard-wedge scanners. Every
  plain text key (and Enter) goes through ``till.devices.wedge_detector()``: keys are held while
  they could be the start of a burst, a burst ending in Enter is a *scan* and goes to the scan
  target (the checkout's scan handling, whatever widget has the focus and even while a Chinese
  IME is composing); anything else is re-posted to the widget it was meant for, as it was typed.
  While no scan target could take a code (a dialog is open, the till is locked, another screen
  is in front) keys pass untouched, so dialogs that read codes (重印, 退货, PIN fields) see what
  they always saw; a target that refuses a burst gets it typed back as text + Enter.
* :class:`SerialScannerBridge` — starts ``till.devices.start_scanner`` and brings its callbacks
  (on the scanner's thread) to the GUI thread through queued signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos.domain.devices import WedgeDetector

from .qtcompat import emit

log = logging.getLogger("lianxin.ui.wedge")

_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.KeypadModifier,
          Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

ScanTarget = Callable[[str], bool]  # True: the code was taken as a scan


def _key_for(ch: str) -> int:
    cp = ord(ch.upper()) if ch.isascii() else 0
    return cp if 0x20 <= cp < 0x7F else int(Qt.Key.Key_unknown)


class WedgeFilter(QObject):
    """Tells keyboard-wedge bursts from typing for the whole application (see the module doc)."""

    scanned = Signal(str)  # every burst taken as a scan

    def __init__(self, detector: WedgeDetector, parent: QObject | None = None, *,
                 ready: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self.detector = detector
        # ready(): could a scan be taken now? If not, keys pass untouched (a burst would only be
        # typed back into the same field anyway), so dialogs and other screens see no delay.
        self.ready = ready
        self._targets: list[ScanTarget] = []
        self._held_for: list[QWidget] = []  # the widget each held key was meant for
        self._reposting = False
        self._installed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)

    # -- set-up --------------------------------------------------------------------------------

    def install(self, app: QApplication | None = None) -> None:
        app = app or QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def remove(self) -> None:
        app = QApplication.instance()
        self._timer.stop()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self._act(self.detector.interrupt())

    def add_target(self, target: ScanTarget) -> None:
        self._targets.append(target)

    def remove_target(self, target: ScanTarget) -> None:
        if target in self._targets:
            self._targets.remove(target)

    # -- the filter ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._reposting or not isinstance(watched, QWidget):
            return False  # QWindow deliveries: the same key comes again to the focus widget
        etype = event.type()
        if etype == QEvent.Type.ShortcutOverride:
            ke = event  # an F-key shortcut never reaches KeyPress: what is held was typed before it
            if isinstance(ke, QKeyEvent) and not self._is_text(ke):
                self._act(self.detector.interrupt())
            return False
        if etype != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not self._is_text(event):
            self._act(self.detector.interrupt())
            return False
        if not self.detector.pending and self.ready is not None and not self.ready():
            return False
        key = "\r" if event.key() in _ENTER else event.text()
        self._act(self.detector.feed(key, float(event.timestamp())), watched)
        if self.detector.pending:
            self._held_for.append(watched)
            self._timer.start(int(self.detector.max_gap_ms) + 5)
        else:
            self._timer.stop()
        return True

    @staticmethod
    def _is_text(event: QKeyEvent) -> bool:
        if event.isAutoRepeat() or event.modifiers() not in _PLAIN:
            return False
        if event.key() in _ENTER:
            return True
        text = event.text()
        return len(text) == 1 and text.isprintable()

    def _flush(self) -> None:
        # The timer fires max_gap_ms after the last key: whatever is held was typed by a person.
        self._act(self.detector.flush(self.detector._last + self.detector.max_gap_ms + 1))

    # -- acting on the detector's answers ---------------------------------------------------

    def _act(self, events: list[Any], fallback: QWidget | None = None) -> None:
        for ev in events:
            receivers, self._held_for = self._held_for, []
            if fallback is not None:
                receivers.append(fallback)
            if ev.kind == "scan":
                self._scan(ev.text, receivers)
            else:
                self._type(ev.text, ev.enter, receivers)

    def _receiver(self, receivers: list[QWidget]) -> QWidget | None:
        for w in receivers:
            if shiboken6.isValid(w):
                return w
        focus = QApplication.focusWidget()
        return focus

    def _scan(self, code: str, receivers: list[QWidget]) -> None:
        emit(self.scanned, code)
        for target in list(self._targets):
            try:
                if target(code):
                    QGuiApplication.inputMethod().reset()  # an IME composition in progress is dropped
                    return
            except Exception:
                log.exception("a scan target failed")
        self._type(code, True, receivers)

    def _type(self, text: str, enter: bool, receivers: list[QWidget]) -> None:
        widget = self._receiver(receivers)
        if widget is None:
            return
        self._reposting = True
        try:
            for ch in text:
                for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    if not shiboken6.isValid(widget):
                        return
                    QApplication.sendEvent(widget, QKeyEvent(etype, _key_for(ch), Qt.KeyboardModifier.NoModifier, ch))
            if enter:
                for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    if not shiboken6.isValid(widget):
                        return
                    QApplication.sendEvent(widget, QKeyEvent(etype, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier,
                                                             "\r"))
        finally:
            self._reposting = False


class SerialScannerBridge(QObject):
    """The serial scanner's callbacks (its own thread) as signals on the GUI thread."""

    code = Signal(str)
    status = Signal(bool, str)  # connected, Chinese message ("" when fine)

    def __init__(self, devices: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._devices = devices
        self.scanner: Any = None

    def start(self) -> Any:
        """Start the scanner thread (None for a keyboard-wedge scanner). Call on the DEVICE lane."""
        self.scanner = self._devices.start_scanner(self._on_code, self._on_status)
        return self.scanner

    def stop(self) -> None:
        scanner, self.scanner = self.scanner, None
        if scanner is not None:
            try:
                scanner.stop()
            except Exception:
                log.exception("stopping the serial scanner failed")

    def _on_code(self, code: str) -> None:  # scanner thread
        try:
            emit(self.code, code)
        except RuntimeError:
            pass  # the window is gone

    def _on_status(self, connected: bool, error: Any = None) -> None:  # scanner thread
        text = "" if error is None else (getattr(error, "message_zh", None) or str(error))
        try:
            emit(self.status, bool(connected), text)
        except RuntimeError:
            pass
