"""Pictures of shifts and the day: ``python -m ui.screenshot_shift OUTDIR [--lang en]``.

On a throw-away demo database (nothing of the user's till is touched), offscreen, it saves:

* ``open_shift.png`` — 开班: cashier1 counts the float (￥100 × 2, ￥10 × 5);
* ``blind_count.png`` — 交班 before confirming: the count typed, nothing expected shown;
* ``blind_result.png`` — 交班 after confirming: expected against counted, ￥1.00 short in red;
* ``x_report.png`` — the X report of the shift (before the close);
* ``reconciliation.png`` — 对账 after the Z: the cash statement ￥1.00 short, highlighted;
* ``lock.png`` — the checkout window locked after idling, with the cashier's name.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .screenshot import HONEY, _save, _scan

SHOTS = ("open_shift", "blind_count", "blind_result", "x_report", "reconciliation", "lock")


def take(out_dir: Path, language: str | None) -> list[Path]:
    """Build each scene and save it; returns the paths written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.ledger import EntryKind
    from pos.domain.permissions import Action
    from pos.services.ports import FixedClock

    from .app import setup_application
    from .checkout import CheckoutWindow
    from .manager import ManagerScreen
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

        def settle() -> None:
            runner.wait_idle()
            app.processEvents()

        try:
            cashier = till.auth.login("cashier1", "1111")
            window = CheckoutWindow(till, runner, cashier)
            window.resize(1280, 800)
            window.show()
            settle()

            # 开班: the float counted by denomination.
            opening = window.open_shift_dialog
            assert opening is not None
            opening.editor.set_pieces(10000, 2)
            opening.editor.set_pieces(1000, 5)
            opening.editor.fields[1000].setFocus()
            settle()
            written.append(_save(opening, out_dir / "open_shift.png"))
            opening.submit()
            settle()

            # A sale in cash, then ￥100 out to the bank with the manager's PIN.
            _scan(window, runner, HONEY)
            window.pay()
            pay = window.payment_dialog
            assert pay is not None
            pay.tendered.setText("100")
            pay.confirm()
            settle()
            settle()
            approval = till.auth.approve(Action.CASH_IN_OUT, "manager1", "2222", requested_by=cashier,
                                         detail="取出现金 ￥100.00 存银行")
            till.shifts.move_cash(EntryKind.CASH_OUT, 10_000, "存银行", cashier, approval=approval)

            window.x_report()
            settle()
            x = window.report_dialog
            assert x is not None
            settle()
            written.append(_save(x, out_dir / "x_report.png"))
            x.reject()
            settle()

            # 交班: the blind count (￥237.00 against ￥238.00 expected), before and after confirming.
            window.close_shift()
            settle()
            closing = window.close_dialog
            assert closing is not None
            for denom, pieces in ((10000, 2), (1000, 3), (500, 1), (100, 2)):
                closing.editor.set_pieces(denom, pieces)
            closing.submit()  # asks to confirm; nothing expected is shown yet
            settle()
            written.append(_save(closing, out_dir / "blind_count.png"))
            closing.submit()
            settle()
            settle()
            written.append(_save(closing, out_dir / "blind_result.png"))
            closing.accept()
            settle()
            window.close()

            # The manager takes the Z and reconciles: the cash deposit is ￥1.00 short.
            manager = till.auth.login("manager1", "2222")
            screen = ManagerScreen(till, runner, manager, back_text=None)
            screen.ask = lambda question: True  # type: ignore[method-assign]
            screen.resize(1280, 800)
            screen.show()
            settle()
            assert screen.day_page is not None and screen.reconcile_page is not None
            screen.day_page.z_close()
            settle()
            settle()
            page = screen.reconcile_page
            screen.show_page("reconcile")
            page.fields["cash"].setText("87")
            page.fields["wechat"].setText("0")
            page.notes.setText("现金短款1元，交班已记录")
            page.fields["cash"].setFocus()
            settle()
            written.append(_save(screen, out_dir / "reconciliation.png"))
            screen.reject()
            settle()

            # The next day's cashier steps away: the window locks.
            from pos.domain.closing import CashCount

            till.shifts.open(cashier, CashCount.of({1000: 10}))
            window = CheckoutWindow(till, runner, cashier)
            window.resize(1280, 800)
            window.show()
            settle()
            _scan(window, runner, HONEY)
            window.lock()
            settle()
            written.append(_save(window, out_dir / "lock.png"))
            window.close()
        finally:
            runner.shutdown()
            till.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot_shift", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    args = parser.parse_args(argv)
    for path in take(args.out_dir, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
