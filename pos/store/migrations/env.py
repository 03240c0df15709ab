"""Alembic environment: always run programmatically with a connection from pos.store.db."""

from __future__ import annotations

from alembic import context

from pos.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI by hand
    raise SystemExit("run migrations through `python main.py init` (pos.store.migrate)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
