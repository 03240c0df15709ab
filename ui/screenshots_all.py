"""Every main screen at every counter size: ``python -m ui.screenshots_all [--out DIR]`` (``make screenshots``).

On a throw-away demo database (nothing of the user's till is touched), offscreen, each screen is
built at 1024×768, 1366×768 and 1920×1080, in Chinese and in English, saved as
``DIR/<size>/<language>/<screen>.png`` (default DIR /tmp/lianxin-screenshots), and checked with
:func:`ui.fit.problems`. What does not fit is printed; the exit status is 1 if anything does not.

The scenes are plain functions of a :class:`Stage` (the demo till, the op runner, a cashier and a
manager) that return the shown widget; the UI tests reuse them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

SIZES: tuple[tuple[int, int], ...] = ((1024, 768), (1366, 768), (1920, 1080))
LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_OUT = Path("/tmp/lianxin-screenshots")

HUAJIAO, HONEY, WALNUTS = "6945837000172", "6972316000521", "6945837000455"


@dataclass
class Stage:
    """What a scene needs: the demo till with cashier1's shift open, the runner, two people."""

    app: Any
    till: Any
    runner: Any
    cashier: Any
    manager: Any

    def settle(self) -> None:
        for _ in range(3):
            self.runner.wait_idle()
            self.app.processEvents()


def close_all(stage: Stage) -> None:
    """Close every window a scene left open (dialogs first), and let Qt delete them."""
    from PySide6.QtWidgets import QApplication, QDialog

    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in sorted(tops, key=lambda w: not isinstance(w, QDialog)):
        if isinstance(w, QDialog):
            w.done(0)
        w.close()
        w.deleteLater()
    stage.settle()


# -- the scenes: each shows one screen and returns it ------------------------------------------------


def _show(stage: Stage, dialog: Any) -> Any:
    dialog.show()
    stage.settle()
    return dialog


def _checkout(stage: Stage, *codes: str) -> Any:
    from .checkout import CheckoutWindow
    from .style import show_main

    window = CheckoutWindow(stage.till, stage.runner, stage.cashier)
    show_main(window, "maximized")
    stage.settle()
    for code in codes:
        window.scan_field.setText(code)
        window.submit_scan()
        stage.settle()
    return window


def scene_login(stage: Stage) -> Any:
    from .login import LoginDialog

    return _show(stage, LoginDialog(stage.till, stage.runner))


def scene_checkout(stage: Stage) -> Any:
    return _checkout(stage, HUAJIAO, HONEY, HUAJIAO, WALNUTS)


def scene_lock(stage: Stage) -> Any:
    window = _checkout(stage, HONEY)
    window.lock()
    stage.settle()
    return window


def scene_payment(stage: Stage) -> Any:
    window = _checkout(stage, HUAJIAO, HONEY)
    window.pay()
    stage.settle()
    return window.payment_dialog


def scene_returns(stage: Stage) -> Any:
    window = _checkout(stage)
    window.open_returns()
    stage.settle()
    return window.return_dialog


def _manager(stage: Stage, page: str) -> Any:
    from .manager import ManagerScreen
    from .style import show_main

    screen = ManagerScreen(stage.till, stage.runner, stage.manager)
    show_main(screen, "maximized")
    stage.settle()
    screen.show_page(page)
    stage.settle()
    return screen


def scene_manager_day(stage: Stage) -> Any:
    from .manager import Z_PAGE

    return _manager(stage, Z_PAGE)


def scene_manager_reconcile(stage: Stage) -> Any:
    from .manager import RECONCILE_PAGE

    return _manager(stage, RECONCILE_PAGE)


def scene_manager_people(stage: Stage) -> Any:
    from .manager import PEOPLE_PAGE

    return _manager(stage, PEOPLE_PAGE)


def scene_add_person(stage: Stage) -> Any:
    from .manager import AddPersonDialog

    return _show(stage, AddPersonDialog(stage.till, stage.runner, stage.manager))


def scene_open_shift(stage: Stage) -> Any:
    from .shift import OpenShiftDialog

    dialog = OpenShiftDialog(stage.till, stage.runner, stage.cashier)
    dialog.editor.set_pieces(10000, 2)
    return _show(stage, dialog)


