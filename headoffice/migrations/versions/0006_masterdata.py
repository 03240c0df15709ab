"""Head office: master data drafts from the browser, terminal versions.

Revision ID: ho0006
Revises: ho0005
Create Date: 2026-12-03
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "ho0006"
down_revision = "ho0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
