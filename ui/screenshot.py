"""A picture of the checkout window in use: ``python -m ui.screenshot OUT.png [--lang en]``.

Builds the window offscreen on a throw-away demo database (nothing of the user's till is
touched), logs in cashier1, rings up one sale with a weighed item and pays cash, starts the
next sale with two items, and saves the window at 1280×800.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Sales of the first demo sale: two counted goods (one twice) and apples by weight.
FIRST_SALE = ("6945837000172", "6972316000521", "6945837000172", "101")
FIRST_WEIGHT_KG = "1.255"
TENDERED_FEN = 20_000
NEXT_SALE = ("6945837000455", "6923905000170")


def _scan(window, runner, code: str) -> None:  # noqa: ANN001 - Qt objects built lazily
    window.scan_field.setText(code)
    window.submit_scan()
    runner.wait_idle()


def take(out: Path, language: str | None, size: tuple[int, int] = (1280, 800)) -> Path:
    """Build the scene and save the PNG; returns ``out``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.services.ports import FixedClock

    from .app import setup_application
    from .checkout import CheckoutWindow
    from .ops import OpRunner

    with tempfile.TemporaryDirectory(prefix="lianxin-shot-") as tmp:
        os.environ["LIANXIN_HOME"] = str(Path(tmp) / "home")
        cfg = load_config(db=Path(tmp) / "till.db", printer="dummy:")
        clock = FixedClock(datetime(2026, 11, 22, 2, 31, 5, tzinfo=UTC), step=timedelta(seconds=3))
        till = open_till(cfg, create=True, demo=True, clock=clock)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app, language)
        runner = OpRunner()
        try:
            cashier = till.auth.login("cashier1", "1111")
            window = CheckoutWindow(till, runner, cashier)
            window.resize(*size)
            window.show()
            for code in FIRST_SALE:
                _scan(window, runner, code)
                if window.quantity_dialog is not None:
                    window.quantity_dialog.field.setText(FIRST_WEIGHT_KG)
                    window.quantity_dialog.ok_button.click()
            window.pay_cash()
            assert window.payment_dialog is not None
            window.payment_dialog.set_tendered(TENDERED_FEN)
            window.payment_dialog.confirm()
            runner.wait_idle()
            runner.wait_idle()  # the print job queued by the completed sale
            for code in NEXT_SALE:
                _scan(window, runner, code)
            app.processEvents()
            out.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(out)):
                raise OSError(f"could not write {out}")
            window.close()
        finally:
            runner.shutdown()
            till.close()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    w, _, h = args.size.partition("x")
    path = take(args.out, args.lang, (int(w), int(h)))
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
