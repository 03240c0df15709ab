"""One normalisation for every reference a cashier types or scans: voucher numbers, institution
account codes, UnionPay terminal references and WeChat/Alipay payment codes.

``V888``, ``v888``, `` V888 `` and ``Ｖ８８８`` are one voucher; ``MXGXS`` and `` MXGXS`` are one
account. The rule is applied where a reference enters the domain (a :class:`~pos.domain.tenders.Tender`
normalises its own reference, accounts normalise their codes), so a check that compares two
references can never be fooled by width, case or spaces:

1. Unicode NFKC (full-width ``Ｖ８８８`` → ``V888``, ideographic space → space);
2. every whitespace character removed, at the ends and inside (``V 888`` → ``V888``);
3. upper case for the kinds whose codes are case-blind (vouchers, accounts, UnionPay);
4. a payment code keeps its digits only when it is a run of digits with separators
   (``1345 6789-…`` → ``1345 6789…`` without the spaces and dashes).

The result is stable: normalising twice gives what normalising once gave.
"""

from __future__ import annotations

import enum
import unicodedata


class ReferenceKind(str, enum.Enum):
    VOUCHER = "voucher"  # 消费券券号
    ACCOUNT = "account"  # 挂账单位编码
    UNIONPAY = "unionpay"  # 银联终端参考号
    RECEIPT_NO = "receipt_no"  # 小票号 typed or scanned to find a sale (MX01-20261122-0042)
    PAYMENT_CODE = "payment_code"  # 微信/支付宝付款码 or transaction number
    TEXT = "text"  # any other reference: width and spaces only

    @property
    def upper(self) -> bool:
        return self in (ReferenceKind.VOUCHER, ReferenceKind.ACCOUNT, ReferenceKind.UNIONPAY, ReferenceKind.RECEIPT_NO)


_SEPARATORS = "-_"
_MAX_ROUNDS = 4  # NFKC and upper() settle within two rounds for any text met in practice


def _once(text: str, kind: ReferenceKind) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = "".join(s.split())  # str.split() with no argument splits on every Unicode whitespace
    if kind.upper:
        s = s.upper()
    if kind is ReferenceKind.PAYMENT_CODE:
        digits = "".join(ch for ch in s if ch not in _SEPARATORS)
        if digits and digits.isascii() and digits.isdigit():
            s = digits
    return s


def normalise_reference(text: str | None, kind: ReferenceKind = ReferenceKind.TEXT) -> str:
    """``text`` as it is stored and compared: see the module docstring. ``None`` gives ``""``."""
    s = text or ""
    for _ in range(_MAX_ROUNDS):
        nxt = _once(s, kind)
        if nxt == s:
            break
        s = nxt
    return s


def normalise_account_code(code: str | None) -> str:
    """An institution account code (挂账单位编码) as stored: ``" mxgxs"`` → ``"MXGXS"``."""
    return normalise_reference(code, ReferenceKind.ACCOUNT)


def normalise_receipt_no(text: str | None) -> str:
    """A receipt number as typed (``ｍｘ０１－２０２６１１２２－００４２``) → ``MX01-20261122-0042``."""
    return normalise_reference(text, ReferenceKind.RECEIPT_NO)


def normalise_voucher_number(number: str | None) -> str:
    """A voucher number (消费券券号) as stored: ``"ｖ８８８ "`` → ``"V888"``."""
    return normalise_reference(number, ReferenceKind.VOUCHER)
