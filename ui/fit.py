"""Does a screen fit? ``problems(widget)`` lists what a person would see cut off, off screen or too small.

Walks the visible widgets of a window (or dialog) and reports, in plain words:

- a window larger than the screen or off it; a button, label or field that sticks out of its window or
  out of a parent that clips it;
- a label (word wrap off) or button whose text is wider (or taller) than the room it has;
- a placeholder wider than its empty field;
- a button lower than 44 px (a finger needs that much).

Used by the UI tests at 1024×768, 1366×768 and 1920×1080 and by ``make screenshots``. Widgets inside a
scroll area's viewport are only checked against the viewport's own content (they may scroll into view).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect
from PySide6.QtGui import QFontMetrics, QGuiApplication, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QWidget,
)

MIN_TOUCH_PX = 44
SLACK_PX = 1  # rounding of fractional font advances


def screen_rect(widget: QWidget) -> QRect:
    """The screen area ``widget`` should fit: ui.style's target screen if one is set, else its screen's."""
    from .style import target_screen

    rect = target_screen(widget)
    return QRect(rect)


def _plain(text: str) -> str:
    """A button's text as drawn: ``&&`` is an ampersand, a single ``&`` marks the shortcut letter."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _name(widget: QWidget) -> str:
    kind = type(widget).__name__
    text = ""
    if isinstance(widget, QLabel | QPushButton | QCheckBox | QRadioButton):
        text = widget.text()
    elif isinstance(widget, QLineEdit):
        text = widget.placeholderText() or widget.text()
    if text and GuiQt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    text = " ".join(_plain(text).split())
    if len(text) > 30:
        text = text[:29] + "…"
    obj = widget.objectName()
    parts = [kind]
    if obj:
        parts.append(f"#{obj}")
    if text:
        parts.append(f"“{text}”")
    return " ".join(parts)


def _text_size(widget: QWidget, text: str) -> tuple[int, int]:
    """Width and height ``text`` needs in ``widget``'s font (rich text through a text document)."""
    if GuiQt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setDefaultFont(widget.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        return int(doc.idealWidth() + 0.999), int(doc.size().height() + 0.999)
    fm = QFontMetrics(widget.font())
    lines = text.split("\n")
    width = max(fm.horizontalAdvance(line) for line in lines)
    return width, fm.height() * len(lines)


def _check_label(label: QLabel, out: list[str], where: str) -> None:
    text = label.text()
    if not text.strip() or label.pixmap() is not None and not label.pixmap().isNull():
        return
    room = label.contentsRect()
    margin = label.margin() * 2 + max(label.indent(), 0)
    room_w, room_h = room.width() - margin, room.height() - label.margin() * 2
    if label.wordWrap():
        need_h = label.heightForWidth(label.width())
        if need_h > label.height() + SLACK_PX:
            out.append(f"{where}: {_name(label)} is cut off at the bottom (needs {need_h} px high, has "
                       f"{label.height()} px)")
        return
    need_w, need_h = _text_size(label, text)
    if need_w > room_w + SLACK_PX:
        out.append(f"{where}: {_name(label)} is cut off (text needs {need_w} px, has {room_w} px)")
    elif need_h > room_h + SLACK_PX + 2:
        out.append(f"{where}: {_name(label)} is cut off at the bottom (text needs {need_h} px high, has "
                   f"{room_h} px)")


def _check_button(button: QPushButton, out: list[str], where: str) -> None:
    if button.height() < MIN_TOUCH_PX:
        out.append(f"{where}: {_name(button)} is {button.height()} px high, under {MIN_TOUCH_PX} px for a finger")
    text = _plain(button.text())
    if not text.strip():
        return
    opt = QStyleOptionButton()
    button.initStyleOption(opt)
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, button)
    room_w = room.width()
    if not button.icon().isNull():
        room_w -= button.iconSize().width() + 4
    need_w, need_h = _text_size(button, text)
    if need_w > room_w + SLACK_PX:
        out.append(f"{where}: {_name(button)} is cut off (text needs {need_w} px, has {room_w} px)")
    elif need_h > button.height():
        out.append(f"{where}: {_name(button)} is cut off at the bottom (text needs {need_h} px high, has "
                   f"{button.height()} px)")


