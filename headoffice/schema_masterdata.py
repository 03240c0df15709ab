"""Tables of the counters page and of master data from the browser.

``terminal_reports``: what each till last said about itself with a batch (app version, its newest
journal seq, its clock), for "entries waiting", "version" and "stale clock" on /terminals.
``master_drafts``: an uploaded catalogue or price file, a user change or a settings change waiting
to be published (upload → preview → publish), and, once published, which version it became and who
published it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from .schema import entries, metadata

terminal_reports = Table(
    "terminal_reports",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("app_version", String(32), nullable=True),
    Column("head_seq", BigInteger, nullable=True),
    Column("sent_at", String(40), nullable=True),  # the till's clock when it sent the batch (UTC ISO)
    Column("received_at", String(32), nullable=False),  # head office's clock when the batch came in
    Column("clock_skew_s", BigInteger, nullable=True),  # till clock minus head office clock, seconds
)

master_drafts = Table(
    "master_drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("store_code", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # catalog | users | settings
    Column("status", String(16), nullable=False),  # draft | published | discarded
    Column("title", Text, nullable=False),  # file name or what the change is, for the lists
    Column("mode", String(16), nullable=False),  # catalog: merge | full; else ""
    Column("content", Text, nullable=False),  # JSON: products + components, a user change, settings
    Column("created_by", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("published_version", Integer, nullable=True),
    Column("published_by", String(64), nullable=True),
    Column("published_at", String(32), nullable=True),
    Column("effective_at", String(32), nullable=True),
)
Index("ix_master_drafts_store", master_drafts.c.store_code, master_drafts.c.status)
Index("ix_master_drafts_version", master_drafts.c.store_code, master_drafts.c.published_version)

# The counters page reads sale and Z days per terminal by kind (headoffice/terminals_view.py).
Index("ix_entries_kind_day", entries.c.kind, entries.c.terminal_id, entries.c.business_day)
