"""Report rows derived from stored journal entries: documents and 消费帮扶 facts by origin county.

Called by service.store_batch for the entries a batch adds, inside the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, and_, insert, select

from pos.domain.ledger import StoredEntry

from . import facts as facts_mod
from .schema import documents, entries, origin_facts


def derive_batch(conn: Connection, terminal: str, store_code: str, new: list[StoredEntry]) -> None:
    """Insert the report rows of newly stored entries (in the batch's transaction)."""
    sales_here: dict[str, dict[str, Any]] = {}

    def sale_line(receipt_no: str, line_no: int) -> Mapping[str, Any] | None:
        payload = sales_here.get(receipt_no)
        if payload is None:
            text = conn.execute(select(entries.c.payload).join(documents, and_(
                documents.c.terminal_id == entries.c.terminal_id, documents.c.seq == entries.c.seq)).where(
                documents.c.terminal_id == terminal, documents.c.doc_no == receipt_no)).scalar()
            payload = json.loads(text) if text else {}
        return next((ln for ln in payload.get("lines", ()) if ln.get("line_no") == line_no), None)

    docs, rows = [], []
    for e in new:
        if e.kind not in ("sale", "return"):
            continue
        payload = json.loads(e.payload_text)
        doc, found = facts_mod.derive(e.kind, payload, sale_line)
        if doc is None:
            continue
        if doc.kind == "sale":
            sales_here[doc.doc_no] = payload
        docs.append({"terminal_id": terminal, "seq": e.seq, "store_code": store_code, "kind": doc.kind,
                     "doc_no": doc.doc_no, "business_day": e.business_day, "amount_fen": doc.amount_fen,
                     "training": doc.training})
        rows.extend({"terminal_id": terminal, "seq": e.seq, "store_code": store_code,
                     "business_day": e.business_day, "kind": doc.kind, "origin": f.origin, "category": f.category,
                     "amount_fen": f.amount_fen} for f in found)
    if docs:
        conn.execute(insert(documents), docs)
    if rows:
        conn.execute(insert(origin_facts), rows)
