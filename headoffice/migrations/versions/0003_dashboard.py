"""Head office: dashboard facts (tenders, products, counter-days).

Revision ID: ho0003
Revises: ho0002
Create Date: 2026-12-03
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "ho0003"
down_revision = "ho0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
