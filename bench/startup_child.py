"""Run in a fresh process: start the till (or an empty Qt window) and report when it is usable.

``python -m bench.startup_child till DB T0 [CODE …]``, ``… empty - T0`` or ``… bare - T0`` where T0 is the parent's
time.time() just before it spawned this process. Prints one JSON line. The till reads its settings
where a till does (LIANXIN_HOME's config.toml, set up by the parent); DB is given as ``POS_DB``.

"Usable" is what a cashier sees: the first window has been painted *and* the event loop has
answered a key press posted right after that paint. The probe watches the first window from its
``show()`` (an event filter on that window alone); the checkout, once the till is open, through the
application. The till is started the way ``python main.py``
starts it (main.py's ``main()`` with no arguments), so the figure includes the config, the
first-paint read and everything else a real start does before its first window. After that the
child records when the till behind the login window has opened (``till_ready_s``), logs in as
cashier1 at once and records when the checkout window is painted (``checkout_s``), then scans a few
codes so the memory figure is a working till's, not only a painted one's. While the till opens
behind the login window a 5 ms timer runs on the GUI thread: ``max_stall_ms`` is its longest gap,
how long a key press could have waited.

``bare`` is a second, informative floor: a window of the login's make (the bundled CJK font, the
till's style sheet, a QDialog with labels, a user list, a PIN field and two buttons) in PySide6
alone, no till code — what any PySide6 program pays to draw such a window.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any

PROBE_KEY = 0x0100003F  # Qt.Key.Key_F35: no window of the till does anything with it


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


def bare_login_window(app: Any) -> Any:
    from pathlib import Path

    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout

    from ui.style import FONT_FILE, STYLE_SHEET  # PySide6 only: the till's font file and style sheet text

    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(Path(FONT_FILE))))
    if families:
        app.setFont(QFont(families[0], 12))
    app.setStyleSheet(STYLE_SHEET)
    dialog = QDialog()
    dialog.setMinimumSize(520, 560)
    users = QListWidget()
    for name in ("张小芳（收银员）  cashier1", "李明（收银员）  cashier2", "王店长（店长）  manager1", "会计（会计）  accountant1"):
        users.addItem(name)
    pin = QLineEdit()
    pin.setEchoMode(QLineEdit.EchoMode.Password)
    buttons = QHBoxLayout()
    buttons.addWidget(QPushButton("退出 Esc"))
    buttons.addWidget(QPushButton("登录 Enter"), 1)
    layout = QVBoxLayout(dialog)
    for widget in (QLabel("连心收银 · 登录"), QLabel("金平湖鲜到家 · 茂县专柜    收银机 MX01"), QLabel("用户"), users,
                   QLabel("密码"), pin, QLabel("")):
        layout.addWidget(widget)
    layout.addLayout(buttons)
    dialog.show()
    pin.setFocus()
    return dialog


def main() -> None:
    mode, db, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    result: dict[str, float] = {}
    state: dict[str, Any] = {}

    def done() -> None:
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        sys.stdout.flush()
        os._exit(0)  # skip teardown: start-up is what is measured

    def window_name(obj: QObject) -> str | None:
        if not obj.isWidgetType():
            return None
        return type(obj.window()).__name__  # type: ignore[attr-defined]

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            kind = event.type()
            if kind == QEvent.Type.Paint and "painted_s" not in result and window_name(obj) in state["first"]:
                result["painted_s"] = time.time() - t0
                target = obj.window()  # type: ignore[attr-defined]
                state["first_window"] = target
                QCoreApplication.postEvent(target, QKeyEvent(QEvent.Type.KeyPress, PROBE_KEY, Qt.KeyboardModifier.NoModifier))
            elif kind == QEvent.Type.KeyPress and "usable_s" not in result \
                    and isinstance(event, QKeyEvent) and event.key() == PROBE_KEY:
                result["usable_s"] = time.time() - t0
                QTimer.singleShot(0, after_usable)
            elif kind == QEvent.Type.Paint and "checkout_s" not in result and window_name(obj) == "CheckoutWindow":
                result["checkout_s"] = time.time() - t0
                QTimer.singleShot(0, after_checkout)
            return False

    def after_usable() -> None:
        if mode != "till":
            done()
        state["last_tick"], state["stall"] = time.perf_counter(), 0.0
        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(tick)
        ticker.start()
        state["ticker"] = ticker
        wait_for_till()

    def tick() -> None:
        now = time.perf_counter()
        state["stall"] = max(state["stall"], now - state["last_tick"])
        state["last_tick"] = now

    def wait_for_till() -> None:
        login = state["first_window"]
        if not getattr(login, "till_ready", True):
            QTimer.singleShot(2, wait_for_till)
            return
        result["till_ready_s"] = time.time() - t0
        state["ticker"].stop()
        tick()
        result["max_stall_ms"] = state["stall"] * 1000
        app.installEventFilter(watch)  # from now on every window: the checkout's paint
        state["till"] = login._till
        login.select_login("cashier1")
        login.pin.setText("1111")
        login.submit()  # what Enter does

    def after_checkout() -> None:
        till = state["till"]
        for code in sys.argv[4:]:  # a few scans: the memory figure is a working till's
            till.scan(code)
        done()

    watch = Watch()
    # The first window is watched from its show(), not through an application-wide filter: a Python
    # filter of every event makes PySide6 wrap every object that gets one, and the first of Qt's private
    # objects (a list's gesture manager) makes it build every class of QtWidgets, 30-60 ms that neither
    # the till nor a bare PySide6 program pays without such a probe.
    shown = QWidget.show

    def show_watched(widget: QWidget) -> None:
        if type(widget).__name__ in state["first"]:
            widget.installEventFilter(watch)
        shown(widget)

    QWidget.show = show_watched  # type: ignore[method-assign]
    if mode == "empty":
        state["first"] = {"QWidget"}
        w = QWidget()
        w.resize(1280, 800)
        w.show()
        app.exec()
        return
    if mode == "bare":
        state["first"] = {"QDialog"}
        state["window"] = bare_login_window(app)
        app.exec()
        return
    state["first"] = {"LoginDialog", "CheckoutWindow"}
    os.environ["POS_DB"] = db
    sys.argv = [sys.argv[0]]  # `python main.py`: no command
    import main as till_main

    QTimer.singleShot(60_000, lambda: (print(json.dumps({"error": "no usable window in 60 s", **result})), os._exit(3)))
    till_main.main()
    print(json.dumps({"error": "the till ended before it was measured", **result}))
    sys.exit(3)


if __name__ == "__main__":
    main()
