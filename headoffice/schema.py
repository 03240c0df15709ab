"""Head office tables (SQLAlchemy Core). Money is BIGINT fen; the journal is stored exactly as sent."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

# One row per till. ``secret`` is the HMAC key shared with that till (set when it redeems its code);
# ``last_seq``/``last_hash`` are the head of the chain head office holds: every entry up to last_seq.
terminals = Table(
    "terminals",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("store_code", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # pending | active | revoked
    Column("secret", String(128), nullable=True),
    Column("code_hash", String(64), nullable=True),
    Column("code_expires_at", String(32), nullable=True),
    Column("code_attempts", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
    Column("enrolled_at", String(32), nullable=True),
    Column("revoked_at", String(32), nullable=True),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("last_hash", String(64), nullable=True),
    Column("last_batch_at", String(32), nullable=True),
    Column("flagged", Boolean, nullable=False, default=False),
)

entries = Table(
    "entries",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", String(32), nullable=False),
)

# Nonces seen in signed requests, kept for twice the allowed clock skew (replay protection).
nonces = Table(
    "nonces",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("seen_at", BigInteger, nullable=False),
)
Index("ix_nonces_seen", nonces.c.seen_at)

# Refused batches and other trouble, for the office to look at (a gap, a broken chain, a conflict).
problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("terminal_id", String(32), nullable=False),
    Column("at", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("expected_seq", BigInteger, nullable=True),
    Column("got_seq", BigInteger, nullable=True),
    Column("reason", Text, nullable=False),
)

# How far each terminal's stored entries have been derived into documents, facts and the dashboard
# tables (headoffice/derive.py). A batch is acknowledged once its raw entries are stored and
# chain-checked; deriving follows in a second step that may lag (``derived_seq`` < ``last_seq``)
# and catches up, never skips: a reader catches up before it reads.
derive_state = Table(
    "derive_state",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("derived_seq", BigInteger, nullable=False),
    Column("derived_at", String(32), nullable=True),
)

# Sales and returns (one row per document) and their money by origin county (消费帮扶), derived
# from the journal after a batch is stored (derive_state).
documents = Table(
    "documents",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("store_code", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # sale | return
    Column("doc_no", String(40), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),  # sale total, or minus the refund
    Column("training", Boolean, nullable=False),
)
Index("ix_documents_doc_no", documents.c.terminal_id, documents.c.doc_no)
Index("ix_documents_day", documents.c.business_day)

origin_facts = Table(
    "origin_facts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("terminal_id", String(32), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("store_code", String(32), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("origin", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),  # signed: returns are negative
)
Index("ix_origin_facts_day", origin_facts.c.business_day, origin_facts.c.terminal_id)

# Master data per store: every published version is a full snapshot (catalogue, users, settings).
master_versions = Table(
    "master_versions",
    metadata,
    Column("store_code", String(32), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("published_at", String(32), nullable=False),
    Column("effective_at", String(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("document", Text, nullable=False),
)

# A till's earlier keys, kept when it enrols again, so receipt QR codes printed before still open
# their trace page (the keys sign nothing else any more: batches need the current key).
retired_keys = Table(
    "retired_keys",
    metadata,
    Column("terminal_id", String(32), primary_key=True),
    Column("secret", String(128), primary_key=True),
    Column("retired_at", String(32), nullable=False),
)
