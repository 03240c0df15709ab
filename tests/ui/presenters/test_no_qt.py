"""Every presenter in ui/presenters works with PySide6 blocked outright (STYLE.md: screens that only
draw): one subprocess imports each module found there and makes each presenter decide something."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CODE = """
import importlib, pkgutil, sys
sys.modules['PySide6'] = None
import ui.presenters as pkg
for m in pkgutil.iter_modules(pkg.__path__):
    importlib.import_module(f'ui.presenters.{m.name}')
from ui.presenters.checkout import CheckoutPresenter
from ui.presenters.payment import PaymentPresenter
from ui.presenters.returns import ReturnsPresenter
assert CheckoutPresenter().free
assert PaymentPresenter(8800).confirm().step.value == 'accept'
assert ReturnsPresenter().next_step().value == 'no_sale'
assert not any(n.startswith('PySide6') for n, mod in sys.modules.items() if mod is not None)
print(sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)))
"""


def test_every_presenter_imports_and_decides_without_qt() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert {"checkout", "payment", "returns"} <= set(eval(done.stdout))  # noqa: S307 - our own list literal
