"""The permission matrix, every role × action, with and without a manager's approval."""

import pytest

from pos.domain.permissions import MATRIX, Action, Approval, ApprovalRequired, Grant, NotPermitted, can_approve, check
from pos.domain.users import Role

# What the shop agreed, written out again by hand so a change to the matrix must change this too.
EXPECTED = {
    Role.CASHIER: {"sell": "A", "line_void": "A", "discount_over_limit": "W", "price_override": "W", "return": "W",
                   "return_without_receipt": "W", "open_drawer": "W", "cash_in_out": "W", "close_shift": "A",
                   "z_close": "N", "approve_day": "N", "training_mode": "A", "settings": "N", "user_admin": "N",
                   "stock_writeoff": "W", "stock_count": "W", "stock_receive": "N", "account_payment": "N", "member_export": "N"},
    Role.MANAGER: {a.value: "A" for a in Action},
    Role.ACCOUNTANT: {a.value: "N" for a in Action} | {"z_close": "A", "approve_day": "A", "account_payment": "W"},
    Role.ADMIN: {a.value: "N" for a in Action} | {"settings": "A", "user_admin": "A", "training_mode": "A"},
}
CODES = {"A": Grant.ALONE, "W": Grant.WITH_APPROVAL, "N": Grant.NEVER}


def _approval(action: Action, role: Role) -> Approval:
    return Approval(action, "someone", role, "requester", "2026-11-22T02:00:00Z")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_every_role_and_action(role: Role, action: Action) -> None:
    grant = MATRIX[role][action]
    assert grant is CODES[EXPECTED[role][action.value]]
    by_manager = _approval(action, Role.MANAGER)
    by_cashier = _approval(action, Role.CASHIER)
    if grant is Grant.ALONE:
        check(role, action)
        check(role, action, by_manager)
    elif grant is Grant.NEVER:
        with pytest.raises(NotPermitted):
            check(role, action)
        with pytest.raises(NotPermitted):
            check(role, action, by_manager)
    else:
        with pytest.raises(ApprovalRequired):
            check(role, action)
        check(role, action, by_manager)  # a manager's approval lets it through
        with pytest.raises(NotPermitted):
            check(role, action, by_cashier)  # a cashier cannot approve
        other = next(a for a in Action if a is not action)
        with pytest.raises(ApprovalRequired):
            check(role, action, _approval(other, Role.MANAGER))  # approval is per action


def test_only_roles_that_may_act_alone_can_approve() -> None:
    for role in Role:
        for action in Action:
            assert can_approve(role, action) == (MATRIX[role][action] is Grant.ALONE)


def test_refusals_name_the_action_in_words_never_its_code() -> None:
    from pos.domain.permissions import Action, ApprovalRequired, NotPermitted
    from pos.domain.users import Role

    for action in Action:
        for text in (NotPermitted(Role.CASHIER, action).message, ApprovalRequired(action).message):
            assert "_" not in text and text[0].isupper(), text
    assert NotPermitted(Role.CASHIER, Action.Z_CLOSE).message.startswith("A cashier's role does not allow the day's Z")
