"""Who may do what at the till, and what needs a manager's PIN.

A role either may do an action alone, may do it with an approval from someone whose role may
do it alone, or may not do it at all. Approvals are asked per action: there is no lasting
"manager mode".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import PosError
from .users import Role


class Action(str, enum.Enum):
    LINE_VOID = "line_void"  # 删除商品行
    DISCOUNT_OVER_LIMIT = "discount_over_limit"  # 超限折扣
    PRICE_OVERRIDE = "price_override"  # 改价
    RETURN = "return"  # 退货
    RETURN_WITHOUT_RECEIPT = "return_without_receipt"  # 无小票退货
    OPEN_DRAWER = "open_drawer"  # 开钱箱
    CASH_IN_OUT = "cash_in_out"  # 备用金存取
    CLOSE_SHIFT = "close_shift"  # 交班
    Z_CLOSE = "z_close"  # 日结
    APPROVE_DAY = "approve_day"  # 审核日报
    TRAINING_MODE = "training_mode"  # 练习模式
    SETTINGS = "settings"  # 设置
    USER_ADMIN = "user_admin"  # 用户管理
    SELL = "sell"  # 收银
    STOCK_WRITEOFF = "stock_writeoff"  # 报损
    STOCK_COUNT = "stock_count"  # 盘点调整
    STOCK_RECEIVE = "stock_receive"  # 收货
    ACCOUNT_PAYMENT = "account_payment"  # 登记回款
    MEMBER_EXPORT = "member_export"  # 导出会员资料 (clear phone numbers: manager only)

    @property
    def label_zh(self) -> str:
        return ACTION_LABELS_ZH[self]

    @property
    def label_en(self) -> str:
        """What the action is, in plain English words ("a price change"), never its code."""
        return ACTION_LABELS_EN[self]


ACTION_LABELS_ZH = {
    Action.LINE_VOID: "删除商品行", Action.DISCOUNT_OVER_LIMIT: "超限折扣", Action.PRICE_OVERRIDE: "改价",
    Action.RETURN: "退货", Action.RETURN_WITHOUT_RECEIPT: "无小票退货", Action.OPEN_DRAWER: "开钱箱",
    Action.CASH_IN_OUT: "备用金存取", Action.CLOSE_SHIFT: "交班", Action.Z_CLOSE: "日结",
    Action.APPROVE_DAY: "审核日报", Action.TRAINING_MODE: "练习模式", Action.SETTINGS: "设置",
    Action.USER_ADMIN: "用户管理", Action.SELL: "收银", Action.STOCK_WRITEOFF: "报损", Action.STOCK_COUNT: "盘点调整",
    Action.STOCK_RECEIVE: "收货", Action.ACCOUNT_PAYMENT: "登记回款", Action.MEMBER_EXPORT: "导出会员资料",
}
ACTION_LABELS_EN = {
    Action.LINE_VOID: "removing a line", Action.DISCOUNT_OVER_LIMIT: "a discount over the limit",
    Action.PRICE_OVERRIDE: "a price change", Action.RETURN: "a return", Action.RETURN_WITHOUT_RECEIPT:
    "a return without a receipt", Action.OPEN_DRAWER: "opening the cash drawer", Action.CASH_IN_OUT:
    "putting cash in or taking it out", Action.CLOSE_SHIFT: "closing a shift", Action.Z_CLOSE: "the day's Z closing",
    Action.APPROVE_DAY: "approving the day's reconciliation", Action.TRAINING_MODE: "training mode",
    Action.SETTINGS: "changing settings", Action.USER_ADMIN: "managing users", Action.SELL: "selling",
    Action.STOCK_WRITEOFF: "writing off stock", Action.STOCK_COUNT: "a stock count adjustment",
    Action.STOCK_RECEIVE: "receiving goods", Action.ACCOUNT_PAYMENT: "recording a payment received on an account",
    Action.MEMBER_EXPORT: "exporting the members' personal data",
}
ROLE_LABELS_EN = {"cashier": "A cashier's", "manager": "A manager's", "accountant": "An accountant's",
                  "admin": "An administrator's"}


class Grant(str, enum.Enum):
    ALONE = "alone"
    WITH_APPROVAL = "with_approval"
    NEVER = "never"


_A, _W, _N = Grant.ALONE, Grant.WITH_APPROVAL, Grant.NEVER

# role → action → grant. Every pair is listed: a test walks the whole matrix.
MATRIX: dict[Role, dict[Action, Grant]] = {
    Role.CASHIER: {
        Action.SELL: _A, Action.LINE_VOID: _A, Action.DISCOUNT_OVER_LIMIT: _W, Action.PRICE_OVERRIDE: _W,
        Action.RETURN: _W, Action.RETURN_WITHOUT_RECEIPT: _W, Action.OPEN_DRAWER: _W, Action.CASH_IN_OUT: _W,
        Action.CLOSE_SHIFT: _A, Action.Z_CLOSE: _N, Action.APPROVE_DAY: _N, Action.TRAINING_MODE: _A,
        Action.SETTINGS: _N, Action.USER_ADMIN: _N, Action.STOCK_WRITEOFF: _W, Action.STOCK_COUNT: _W,
        Action.STOCK_RECEIVE: _N, Action.ACCOUNT_PAYMENT: _N, Action.MEMBER_EXPORT: _N,
    },
    Role.MANAGER: {a: _A for a in Action} | {Action.USER_ADMIN: _A},
    Role.ACCOUNTANT: {
        Action.SELL: _N, Action.LINE_VOID: _N, Action.DISCOUNT_OVER_LIMIT: _N, Action.PRICE_OVERRIDE: _N,
        Action.RETURN: _N, Action.RETURN_WITHOUT_RECEIPT: _N, Action.OPEN_DRAWER: _N, Action.CASH_IN_OUT: _N,
        Action.CLOSE_SHIFT: _N, Action.Z_CLOSE: _A, Action.APPROVE_DAY: _A, Action.TRAINING_MODE: _N,
        Action.SETTINGS: _N, Action.USER_ADMIN: _N, Action.STOCK_WRITEOFF: _N, Action.STOCK_COUNT: _N,
        Action.STOCK_RECEIVE: _N, Action.ACCOUNT_PAYMENT: _W, Action.MEMBER_EXPORT: _N,
    },
    Role.ADMIN: {a: _N for a in Action} | {Action.SETTINGS: _A, Action.USER_ADMIN: _A, Action.TRAINING_MODE: _A},
}

# A cashier may give up to this much discount on a line or a sale without a manager.
CASHIER_DISCOUNT_LIMIT_BP = 1000  # 10 %


class ApprovalRequired(PosError):
    """The action needs a manager's PIN. The UI asks for it and retries with the approval."""

    code = "approval_required"

    def __init__(self, action: Action, detail: str = "") -> None:
        self.action = action
        super().__init__(f"{action.label_en[0].upper()}{action.label_en[1:]} needs a manager's approval",
                         message_zh=f"{action.label_zh}需要店长授权" + (f"（{detail}）" if detail else ""))


