"""Fonts and the style sheet of the till: large type for a counter, big targets for touch."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger("lianxin.ui")

FONT_FILE = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "wqy-microhei.ttc"
UI_FAMILY = "WenQuanYi Micro Hei"
MONO_FAMILY = "WenQuanYi Micro Hei Mono"  # for the receipt: fixed-width ASCII

ERROR_COLOR = "#c62828"
OK_COLOR = "#2e7d32"
INFO_COLOR = "#37474f"

STYLE_SHEET = """
QWidget { font-size: 16px; }
#header { background: #1f3a5f; }
#header QLabel { color: white; font-size: 18px; }
#header #storeLabel { font-size: 22px; font-weight: bold; }
#scanField { font-size: 28px; padding: 6px 10px; border: 2px solid #1f3a5f; border-radius: 6px; }
#scanLabel { font-size: 18px; font-weight: bold; color: #1f3a5f; }
#message { font-size: 18px; padding: 4px 8px; min-height: 30px; }
#cartTable { font-size: 19px; }
#cartTable QHeaderView::section { font-size: 16px; padding: 6px; background: #e8edf3; border: none;
    border-bottom: 1px solid #b0bec5; }
#totalsBar { background: #fff8e1; border: 1px solid #ffe0a3; border-radius: 6px; }
#countLabel { font-size: 22px; color: #37474f; }
#totalLabel { font-size: 44px; font-weight: bold; color: #c62828; }
#receiptTitle { font-size: 18px; font-weight: bold; color: #1f3a5f; }
#receiptNo { font-size: 18px; }
#receiptView { background: #eceff1; border: 1px solid #cfd8dc; }
#printStatus { font-size: 16px; }
QPushButton { font-size: 20px; min-height: 64px; padding: 4px 14px; border-radius: 6px;
    background: #eceff1; border: 1px solid #b0bec5; }
QPushButton:pressed { background: #cfd8dc; }
QPushButton:disabled { color: #9e9e9e; background: #f5f5f5; }
QPushButton#payButton { background: #2e7d32; color: white; font-size: 24px; font-weight: bold; border: none; }
QPushButton#payButton:disabled { background: #a5d6a7; }
QPushButton#dangerButton { color: #b71c1c; }
#dueLabel { font-size: 40px; font-weight: bold; color: #c62828; }
#changeLabel { font-size: 32px; font-weight: bold; }
#tenderedField { font-size: 32px; padding: 6px; }
#loginTitle { font-size: 24px; font-weight: bold; color: #1f3a5f; }
#userList { font-size: 20px; }
#userList::item { min-height: 44px; }
#pinField { font-size: 28px; padding: 6px; }
#quantityField { font-size: 28px; padding: 6px; }
"""


def load_fonts(app: QApplication) -> str | None:
    """Load the bundled CJK font and make it the application font; return its family.

    Without it Chinese shows as empty boxes on a machine with no CJK font installed.
    """
    font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load the bundled font %s; Chinese may not render", FONT_FILE)
        return None
    family = UI_FAMILY if UI_FAMILY in families else families[0]
    font = QFont(family)
    font.setPointSize(12)
    app.setFont(font)
    return family


def apply_style(app: QApplication) -> None:
    app.setStyleSheet(STYLE_SHEET)