def _check_toggle(box: QCheckBox | QRadioButton, out: list[str], where: str) -> None:
    if box.text().strip() and box.sizeHint().width() > box.width() + SLACK_PX:
        out.append(f"{where}: {_name(box)} is cut off (needs {box.sizeHint().width()} px, has {box.width()} px)")


def _check_field(field: QLineEdit, out: list[str], where: str) -> None:
    placeholder = field.placeholderText()
    if field.text() or not placeholder:
        return
    opt = QStyleOptionFrame()
    field.initStyleOption(opt)
    room = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, field)
    margins = field.textMargins()
    room_w = room.width() - margins.left() - margins.right() - 4  # QLineEdit's own 2 px each side
    need = QFontMetrics(field.font()).horizontalAdvance(placeholder)
    if need > room_w + SLACK_PX:
        out.append(f"{where}: {_name(field)}: the placeholder is cut off (needs {need} px, has {room_w} px)")


def _sticks_out(widget: QWidget, top: QWidget) -> str | None:
    """The ancestor (or window) that clips ``widget``, named, or None when all of it can be seen."""
    rect = QRect(QPoint(0, 0), widget.size())
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        rect = QRect(child.mapTo(parent, rect.topLeft()), rect.size())
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and \
                parent is parent.parentWidget().viewport():  # type: ignore[union-attr]
            return None  # it may scroll into view
        if not parent.rect().contains(rect):
            return "its window" if parent is top else _name(parent)
        if parent is top:
            return None
        child, parent = parent, parent.parentWidget()
    return None


def _inside_scroll_viewport(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return True
        parent = grand
    return False


def problems(widget: QWidget, screen: QRect | None = None) -> list[str]:
    """What does not fit in the visible tree of ``widget`` (its window, if it is a child), in plain words.

    ``screen``: the screen area to fit (default: ui.style's target screen, else the window's screen's
    available area). An empty list means everything is on screen, whole, and big enough to touch.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # texts just set: lay them out first
    top = widget.window()
    if not top.isVisible():
        return [f"{_name(top)} is not shown"]
    screen = QRect(screen) if screen is not None else screen_rect(top)
    where = type(top).__name__
    out: list[str] = []
    # The client area: a window manager's frame is its own business (and offscreen Qt pretends one).
    frame = top.geometry() if top.isWindow() else QRect(top.mapToGlobal(QPoint(0, 0)), top.size())
    if QGuiApplication.platformName() == "offscreen":  # no real screen: a window's place means nothing there
        frame.moveTopLeft(screen.topLeft() + QPoint(max(0, frame.left() - screen.left() - 2),
                                                     max(0, frame.top() - screen.top() - 2)))
    if not screen.contains(frame):
        out.append(f"{where} ({frame.width()}×{frame.height()} at {frame.x()},{frame.y()}) does not fit the "
                   f"screen ({screen.width()}×{screen.height()})")
    widgets = [widget, *widget.findChildren(QWidget)] if widget is not top else top.findChildren(QWidget)
    for w in widgets:
        if not isinstance(w, QPushButton | QLabel | QLineEdit | QCheckBox | QRadioButton):
            continue
        if not w.isVisible() or w.window() is not top:
            continue
        scrolled = _inside_scroll_viewport(w, top)
        if not scrolled:
            clipper = _sticks_out(w, top)
            if clipper is not None:
                out.append(f"{where}: {_name(w)} sticks out of {clipper}")
                continue
        if isinstance(w, QLabel):
            _check_label(w, out, where)
        elif isinstance(w, QPushButton):
            _check_button(w, out, where)
        elif isinstance(w, QLineEdit):
            _check_field(w, out, where)
        else:
            _check_toggle(w, out, where)
    return out


def all_problems(screen: QRect | None = None) -> list[str]:
    """``problems`` of every visible top-level window of the application."""
    out: list[str] = []
    for top in QApplication.topLevelWidgets():
        if top.isVisible() and top.isWindow() and not top.inherits("QMenu"):
            out.extend(problems(top, screen))
    return out
