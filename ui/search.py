"""商品搜索 (F3): results as the cashier types pinyin initials, full pinyin, Chinese, or a code.

Each keystroke restarts a short timer; when it fires, one search runs on the reader thread. Every
search carries a generation number and only the answer to the newest one is shown, so a slow
answer to ``bt`` can never overwrite the answer to ``btxpg``. Variants of one style (羽绒服 in
sizes and colours) are one row; choosing it opens the size × colour grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.domain.catalog import Product

from .cart_model import _CENTER, _LEFT, _RIGHT
from .i18n import translate
from .messages import error_text
from .ops import Lane, OpRunner
from .style import ERROR_COLOR, INFO_COLOR, px, scaled
from .variants import sort_sizes
from .widgets import NavField, select_row, selected_row, step_selection, touch_table, yuan

Index = QModelIndex | QPersistentModelIndex

DEBOUNCE_MS = 150
SEARCH_LIMIT = 60  # enough rows that a style's variants collapse into one line with room to spare


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result row: a product, or a style (款式) with the variants of it found so far."""

    product: Product
    variants: tuple[Product, ...] = ()

    @property
    def is_style(self) -> bool:
        return bool(self.product.style)


def group_hits(products: list[Product]) -> list[SearchHit]:
    """Products in search order; variants of one style fold into the row of the first one found."""
    hits: list[SearchHit] = []
    by_style: dict[str, int] = {}
    for p in products:
        if p.style:
            if p.style in by_style:
                i = by_style[p.style]
                hits[i] = SearchHit(hits[i].product, hits[i].variants + (p,))
                continue
            by_style[p.style] = len(hits)
            hits.append(SearchHit(p, (p,)))
        else:
            hits.append(SearchHit(p))
    return hits


def price_text(p: Product) -> str:
    return f"{yuan(p.price_fen)}/kg" if p.weighed else yuan(p.price_fen)


