"""Fixtures for the till's windows: a demo till, the op runner, a logged-in cashier, the window.

Chinese text must never go through ``qtbot.keyClicks`` (it aborts the process); barcodes, PLUs
and amounts are ASCII and are typed like a keyboard-wedge scanner would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pos.bootstrap import Till
from pos.domain.users import User
from ui.checkout import CheckoutWindow
from ui.i18n import remove_language
from ui.ops import OpRunner


@pytest.fixture
def runner(qapp: Any) -> Iterator[OpRunner]:
    r = OpRunner()
    yield r
    r.wait_idle()
    r.shutdown()


@pytest.fixture
def cashier(demo_till: Till) -> User:
    return demo_till.auth.login("cashier1", "1111")


@pytest.fixture
def window(qtbot: Any, demo_till: Till, runner: OpRunner, cashier: User) -> CheckoutWindow:
    w = CheckoutWindow(demo_till, runner, cashier)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(runner.is_idle, timeout=15_000)  # the open shift is read on the writer thread
    return w


@pytest.fixture(autouse=True, scope="session")
def bundled_font(qapp: Any) -> None:
    """The till's own font as the application font for every window test, as the till sets it at
    start-up, so what fits does not depend on which test happened to run first in a worker."""
    from ui.style import load_fonts

    load_fonts(qapp)


@pytest.fixture(autouse=True)
def chinese_ui() -> Iterator[None]:
    """Every test starts (and ends) with the Chinese UI, whatever another test installed."""
    remove_language()
    yield
    remove_language()
