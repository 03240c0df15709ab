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
OVER_COLOR = "#ef6c00"  # 长款: more cash than expected
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
QHeaderView::section { font-size: 16px; padding: 6px; background: #e8edf3; border: none;
    border-bottom: 1px solid #b0bec5; border-right: 1px solid #dde3ea; }
QDialog QLabel { font-size: 18px; }
#totalsBar { background: #fff8e1; border: 1px solid #ffe0a3; border-radius: 6px; }
#countLabel { font-size: 19px; color: #37474f; }
#grossLabel { font-size: 19px; color: #37474f; }
#discountLabel { font-size: 19px; color: #e65100; font-weight: bold; }
#roundingLabel { font-size: 19px; color: #6d4c41; }
#totalLabel { font-size: 40px; font-weight: bold; color: #c62828; }
#saleChangeLabel { font-size: 40px; font-weight: bold; color: #2e7d32; }
#trainingBanner { background: #ef6c00; color: white; font-size: 24px; font-weight: bold; padding: 6px; }
#keyBar QPushButton { font-size: 18px; min-height: 54px; padding: 2px 6px; }
#keyBar QPushButton#payButton { font-size: 30px; }
QPushButton#trainingButton:checked { background: #ef6c00; color: white; font-weight: bold; border: none; }
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
#dialogTitle { font-size: 22px; font-weight: bold; color: #1f3a5f; }
#paySummary { background: #fff8e1; border: 1px solid #ffe0a3; border-radius: 6px; }
#sumCaption { font-size: 18px; color: #37474f; }
#sumLabel { font-size: 32px; font-weight: bold; color: #37474f; }
#remainingLabel { font-size: 32px; font-weight: bold; color: #1565c0; }
#sectionTitle { font-size: 18px; font-weight: bold; color: #1f3a5f; }
#fieldCaption { font-size: 20px; }
QPushButton#tenderButton { font-size: 19px; min-height: 60px; }
QPushButton#modeButton { font-size: 18px; min-height: 44px; }
QPushButton#modeButton:checked { background: #1f3a5f; color: white; font-weight: bold; border: none; }
QPushButton#tenderButton:checked { background: #1f3a5f; color: white; font-weight: bold; border: none; }
#payMessage { font-size: 18px; }
#referenceField, #valueField, #searchField, #qtyField, #reasonField { font-size: 24px; padding: 6px; }
#tenderTable, #searchTable, #heldTable, #returnTable, #noReceiptTable { font-size: 18px; }
QPushButton#variantCell { font-size: 18px; }
QPushButton#variantCell:focus { border: 3px solid #1f3a5f; background: #e3f2fd; }
#gridHeader { font-size: 19px; font-weight: bold; }
#approvalReason { font-size: 19px; color: #c62828; }
#refundLabel { font-size: 22px; font-weight: bold; color: #c62828; }
#saleInfo { font-size: 17px; color: #37474f; }
#changeLabel { font-size: 32px; font-weight: bold; }
#tenderedField { font-size: 32px; padding: 6px; }
#loginTitle { font-size: 24px; font-weight: bold; color: #1f3a5f; }
#userList { font-size: 20px; }
#userList::item { min-height: 44px; }
#pinField { font-size: 28px; padding: 6px; }
#quantityField { font-size: 28px; padding: 6px; }
#piecesField, #declaredField { font-size: 22px; padding: 2px 8px; min-height: 36px; }
#denomLabel { font-size: 22px; font-weight: bold; color: #1f3a5f; }
#denomAmount { font-size: 20px; color: #37474f; }
#countTotalCaption { font-size: 22px; font-weight: bold; }
#countTotal { font-size: 32px; font-weight: bold; color: #1f3a5f; }
#countedLabel { font-size: 20px; color: #1f3a5f; font-weight: bold; }
#dialogMessage { font-size: 18px; }
#resultCaption { font-size: 22px; color: #37474f; }
#resultValue { font-size: 26px; font-weight: bold; }
#varianceLabel { font-size: 30px; }
QPushButton#menuButton { font-size: 22px; min-height: 84px; }
QPushButton#reportButton { font-size: 18px; min-height: 56px; }
#shiftLabel { font-size: 18px; }
#reportSummary { font-size: 22px; font-weight: bold; color: #1f3a5f; }
#lockOverlay { background: #1a2c45; }
#lockCard { background: white; border-radius: 12px; }
#lockTitle { font-size: 40px; font-weight: bold; color: #c62828; }
#lockName { font-size: 26px; color: #1f3a5f; }
#managerHeader { background: #1f3a5f; }
#managerHeader QLabel { color: white; font-size: 18px; }
#managerHeader #storeLabel { font-size: 22px; font-weight: bold; }
QTabBar::tab { font-size: 20px; min-height: 44px; min-width: 150px; padding: 4px 18px; }
QTabBar::tab:selected { background: #1f3a5f; color: white; font-weight: bold; }
#dayLabel { font-size: 24px; font-weight: bold; color: #1f3a5f; }
#statusLabel { font-size: 19px; }
#reconTable, #peopleTable { font-size: 19px; }
#reconTable QLineEdit { font-size: 20px; padding: 0 6px; }
#dayEdit { font-size: 22px; min-height: 44px; padding: 0 8px; }
#notesField, #personField { font-size: 20px; padding: 4px; min-height: 40px; }
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
