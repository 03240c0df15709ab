"""Dashboard tables: office settings and figures derived from the tills' journals, ready to add up.

Each derived table holds one row per counter × business day × something (origin county, product,
tender), summed as batches arrive (derive.py, in the batch's transaction), so a year of 50
counters answers in milliseconds. They hold nothing that is not in ``entries``: `headoffice
dashboard-rebuild` empties and refills them from the stored journal. Money is BIGINT fen;
``returns_fen`` are positive refunds; ``week`` is the ISO week (2026-W45), ``month`` 2026-11.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from .schema import metadata

# Office settings kept in head office's database (e.g. the aided counties of 消费帮扶), as JSON.
dash_settings = Table(
    "dash_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("updated_by", String(64), nullable=False),
)

# Sale and return money per counter × day × origin county × category × product × delivery batch.
dash_sales = Table(
    "dash_sales",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("origin", String(200), primary_key=True),
    Column("category", String(200), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("batch", String(64), primary_key=True),  # "" until sale lines carry a delivery batch
    Column("store_code", String(32), nullable=False),
    Column("week", String(8), nullable=False),
    Column("month", String(7), nullable=False),
    Column("name", String(200), nullable=False),
    Column("weighed", Boolean, nullable=False),
    Column("quantity", BigInteger, nullable=False),  # net units, or grams when weighed
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
)
Index("ix_dash_sales_day", dash_sales.c.business_day)
Index("ix_dash_sales_store", dash_sales.c.store_code, dash_sales.c.business_day)
Index("ix_dash_sales_batch", dash_sales.c.batch, dash_sales.c.business_day)

# The same money per counter × day × origin county (the county, counter and period views).
dash_origin = Table(
    "dash_origin",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("origin", String(200), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("week", String(8), nullable=False),
    Column("month", String(7), nullable=False),
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
)
Index("ix_dash_origin_day", dash_origin.c.business_day)
Index("ix_dash_origin_store", dash_origin.c.store_code, dash_origin.c.business_day)

# Money taken (+) and refunded (−) per counter × day × tender, change already given back.
dash_tenders = Table(
    "dash_tenders",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("tender", String(32), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("paid_fen", BigInteger, nullable=False),
    Column("refunded_fen", BigInteger, nullable=False),
    Column("payments", Integer, nullable=False),
)
Index("ix_dash_tenders_day", dash_tenders.c.business_day)

# One row per counter-day: documents, cash moves, shift closes (cash over/short), Z, reconciliation.
RECON_NONE, RECON_Z, RECON_DECLARED, RECON_APPROVED = 0, 1, 2, 3
dash_days = Table(
    "dash_days",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
    Column("receipts", Integer, nullable=False),
    Column("return_docs", Integer, nullable=False),
    Column("training_docs", Integer, nullable=False),
    Column("voids", Integer, nullable=False),
    Column("cash_in_fen", BigInteger, nullable=False),
    Column("cash_out_fen", BigInteger, nullable=False),
    Column("shifts_closed", Integer, nullable=False),
    Column("counted_fen", BigInteger, nullable=False),
    Column("expected_cash_fen", BigInteger, nullable=False),
    Column("over_short_fen", BigInteger, nullable=False),  # counted − expected, summed over the day's shift closes
    Column("z_seq", BigInteger, nullable=True),  # the Z closure's journal seq; NULL = no Z yet
    Column("z_net_fen", BigInteger, nullable=True),
    Column("recon_state", Integer, nullable=False),  # RECON_*: the furthest step reached
    Column("declared_fen", BigInteger, nullable=True),  # statement figures as last declared
    Column("recon_variance_fen", BigInteger, nullable=True),  # declared − expected, when approved
)
Index("ix_dash_days_day", dash_days.c.business_day)

# Roll-ups of the tables above, kept in the same upsert, so a year answers from a few thousand rows:
# all counters together per day, and per counter (or all counters) per month. A period is read as
# its whole months from the monthly tables plus the days at either end from the daily ones.
dash_origin_all = Table(  # all counters × day × origin: the county, comparison and trend views
    "dash_origin_all",
    metadata,
    Column("business_day", String(10), primary_key=True),
    Column("origin", String(200), primary_key=True),
    Column("week", String(8), nullable=False),
    Column("month", String(7), nullable=False),
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
)
dash_origin_month = Table(  # counter × month × origin: the by-counter view
    "dash_origin_month",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("origin", String(200), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
)
Index("ix_dash_origin_month", dash_origin_month.c.month)
SALES_KEYS = ("origin", "category", "sku", "batch")
dash_sales_all = Table(  # all counters × day × product: the products view over a few days
    "dash_sales_all",
    metadata,
    Column("business_day", String(10), primary_key=True),
    *[Column(k, String(200 if k in ("origin", "category") else 64), primary_key=True) for k in SALES_KEYS],
    Column("name", String(200), nullable=False),
    Column("weighed", Boolean, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
)
dash_sales_month = Table(  # all counters × month × product: the products view over months
    "dash_sales_month",
    metadata,
    Column("month", String(7), primary_key=True),
    *[Column(k, String(200 if k in ("origin", "category") else 64), primary_key=True) for k in SALES_KEYS],
    Column("name", String(200), nullable=False),
    Column("weighed", Boolean, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("sales_fen", BigInteger, nullable=False),
    Column("returns_fen", BigInteger, nullable=False),
)
dash_tenders_all = Table(  # all counters × day × tender
    "dash_tenders_all",
    metadata,
    Column("business_day", String(10), primary_key=True),
    Column("tender", String(32), primary_key=True),
    Column("paid_fen", BigInteger, nullable=False),
    Column("refunded_fen", BigInteger, nullable=False),
    Column("payments", Integer, nullable=False),
)
dash_tenders_month = Table(  # counter × month × tender
    "dash_tenders_month",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("tender", String(32), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("paid_fen", BigInteger, nullable=False),
    Column("refunded_fen", BigInteger, nullable=False),
    Column("payments", Integer, nullable=False),
)
Index("ix_dash_tenders_month", dash_tenders_month.c.month)

# (roll-up, the base rows it sums, its key, columns copied from the base row, columns added up)
ROLLUPS = (
    (dash_origin_all, "origins", ("business_day", "origin"), ("week", "month"), ("sales_fen", "returns_fen")),
    (dash_origin_month, "origins", ("terminal_id", "month", "origin"), ("store_code",), ("sales_fen", "returns_fen")),
    (dash_sales_all, "sales", ("business_day", *SALES_KEYS), ("name", "weighed"), ("quantity", "sales_fen", "returns_fen")),
    (dash_sales_month, "sales", ("month", *SALES_KEYS), ("name", "weighed"), ("quantity", "sales_fen", "returns_fen")),
    (dash_tenders_all, "tenders", ("business_day", "tender"), (), ("paid_fen", "refunded_fen", "payments")),
    (dash_tenders_month, "tenders", ("terminal_id", "month", "tender"), ("store_code",), ("paid_fen", "refunded_fen", "payments")),
)
DERIVED = (dash_sales, dash_origin, dash_tenders, dash_days, *(r[0] for r in ROLLUPS))
