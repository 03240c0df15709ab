"""溯源 (trace) on the manager screen (issue 15): a receipt number → its lines with batch, 合格证, origin
and arrival; a batch number → every receipt and return of it, for a recall. Same service as the
``trace`` command; the decisions are ui/presenters/stock_trace.py's."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.domain.users import User

from .ops import Lane, OpRunner
from .presenters.stock_trace import StockTracePresenter, TraceKind, look_up
from .stock import Cells, RowsModel, StockPageBase, rows_table, stock_service
from .style import ERROR_COLOR, OK_COLOR
from .widgets import key_button

LOTS_SHOWN = 4  # lots named above the table, with their 合格证


def _look_up(till: Till, text: str) -> Any:
    return look_up(stock_service(till), text)


class StockTracePage(StockPageBase):
    """溯源: type or scan a receipt number or a batch number, then 查询 (Enter)."""

    def __init__(self, till: Till, runner: OpRunner, user: User, ask: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(till, runner, user, ask, parent)
        self.presenter = StockTracePresenter()
        self.field = QLineEdit()
        self.field.setObjectName("traceField")
        self.field.setPlaceholderText(self.tr("扫描或输入小票号（如 MX01-20261122-0042）或批次号（如 SHKC-2026-48）"))
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.search)
        self.search_button = key_button(self.tr("查询"), "Enter", "modeButton")
        self.search_button.clicked.connect(self.search)
        self.title = QLabel(self.tr("小票：每行商品的批次、合格证、产地、到货日期；批次：卖出它的每张小票（召回用）"))
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.lots_label = QLabel("")
        self.lots_label.setWordWrap(True)
        self.receipt_model = RowsModel([self.tr("行"), self.tr("商品"), self.tr("数量"), self.tr("批次"),
                                        self.tr("合格证"), self.tr("产地"), self.tr("到货日期"), self.tr("到期日")],
                                       right=(0, 2))
        self.batch_model = RowsModel([self.tr("类型"), self.tr("日期"), self.tr("单号"), self.tr("行"), self.tr("商品"),
                                      self.tr("数量"), self.tr("批号")], right=(3, 5))
        self.receipt_table = rows_table(self.receipt_model, "traceReceiptTable", stretch=1)
        self.batch_table = rows_table(self.batch_model, "traceBatchTable", stretch=4)
        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        top.addWidget(self.search_button)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.title)
        col.addWidget(self.lots_label)
        col.addWidget(self.receipt_table, 1)
        col.addWidget(self.batch_table, 1)
        col.addWidget(self.status)
        self.lots_label.hide()
        self.batch_table.hide()

    def refresh(self) -> None:
        """Shown: ready for the scanner (nothing to read until something is asked)."""
        self.field.setFocus()

    def handle_key(self, event: QKeyEvent) -> bool:
        if Qt.Key(event.key()) in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.search()
            return True
        return False

    def search(self) -> None:
        text = self.field.text()
        self.say(self.tr("正在查询…"))
        self._runner.run(Lane.READER, partial(_look_up, self._till, text), self._loaded, self.fail)

    def fail(self, exc: BaseException) -> None:
        self.presenter.clear()
        self._draw()
        super().fail(exc)

    def _loaded(self, answer: Any) -> None:
        self.presenter.shown(answer)
        self._draw()
        self.field.selectAll()

    def _draw(self) -> None:
        p = self.presenter
        if p.kind is TraceKind.BATCH:
            self.receipt_table.hide()
            self.batch_table.show()
            self.batch_model.set_rows([Cells(((self.tr("退货") if r.flag else self.tr("销售")), *r.texts),
                                             ERROR_COLOR if r.flag else None) for r in p.rows])
            self.title.setText(self.tr("批次 {batch}：{supplier} {contact}，到货 {arrival}；{n} 张小票售出，退货 {m} 笔")
                               .format(batch=p.code, supplier=p.supplier, contact=p.contact, arrival=p.arrival,
                                       n=p.receipts, m=p.returns))
            shown = [self.tr("{lot} 合格证 {cert} 产地 {origin} 到期 {expiry}").format(
                lot=r.texts[0], cert=r.texts[1], origin=r.texts[2], expiry=r.texts[3]) for r in p.lots[:LOTS_SHOWN]]
            if len(p.lots) > LOTS_SHOWN:  # a truck brings a couple of hundred lines: the table is the recall list
                shown.append(self.tr("另 {n} 个批号").format(n=len(p.lots) - LOTS_SHOWN))
            self.lots_label.setText(self.tr("批号：") + self.tr("；").join(shown))
            self.lots_label.setVisible(bool(p.lots))
            self.say("" if p.rows else self.tr("这个批次还没有卖出过"), OK_COLOR)
            return
        self.batch_table.hide()
        self.receipt_table.show()
        self.receipt_model.set_rows([Cells(r.texts, ERROR_COLOR if r.flag else None) for r in p.rows])
        self.lots_label.hide()
        if p.kind is TraceKind.RECEIPT:
            self.title.setText(self.tr("小票 {no}：{n} 行有批次记录").format(no=p.code, n=len(p.rows) - p.no_lot))
            if not p.rows:
                self.say(self.tr("这张小票的商品没有批次记录（未跟踪库存）"), OK_COLOR)
            elif p.no_lot:
                self.say(self.tr("{n} 行卖超库存，没有批次（负库存）").format(n=p.no_lot), ERROR_COLOR)
            else:
                self.say("")
        else:
            self.title.setText(self.tr("小票：每行商品的批次、合格证、产地、到货日期；批次：卖出它的每张小票（召回用）"))
