"""店长: the stock pages of the manager screen (issue 15) — 库存 (on hand per product, its lots),
临期 (lots near or past expiry) and 批次 (the per-batch report). 收货 is in ui/stock_receiving.py,
报损 and 盘点 in ui/stock_adjust.py.

Every figure comes from the stock service on the op runner (reads on the reader lane); the pages
keep no rule of their own: what to show is decided in ui/presenters/stock.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.domain.users import User

from .i18n import translate
from .manager_page import ManagerPage
from .ops import Lane, OpRunner
from .presenters.stock import (
    BatchRow,
    ExpiryRow,
    LotRow,
    PreparedStock,
    StockListPresenter,
    StockRow,
    batch_row,
    money_text,
    near_expiry_rows,
    quantity_text,
)
from .qtcompat import emit
from .style import ERROR_COLOR, OK_COLOR, OVER_COLOR
from .widgets import key_button, selected_row, touch_table

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
PAST_ZERO_BG = QColor("#ffcdd2")
EXPIRED_BG = QColor("#ffcdd2")
LAST_DAY_BG = QColor("#ffe0b2")


def stock_service(till: Till) -> Any:
    """The till's StockService (pos/services/stock.py)."""
    return till.stock  # type: ignore[attr-defined]


def today_of(till: Till) -> date:
    return till.identity.local(till.clock.now()).date()


# -- a read-only table of rows -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cells:
    """One drawn row: its texts, the columns aligned right (figures), a text colour and a background."""

    texts: tuple[str, ...]
    color: str | None = None
    background: QColor | None = None


class RowsModel(QAbstractTableModel):
    """Rows of text for a touch table; the pages fill it with what a presenter decided."""

    def __init__(self, headers: Sequence[str], right: Sequence[int] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._right = set(right)
        self._items: Sequence[Any] = []
        self._cells: Callable[[Any], Cells] | None = None
        self._cached: tuple[int, Cells] | None = None

    def set_rows(self, rows: Sequence[Any], cells: Callable[[Any], Cells] | None = None) -> None:
        """Show ``rows``: drawn rows, or any objects with ``cells`` to draw one when it is seen (a
        list of 200,000 products is formatted only as far as it is scrolled)."""
        self.beginResetModel()
        self._items = rows if cells is not None else list(rows)
        self._cells = cells
        self._cached = None
        self.endResetModel()

    def row(self, i: int) -> Cells:
        if self._cells is None:
            return self._items[i]
        if self._cached is None or self._cached[0] != i:
            self._cached = (i, self._cells(self._items[i]))
        return self._cached[1]

    @property
    def rows(self) -> list[Cells]:
        """Every row as drawn (for tests and small tables)."""
        return [self.row(i) for i in range(len(self._items))]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self._headers):
                return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        row = self.row(index.row())
        col = index.column()
        if not 0 <= col < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[col] if col < len(row.texts) else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if col in self._right else LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and row.color:
            return QBrush(QColor(row.color))
        if role == Qt.ItemDataRole.BackgroundRole and row.background is not None:
            return QBrush(row.background)
        return None


def rows_table(model: RowsModel, name: str, stretch: int | None = None) -> QTableView:
    """A touch table over ``model``: columns fit their text, ``stretch`` takes the rest of the width."""
    table = touch_table(model, name)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    header.setResizeContentsPrecision(100)  # fit the columns to the first rows, not to every one of a big list
    return table


# -- the page base -------------------------------------------------------------------------------

class StockPageBase(ManagerPage):
    """A stock page of the manager screen: a status line, the person using it, the service's runner."""

    def refresh(self) -> None:
        """Read again what the page shows (when the page is shown, and after a change elsewhere)."""

    def handle_key(self, event: QKeyEvent) -> bool:
        return False

    def unsaved(self) -> str | None:
        """The question to ask before leaving the manager screen with work not saved (None: nothing)."""
        return None


def days_text(days: int | None) -> str:
    if days is None:
        return "—"
    if days == -1:
        return translate("StockPage", "昨天过期")
    if days < 0:
        return translate("StockPage", "已过期 {n} 天").format(n=-days)
    if days == 0:
        return translate("StockPage", "今天到期")
    if days == 1:
        return translate("StockPage", "明天到期")
    return translate("StockPage", "{n} 天").format(n=days)


