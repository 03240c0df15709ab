"""The one background op runner: every piece of I/O the till does runs here, off the GUI thread.

Four lanes, each a single worker thread so that ops of one kind run one at a time and in the
order they were submitted:

* ``Lane.WRITER`` — every database write (login, complete a sale). One thread owns SQLite writes.
* ``Lane.READER`` — product lookups on the reader engine; never waits behind a sale being written.
* ``Lane.DEVICE`` — the receipt printer, the drawer, the scale and the settings screen's device tests.
* ``Lane.NETWORK`` — head-office sync (立即同步, 登记).

``runner.run(lane, fn, on_success, on_failure)`` returns at once. ``fn()`` runs on the lane's
thread; its result (or exception) comes back to ``on_success``/``on_failure`` on the GUI thread
through a queued Qt signal, so callbacks of one lane arrive in submission order. The GUI thread
never waits on the database or the printer — except :meth:`OpRunner.wait_idle`, which exists for
tests and for an orderly shutdown.
"""

from __future__ import annotations

import enum
import functools
import gc
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal, Slot

from .qtcompat import emit

log = logging.getLogger("lianxin.ui.ops")

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class Lane(enum.StrEnum):
    WRITER = "writer"
    READER = "reader"
    DEVICE = "device"
    NETWORK = "network"  # head-office sync: a cycle may take minutes of retries, so it blocks nothing else


@dataclass(frozen=True, slots=True)
class _Job:
    # Only what the worker needs: the callbacks (bound to widgets) never leave the GUI thread,
    # so a worker can never drop the last reference to a widget and delete it off-thread.
    op_id: int
    lane: Lane
    fn: Callable[[], Any]


@dataclass(frozen=True, slots=True)
class _Outcome:
    op_id: int
    lane: Lane
    ok: bool
    value: Any = None
    error: BaseException | None = None


_STOP = object()


def _log_failure(exc: BaseException) -> None:
    log.error("background op failed with no failure handler", exc_info=exc)


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback belongs to a widget that Qt has already deleted (window closed)."""
    target = callback.func if isinstance(callback, functools.partial) else callback
    owner = getattr(target, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class GuiGarbageCollector(QObject):
    """Python's cycle collector runs in whichever thread happens to allocate. If it frees a cycle
    holding a Qt widget on a worker thread, the widget is destroyed off the GUI thread and the
    process crashes. So while any runner lives, automatic collection is off and the GUI thread
    collects on a timer instead (the recipe PyQt applications such as Anki use).
    """

    _users = 0
    _was_enabled = True

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._active = False
        self._interval_ms = interval_ms

    def start(self) -> None:
        if self._active:
            return
        cls = GuiGarbageCollector
        if cls._users == 0:
            cls._was_enabled = gc.isenabled()
            gc.disable()
        cls._users += 1
        self._active = True
        self._timer.start(self._interval_ms)

    def stop(self) -> None:
        if not self._active:
            return
        self._timer.stop()
        self._active = False
        cls = GuiGarbageCollector
        cls._users -= 1
        if cls._users == 0:
            gc.collect()
            if cls._was_enabled:
                gc.enable()

    def check(self) -> None:
        """Collect the generations whose thresholds were passed, like automatic GC would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = next((g for g in (2, 1, 0) if counts[g] > thresholds[g]), None)
        if generation is not None:
            gc.collect(generation)


class OpRunner(QObject):
    """Runs ops on the writer, reader and device threads; delivers results on the GUI thread.

    Create it on the GUI thread. ``idle_changed(bool)`` tells when nothing is pending.
    """

    _finished = Signal(object)  # emitted by worker threads, delivered queued on the GUI thread
    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[Lane, int] = {lane: 0 for lane in Lane}
        self._callbacks: dict[int, tuple[Success | None, Failure | None]] = {}
        self._queues: dict[Lane, queue.Queue[Any]] = {lane: queue.Queue() for lane in Lane}
        self._threads: dict[Lane, threading.Thread] = {}
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._gc = GuiGarbageCollector(self)
        self._gc.start()
        for lane in Lane:
            t = threading.Thread(target=self._work, args=(lane,), name=f"lianxin-{lane.value}", daemon=True)
            self._threads[lane] = t
            t.start()

    # -- GUI thread -------------------------------------------------------------------------

    def run(self, lane: Lane, fn: Callable[[], Any], on_success: Success | None = None,
            on_failure: Failure | None = None) -> int:
        """Queue ``fn`` on ``lane``; return an op id. Callbacks run later on the GUI thread."""
        if self._closed:
            raise RuntimeError("the op runner has been shut down")
        was_idle = self.is_idle()
        job = _Job(next(self._ids), Lane(lane), fn)
        self._callbacks[job.op_id] = (on_success, on_failure)
        self._pending[job.lane] += 1
        self._queues[job.lane].put(job)
        if was_idle:
            emit(self.idle_changed, False)
        return job.op_id

    def pending(self, lane: Lane | None = None) -> int:
        """Ops submitted whose callbacks have not run yet (on ``lane``, or on all lanes)."""
        return self._pending[lane] if lane is not None else sum(self._pending.values())

    def is_idle(self) -> bool:
        return self.pending() == 0

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every submitted op has been delivered; False on timeout.

        For tests and shutdown only: a widget must never call this.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        app = QCoreApplication.instance()
        while not self.is_idle():
            if time.monotonic() > deadline:
                return False
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)
        return True

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Let queued ops finish (a sale being written is never cut off), then stop the threads."""
        if self._closed:
            return
        self._closed = True
        for lane in Lane:
            self._queues[lane].put(_STOP)
        for t in self._threads.values():
            t.join(timeout_s)
        self._gc.stop()

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        on_success, on_failure = self._callbacks.pop(outcome.op_id)
        self._pending[outcome.lane] -= 1
        try:
            if outcome.ok:
                if on_success is not None and _alive(on_success):
                    on_success(outcome.value)
            else:
                assert outcome.error is not None
                handler = on_failure or _log_failure
                if _alive(handler):
                    handler(outcome.error)
                else:
                    _log_failure(outcome.error)
        finally:
            if self.is_idle():
                emit(self.idle_changed, True)

    # -- worker threads ---------------------------------------------------------------------

    def _work(self, lane: Lane) -> None:
        q = self._queues[lane]
        while True:
            job = q.get()
            if job is _STOP:
                return
            op_id = job.op_id
            try:
                outcome = _Outcome(op_id, lane, True, value=job.fn())
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
                outcome = _Outcome(op_id, lane, False, error=exc)
            job = None  # drop fn (and what it holds) before the GUI thread moves on
            try:
                emit(self._finished, outcome)
            except RuntimeError:  # the runner's C++ object is gone (app shutting down)
                log.warning("op %s on %s finished after the runner was deleted", op_id, lane.value)
                return
            outcome = None
