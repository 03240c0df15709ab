"""Pictures of the accountant's desk: ``python -m ui.screenshot_accountant OUTDIR [--lang en] [--size 1024x768]``.

On a throw-away demo database (nothing of the user's till is touched) it trades three weeks of
November 2026 (花椒, 蜂蜜, 核桃, 大米 at different hours, cash, WeChat and Alipay), logs in the
accountant (accountant1) and saves, at each size:

* ``accountant_products_WxH.png`` — 商品销售汇总 for November, with its totals row;
* ``accountant_daily_WxH.png`` — 销售日报 for November;
* ``accountant_charts_WxH.png`` — the charts: sales by day, by category, by hour;
* ``accountant_accounts_WxH.png`` — 挂账对账单 (the partner co-op buys on account once a week);
* ``accountant_payment_WxH.png`` — the 回款 dialog, a payment typed in.

Run it offscreen, or under Xvfb to see what a real X server draws (``Xvfb :79 -screen 0 1024x768x24 &``,
then ``DISPLAY=:79 QT_QPA_PLATFORM=xcb python -m ui.screenshot_accountant OUT --size 1024x768``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .screenshot import HONEY, HUAJIAO, RICE, WALNUTS, _save

SIZES = ((1024, 768), (1920, 1080))


def _at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time of the demo store (UTC+8) as the UTC instant its clock gives."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def trade_november(till) -> int:  # noqa: ANN001 - the Till, imported lazily
    """Three weeks of sales, a few a day at different hours; returns how many were made."""
    from pos.domain.cart import Cart
    from pos.domain.closing import CashCount
    from pos.domain.tenders import Tender, TenderKind

    cashier = till.auth.login("cashier1", "1111")
    baskets = ((HUAJIAO, 2), (HONEY, 1), (WALNUTS, 3), (RICE, 1), (HUAJIAO, 1), (HONEY, 2))
    kinds = (TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY)
    made = 0
    for n in range(21):
        day = date(2026, 11, 1) + timedelta(days=n)
        till.clock.at = _at_local(day, 9)
        till.shifts.open(cashier, CashCount())
        for i, hour in enumerate((9, 10, 11, 12, 15, 17, 18)[: 2 + (n * 3) % 6]):
            till.clock.at = _at_local(day, hour, (7 * n + 11 * i) % 60)
            code, qty = baskets[(n + i) % len(baskets)]
            cart = Cart().add(till.lookup.find(code), qty + (n % 2))
            kind = kinds[(n + i) % len(kinds)]
            ref = None if kind is TenderKind.CASH else f"{134567890123456789 + n * 10 + i}"
            tender = Tender(kind, cart.total_fen, reference=ref)
            if n % 7 == 4 and i == 0:  # once a week the partner co-op buys on account (挂账)
                tender = Tender(TenderKind.ACCOUNT, cart.total_fen, reference="MXGXS")
            till.checkout.complete_sale(cart, [tender], cashier)
            made += 1
        till.clock.at = _at_local(day, 21)
        till.shifts.close(cashier, CashCount())
    return made


def take(out_dir: Path, language: str | None, sizes: Sequence[tuple[int, int]] = SIZES) -> list[Path]:
    """Build the desk for each size and save the PNGs; returns the paths written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.services.ports import FixedClock

    from .accountant import AccountantScreen
    from .app import setup_application
    from .ops import OpRunner

    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lianxin-shot-") as tmp:
        os.environ["LIANXIN_HOME"] = str(Path(tmp) / "home")
        cfg = load_config(db=Path(tmp) / "till.db", printer="dummy:")
        clock = FixedClock(datetime(2026, 11, 1, 1, 0, tzinfo=UTC), step=timedelta(seconds=3))
        till = open_till(cfg, create=True, demo=True, clock=clock)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app, language)
        runner = OpRunner()

        def settle() -> None:
            for _ in range(3):
                runner.wait_idle()
                app.processEvents()

        try:
            trade_november(till)
            till.clock.at = _at_local(date(2026, 11, 22), 10, 30)
            accountant = till.auth.login("accountant1", "3333")
            for w, h in sizes:
                screen = AccountantScreen(till, runner, accountant, back_text=screen_back_text())
                screen.resize(w, h)
                screen.show()
                settle()
                screen.select_report("products")
                settle()
                written.append(_save(screen, out_dir / f"accountant_products_{w}x{h}.png"))
                screen.select_report("daily")
                settle()
                written.append(_save(screen, out_dir / f"accountant_daily_{w}x{h}.png"))
                screen.show_charts()
                settle()
                written.append(_save(screen, out_dir / f"accountant_charts_{w}x{h}.png"))
                screen.select_report("accounts")
                settle()
                written.append(_save(screen, out_dir / f"accountant_accounts_{w}x{h}.png"))
                screen.record_payment()
                dialog = screen.payment_dialog
                dialog.amount.setText("300.00")
                dialog.note.setText("农行回单 20261120-0031")
                settle()
                written.append(_save(dialog, out_dir / f"accountant_payment_{w}x{h}.png"))
                dialog.reject()
                screen.done(0)
                screen.deleteLater()
                settle()
        finally:
            runner.shutdown()
            till.close()
    return written


def screen_back_text() -> str:
    from .i18n import translate

    return translate("app", "退出登录")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot_accountant", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default=None)
    parser.add_argument("--size", action="append", default=None, help="WxH, e.g. 1024x768 (repeatable)")
    args = parser.parse_args(argv)
    sizes = [tuple(int(x) for x in s.lower().split("x")) for s in args.size] if args.size else list(SIZES)
    for path in take(args.out, args.lang, sizes):  # type: ignore[arg-type]
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
