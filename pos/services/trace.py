"""The receipt's trace address (head office's trace page, signed with the till's head-office key).

Built by ``bootstrap`` from two callables so this module needs neither the secret store nor the
database: ``secret()`` gives the till's head-office secret (None until the till is enrolled) and
``base_url()`` head office's address (a configured public address, else the one the till enrolled
with). A till that is not enrolled gets no trace address, and its receipts print no trace QR.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pos.domain.receipt import Receipt
from pos.domain.trace_code import trace_url

log = logging.getLogger(__name__)


class TraceLinks:
    def __init__(self, secret: Callable[[], bytes | None], base_url: Callable[[], str | None]) -> None:
        self._secret = secret
        self._base_url = base_url

    def __call__(self, receipt: Receipt) -> str | None:
        """The trace address for a sale receipt, or None (return slip, training, not enrolled, no address)."""
        if receipt.is_return or receipt.training or not receipt.receipt_no:
            return None
        try:
            secret = self._secret()
            base = (self._base_url() or "").strip()
        except Exception:  # noqa: BLE001 - a locked keyring or a damaged key file: the receipt prints without
            log.warning("no trace code for %s: the head-office key cannot be read", receipt.receipt_no, exc_info=True)
            return None
        if not secret or not base.lower().startswith(("http://", "https://")):
            return None
        return trace_url(base, secret, receipt.terminal_id, receipt.receipt_no)
