"""The one place where failures become words a cashier can read.

A :class:`PosError` is a refusal the core already phrased: show its Chinese wording (its English
wording when the UI runs in English). Anything else is a fault: log it with its traceback and say
plainly that nothing was saved.
"""

from __future__ import annotations

import logging

from pos.domain.errors import PosError
from pos.services.receipts import PrintResult

from .i18n import is_chinese, translate

log = logging.getLogger("lianxin.ui")


def error_text(exc: BaseException) -> str:
    """The message to show for ``exc``."""
    if isinstance(exc, PosError):
        return exc.message_zh if is_chinese() else exc.message
    log.error("unexpected fault in the till", exc_info=exc)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return translate("messages", "系统错误：{detail}，交易未保存").format(detail=detail)


def print_text(result: PrintResult) -> str:
    """A print result from ``ReceiptService.print`` in the UI's language."""
    return result.message_zh if is_chinese() else result.message


def print_failure_text(receipt_no: str, exc: BaseException) -> str:
    """Printing raised (e.g. the printer could not even be set up). The sale is already saved."""
    if isinstance(exc, PosError):
        reason = exc.message_zh if is_chinese() else exc.message
    else:
        log.error("printing receipt %s failed", receipt_no, exc_info=exc)
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return translate("messages", "小票 {no} 未能打印：{reason}（交易已保存）").format(no=receipt_no, reason=reason)
