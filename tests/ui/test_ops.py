"""The op runner: work happens off the GUI thread; results come back on it, in order per lane."""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

import pytest

from ui.ops import Lane, OpRunner


def test_ops_run_off_the_gui_thread_and_report_back_on_it(qtbot: Any, runner: OpRunner) -> None:
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    results: list[tuple[int, int]] = []
    runner.run(Lane.WRITER, work, lambda value: results.append((value, threading.get_ident())))
    assert runner.wait_idle()
    assert results == [(42, gui)]
    assert seen["worker"] != gui


def test_results_of_one_lane_arrive_in_submission_order(qtbot: Any, runner: OpRunner) -> None:
    got: dict[Lane, list[int]] = {lane: [] for lane in Lane}
    for i in range(60):
        for lane in Lane:
            # Earlier ops sleep longer: order must come from the lane, not from timing.
            runner.run(lane, lambda i=i: (time.sleep(0.0005 * (60 - i) / 10), i)[1], got[lane].append)
    assert runner.wait_idle()
    for lane in Lane:
        assert got[lane] == list(range(60))


def test_a_failure_goes_to_the_failure_callback(qtbot: Any, runner: OpRunner) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("bad")

    runner.run(Lane.READER, boom, lambda _: pytest.fail("no success expected"), errors.append)
    assert runner.wait_idle()
    assert [str(e) for e in errors] == ["bad"]


def test_a_slow_write_does_not_hold_up_lookups(qtbot: Any, runner: OpRunner) -> None:
    gate = threading.Event()
    done: list[str] = []
    runner.run(Lane.WRITER, gate.wait, lambda _: done.append("write"))
    runner.run(Lane.READER, lambda: "found", done.append)
    qtbot.waitUntil(lambda: done == ["found"])
    assert runner.pending(Lane.WRITER) == 1 and not runner.is_idle()
    gate.set()
    assert runner.wait_idle()
    assert done == ["found", "write"]


def test_idle_changes_are_signalled(qtbot: Any, runner: OpRunner) -> None:
    with qtbot.waitSignal(runner.idle_changed, check_params_cb=lambda idle: idle):
        runner.run(Lane.DEVICE, lambda: None)


def test_while_a_runner_lives_python_collects_garbage_only_on_the_gui_thread(qapp: Any) -> None:
    was = gc.isenabled()
    r = OpRunner()
    try:
        assert not gc.isenabled()
    finally:
        r.shutdown()
    assert gc.isenabled() == was


def test_shutdown_lets_queued_work_finish(qapp: Any) -> None:
    r = OpRunner()
    finished: list[int] = []
    r.run(Lane.WRITER, lambda: (time.sleep(0.05), finished.append(1)))
    r.shutdown()
    assert finished == [1]
    with pytest.raises(RuntimeError):
        r.run(Lane.WRITER, lambda: None)
