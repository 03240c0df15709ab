"""Pictures of the manager's stock pages (issue 15): ``python -m ui.screenshot_stock OUTDIR [--lang en]
[--size 1024x768]``.

On a throw-away demo database (nothing of the user's till is touched) it receives two 山海快车
delivery notes (unless the demo store already has batches), sells from them (eggs sold past zero),
and saves: ``stock.png`` (库存 with the eggs' lots), ``expiry.png`` (临期), ``expiry_settings.png`` (its 品类设置 open), ``receive_file.png`` (a
delivery note's preview), ``receive_problems.png`` (a wrong note's rows), ``receive_scan.png`` (the
scanner with a line added and a refused one), ``writeoff.png``, ``count.png`` (a sheet's variances),
``batches.png`` (the batch report) and ``checkout_expired.png`` (the cashier's warning). Offscreen
unless a display is set (run it under ``Xvfb :78 -screen 0 1024x768x24`` with ``DISPLAY=:78``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .screenshot import _save, _scan

EGGS = "6972316000170"

NOTES = {
    "SHKC-2026-47.csv": """批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号,检疫证明编号
SHKC-2026-47,松阳县山海农产品专业合作社,13857800047,2026-11-15,MX-F001,80,9.60,2026-12-05,茂县,HG2026111501,
SHKC-2026-47,,,,MX-E001,12,28.00,2026-11-21,松阳,HG2026111502,
SHKC-2026-47,,,,MX-M001,20.5,62.00,2026-11-24,松阳,HG2026111503,JY3301252026111501
""",
    "SHKC-2026-48.csv": """批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号,检疫证明编号