def scene_shift_menu(stage: Stage) -> Any:
    from .shift import ShiftMenuDialog

    return _show(stage, ShiftMenuDialog(stage.till, stage.runner))


def scene_cash_out(stage: Stage) -> Any:
    from pos.domain.ledger import EntryKind

    from .shift import CashMoveDialog

    return _show(stage, CashMoveDialog(stage.till, stage.runner, stage.cashier, EntryKind.CASH_OUT))


def scene_close_shift(stage: Stage) -> Any:
    from .shift import CloseShiftDialog

    dialog = CloseShiftDialog(stage.till, stage.runner, stage.cashier)
    dialog.editor.set_pieces(10000, 1)
    return _show(stage, dialog)


def scene_holds(stage: Stage) -> Any:
    from .holds import HeldSalesDialog

    return _show(stage, HeldSalesDialog(stage.till, stage.runner))


def scene_search(stage: Stage) -> Any:
    from .search import SearchDialog

    return _show(stage, SearchDialog(stage.till, stage.runner, "苹果"))


def scene_quantity(stage: Stage) -> Any:
    from .quantity import QuantityDialog

    product = stage.till.lookup.find(HONEY)
    return _show(stage, QuantityDialog(product, lambda _q: None, current=2))


def scene_weight(stage: Stage) -> Any:
    from .quantity import QuantityDialog

    product = stage.till.lookup.find("101")
    return _show(stage, QuantityDialog(product, lambda _q: None, runner=stage.runner, read_weight=lambda: None))


def scene_discount(stage: Stage) -> Any:
    from .i18n import translate
    from .value_dialog import ValueDialog

    quick = [(f"{n}折", f"{n}折") for n in ("9.5", "9", "8.8", "8")]
    return _show(stage, ValueDialog(translate("CheckoutWindow", "整单折扣"), translate("CheckoutWindow", "折扣"),
                                    translate("CheckoutWindow", "输入 10%、9折 或金额 5（减 5 元）；0 取消。超过 10% 需店长授权"), lambda _t: None,
                                    quick=quick))


def scene_approval(stage: Stage) -> Any:
    from pos.domain.permissions import Action

    from .approval import ApprovalDialog

    return _show(stage, ApprovalDialog(stage.till, stage.runner, stage.cashier, Action.LINE_VOID,
                                       reason="删除商品行需要店长授权", detail="松阳土蜂蜜 500g ￥88.00"))


def scene_variants(stage: Stage) -> Any:
    from .variants import VariantDialog

    base = stage.till.lookup.find(HONEY)
    variants = [replace(base, sku=f"V-{c}-{s}", style="羽绒服-男款", color=c, size=s)
                for c in ("黑色", "藏青") for s in ("M", "L", "XL", "XXL")]
    return _show(stage, VariantDialog(variants))


def scene_settings(stage: Stage) -> Any:
    from .settings import HardwareSettingsDialog

    return _show(stage, HardwareSettingsDialog(stage.till, stage.runner, stage.manager))


def scene_print_queue(stage: Stage) -> Any:
    from .device_panels import PrintQueueDialog

    return _show(stage, PrintQueueDialog(stage.till, stage.runner))


def scene_sync_panel(stage: Stage) -> Any:
    from .device_panels import SyncPanel

    return _show(stage, SyncPanel(stage.till, stage.runner))


def scene_wizard(stage: Stage) -> Any:
    from pos.config import load_config

    try:
        from .wizard import FirstRunWizard
    except ImportError:
        return None
    cfg = load_config(db=Path(stage.till.config.db).with_name("wizard.db"), printer="dummy:")
    return _show(stage, FirstRunWizard(cfg, stage.runner))