class NotPermitted(PosError):
    code = "not_permitted"

    def __init__(self, role: Role, action: Action) -> None:
        self.action = action
        super().__init__(f"{ROLE_LABELS_EN[role.value]} role does not allow {action.label_en}; ask someone whose role does",
                         message_zh=f"{role.label_zh}无权进行{action.label_zh}")


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's yes to one action, given with their PIN (and journaled) at ``at``.

    The optional scope says what exactly was approved, so that an approval cannot be stretched
    to cover more than the manager saw (checked when the sale is committed, see
    :mod:`pos.domain.limits`): ``percent_bp`` the most the reductions may come to, in basis
    points of what they are taken from (rounded up to the next 0.01 %); ``amount_fen`` the most
    they may come to in fen; ``price_fen`` the unit price a price override may set. Approvals
    given before approvals carried a scope have none of them and cover no sale limit.
    """

    action: Action
    approver: str
    approver_role: Role
    requested_by: str
    at: str
    detail: str = ""
    percent_bp: int | None = None
    amount_fen: int | None = None
    price_fen: int | None = None

    @property
    def scoped(self) -> bool:
        return self.percent_bp is not None or self.amount_fen is not None or self.price_fen is not None

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {"action": self.action.value, "approver": self.approver,
                                "approver_role": self.approver_role.value, "requested_by": self.requested_by,
                                "at": self.at, "detail": self.detail}
        # Only the scope that is set is written, so an approval without one reads back byte for byte.
        for key in ("percent_bp", "amount_fen", "price_fen"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        return d

    @classmethod
    def from_json(cls, d: dict) -> Approval:
        def opt(key: str) -> int | None:
            v = d.get(key)
            return None if v is None else int(v)

        return cls(Action(d["action"]), d["approver"], Role(d["approver_role"]), d["requested_by"], d["at"],
                   d.get("detail", ""), opt("percent_bp"), opt("amount_fen"), opt("price_fen"))


def grant(role: Role, action: Action) -> Grant:
    return MATRIX[role][action]


def check(role: Role, action: Action, approval: Approval | None = None, *, detail: str = "") -> None:
    """Raise unless ``role`` may do ``action`` now (alone, or with a fitting approval)."""
    g = grant(role, action)
    if g is Grant.ALONE:
        return
    if g is Grant.NEVER:
        raise NotPermitted(role, action)
    if approval is None or approval.action is not action:
        raise ApprovalRequired(action, detail)
    if grant(approval.approver_role, action) is not Grant.ALONE:
        raise NotPermitted(approval.approver_role, action)


def can_approve(role: Role, action: Action) -> bool:
    return grant(role, action) is Grant.ALONE
