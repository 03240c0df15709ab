"""会员: find the customer's membership for the sale, or register them (issue 17).

Type the mobile number (found at once), its last 4 digits (a pick list of masked numbers, names,
tiers and points; ↑↓ and Enter), or scan the member card's code; 新会员 (F2) registers one with the
phone and a name. A member already on the sale can be taken off (移除会员, F3). Every lookup is on the
till's own database, so the dialog works with the network cable pulled. What the dialog decides
lives in :mod:`ui.presenters.members`; here it only draws and runs the lookups on the op runner.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.bootstrap import Till
from pos.domain.errors import PosError
from pos.domain.members import Member
from pos.domain.users import User

from .cart_model import _LEFT, _RIGHT
from .i18n import translate
from .messages import error_text
from .ops import Lane, OpRunner
from .presenters.members import (
    Chosen,
    MemberQuery,
    NotFound,
    PickList,
    PickRow,
    check_new_member,
    lookup_outcome,
    member_query,
)
from .style import ERROR_COLOR, INFO_COLOR, OK_COLOR, px, scaled
from .widgets import NavField, select_row, selected_row, step_selection, touch_table

Index = QModelIndex | QPersistentModelIndex
COL_PHONE, COL_NAME, COL_TIER, COL_POINTS = range(4)


def tier_text(tier: str) -> str:
    """The store's tier names as the UI language says them (a tier of the store's own stays as written)."""
    known = {"普通": translate("MemberDialog", "普通"), "银卡": translate("MemberDialog", "银卡"),
             "金卡": translate("MemberDialog", "金卡")}
    return known.get(tier, tier)


class MemberPickModel(QAbstractTableModel):
    """The members found by the last 4 digits: 手机号 (masked), 姓名, 等级, 积分."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[PickRow, ...] = ()
        self._members: tuple[Member, ...] = ()

    def set_members(self, pick: PickList | None) -> None:
        self.beginResetModel()
        self._members = pick.members if pick is not None else ()
        self._rows = pick.rows if pick is not None else ()
        self.endResetModel()

    def member(self, row: int) -> Member:
        return self._members[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.phone_masked, r.name, tier_text(r.tier), f"{r.points:,}")[col] if 0 <= col < 4 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col == COL_POINTS else _LEFT)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 4 and role == Qt.ItemDataRole.DisplayRole:
            return (translate("MemberPickModel", "手机号"), translate("MemberPickModel", "姓名"),
                    translate("MemberPickModel", "等级"), translate("MemberPickModel", "积分"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class MemberDialog(QDialog):
    """After ``accept()``: :attr:`member` is the member for the sale, or :attr:`removed` says to take the
    current one off."""

    def __init__(self, till: Till, runner: OpRunner, cashier: User, current: Member | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._till = till
        self._runner = runner
        self._cashier = cashier
        self.current = current
        self.member: Member | None = None
        self.removed = False
        self.looking = False
        self.pick: PickList | None = None
        self._pick_text = ""  # the text the pick list was found for (Enter on it picks the selected row)
        self.setWindowTitle(self.tr("会员"))
        self.setModal(True)
        self.resize(px(720), px(520))

        title = QLabel(self.tr("会员"))
        title.setObjectName("dialogTitle")
        self.current_label = QLabel("")
        self.current_label.setWordWrap(True)
        if current is not None:
            self.current_label.setText(self.tr("本单会员：{phone} {name}").format(phone=current.phone_masked,
                                                                           name=current.name))
        self.current_label.setVisible(current is not None)

        self.field = NavField()
        self.field.setObjectName("valueField")
        self.field.setMaxLength(40)
        self.field.setPlaceholderText(self.tr("手机号 / 后 4 位 / 扫会员码，Enter 查找"))
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText)
        self.field.returnPressed.connect(self.confirm)
        self.field.move_selection.connect(lambda step: step_selection(self.table, step))

        self.model = MemberPickModel(self)
        self.table = touch_table(self.model, "memberTable")
        self.table.doubleClicked.connect(lambda index: self._choose(self.model.member(index.row())))
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_PHONE, COL_TIER, COL_POINTS):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.hide()

        self.form = self._build_form()
        self.form.hide()

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self._say(self.tr("请输入手机号，或手机号后 4 位，或扫描会员码"))

        cancel = self._key_button(self.tr("返回 Esc"), self.reject)
        self.new_button = self._key_button(self.tr("新会员 F2"), self.show_form)
        self.remove_button = self._key_button(self.tr("移除会员 F3"), self.remove)
        self.remove_button.setObjectName("dangerButton")
        self.remove_button.setVisible(current is not None)
        self.ok_button = self._key_button(self.tr("确定 Enter"), self.confirm)
        self.ok_button.setObjectName("payButton")
        QShortcut(QKeySequence("F2"), self, activated=self.show_form)
        QShortcut(QKeySequence("F3"), self, activated=self.remove)
        buttons = QHBoxLayout()
        for b in (cancel, self.new_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addWidget(self.ok_button, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.current_label)
        layout.addWidget(self.field)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form)
        layout.addStretch(0)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.field.setFocus()

    def _key_button(self, text: str, slot: Any) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(lambda _=False: slot())
        return b

    def _build_form(self) -> QFrame:
        form = QFrame()
        form.setObjectName("memberForm")
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 6, 0, 0)
        self.phone_field = QLineEdit()
        self.phone_field.setObjectName("memberPhone")
        self.phone_field.setMaxLength(20)
        self.phone_field.setPlaceholderText(self.tr("11 位手机号"))
        self.name_field = QLineEdit()
        self.name_field.setObjectName("memberName")
        self.name_field.setMaxLength(40)
        self.name_field.setPlaceholderText(self.tr("姓名或称呼"))
        self.birthday_field = QLineEdit()
        self.birthday_field.setObjectName("memberBirthday")
        self.birthday_field.setMaxLength(5)
        self.birthday_field.setPlaceholderText(self.tr("月-日，如 05-17（可不填）"))
        for field in (self.phone_field, self.name_field, self.birthday_field):
            field.returnPressed.connect(self.register)
            field.setStyleSheet(scaled("font-size: 20px; padding: 4px;"))
        self.register_button = self._key_button(self.tr("登记新会员"), self.register)
        self.register_button.setObjectName("payButton")
        grid.addWidget(QLabel(self.tr("手机号")), 0, 0)
        grid.addWidget(self.phone_field, 0, 1)
        grid.addWidget(QLabel(self.tr("姓名")), 1, 0)
        grid.addWidget(self.name_field, 1, 1)
        grid.addWidget(QLabel(self.tr("生日")), 2, 0)
        grid.addWidget(self.birthday_field, 2, 1)
        grid.addWidget(self.register_button, 3, 1)
        grid.setColumnStretch(1, 1)
        return form

    def _say(self, text: str, color: str = INFO_COLOR) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(scaled(f"color: {color}; font-size: 17px;"))

    # -- finding ------------------------------------------------------------------------------

    def confirm(self) -> None:
        """Enter: pick the selected row of the pick list, or look up what was typed."""
        if self.looking:
            return
        if self.form.isVisible() and self.focusWidget() in (self.phone_field, self.name_field, self.birthday_field):
            self.register()
            return
        text = self.field.text().strip()
        row = selected_row(self.table)
        if self.pick is not None and row is not None and text in ("", self._pick_text):
            self._choose(self.model.member(row))
            return
        self.find(text)

    def find(self, text: str) -> None:
        try:
            query = member_query(text)
        except PosError as exc:
            self._say(error_text(exc), ERROR_COLOR)
            self.field.selectAll()
            return
        self.looking = True
        self._say(self.tr("正在查找会员…"))
        self._runner.run(Lane.READER, partial(self._till.members.find, query.text),
                         partial(self._found, query, text), self._failed)

    def _found(self, query: MemberQuery, text: str, members: tuple[Member, ...]) -> None:
        self.looking = False
        outcome = lookup_outcome(query, members)
        if isinstance(outcome, Chosen):
            self._choose(outcome.member)
        elif isinstance(outcome, PickList):
            self.pick = outcome
            self._pick_text = text.strip()
            self.model.set_members(outcome)
            self.form.hide()
            self.table.show()
            select_row(self.table, 0)
            self._say(self.tr("尾号 {last4} 的会员 {n} 位：↑↓ 选择，Enter 确定").format(
                last4=query.text, n=len(outcome.members)))
        elif isinstance(outcome, NotFound):
            self.pick = None
            self.model.set_members(None)
            self.table.hide()
            if outcome.phone:
                self.show_form(outcome.phone)
                self._say(self.tr("没有找到该会员：填写姓名后 Enter，登记为新会员"), ERROR_COLOR)
            else:
                self._say(self.tr("没有找到该会员。按 新会员 F2 登记"), ERROR_COLOR)
                self.field.selectAll()

    def _failed(self, exc: BaseException) -> None:
        self.looking = False
        self._say(error_text(exc), ERROR_COLOR)
        self.field.selectAll()

    def _choose(self, member: Member) -> None:
        self.member = member
        self.accept()

    def remove(self) -> None:
        """移除会员: the sale goes on without the member (before payment only: the window decides)."""
        if self.current is None:
            return
        self.removed = True
        self.accept()

    # -- 新会员 ---------------------------------------------------------------------------------

    def show_form(self, phone: str = "") -> None:
        self.table.hide()
        self.form.show()
        typed = phone or self.field.text().strip()
        if typed and not self.phone_field.text():
            self.phone_field.setText(typed if any(ch.isdigit() for ch in typed) and len(typed) > 4 else "")
        (self.name_field if self.phone_field.text() else self.phone_field).setFocus()
        if not phone:
            self._say(self.tr("登记新会员：输入手机号和姓名，Enter 登记"))

    def register(self) -> None:
        if self.looking:
            return
        try:
            new = check_new_member(self.phone_field.text(), self.name_field.text(), self.birthday_field.text())
        except PosError as exc:
            self._say(error_text(exc), ERROR_COLOR)
            return
        self.looking = True
        self._say(self.tr("正在登记…"))
        members, cashier = self._till.members, self._cashier
        self._runner.run(Lane.WRITER, lambda: members.add(new.phone, new.name, birthday=new.birthday, by=cashier),
                         self._registered, self._failed)

    def _registered(self, member: Member) -> None:
        self.looking = False
        self._say(self.tr("已登记会员 {phone} {name}").format(phone=member.phone_masked, name=member.name), OK_COLOR)
        self._choose(member)


__all__ = ["MemberDialog", "MemberPickModel", "tier_text"]