# The screens helper L looks after (the fit tests walk these), then the others' main screens.
OWN_SCENES: dict[str, Callable[[Stage], Any]] = {
    "login": scene_login, "lock": scene_lock, "manager_day": scene_manager_day,
    "manager_reconcile": scene_manager_reconcile, "manager_people": scene_manager_people,
    "add_person": scene_add_person, "open_shift": scene_open_shift, "shift_menu": scene_shift_menu,
    "cash_out": scene_cash_out, "close_shift": scene_close_shift, "holds": scene_holds, "search": scene_search,
    "quantity": scene_quantity, "weight": scene_weight, "discount": scene_discount, "approval": scene_approval,
    "variants": scene_variants, "settings": scene_settings, "print_queue": scene_print_queue,
    "sync_panel": scene_sync_panel,
}
SCENES: dict[str, Callable[[Stage], Any]] = {
    "checkout": scene_checkout, "payment": scene_payment, "returns": scene_returns, **OWN_SCENES,
    "wizard": scene_wizard,
}


@contextmanager
def screen_size(app: Any, size: tuple[int, int], language: str | None) -> Iterator[None]:
    """Lay out for a ``size`` screen in ``language`` (zh_CN or en) inside the block; back to normal after."""
    from PySide6.QtCore import QRect

    from .i18n import install_language, remove_language
    from .style import apply_style, set_target_screen

    if language and language != "zh_CN":
        install_language(language)
    else:
        remove_language()
    apply_style(app, QRect(0, 0, *size))
    try:
        yield
    finally:
        set_target_screen(None)
        remove_language()
        apply_style(app)


def check_scene(stage: Stage, name: str, save_to: Path | None = None) -> list[str]:
    """Build scene ``name``, save it as a PNG if asked, and return what does not fit (each line named)."""
    from .fit import problems

    scene = SCENES[name]
    try:
        widget = scene(stage)
        if widget is None:
            print(f"note: {name}: not available in this build, skipped")
            return []
        found = [f"{name}: {p}" for p in problems(widget)]
        if save_to is not None:
            save_to.parent.mkdir(parents=True, exist_ok=True)
            widget.grab().save(str(save_to))
        return found
    finally:
        close_all(stage)


@contextmanager
def demo_stage() -> Iterator[Stage]:
    """A throw-away demo till (茂县专柜 MX01) with cashier1's shift open, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pos.bootstrap import open_till
    from pos.config import load_config
    from pos.domain.closing import CashCount

    from .app import setup_application
    from .ops import OpRunner

    with tempfile.TemporaryDirectory(prefix="lianxin-shots-") as tmp:
        os.environ["LIANXIN_HOME"] = str(Path(tmp) / "home")
        cfg = load_config(db=Path(tmp) / "till.db", printer="dummy:")
        till = open_till(cfg, create=True, demo=True)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app, None)
        runner = OpRunner()
        try:
            cashier = till.auth.login("cashier1", "1111")
            till.shifts.open(cashier, CashCount())
            manager = till.auth.login("manager1", "2222")
            yield Stage(app, till, runner, cashier, manager)
        finally:
            runner.shutdown()
            till.close()


def take_all(out: Path, sizes: Sequence[tuple[int, int]] = SIZES, languages: Sequence[str] = LANGUAGES,
             names: Sequence[str] | None = None) -> list[str]:
    """Save every scene at every size and language under ``out``; returns every fit problem found."""
    found: list[str] = []
    with demo_stage() as stage:
        for size in sizes:
            for language in languages:
                with screen_size(stage.app, size, language):
                    for name in names or SCENES:
                        path = out / f"{size[0]}x{size[1]}" / language / f"{name}.png"
                        lines = check_scene(stage, name, path)
                        found.extend(f"{size[0]}×{size[1]} {language} {p}" for p in lines)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots_all", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the PNGs (default {DEFAULT_OUT})")
    parser.add_argument("--only", nargs="*", choices=sorted(SCENES), help="only these screens")
    parser.add_argument("--size", nargs="*", help="only these sizes, e.g. 1024x768")
    parser.add_argument("--lang", nargs="*", choices=LANGUAGES, help="only these languages")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.size] if args.size else SIZES
    found = take_all(args.out, sizes, args.lang or LANGUAGES, args.only)  # type: ignore[arg-type]
    print(f"screenshots in {args.out}")
    for line in found:
        print(line)
    print(f"{len(found)} fit problem(s)" if found else "every screen fits")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