def unit_text(weighed: bool) -> str:
    return "kg" if weighed else translate("StockPage", "件")


def lot_cells(lot: LotRow) -> Cells:
    bg = EXPIRED_BG if lot.expired else (LAST_DAY_BG if lot.days_left == 0 else None)
    return Cells((lot.batch or translate("StockPage", "（无批次）"), _day(lot.arrival), _day(lot.expiry),
                  days_text(lot.days_left), quantity_text(lot.weighed, lot.on_hand), lot.certificate or "—",
                  lot.origin), ERROR_COLOR if lot.expired else None, bg)


def _day(d: date | None) -> str:
    return d.isoformat() if d else "—"


# -- 库存 ------------------------------------------------------------------------------------------

def _stock_list(till: Till) -> PreparedStock:
    return StockListPresenter.prepare(stock_service(till).stock_list(), today_of(till))


def _lots_of(till: Till, sku: str) -> tuple[list[Any], date]:
    return list(stock_service(till).stock_list(sku=sku, lots=True)), today_of(till)


class StockPage(StockPageBase):
    """库存: every product the till follows with its on hand and value at cost; 负库存 in red on top;
    a search; the selected product's lots (batch, arrival, expiry, days left, 合格证)."""

    product_chosen = Signal(object)  # StockRow: 报损 this product

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.presenter = StockListPresenter()
        self.search = QLineEdit()
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText(self.tr("搜索：商品编码、名称或分类"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)  # filter once typing pauses: a big store's list takes a moment
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(lambda: self._filter(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.refresh_button = key_button(self.tr("刷新"), None, "modeButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.write_off_button = key_button(self.tr("报损此商品"), None, "modeButton")
        self.write_off_button.clicked.connect(self._write_off_selected)
        self.summary = QLabel("")
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.model = RowsModel([self.tr("商品编码"), self.tr("商品"), self.tr("分类"), self.tr("库存"), self.tr("单位"),
                                self.tr("成本金额"), self.tr("状态")], right=(3, 5))
        self.table = rows_table(self.model, "stockTable", stretch=1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.lots_title = QLabel(self.tr("批次（选择上面的商品）"))
        self.lots_title.setObjectName("sectionTitle")
        self.lot_model = RowsModel([self.tr("批次"), self.tr("到货日期"), self.tr("到期日"), self.tr("剩余"),
                                    self.tr("库存"), self.tr("合格证"), self.tr("产地")], right=(4,))
        self.lot_table = rows_table(self.lot_model, "lotTable", stretch=5)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.write_off_button)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.summary)
        col.addWidget(self.table, 3)
        col.addWidget(self.lots_title)
        col.addWidget(self.lot_table, 2)
        col.addWidget(self.status)

    def refresh(self) -> None:
        self.say(self.tr("正在读取库存…"))
        self._runner.run(Lane.READER, partial(_stock_list, self._till), self._loaded, self.fail)

    def _loaded(self, ready: PreparedStock) -> None:
        keep = self.presenter.selected_sku
        self.presenter.loaded(ready)
        self._draw()
        self.say("")
        if keep is not None and (row := self.presenter.row_of(keep)) is not None:
            self.table.selectRow(row)

    def _filter(self, text: str) -> None:
        self.presenter.filter(text)
        self._draw()

    def product_cells(self, r: Any) -> Cells:
        return Cells((r.sku, r.name, r.category, quantity_text(r.weighed, r.on_hand), unit_text(r.weighed),
                      money_text(r.value_fen), self.tr("负库存") if r.past_zero else ""),
                     ERROR_COLOR if r.past_zero else None, PAST_ZERO_BG if r.past_zero else None)

    def _draw(self) -> None:
        p = self.presenter
        self.model.set_rows(p.shown, self.product_cells)
        text = self.tr("{n} 种商品，库存成本 {value}").format(n=len(p.rows), value=money_text(p.total_value_fen))
        if p.past_zero_count:
            text += self.tr("；负库存 {n} 种（卖超，请收货或盘点）").format(n=p.past_zero_count)
        if p.search.strip():
            text += self.tr("；显示 {n} 种").format(n=len(p.shown))
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {ERROR_COLOR};" if p.past_zero_count else "")
        self._draw_lots()

    def _selected(self) -> None:
        sku = self.presenter.select(selected_row(self.table))
        self._draw_lots()
        if sku is not None:
            self._runner.run(Lane.READER, partial(_lots_of, self._till, sku),
                             lambda answer: self._lots_loaded(sku, answer), self.fail)

    def _lots_loaded(self, sku: str, answer: tuple[list[Any], date]) -> None:
        raws, today = answer
        self.presenter.lots_loaded(sku, raws, today)
        self._draw_lots()

    def _draw_lots(self) -> None:
        p = self.presenter
        row = next((r for r in p.rows if r.sku == p.selected_sku), None)
        if row is None:
            self.lots_title.setText(self.tr("批次（选择上面的商品）"))
        elif not p.lots:
            self.lots_title.setText(self.tr("{name}：没有有库存的批次").format(name=row.name))
        else:
            self.lots_title.setText(self.tr("{name} 的批次（先到期先出）").format(name=row.name))
        self.lot_model.set_rows([lot_cells(lot) for lot in p.lots])

    def selected_product(self) -> StockRow | None:
        return self.presenter.selected()

    def _write_off_selected(self) -> None:
        row = self.selected_product()
        if row is None:
            self.say(self.tr("请先选择一个商品"), ERROR_COLOR)
            return
        emit(self.product_chosen, row)


# -- 临期 ------------------------------------------------------------------------------------------

def _near_expiry(till: Till) -> tuple[list[Any], date]:
    today = today_of(till)
    return list(stock_service(till).near_expiry(today)), today


class NearExpiryPage(StockPageBase):
    """临期: lots with stock expiring within their category's days; expired lots first, in red."""

    product_chosen = Signal(object)  # StockRow: 报损 this lot's product

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.rows: list[ExpiryRow] = []
        self.summary = QLabel("")
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.model = RowsModel([self.tr("商品"), self.tr("批次"), self.tr("到期日"), self.tr("剩余"),
                                self.tr("库存"), self.tr("合格证"), self.tr("产地")], right=(4,))
        self.table = rows_table(self.model, "expiryTable", stretch=0)
        self.refresh_button = key_button(self.tr("刷新"), None, "modeButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.write_off_button = key_button(self.tr("报损此批次"), None, "modeButton")
        self.write_off_button.clicked.connect(self._write_off_selected)
        from .stock_settings import CategorySettingsPanel  # it builds on this module's table

        self.settings = CategorySettingsPanel(till, runner, user)
        self.settings.changed.connect(self.refresh)  # a category's new days change the list (and the table) at once
        self.settings.hide()  # the list has the page until the manager opens the settings under it
        self.settings_button = key_button(self.tr("品类设置"), None, "modeButton")
        self.settings_button.setCheckable(True)
        self.settings_button.toggled.connect(self.settings.setVisible)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.write_off_button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        col = QVBoxLayout(self)
        col.addWidget(self.summary)
        col.addWidget(self.table, 3)
        col.addWidget(self.status)
        col.addLayout(buttons)
        col.addWidget(self.settings, 3)

    def refresh(self) -> None:
        self._runner.run(Lane.READER, partial(_near_expiry, self._till), self._loaded, self.fail)
        self.settings.refresh()

    def _loaded(self, answer: tuple[list[Any], date]) -> None:
        raws, today = answer
        self.rows = near_expiry_rows(raws, today)
        cells = []
        for r in self.rows:
            lot = r.lot
            bg = EXPIRED_BG if r.expired else (LAST_DAY_BG if r.last_day else None)
            cells.append(Cells((f"{r.name} {r.sku}".strip(), lot.batch or "—", _day(lot.expiry),
                                days_text(lot.days_left), quantity_text(lot.weighed, lot.on_hand) + (
                                    " kg" if lot.weighed else ""), lot.certificate or "—", lot.origin),
                               ERROR_COLOR if r.expired else (OVER_COLOR if r.last_day else None), bg))
        self.model.set_rows(cells)
        expired = sum(1 for r in self.rows if r.expired)
        if not self.rows:
            self.summary.setText(self.tr("没有临期或过期的批次"))
            self.summary.setStyleSheet(f"color: {OK_COLOR};")
        else:
            self.summary.setText(self.tr("临期 {n} 个批次，其中已过期 {m} 个（过期的请下架报损）").format(
                n=len(self.rows), m=expired))
            self.summary.setStyleSheet(f"color: {ERROR_COLOR};" if expired else "")

    def _write_off_selected(self) -> None:
        i = selected_row(self.table)
        if i is None or i >= len(self.rows):
            self.say(self.tr("请先选择一个批次"), ERROR_COLOR)
            return
        r = self.rows[i]
        emit(self.product_chosen, StockRow(r.sku, r.name, r.lot.weighed, r.lot.on_hand, 0, lots=(r.lot,)))


# -- 批次 ------------------------------------------------------------------------------------------

def _batch_report(till: Till) -> tuple[list[Any], list[Any]]:
    service = stock_service(till)
    return service.batch_report(), service.batch_report(by_origin=True)


class BatchReportPage(StockPageBase):
    """批次: per delivery batch — received, sold, on hand, revenue, cost, margin, days to sell out."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.rows: list[BatchRow] = []
        self.summary = QLabel("")
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.model = RowsModel([self.tr("批次"), self.tr("到货日期"), self.tr("产地"), self.tr("进货成本"),
                                self.tr("已售"), self.tr("销售额"), self.tr("销售成本"), self.tr("毛利"), self.tr("毛利率"),
                                self.tr("报损"), self.tr("库存"), self.tr("售罄天数")],
                               right=(3, 4, 5, 6, 7, 8, 9, 10, 11))
        self.table = rows_table(self.model, "batchTable", stretch=2)
        self.origin_title = QLabel(self.tr("按产地"))
        self.origin_title.setObjectName("sectionTitle")
        self.origins: list[BatchRow] = []
        self.origin_model = RowsModel([self.tr("产地"), self.tr("批号数"), self.tr("销售额"), self.tr("成本"),
                                       self.tr("毛利"), self.tr("毛利率")], right=(1, 2, 3, 4, 5))
        self.origin_table = rows_table(self.origin_model, "originTable", stretch=0)
        self.refresh_button = key_button(self.tr("刷新"), None, "modeButton")
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        col = QVBoxLayout(self)
        col.addWidget(self.summary)
        col.addWidget(self.table, 3)
        col.addWidget(self.origin_title)
        col.addWidget(self.origin_table, 2)
        col.addWidget(self.status)
        col.addLayout(buttons)

    def refresh(self) -> None:
        self._runner.run(Lane.READER, partial(_batch_report, self._till), self._loaded, self.fail)

    def _loaded(self, report: tuple[list[Any], list[Any]]) -> None:
        batches, origins = report
        self.rows = [batch_row(b) for b in batches]
        self.model.set_rows([Cells((r.batch, r.arrival, r.origin, money_text(r.received_cost_fen), r.sold,
                                    money_text(r.revenue_fen), money_text(r.cost_fen), money_text(r.margin_fen),
                                    r.margin_pct, money_text(r.written_off_fen), r.on_hand, self.sell_out_text(r)),
                                   ERROR_COLOR if r.losing else None) for r in self.rows])
        self.origins = [batch_row(o) for o in origins]
        self.origin_model.set_rows([Cells((o.origin or self.tr("（未填产地）"), str(o.lots), money_text(o.revenue_fen),
                                           money_text(o.cost_fen), money_text(o.margin_fen), o.margin_pct),
                                          ERROR_COLOR if o.losing else None) for o in self.origins])
        self.origin_title.setVisible(bool(self.origins))
        self.origin_table.setVisible(bool(self.origins))
        revenue = sum(r.revenue_fen for r in self.rows)
        margin = sum(r.margin_fen for r in self.rows)
        if not self.rows:
            self.summary.setText(self.tr("还没有收过货的批次"))
        else:
            self.summary.setText(self.tr("{n} 个批次，销售额 {revenue}，毛利 {margin}").format(
                n=len(self.rows), revenue=money_text(revenue), margin=money_text(margin)))

    def sell_out_text(self, r: BatchRow) -> str:
        return self.tr("{n} 天").format(n=r.sell_out_days) if r.sell_out_days is not None else self.tr("未售完")
