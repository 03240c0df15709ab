"""Pictures of the devices in the till: ``python -m ui.screenshot_devices OUTDIR [--lang en]``.

On a throw-away demo database with a printer that fails (``dummy:?fail=1``): a cash sale whose
receipt went to the print queue, so the checkout's status strip shows 待打印 1; then the
print-queue dialog, the sync panel and the hardware settings screen (as the manager).
Writes checkout-devices.png, print-queue.png, sync-panel.png and settings.png at 1280×800.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .screenshot import HONEY, HUAJIAO, _save, _scan


def take(outdir: Path, language: str | None, size: tuple[int, int] = (1280, 800)) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.closing import CashCount
    from pos.services.ports import FixedClock

    from .app import setup_application
    from .checkout import CheckoutWindow
    from .ops import OpRunner
    from .settings import HardwareSettingsDialog

    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lianxin-shot-") as tmp:
        os.environ["LIANXIN_HOME"] = str(Path(tmp) / "home")
        os.environ.setdefault("LIANXIN_SYNC_SECRETS", "file")
        cfg = load_config(db=Path(tmp) / "till.db", printer="dummy:?fail=1", display="dummy:")
        clock = FixedClock(datetime(2026, 11, 22, 2, 31, 5, tzinfo=UTC), step=timedelta(seconds=3))
        till = open_till(cfg, create=True, demo=True, clock=clock)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app, language)
        runner = OpRunner()
        try:
            cashier = till.auth.login("cashier1", "1111")
            till.shifts.open(cashier, CashCount())
            window = CheckoutWindow(till, runner, cashier)
            window.resize(*size)
            window.show()
            runner.wait_idle()
            for code in (HUAJIAO, HONEY):
                _scan(window, runner, code)
            window.pay()
            dialog = window.payment_dialog
            assert dialog is not None
            dialog.tendered.setText("200")
            dialog.confirm()
            runner.wait_idle()
            runner.wait_idle()
            _scan(window, runner, HUAJIAO)
            window.status_strip.refresh()
            runner.wait_idle()
            app.processEvents()
            written.append(_save(window, outdir / "checkout-devices.png"))

            window.open_print_queue()
            runner.wait_idle()
            queue = window.print_queue_dialog
            assert queue is not None
            app.processEvents()
            written.append(_save(queue, outdir / "print-queue.png"))
            queue.reject()
            app.processEvents()

            window.open_sync_panel()
            runner.wait_idle()
            panel = window.sync_panel
            assert panel is not None
            app.processEvents()
            written.append(_save(panel, outdir / "sync-panel.png"))
            panel.reject()
            app.processEvents()

            manager = till.auth.login("manager1", "2222")
            settings = HardwareSettingsDialog(till, runner, manager)
            settings.resize(*size)
            settings.show()
            runner.wait_idle()
            app.processEvents()
            written.append(_save(settings, outdir / "settings.png"))
            settings.close()
            window.close()
        finally:
            runner.shutdown()
            till.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot_devices", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    args = parser.parse_args(argv)
    for path in take(args.outdir, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
