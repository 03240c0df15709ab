"""Run in a fresh process: start the till (or an empty Qt window) and report when it is usable.

``python -m bench.startup_child till DB T0`` or ``… empty - T0`` where T0 is the parent's
time.time() just before it spawned this process. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). getrusage's ru_maxrss is not used: Linux
    carries it across exec, so a child spawned by a big parent would report the parent's peak."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    mode, db, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    result: dict[str, float] = {}

    def usable() -> None:
        # First turn of the event loop after show(): the window has been laid out and painted.
        result["usable_s"] = time.time() - t0
        app.quit()

    if mode == "empty":
        w = QWidget()
        w.resize(1280, 800)
        w.show()
    else:
        from pos.bootstrap import open_till
        from pos.config import load_config
        from ui.app import TillSession, setup_application
        from ui.ops import OpRunner

        setup_application(app, None)
        till = open_till(load_config(db=db, printer="dummy:", device_key=os.environ["BENCH_DEVICE_KEY"]))
        runner = OpRunner()
        session = TillSession(till, runner)
        user = till.auth.login("cashier1", "1111")  # what the login dialog does on Enter
        window = session.open_checkout(user)
        w = window
    QTimer.singleShot(0, usable)
    app.exec()
    if mode != "empty":
        # a few scans so the memory figure includes a working till, not only a painted one
        for code in sys.argv[4:]:
            till.scan(code)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip teardown: start-up is what is measured


if __name__ == "__main__":
    main()
