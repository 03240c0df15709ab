"""People at the till: roles and the PIN rule."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import AuthError


class Role(str, enum.Enum):
    CASHIER = "cashier"  # 收银员
    MANAGER = "manager"  # 店长
    ACCOUNTANT = "accountant"  # 会计
    ADMIN = "admin"  # 管理员

    @property
    def label_zh(self) -> str:
        return {"cashier": "收银员", "manager": "店长", "accountant": "会计", "admin": "管理员"}[self.value]


@dataclass(frozen=True, slots=True)
class User:
    login: str
    display_name: str
    role: Role


MAX_FAILED_PINS = 5
LOCKOUT_MINUTES = 5


LOGIN_MAX = 32


def check_login_format(login: str) -> None:
    """A login is ASCII letters, digits and _ only, at most 32 characters (e.g. ``cashier2``)."""
    if not login or not login.isascii() or not login.replace("_", "").isalnum() or len(login) > LOGIN_MAX:
        raise AuthError(f"a login is letters, digits and _ only (at most {LOGIN_MAX})",
                        message_zh=f"登录名只能包含字母、数字和下划线（最多 {LOGIN_MAX} 个）")


def check_pin_format(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise AuthError("a PIN is 4 to 8 digits", message_zh="密码应为 4 到 8 位数字")
