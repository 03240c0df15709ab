"""Reports on screen (X, Z, 交班, 对账): the printer's own layout on a paper roll, with 打印 and 导出PDF.

The report document is built on a worker thread (with the figures it shows); printing and the PDF
run on the device lane. The screen, the printer and the PDF all say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.domain.report_doc import ReportDoc

from .i18n import current_language, translate
from .messages import error_text, print_text
from .ops import Lane, OpRunner
from .qtcompat import emit
from .receipt_view import PaperLine, ReceiptPaper
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR
from .widgets import key_button


def tender_label(key: str) -> str:
    """A tender as the reports name it (现金, 微信支付, 支付宝, 银联卡, 消费券, 单位挂账)."""
    names = {
        "cash": translate("reports", "现金"),
        "wechat": translate("reports", "微信支付"),
        "alipay": translate("reports", "支付宝"),
        "unionpay": translate("reports", "银联卡"),
        "voucher": translate("reports", "消费券"),
        "account": translate("reports", "单位挂账"),
    }
    return names.get(key, key)


@dataclass(frozen=True, slots=True)
class ShownReport:
    """A report ready to show: the document (for print/PDF) and its lines as they print."""

    doc: ReportDoc
    lines: tuple[PaperLine, ...]

    @property
    def text(self) -> str:
        return "".join(ln.text + "\n" for ln in self.lines)


def shown_report(till: Till, doc: ReportDoc, lang: str | None = None) -> ShownReport:
    """Runs on a worker thread: ``doc`` in the UI's language (or ``lang``), laid out like the receipt
    printer does. The PDF and the printed slip are made from the same document, so they say what
    the screen says (the printer's GB18030 code page holds ASCII, so English prints as well)."""
    doc = doc.in_language(lang or current_language())
    cfg = till.config
    try:
        from printers.report_layout import layout_report

        lines = tuple(PaperLine(ln.plain(cfg.columns, cfg.encoding), bool(ln.double), bool(ln.bold))
                      for ln in layout_report(doc, cfg.columns, encoding=cfg.encoding))
    except ImportError:  # the printer package is optional for the screen
        lines = tuple(PaperLine(t) for t in till.documents.text(doc).splitlines())
    return ShownReport(doc, lines)


class ReportView(QWidget):
    """A report on its paper roll with 打印 / 导出PDF; what happened is said under the buttons."""

    printed = Signal(object)  # PrintResult, or the exception
    exported = Signal(object)  # Path of the PDF, or the exception

    def __init__(self, till: Till, runner: OpRunner, report: ShownReport | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self.report: ShownReport | None = None
        self.last_pdf: Path | None = None
        self.paper = ReceiptPaper(till.config.columns)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("receiptView")
        self.scroll.setWidget(self.paper)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setMinimumWidth(self.paper.paper_width() + 24)
        self.print_button = key_button(self.tr("打印"), "F9", "reportButton")
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button = key_button(self.tr("导出PDF"), "F10", "reportButton")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.status = QLabel("")
        self.status.setObjectName("printStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.scroll, 1)
        col.addLayout(buttons)
        col.addWidget(self.status)
        self.set_report(report)

    def set_report(self, report: ShownReport | None) -> None:
        self.report = report
        self.paper.set_lines(list(report.lines) if report else [])
        self.scroll.verticalScrollBar().setValue(0)
        for b in (self.print_button, self.pdf_button):
            b.setEnabled(report is not None)
        self.status.setText("")

    def text(self) -> str:
        return self.report.text if self.report else ""

    def _say(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};")

    def print_report(self) -> None:
        if self.report is None or not self.print_button.isEnabled():
            return
        self.print_button.setEnabled(False)
        self._say(self.tr("正在打印…"), INFO_COLOR)
        self._runner.run(Lane.DEVICE, partial(self._till.documents.print, self.report.doc), self._printed,
                         self._print_failed)

    def _printed(self, result: object) -> None:
        self.print_button.setEnabled(self.report is not None)
        self._say(print_text(result), OK_COLOR if getattr(result, "ok", False) else ERROR_COLOR)  # type: ignore[arg-type]
        emit(self.printed, result)

    def _print_failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(self.report is not None)
        self._say(error_text(exc), ERROR_COLOR)
        emit(self.printed, exc)

    def export_pdf(self) -> None:
        if self.report is None or not self.pdf_button.isEnabled():
            return
        self.pdf_button.setEnabled(False)
        self._say(self.tr("正在导出PDF…"), INFO_COLOR)
        self._runner.run(Lane.DEVICE, partial(self._till.documents.pdf, self.report.doc), self._exported,
                         self._export_failed)

    def _exported(self, path: Path) -> None:
        self.pdf_button.setEnabled(self.report is not None)
        self.last_pdf = Path(path)
        self._say(self.tr("已导出：{path}").format(path=path), OK_COLOR)
        emit(self.exported, path)

    def _export_failed(self, exc: BaseException) -> None:
        self.pdf_button.setEnabled(self.report is not None)
        self._say(error_text(exc), ERROR_COLOR)
        emit(self.exported, exc)

    def handle_key(self, event: QKeyEvent) -> bool:
        """F9 打印, F10 导出PDF (the owner passes its key presses here)."""
        if event.key() == Qt.Key.Key_F9:
            self.print_report()
            return True
        if event.key() == Qt.Key.Key_F10:
            self.export_pdf()
            return True
        return False


class ReportDialog(QDialog):
    """A report by itself (X 报表): the paper roll, 打印 / 导出PDF, 关闭."""

    def __init__(self, till: Till, runner: OpRunner, title: str, report: ShownReport, *, summary: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        self.summary = QLabel(summary)
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        self.summary.setVisible(bool(summary))
        self.view = ReportView(till, runner, report)
        close = key_button(self.tr("关闭"), "Esc")
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(close)
        self.resize(max(600, self.view.scroll.minimumWidth() + 80), 760)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.view.handle_key(event):
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
