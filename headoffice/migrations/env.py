"""Alembic environment for head office: always run programmatically with a connection (headoffice.db)."""

from __future__ import annotations

from alembic import context

from headoffice.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise SystemExit("run head-office migrations through `python main.py headoffice serve` (headoffice.db.migrate)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  version_table="headoffice_alembic_version")
with context.begin_transaction():
    context.run_migrations()
