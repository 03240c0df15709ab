"""Fonts and the style sheet of the till: large type for a counter, big targets for touch."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget

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
QPushButton#keypadKey { font-size: 26px; font-weight: bold; min-height: 56px; padding: 2px 6px; }
#paymentDialog #changeLabel { font-size: 44px; font-weight: bold; }
#paymentDialog QPushButton#tenderButton { padding: 2px 4px; }
#accountTable { font-size: 18px; }
#returnMessage { font-size: 17px; }
#doneLabel { font-size: 20px; font-weight: bold; }
#voucherRefundTo { font-size: 18px; min-height: 44px; padding: 0 8px; }
#returnDialog QPushButton#smallButton { font-size: 18px; min-height: 48px; }
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


# The style sheet's sizes are drawn for a 1280×800 counter screen; other screens scale them.
DESIGN_SIZE = QSize(1280, 800)
MIN_FACTOR, MAX_FACTOR = 0.8, 1.5
MIN_TOUCH_PX = 44  # a finger needs this much, whatever the screen
MIN_FONT_PX = 13
BASE_POINT_SIZE = 12

WINDOW_MODES = ("fullscreen", "maximized", "normal")

_factor = 1.0
_FITTER_PROPERTY = "lianxinDialogFitter"  # set on the application once its _DialogFitter is installed
_target: QRect | None = None  # a screen area given by a test or `make screenshots` instead of the real one
_PX = re.compile(r"(?P<prop>[a-z-]+)\s*:\s*(?P<rest>[^;{}]*)")
_NUM = re.compile(r"(\d+(?:\.\d+)?)px")


def factor_for(size: QSize) -> float:
    """How much to scale the 1280×800 design for a screen of ``size`` (0.8 on 1024×768, 1.35 on 1920×1080)."""
    if size.width() <= 0 or size.height() <= 0:
        return 1.0
    f = min(size.width() / DESIGN_SIZE.width(), size.height() / DESIGN_SIZE.height())
    return max(MIN_FACTOR, min(MAX_FACTOR, f))


def factor() -> float:
    """The scale the style sheet was last applied with."""
    return _factor


def px(n: float) -> int:
    """``n`` design pixels (at 1280×800) on this screen; never 0 for a non-zero size."""
    v = round(n * _factor)
    return max(v, 1) if n > 0 else v


def touch_px(n: float) -> int:
    """A height someone taps: ``px(n)`` but never under 44 px."""
    return max(MIN_TOUCH_PX, px(n))


def scaled(css: str, f: float | None = None) -> str:
    """``css`` with every ``NNpx`` scaled by ``f`` (default: the current factor).

    Heights that were meant for a finger (``min-height`` of 44 px and more) stay at least 44 px,
    fonts at least 13 px, borders at least 1 px.
    """
    f = _factor if f is None else f

    def one_property(m: re.Match[str]) -> str:
        prop = m.group("prop")

        def one_number(n: re.Match[str]) -> str:
            v = float(n.group(1))
            out = round(v * f)
            if v > 0:
                out = max(out, 1)
            if prop in ("min-height", "height") and v >= MIN_TOUCH_PX:
                out = max(out, MIN_TOUCH_PX)
            if prop == "font-size":
                out = max(out, min(MIN_FONT_PX, round(v)))
            return f"{out}px"

        head = m.group(0)[: m.start("rest") - m.start()]
        return head + _NUM.sub(one_number, m.group("rest"))

    return _PX.sub(one_property, css)


def set_target_screen(rect: QRect | None) -> None:
    """Lay screens out for ``rect`` instead of the real screen (tests, ``make screenshots``)."""
    global _target
    _target = QRect(rect) if rect is not None else None


def target_screen(widget: QWidget | None = None) -> QRect:
    """The area a window may fill: the target set for tests, else the available area of its screen."""
    if _target is not None:
        return QRect(_target)
    if QGuiApplication.platformName() == "offscreen":  # tests: its 800×800 pretend screen is no counter
        return QRect(0, 0, DESIGN_SIZE.width(), DESIGN_SIZE.height())
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, DESIGN_SIZE.width(), DESIGN_SIZE.height())


def apply_style(app: QApplication, screen: QRect | QSize | None = None, *, fit_dialogs: bool = True) -> float:
    """The style sheet and the application font, scaled for ``screen`` (default: the primary screen).

    Returns the factor. Dialogs shown afterwards are kept on the screen and centred (see _DialogFitter),
    unless ``fit_dialogs`` is False: then :func:`fit_dialogs_on` does it later (the paint-first start
    does so once the till behind the login has opened, see _DialogFitter).
    """
    global _factor
    if isinstance(screen, QRect):
        set_target_screen(screen)
    elif isinstance(screen, QSize):
        set_target_screen(QRect(0, 0, screen.width(), screen.height()))
    if _target is not None:
        size = _target.size()
    elif QGuiApplication.platformName() == "offscreen":
        size = DESIGN_SIZE
    else:
        primary = QGuiApplication.primaryScreen()
        size = primary.geometry().size() if primary is not None else DESIGN_SIZE
    _factor = factor_for(size)
    font = app.font()
    font.setPointSizeF(BASE_POINT_SIZE * _factor)
    app.setFont(font)
    app.setStyleSheet(scaled(STYLE_SHEET))
    if fit_dialogs:
        fit_dialogs_on(app)
    return _factor


def fit_dialogs_on(app: QApplication) -> None:
    """Install the application's _DialogFitter, once."""
    if not app.property(_FITTER_PROPERTY):  # not app.children(): wrapping each child costs ~20 ms at start-up
        app.installEventFilter(_DialogFitter(app))
        app.setProperty(_FITTER_PROPERTY, True)


