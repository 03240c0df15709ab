"""Pictures of 会员 and 促销 at the checkout: ``python -m ui.screenshot_members OUTDIR [--lang en]``.

On a throw-away demo database (nothing of the user's till is touched), offscreen, with the demo
promotions (resources/demo/promotions-demo.csv) in force and two members whose numbers end in 1234,
it saves for a 1024×768 and a 1920×1080 counter (``OUTDIR/<W>x<H>/``):

* ``member_pick.png`` — 会员: the last 4 digits typed, the pick list of masked numbers, names, tiers, points;
* ``member_new.png`` — 新会员: a number nobody has, the registration form;
* ``member_sale.png`` — the sale with 王芳 on it (金卡, 今天生日, points from an earlier sale): two 枇杷礼盒
  (第二件半价), 土蜂蜜 at the 会员价, 满100减10 on the basket, 100 points used (积分抵扣); each line's
  promotion in 优惠 and the promotions named above the total.

Whatever does not fit the screen (ui.fit) is printed; the exit status is 1 if anything does not.
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

LOQUAT_BOX = "6945837000943"  # 茂县枇杷礼盒 2.5kg, ￥128.00: 第二件半价 in the demo promotions
PROMOTIONS = Path(__file__).resolve().parents[1] / "resources" / "demo" / "promotions-demo.csv"
SIZES = ((1024, 768), (1920, 1080))


def take(out_dir: Path, language: str | None, size: tuple[int, int]) -> tuple[list[Path], list[str]]:
    """Build each scene at ``size`` and save it; returns the paths written and what does not fit."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.cart import Cart
    from pos.domain.closing import CashCount
    from pos.domain.tenders import Tender, TenderKind
    from pos.services.ports import FixedClock

    from .app import setup_application
    from .checkout import CheckoutWindow
    from .fit import problems
    from .ops import OpRunner
    from .style import apply_style

    written: list[Path] = []
    unfit: list[str] = []
    screen = QRect(0, 0, *size)
    with tempfile.TemporaryDirectory(prefix="lianxin-shot-") as tmp:
        os.environ["LIANXIN_HOME"] = str(Path(tmp) / "home")
        cfg = load_config(db=Path(tmp) / "till.db", printer="dummy:", display="dummy:?type=vfd")
        # 2026-11-22 10:31 in Pinghu: 王芳's birthday.
        clock = FixedClock(datetime(2026, 11, 22, 2, 31, 5, tzinfo=UTC), step=timedelta(seconds=3))
        till = open_till(cfg, create=True, demo=True, clock=clock)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app, language)
        apply_style(app, QSize(*size))
        runner = OpRunner()

        def settle() -> None:
            for _ in range(3):
                runner.wait_idle()
                app.processEvents()

        def check(widget: object, name: str) -> None:
            unfit.extend(f"{size[0]}x{size[1]} {name}: {p}" for p in problems(widget, screen))  # type: ignore[arg-type]

        try:
            cashier = till.auth.login("cashier1", "1111")
            till.shifts.open(cashier, CashCount())
            till.promotions.import_file(PROMOTIONS, till.auth.login("manager1", "2222"))
            wang = till.members.add("13800131234", "王芳", tier="金卡", birthday="11-22", by=cashier)
            till.members.add("13977771234", "李强", by=cashier)
            # An earlier sale of hers earned the points she uses on this one.
            earlier = Cart().with_context(till.promotions.context(wang)).add(till.scan(LOQUAT_BOX).product, 2)
            till.checkout.complete_sale(earlier, [Tender(TenderKind.CASH, 50_000)], cashier)

            window = CheckoutWindow(till, runner, cashier)
            window.resize(*size)
            window.show()
            settle()
            for code in (LOQUAT_BOX, LOQUAT_BOX, HONEY):
                _scan(window, runner, code)

            # 新会员: a number nobody has.
            window.open_member()
            dialog = window.member_dialog
            assert dialog is not None
            dialog.field.setText("13512345678")
            dialog.confirm()
            settle()
            dialog.name_field.setText("陈静")
            settle()
            check(dialog, "member_new")
            written.append(_save(dialog, out_dir / "member_new.png"))
            dialog.reject()
            settle()

            # 会员 by the last 4 digits: the pick list.
            window.open_member()
            dialog = window.member_dialog
            assert dialog is not None
            dialog.field.setText("1234")
            dialog.confirm()
            settle()
            check(dialog, "member_pick")
            written.append(_save(dialog, out_dir / "member_pick.png"))
            dialog.confirm()  # the first row: 王芳
            settle()
            window.redeem_points()  # 积分抵扣: as many as the sale may take
            assert window.value_dialog is not None
            window.value_dialog.field.setText("100")
            window.value_dialog.confirm()
            settle()

            window.select_row(0)
            settle()
            check(window, "member_sale")
            written.append(_save(window, out_dir / "member_sale.png"))
            window.close()
        finally:
            runner.shutdown()
            till.close()
    return written, unfit


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot_members", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNGs (one folder per screen size)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    args = parser.parse_args(argv)
    unfit: list[str] = []
    for w, h in SIZES:
        paths, bad = take(args.out / f"{w}x{h}", args.lang, (w, h))
        unfit += bad
        for path in paths:
            print(path)
    for line in unfit:
        print(line, file=sys.stderr)
    return 1 if unfit else 0


if __name__ == "__main__":
    raise SystemExit(main())
