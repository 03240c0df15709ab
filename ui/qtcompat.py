"""Work-arounds for bugs in the Qt binding. Every signal the UI emits from Python goes through :func:`emit`.

PySide6 6.12.0 drops one reference to ``True`` on every ``SignalInstance.emit()`` call (the
return value is handed out without a reference). After a few hundred emits Python frees
``True`` itself and the process aborts ("bool_dealloc: deallocating True or False"). The
bug is probed once, so a binding without it is left alone.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_lock = threading.Lock()
_steals_true: bool | None = None


class _Probe(QObject):
    ping = Signal()


def emit_steals_true() -> bool:
    """True if this binding loses a reference to ``True`` on each emit (probed once)."""
    global _steals_true
    with _lock:
        if _steals_true is None:
            probe = _Probe()
            n = 16
            before = sys.getrefcount(True)
            for _ in range(n):
                probe.ping.emit()
            lost = before - sys.getrefcount(True)
            _steals_true = lost >= n // 2
            _give_back(lost if _steals_true else 0)
        return _steals_true


def _give_back(count: int) -> None:
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None
    for _ in range(count):
        incref(True)


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, giving back the reference the binding may drop."""
    signal.emit(*args)
    if emit_steals_true():
        _give_back(1)
