"""What a till says about itself with each batch (the optional ``till`` object of the batch body).

``note`` runs inside the batch's transaction; see the counters page (headoffice/web/terminals.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection


def note(conn: Connection, terminal: str, till: Any, received: str) -> None:
    """Record the till's own report (version, its newest seq, its clock) sent with a batch."""
    return None
