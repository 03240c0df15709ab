"""Persistence: SQLite via SQLAlchemy Core, alembic migrations, the unit of work."""
