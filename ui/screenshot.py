"""Pictures of the till in use: ``python -m ui.screenshot OUT.png [--payment PAY.png] [--returns RET.png]``.

Builds the window offscreen on a throw-away demo database (nothing of the user's till is
touched) and logs in cashier1. The first sale (花椒 ×2, 蜂蜜, apples from a scale label) is paid
WeChat + cash; the next sale is left open with a line discount, a whole-sale discount and the
store's 抹零, so the totals bar shows 合计 / 优惠 / 抹零 / 应收. The window is saved at 1280×800;
with ``--payment`` the split-tender dialog is saved too (WeChat taken, cash being typed), and
with ``--returns`` the return dialog for the first sale (the honey coming back).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

HUAJIAO, HONEY, WALNUTS, RICE = "6945837000172", "6972316000521", "6945837000455", "6923905000170"
FIRST_SALE = (HUAJIAO, HONEY, HUAJIAO)
APPLE_LABEL = (101, 2108)  # PLU 101 冰糖心苹果（特级）, ￥21.08 printed by the scale
NEXT_SALE = (WALNUTS, RICE)
NEXT_LABEL = (102, 1607)  # PLU 102 冰糖心苹果（一级）, ￥16.07
WECHAT_CODE = "134567890123456789"


def _scan(window, runner, code: str) -> None:  # noqa: ANN001 - Qt objects built lazily
    window.scan_field.setText(code)
    window.submit_scan()
    runner.wait_idle()


def _label(plu: int, amount_fen: int) -> str:
    from pos.domain.scan import DEFAULT_SCALE_FORMATS

    return DEFAULT_SCALE_FORMATS[0].encode(plu, amount_fen=amount_fen, flag="21")


def _save(widget, out: Path) -> Path:  # noqa: ANN001
    out.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(out)):
        raise OSError(f"could not write {out}")
    return out


def take(out: Path, language: str | None, size: tuple[int, int] = (1280, 800), *, payment: Path | None = None,
         returns: Path | None = None) -> list[Path]:
    """Build the scenes and save the PNGs; returns the paths written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.tenders import TenderKind
    from pos.services.ports import FixedClock

    from .app import setup_application
    from .checkout import CheckoutWindow
    from .ops import OpRunner

    written: list[Path] = []
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
            if hasattr(till, "shifts"):  # sales need an open shift
                from pos.domain.closing import CashCount

                till.shifts.open(cashier, CashCount())
            window = CheckoutWindow(till, runner, cashier)
            window.resize(*size)
            window.show()

            # The first sale: WeChat (code scanned) for part, the rest in cash.
            for code in (*FIRST_SALE, _label(*APPLE_LABEL)):
                _scan(window, runner, code)
            window.pay()
            dialog = window.payment_dialog
            assert dialog is not None
            dialog.select_kind(TenderKind.WECHAT)
            dialog.tendered.setText("150.00")
            dialog.reference.setText(WECHAT_CODE)
            dialog.confirm()
            dialog.set_tendered(5_000)
            dialog.confirm()
            runner.wait_idle()
            runner.wait_idle()  # the print job queued by the completed sale
            receipt_no = window.last_receipt_no

            # The next sale, left open: 9.5折 on the rice, 9.5折 on the sale (under the cashier's 10 %
            # together, so 收款 needs no manager), 抹零 on the rest.
            for code in (*NEXT_SALE, _label(*NEXT_LABEL)):
                _scan(window, runner, code)
            window.select_row(1)
            window.discount_line()
            window.value_dialog.field.setText("9.5折")
            window.value_dialog.confirm()
            window.discount_sale()
            window.value_dialog.field.setText("9.5折")
            window.value_dialog.confirm()
            window.select_row(1)
            app.processEvents()
            written.append(_save(window, out))

            if payment is not None:
                window.pay()
                dialog = window.payment_dialog
                assert dialog is not None
                dialog.select_kind(TenderKind.WECHAT)
                dialog.tendered.setText("100.00")
                dialog.reference.setText(WECHAT_CODE)
                dialog.confirm()
                dialog.tendered.setText("100")
                app.processEvents()
                written.append(_save(dialog, payment))
                dialog.reject()
                app.processEvents()

            if returns is not None and receipt_no:
                window.open_returns()
                ret = window.return_dialog
                assert ret is not None
                ret.receipt_field.setText(receipt_no)
                ret.look_up()
                runner.wait_idle()
                ret.set_quantity(1, "1")  # the honey
                runner.wait_idle()
                ret.reason.setText("包装破损")
                app.processEvents()
                written.append(_save(ret, returns))
                ret.reject()
                app.processEvents()
            window.close()
        finally:
            runner.shutdown()
            till.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG file to write (the checkout window)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--payment", type=Path, default=None, help="also save the split-tender dialog here")
    parser.add_argument("--returns", type=Path, default=None, help="also save the return dialog here")
    args = parser.parse_args(argv)
    w, _, h = args.size.partition("x")
    for path in take(args.out, args.lang, (int(w), int(h)), payment=args.payment, returns=args.returns):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
