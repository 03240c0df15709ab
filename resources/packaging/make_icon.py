"""Draw the till's icon (连 on the header's navy, a red total bar) as PNG and Windows .ico.

Run once after a change of design; the results are committed:
    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/packaging/make_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPainterPath

HERE = Path(__file__).resolve().parent
FONT = HERE.parents[0] / "fonts" / "wqy-microhei.ttc"
NAVY, RED, WHITE = QColor("#1f3a5f"), QColor("#c62828"), QColor("#ffffff")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = float(size)
    card = QPainterPath()
    card.addRoundedRect(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92), s * 0.18, s * 0.18)
    p.fillPath(card, NAVY)
    bar = QPainterPath()
    bar.addRoundedRect(QRectF(s * 0.18, s * 0.74, s * 0.64, s * 0.09), s * 0.045, s * 0.045)
    p.fillPath(bar, RED)
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONT)))[0]
    font = QFont(family)
    font.setPixelSize(round(s * 0.56))
    font.setBold(True)
    p.setFont(font)
    p.setPen(WHITE)
    p.drawText(QRectF(0, s * 0.06, s, s * 0.66), Qt.AlignmentFlag.AlignCenter, "连")
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    draw(256).save(str(HERE / "lianxin-pos.png"))
    # A .ico holds one picture per QImageWriter call; Windows scales the 256 px one well enough.
    draw(256).save(str(HERE / "lianxin-pos.ico"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
