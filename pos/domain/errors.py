"""The domain's exception family.

Every rule that refuses something raises a subclass of :class:`PosError` whose message is a
plain sentence a cashier can read. ``message_zh`` carries the Chinese wording shown in the till;
``str(err)`` is the English wording used by the CLI and logs.
"""

from __future__ import annotations


class PosError(Exception):
    """A refusal in plain words. ``code`` is stable for tests and translations."""

    code = "pos_error"

    def __init__(self, message: str, *, message_zh: str | None = None, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh or message
        self.details = details


class InvalidInput(PosError):
    code = "invalid_input"


class InvalidMoney(InvalidInput):
    code = "invalid_money"


class InvalidBarcode(InvalidInput):
    code = "invalid_barcode"


class UnknownProduct(PosError):
    code = "unknown_product"


class CartError(PosError):
    code = "cart_error"


class PaymentError(PosError):
    code = "payment_error"


class AuthError(PosError):
    code = "auth_error"


class LedgerError(PosError):
    code = "ledger_error"
