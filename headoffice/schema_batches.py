"""Delivery batches (批次, e.g. a 山海快车 truck) at head office: the lots the tills received, and running
sums of what happened to each lot since, derived from the journal (contract: issue 15, derive.py).

``batch_lots`` holds one row per lot a till received (``stock_receipt``): head office names a lot by
(terminal, lot). ``batch_lot_sums`` adds up, per (terminal, lot, sku), what sales, returns, write-offs
(报损) and approved counts (盘点) drew from or put back into it. A draw a till made past zero (no lot)
is summed under lot "" (and batch ""); a draw head office could not read is counted in ``unreadable``
and left out of the figures. Quantities are units, or grams for weighed goods; money is BIGINT fen;
costs are positive, ``count_qty``/``count_cost`` are signed (counted − expected). Nothing here is not
in ``entries``: ``headoffice dashboard-rebuild`` empties and refills both tables.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table

from .schema import metadata

batch_lots = Table(
    "batch_lots",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("lot", String(80), primary_key=True),  # "<batch>/<n>", unique per terminal
    Column("store_code", String(32), nullable=False),
    Column("batch", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),  # the stock_receipt entry
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("category", String(200), nullable=False),
    Column("origin", String(200), nullable=False),
    Column("weighed", Boolean, nullable=False),
    Column("arrival", String(10), nullable=False),
    Column("expiry", String(10), nullable=False),
    Column("production_date", String(10), nullable=False),
    Column("supplier", String(200), nullable=False),
    Column("contact", String(64), nullable=False),
    Column("certificate", String(120), nullable=False),  # 承诺达标合格证 number
    Column("quarantine", String(120), nullable=False),  # 动物检疫合格证明 number
    Column("received_qty", BigInteger, nullable=False),
    Column("unit_cost", BigInteger, nullable=False),  # fen per unit, or per kg when weighed
    Column("received_cost", BigInteger, nullable=False),
)
Index("ix_batch_lots_batch", batch_lots.c.batch)

SUM_FIELDS = ("sold_qty", "sold_net", "sold_cost", "sold_unknown", "returned_qty", "returned_net", "returned_cost",
              "written_qty", "written_cost", "count_qty", "count_cost", "unreadable")
batch_lot_sums = Table(
    "batch_lot_sums",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("lot", String(80), primary_key=True),  # "" = drawn past zero (no lot)
    Column("sku", String(64), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("batch", String(64), nullable=False),
    Column("sold_qty", BigInteger, nullable=False),
    Column("sold_net", BigInteger, nullable=False),  # the draws' share of the sale lines' net revenue
    Column("sold_cost", BigInteger, nullable=False),
    Column("sold_unknown", Integer, nullable=False),  # draws the till knew no cost for
    Column("returned_qty", BigInteger, nullable=False),
    Column("returned_net", BigInteger, nullable=False),
    Column("returned_cost", BigInteger, nullable=False),
    Column("written_qty", BigInteger, nullable=False),
    Column("written_cost", BigInteger, nullable=False),
    Column("count_qty", BigInteger, nullable=False),
    Column("count_cost", BigInteger, nullable=False),
    Column("unreadable", Integer, nullable=False),
    Column("first_sale_day", String(10), nullable=True),
    Column("last_sale_day", String(10), nullable=True),
)
Index("ix_batch_lot_sums_batch", batch_lot_sums.c.batch)

BATCH_TABLES = (batch_lots, batch_lot_sums)
