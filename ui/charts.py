"""Charts where people look rather than read (issue 16): sales by day, by category, by hour (QtCharts).

Each chart draws the (label, fen) points the accountant presenter takes from a report
(:func:`ui.presenters.accountant.chart_points`); the figures themselves stay in the tables. QtCharts
plots in floating point, so yuan become a float only here, as a bar's height; the value a person
reads (the hover tip, the axis) is formatted from the fen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QToolTip, QWidget

from pos.domain.table_report import money_text

from .presenters.accountant import ChartPoint
from .style import px

BAR_COLOR = QColor("#1e88e5")
HOUR_COLOR = QColor("#43a047")
CATEGORY_COLOR = QColor("#fb8c00")


def _nice_max(fen: int) -> int:
    """A round top for the value axis (in yuan): 1, 2 or 5 × 10ⁿ above the highest bar."""
    yuan = max(1, -(-fen // 100))
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= yuan:
                return m * step
        step *= 10


class SalesChart(QChartView):
    """One bar chart of net sales: vertical bars (by day, by hour) or horizontal (by category, whose
    names are long). Empty data shows 本期间无销售 instead of an empty frame."""

    def __init__(self, title: str, color: QColor, *, horizontal: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.color = color
        self.points: list[ChartPoint] = []
        chart = QChart()
        chart.setTitle(title)
        font = QFont(chart.titleFont())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(px(220))
        self.empty = QLabel(self.tr("本期间无销售"), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #78909c;")
        self.empty.hide()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.empty.setGeometry(self.rect())

    def set_points(self, points: Sequence[ChartPoint]) -> None:
        self.points = list(points)
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.empty.setVisible(not self.points)
        if not self.points:
            return
        bars = QBarSet("")
        bars.setColor(self.color)
        bars.setBorderColor(self.color)
        for p in self.drawn():
            bars.append(p.fen / 100)  # the bar's height only; every figure shown is formatted from fen
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setBarWidth(0.7)
        bars.hovered.connect(self._hovered)
        chart.addSeries(series)
        labels = QBarCategoryAxis()
        labels.append([p.label for p in self.drawn()])
        if len(self.points) > 12:  # a month of days: day numbers in a smaller font, so each fits under its bar
            f = QFont(labels.labelsFont())
            f.setPointSizeF(max(6.0, f.pointSizeF() * (0.6 if len(self.points) > 20 else 0.75)))
            labels.setLabelsFont(f)
        values = QValueAxis()
        values.setRange(min(0, min(p.fen for p in self.points) // 100), _nice_max(max(p.fen for p in self.points)))
        values.setLabelFormat("%.0f")
        values.setTickCount(3 if self.horizontal else 5)  # a narrow chart: 0, half, the top
        values.setTitleText(self.tr("元"))
        label_side, value_side = ((Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom) if self.horizontal
                                  else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft))
        chart.addAxis(labels, label_side)
        chart.addAxis(values, value_side)
        series.attachAxis(labels)
        series.attachAxis(values)

    def drawn(self) -> list[ChartPoint]:
        """The points in drawing order: a horizontal chart draws its first bar at the bottom, so it is
        given the report's rows reversed and reads top-down in the report's order."""
        return list(reversed(self.points)) if self.horizontal else self.points

    def tip(self, index: int) -> str:
        """What hovering the ``index``-th point of the report says (¥ from fen, never from the bar)."""
        p = self.points[index]
        return f"{p.label}: ¥{money_text(p.fen)}"

    def _hovered(self, status: bool, bar: int) -> None:
        if status and 0 <= bar < len(self.points):
            index = len(self.points) - 1 - bar if self.horizontal else bar
            QToolTip.showText(self.cursor().pos(), self.tip(index), self)
        else:
            QToolTip.hideText()


class SalesCharts(QWidget):
    """The three charts of a period: by day across the top, by category and by hour below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.by_day = SalesChart(self.tr("每日净销售额"), BAR_COLOR)
        self.by_category = SalesChart(self.tr("分类净销售额"), CATEGORY_COLOR, horizontal=True)
        self.by_hour = SalesChart(self.tr("各时段净销售额"), HOUR_COLOR)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.by_day, 0, 0, 1, 2)
        grid.addWidget(self.by_category, 1, 0)
        grid.addWidget(self.by_hour, 1, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

    def chart(self, name: str) -> SalesChart:
        return {"by_day": self.by_day, "by_category": self.by_category, "by_hour": self.by_hour}[name]

    def clear(self) -> None:
        for c in (self.by_day, self.by_category, self.by_hour):
            c.set_points([])
