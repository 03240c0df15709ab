"""Receipt pages: customers' invoice (开票) requests and the trace pages' rate limit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, UniqueConstraint

from .schema import metadata

# One request per receipt: a second submission changes it until the accountant exports it.
# ``amount_fen`` is the receipt's total less its refunds, taken from the journal, never the form.
invoice_requests = Table(
    "invoice_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("terminal_id", String(32), nullable=False),
    Column("receipt_no", String(40), nullable=False),
    Column("store_code", String(32), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("title", String(100), nullable=False),  # 发票抬头
    Column("tax_no", String(18), nullable=False),  # 纳税人识别号 ("" for 个人)
    Column("email", String(254), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("exported_at", String(32), nullable=True),
    Column("exported_by", String(64), nullable=True),
    UniqueConstraint("terminal_id", "receipt_no", name="uq_invoice_requests_receipt"),
)
Index("ix_invoice_requests_day", invoice_requests.c.business_day, invoice_requests.c.store_code)

# What the public receipt pages saw from each client address: wrong or missing signatures
# ("bad") and invoice submissions ("submit"), counted over a window to slow down guessing and spam.
trace_hits = Table(
    "trace_hits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client", String(64), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("at", BigInteger, nullable=False),
)
Index("ix_trace_hits_client", trace_hits.c.client, trace_hits.c.kind, trace_hits.c.at)