SHKC-2026-48,松阳县山海农产品专业合作社,13857800047,2026-11-21,MX-F001,60,9.80,2026-12-10,茂县,HG2026112101,
SHKC-2026-48,,,,MX-F004,25,14.00,2026-11-25,茂县,HG2026112102,
SHKC-2026-48,,,,MX-E001,30,28.00,2026-12-05,松阳,HG2026112103,
SHKC-2026-48,,,,MX-M003,15,36.00,2026-11-23,松阳,HG2026112104,
""",
}
BAD_NOTE = """批次号,供应商,联系方式,到货日期,商品编码,数量,进价,到期日,产地,合格证编号
SHKC-2026-49,松阳县山海农产品专业合作社,13857800047,2026-11-22,MX-F001,80,9.605,2026-12-05,茂县,HG1
SHKC-2026-49,,,,MX-X999,3,1.00,2026-12-05,茂县,HG2
SHKC-2026-49,,,,MX-E001,30,28.00,2026-12-01,松阳,
SHKC-2026-50,,,,MX-E002,10,12.00,2026-11-20,松阳,HG4
"""


def take(out_dir: Path, language: str | None, size: tuple[int, int] = (1280, 800)) -> list[Path]:
    """Build each scene and save it; returns the paths written."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.cart import Cart
    from pos.domain.closing import CashCount
    from pos.domain.stock import WriteOffReason
    from pos.domain.tenders import Tender, TenderKind
    from pos.services.ports import FixedClock

    from .app import setup_application
    from .checkout import CheckoutWindow
    from .manager import ManagerScreen
    from .ops import OpRunner
    from .stock import NearExpiryPage, StockPage
    from .stock_adjust import CountPage, WriteOffPage
    from .stock_receiving import SCAN_MODE, ReceivingPage
    from .style import apply_style

    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lianxin-shot-") as tmp:
        os.environ["LIANXIN_HOME"] = str(Path(tmp) / "home")
        cfg = load_config(db=Path(tmp) / "till.db", printer="dummy:")
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

        try:
            manager = till.auth.login("manager1", "2222")
            cashier = till.auth.login("cashier1", "1111")
            if not till.stock.stock_list():
                for name, text in NOTES.items():
                    path = Path(tmp) / name
                    path.write_text(text, encoding="utf-8")
                    till.stock.receive_file(path, manager)
            till.shifts.open(cashier, CashCount())
            eggs = till.lookup.find(EGGS)
            apples = till.lookup.find("MX-F001")
            for cart in (Cart().add(eggs, 2).add(apples, 2350), Cart().add(apples, 1200), Cart().add(eggs, 1)):
                till.checkout.complete_sale(cart, [Tender(TenderKind.CASH, _due(cart) + 1000)], cashier)
            honey = till.lookup.find("MX-H001")
            till.stock.take_count({"MX-H001": 6}, manager)  # followed from now on: 6 jars on the shelf
            pending = till.stock.pending_counts()
            till.stock.approve_count(pending[-1].count_no, None, by=manager)
            till.checkout.complete_sale(Cart().add(honey, 8), [Tender(TenderKind.CASH, _due(Cart().add(honey, 8)) + 1000)],
                                        cashier)  # two jars more than the books: sold past zero
            till.stock.write_off("MX-M001", 500, WriteOffReason.SPOILED.value, manager, note="冷柜温度过高")

            screen = ManagerScreen(till, runner, manager)
            screen.ask = lambda question: True  # type: ignore[method-assign]
            screen.resize(*size)
            screen.show()
            settle()

            stock = screen.show_page("stock")
            assert isinstance(stock, StockPage)
            settle()
            row = stock.presenter.row_of("MX-E001")
            if row is not None:
                stock.table.selectRow(row)
            settle()
            written.append(_save(screen, out_dir / "stock.png"))

            expiry = screen.show_page("expiry")
            assert isinstance(expiry, NearExpiryPage)
            settle()
            written.append(_save(screen, out_dir / "expiry.png"))
            expiry.settings_button.click()  # 品类设置: the category settings under the list, a row being edited
            fruit = [r.category for r in expiry.settings.presenter.rows].index("水果")
            expiry.settings.table.selectRow(fruit)
            settle()
            written.append(_save(screen, out_dir / "expiry_settings.png"))

            receive = screen.show_page("receive")
            assert isinstance(receive, ReceivingPage)
            good = Path(tmp) / "送货单-SHKC-2026-49.csv"
            good.write_text(NOTES["SHKC-2026-48.csv"].replace("SHKC-2026-48", "SHKC-2026-49")
                            .replace("2026-11-21", "2026-11-22"), encoding="utf-8")
            receive.open_file(str(good))
            settle()
            written.append(_save(screen, out_dir / "receive_file.png"))
            bad = Path(tmp) / "送货单-有错.csv"
            bad.write_text(BAD_NOTE, encoding="utf-8")
            receive.open_file(str(bad))
            settle()
            written.append(_save(screen, out_dir / "receive_problems.png"))

            receive.set_mode(SCAN_MODE)
            receive.batch_field.setText("SHKC-2026-50")
            receive.supplier_field.setText("松阳县山海农产品专业合作社")
            receive.contact_field.setText("13857800047")
            for code, qty, cost, expiry_day, cert in ((EGGS, "20", "28", "2026-12-06", "编号:HG2026112201;产地:松阳"),
                                                      ("MX-F004", "12.5", "14", "2026-11-28", "HG2026112202")):
                for field, value in ((receive.code_field, code), (receive.qty_field, qty), (receive.cost_field, cost),
                                     (receive.expiry_field, expiry_day), (receive.origin_field, "松阳"),
                                     (receive.cert_field, cert)):
                    field.setText(value)
                receive.add_line()
                settle()
            for field, value in ((receive.code_field, "MX-E002"), (receive.qty_field, "10"), (receive.cost_field, "12"),
                                 (receive.expiry_field, "2026-12-01")):
                field.setText(value)
            receive.add_line()  # eggs without their 合格证: refused, the line stays typed
            settle()
            written.append(_save(screen, out_dir / "receive_scan.png"))

            write_off = screen.show_page("writeoff")
            assert isinstance(write_off, WriteOffPage)
            write_off.find("MX-M003")
            settle()
            write_off.set_reason(WriteOffReason.SPOILED)
            write_off.qty_field.setText("1.2")
            write_off.note_field.setText("包装破损漏气")
            settle()
            written.append(_save(screen, out_dir / "writeoff.png"))

            count = screen.show_page("count")
            assert isinstance(count, CountPage)
            till.stock.take_count({"MX-F001": 134_000, "MX-E001": 37, "MX-M003": 14_600}, manager)
            count.sheet.add("MX-F004", "茂县枇杷（大果）", True, 24_300)
            count.sheet.add("MX-E002", "松阳土鸡蛋 10枚装", False, 0)
            count._draw_sheet()
            count.refresh()
            settle()
            written.append(_save(screen, out_dir / "count.png"))

            screen.show_page("batches")
            settle()
            written.append(_save(screen, out_dir / "batches.png"))
            screen.reject()
            settle()

            window = CheckoutWindow(till, runner, cashier)
            window.resize(*size)
            window.show()
            settle()
            _scan(window, runner, "MX-H001")  # honey: no lot expires
            _scan(window, runner, EGGS)  # the eggs of the 15th expired on the 21st: a warning, the sale goes on
            settle()
            written.append(_save(window, out_dir / "checkout_expired.png"))
            window.close()
        finally:
            runner.shutdown()
            till.close()
    return written


def _due(cart: object) -> int:
    return sum(line.amount_fen for line in cart.lines)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot_stock", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    w, _, h = args.size.partition("x")
    for path in take(args.out_dir, args.lang, (int(w), int(h))):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