def _distinct(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


COL_NAME, COL_SPEC, COL_PRICE, COL_CODE = range(4)


class SearchResultsModel(QAbstractTableModel):
    """商品, 规格, 价格, 编码 for a list of :class:`SearchHit`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def _spec(self, hit: SearchHit) -> str:
        p = hit.product
        if hit.is_style:
            colors = _distinct([v.color for v in hit.variants])
            sizes = sort_sizes(_distinct([v.size for v in hit.variants]))
            shown = " / ".join(x for x in ("·".join(colors), "·".join(sizes)) if x)
            return translate("SearchResultsModel", "{n} 款：{shown}").format(n=len(hit.variants), shown=shown)
        if p.weighed:
            return translate("SearchResultsModel", "称重")
        return p.unit or ""

    def _price(self, hit: SearchHit) -> str:
        if hit.is_style:
            prices = sorted({v.price_fen for v in hit.variants})
            if len(prices) > 1:
                return translate("SearchResultsModel", "{price} 起").format(price=yuan(prices[0]))
        return price_text(hit.product)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        p = hit.product
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return p.name if hit.is_style or not p.variant_label else f"{p.name} {p.variant_label}"
            if col == COL_SPEC:
                return self._spec(hit)
            if col == COL_PRICE:
                return self._price(hit)
            if col == COL_CODE:
                return p.barcode or (f"PLU {p.plu}" if p.plu else p.sku)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col == COL_PRICE else (_CENTER if col == COL_CODE else _LEFT))
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(x for x in (p.sku, p.category, p.origin) if x)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 4:
            if role == Qt.ItemDataRole.DisplayRole:
                return (translate("SearchResultsModel", "商品"), translate("SearchResultsModel", "规格"),
                        translate("SearchResultsModel", "价格"), translate("SearchResultsModel", "编码"))[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT if section == COL_PRICE else (_CENTER if section == COL_CODE else _LEFT))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class SearchDialog(QDialog):
    """After ``accept()``, :attr:`chosen` is the row picked (Enter, or a double tap)."""

    def __init__(self, till: Till, runner: OpRunner, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._generation = 0  # the newest search asked for
        self._answered = 0  # the newest search whose answer is on screen
        self._choose_when_ready = False
        self.searches = 0  # searches actually sent to the reader thread (tests count them)
        self.chosen: SearchHit | None = None
        self.setWindowTitle(self.tr("商品搜索"))
        self.setModal(True)
        self.resize(px(900), px(600))

        self.field = NavField()
        self.field.setObjectName("searchField")
        self.field.setMaxLength(40)
        self.field.setPlaceholderText(self.tr("拼音首字母 / 全拼 / 中文 / 条码 / PLU"))
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhNone)  # Chinese by IME is welcome here
        self.field.textChanged.connect(self._text_changed)
        self.field.returnPressed.connect(self.confirm)
        self.field.move_selection.connect(lambda step: step_selection(self.table, step))

        self.model = SearchResultsModel(self)
        self.table = touch_table(self.model, "searchTable")
        self.table.doubleClicked.connect(lambda index: self._choose_row(index.row()))
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_SPEC, 220), (COL_PRICE, 120), (COL_CODE, 160)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)

        self.status = QLabel("")
        self.status.setObjectName("searchStatus")

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._search)

        hint = QLabel(self.tr("↑↓ 选择  Enter 加入  Esc 返回"))
        hint.setStyleSheet("color: #546e7a;")
        self.add_button = QPushButton(self.tr("加入 Enter"))
        self.add_button.setObjectName("payButton")
        self.add_button.setAutoDefault(False)
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button.clicked.connect(self.confirm)
        cancel = QPushButton(self.tr("返回 Esc"))
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.add_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._show_status(self.tr("请输入拼音首字母（如 btxpg）、全拼、中文或条码"))
        self.field.setFocus()
        if text:
            self.field.setText(text)  # searches at once through the timer

    def set_text(self, text: str) -> None:
        self.field.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Opened with text from the scan field (苹果, fengmi): the cursor goes after it, so what the
        # cashier types next refines the search instead of replacing it.
        QTimer.singleShot(0, lambda: self.field.setCursorPosition(len(self.field.text())))

    def _show_status(self, text: str, color: str = INFO_COLOR) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(scaled(f"color: {color}; font-size: 17px;"))

    def busy(self) -> bool:
        """A search is waiting for its timer or for the reader thread."""
        return self.timer.isActive() or self._answered != self._generation

    def _text_changed(self, _text: str) -> None:
        self._choose_when_ready = False
        self.timer.start()  # restarts: one search per pause in typing

    def _search(self) -> None:
        self.timer.stop()
        self._generation += 1
        gen = self._generation
        text = self.field.text().strip()
        if not text:
            self._answered = gen
            self.model.set_hits([])
            self._show_status(self.tr("请输入拼音首字母（如 btxpg）、全拼、中文或条码"))
            return
        self.searches += 1
        self._show_status(self.tr("正在搜索…"))
        self._runner.run(Lane.READER, partial(self._till.search, text, SEARCH_LIMIT),
                         partial(self._found, gen), partial(self._failed, gen))

    def _found(self, gen: int, products: list[Product]) -> None:
        if gen != self._generation:
            return  # an answer to something typed before: the newer search will answer
        self._answered = gen
        hits = group_hits(products)
        self.model.set_hits(hits)
        if hits:
            select_row(self.table, 0)
            self._show_status(self.tr("找到 {n} 项").format(n=len(hits)))
        else:
            self._show_status(self.tr("没有找到“{text}”").format(text=self.field.text().strip()), ERROR_COLOR)
        if self._choose_when_ready:
            self._choose_when_ready = False
            self.confirm()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._answered = gen
        self._choose_when_ready = False
        self.model.set_hits([])
        self._show_status(error_text(exc), ERROR_COLOR)

    def confirm(self) -> None:
        """Enter: take the selected row — after the search for what is typed now has answered."""
        if self.busy():
            self._choose_when_ready = True
            if self.timer.isActive():
                self._search()
            return
        row = selected_row(self.table)
        if row is None:
            if self.field.text().strip():
                self._show_status(self.tr("没有可加入的商品"), ERROR_COLOR)
            return
        self._choose_row(row)

    def _choose_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.chosen = self.model.hit(row)
            self.accept()
