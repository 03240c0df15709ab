"""Head office: receipt trace and invoice (开票) requests.

Revision ID: ho0005
Revises: ho0004
Create Date: 2026-12-03
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "ho0005"
down_revision = "ho0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