def fit_to_screen(window: QWidget) -> None:
    """A dialog never larger than the screen, centred on its parent's window (or the screen), on screen."""
    area = target_screen(window)
    if window.width() > area.width() or window.height() > area.height():
        window.resize(min(window.width(), area.width()), min(window.height(), area.height()))
    parent = window.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None else area.center()
    geo = window.geometry()
    geo.moveCenter(centre)
    geo.moveLeft(max(area.left(), min(geo.left(), area.right() - geo.width() + 1)))
    geo.moveTop(max(area.top(), min(geo.top(), area.bottom() - geo.height() + 1)))
    window.move(geo.topLeft())


class _DialogFitter(QObject):
    """Every dialog, when it is shown: on the screen, centred, no larger than the screen, and given the
    keyboard; when it closes, the window under it gets the keyboard back (no window manager does it
    in a kiosk session).

    Being a Python filter of every event, it makes PySide6 wrap every object that gets one; the first
    of Qt's private objects (the gesture manager of a list) makes it build every class of QtWidgets
    (~160 enums, 30-60 ms). The paint-first start therefore installs it once the till has opened.
    """

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Hide) or not isinstance(obj, QDialog) or not obj.isWindow():
            return False
        if kind == QEvent.Type.Show:
            if not obj.isFullScreen() and not obj.isMaximized():
                fit_to_screen(obj)
            if not obj.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating):
                activate(obj)
        else:
            parent = obj.parentWidget()
            if parent is not None and parent.window().isVisible():
                activate(parent.window())
        return False


_activation = 0  # the newest activate() request; older ones' late retries do nothing


def first_field(window: QWidget) -> QWidget | None:
    """The widget that should take keys in ``window``: the one that last had the focus there, else
    the first in the tab order that takes focus."""
    current = window.focusWidget()
    if current is not None and current.isVisible() and current.isEnabled():
        return current
    w = window.nextInFocusChain()
    while w is not None and w is not window:
        if w.window() is window and w.isVisible() and w.isEnabled() \
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return w
        w = w.nextInFocusChain()
    return None


def activate(window: QWidget, focus: QWidget | None = None) -> None:
    """Give ``window`` the keyboard, also without a window manager (a kiosk session activates nothing).

    Done now and again after the show event has been handled (when the window really exists) and a
    moment later; a later request (another window shown) cancels the retries. A modal dialog that is
    open over ``window`` keeps the keyboard.
    """
    global _activation
    _activation += 1
    ticket = _activation

    def go() -> None:
        if ticket != _activation or not window.isVisible():
            return
        target_window, target = window, focus
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not window and modal.isVisible() and not modal.isAncestorOf(window):
            target_window, target = modal, None
        if QGuiApplication.platformName() != "offscreen":  # which has no stacking (and says so)
            target_window.raise_()
        target_window.activateWindow()
        if target is None or not target.isVisible() or not target.isEnabled():
            target = first_field(target_window)
        if target is not None:
            target.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    go()
    QTimer.singleShot(0, window, go)
    QTimer.singleShot(200, window, go)


def show_main(window: QWidget, mode: str = "maximized") -> None:
    """Show a main screen (checkout, manager screen) as the counter wants it.

    ``fullscreen`` for a kiosk counter, ``maximized`` (the default) on a desktop, ``normal`` a 1280×800
    window (smaller if the screen is) in the middle. The geometry is set by hand too, because without
    a window manager nobody maximises anything.
    """
    area = target_screen(window)
    if _target is None and mode == "fullscreen":
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.geometry()
    if mode == "normal":
        w, h = min(DESIGN_SIZE.width(), area.width()), min(DESIGN_SIZE.height(), area.height())
        window.setGeometry(QRect(area.left() + (area.width() - w) // 2, area.top() + (area.height() - h) // 2, w, h))
        window.show()
    else:
        window.setGeometry(area)
        if _target is not None or QGuiApplication.platformName() == "offscreen":  # a pretend screen
            window.show()
        elif mode == "fullscreen":
            window.showFullScreen()
        else:
            window.showMaximized()
    activate(window)
