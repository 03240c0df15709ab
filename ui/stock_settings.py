"""The category settings under the 临期 list (issue 15): per category of the catalogue, its near-expiry
days and whether receiving asks for a 合格证 and a quarantine certificate; and the store's rule for
an expired item at the till (提醒 or 拒绝). Saved through the stock service (journaled, a manager's
setting); the 临期 list above follows at once. The decisions are ui/presenters/stock_settings.py's.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.stock import ExpiryPolicy
from pos.domain.users import User

from .messages import error_text
from .ops import Lane, OpRunner
from .presenters.stock_settings import CategoryChange, CategorySettingsPresenter
from .qtcompat import emit
from .stock import Cells, RowsModel, rows_table, stock_service
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR
from .widgets import key_button, selected_row


def _settings(till: Till) -> tuple[list[Any], ExpiryPolicy]:
    stock = stock_service(till)
    return stock.category_list(), stock.expiry_policy()


def _save(till: Till, user: User, change: CategoryChange) -> Any:
    return stock_service(till).set_category_setting(
        change.category, user, needs_certificate=change.needs_certificate, needs_quarantine=change.needs_quarantine,
        near_days=change.near_days)


def _save_policy(till: Till, user: User, policy: ExpiryPolicy) -> ExpiryPolicy:
    stock_service(till).set_expiry_policy(policy, user)
    return policy


class CategorySettingsPanel(QWidget):
    """品类设置: a table of categories and one row's editor; ``changed`` after every save (the page that holds it
    then calls :meth:`refresh`)."""

    changed = Signal()

    def __init__(self, till: Till, runner: OpRunner, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till, self._runner, self._user = till, runner, user
        self.presenter = CategorySettingsPresenter()
        self._policy: ExpiryPolicy | None = None
        title = QLabel(self.tr("按类别设置：临期天数，收货时要求的合格证和检疫证明"))
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        self.model = RowsModel([self.tr("类别"), self.tr("临期天数"), self.tr("需合格证"), self.tr("需检疫证明"),
                                self.tr("设置")], right=(1,))
        self.table = rows_table(self.model, "categorySettingsTable", stretch=0)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.category_label = QLabel(self.tr("选择上面的类别"))
        self.days_field = QLineEdit()
        self.days_field.setObjectName("nearDaysField")
        self.days_field.setPlaceholderText(self.tr("天数"))
        self.days_field.setMaximumWidth(90)
        self.days_field.returnPressed.connect(self.save)
        self.certificate_box = QCheckBox(self.tr("需合格证"))
        self.quarantine_box = QCheckBox(self.tr("需检疫证明"))
        self.quarantine_box.toggled.connect(lambda on: on and self.certificate_box.setChecked(True))
        self.save_button = key_button(self.tr("保存"), None, "modeButton")
        self.save_button.clicked.connect(self.save)
        self.policy_box = QComboBox()
        self.policy_box.setObjectName("expiryPolicyBox")
        self.policy_box.addItem(self.tr("提醒收银员"), ExpiryPolicy.WARN)
        self.policy_box.addItem(self.tr("拒绝销售"), ExpiryPolicy.REFUSE)
        self.policy_box.activated.connect(lambda _i: self.save_policy())
        self.status = QLabel("")
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        edit = QHBoxLayout()
        edit.addWidget(self.category_label, 1)
        edit.addWidget(QLabel(self.tr("临期天数")))
        edit.addWidget(self.days_field)
        edit.addWidget(self.certificate_box)
        edit.addWidget(self.quarantine_box)
        edit.addWidget(self.save_button)
        policy = QHBoxLayout()
        policy.addWidget(QLabel(self.tr("扫到已过期的商品时：")))
        policy.addWidget(self.policy_box)
        policy.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(title)
        col.addWidget(self.table, 1)
        col.addLayout(edit)
        col.addLayout(policy)
        col.addWidget(self.status)
        self._draw_editor()

    def say(self, text: str, color: str = INFO_COLOR) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};")

    def fail(self, exc: BaseException) -> None:
        self.say(error_text(exc), ERROR_COLOR)

    def refresh(self) -> None:
        self._runner.run(Lane.READER, partial(_settings, self._till), self._loaded, self.fail)

    def _loaded(self, answer: tuple[list[Any], ExpiryPolicy]) -> None:
        settings, policy = answer
        self.presenter.shown(settings)
        yes, no = self.tr("要"), self.tr("—")
        self.model.set_rows([Cells((r.category, self.tr("{n} 天").format(n=r.near_days),
                                    yes if r.needs_certificate else no, yes if r.needs_quarantine else no,
                                    self.tr("已设置") if r.explicit else self.tr("默认")))
                             for r in self.presenter.rows])
        if self.presenter.selected is not None:
            self.table.selectRow(self.presenter.selected)
        self._policy = policy
        self.policy_box.setCurrentIndex(max(self.policy_box.findData(policy), 0))
        self._draw_editor()

    def _selected(self) -> None:
        self.presenter.select(selected_row(self.table))
        self._draw_editor()

    def _draw_editor(self) -> None:
        row = self.presenter.current
        for w in (self.days_field, self.certificate_box, self.quarantine_box, self.save_button):
            w.setEnabled(row is not None)
        if row is None:
            self.category_label.setText(self.tr("选择上面的类别"))
            return
        self.category_label.setText(self.tr("类别：{name}").format(name=row.category))
        self.days_field.setText(str(row.near_days))
        self.certificate_box.setChecked(row.needs_certificate)
        self.quarantine_box.setChecked(row.needs_quarantine)

    def save(self) -> None:
        try:
            change = self.presenter.change(self.days_field.text(), self.certificate_box.isChecked(),
                                           self.quarantine_box.isChecked())
        except PosError as exc:
            self.fail(exc)
            return
        if change.empty:
            self.say(self.tr("没有改动"))
            return
        self.say(self.tr("正在保存…"))
        self._runner.run(Lane.WRITER, partial(_save, self._till, self._user, change), self._saved, self.fail)

    def _saved(self, setting: Any) -> None:
        self.say(self.tr("已保存：{name} 临期 {n} 天").format(name=setting.category, n=setting.near_days), OK_COLOR)
        emit(self.changed)  # the page reloads the 临期 list and this table

    def save_policy(self) -> None:
        policy = self.policy_box.currentData()
        if policy is None or policy == self._policy:
            return
        self._runner.run(Lane.WRITER, partial(_save_policy, self._till, self._user, ExpiryPolicy(policy)),
                         self._policy_saved, self._policy_failed)

    def _policy_saved(self, policy: ExpiryPolicy) -> None:
        self._policy = policy
        self.say(self.tr("已保存：扫到过期商品时提醒收银员") if policy is ExpiryPolicy.WARN
                 else self.tr("已保存：过期商品拒绝销售"), OK_COLOR)

    def _policy_failed(self, exc: BaseException) -> None:
        self.policy_box.setCurrentIndex(max(self.policy_box.findData(self._policy), 0))
        self.fail(exc)

