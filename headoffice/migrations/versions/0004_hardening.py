"""Head office: API hardening (enrolment attempts, limits).

Revision ID: ho0004
Revises: ho0003
Create Date: 2026-12-03
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "ho0004"
down_revision = "ho0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nothing to change: the hardening (headoffice/validate.py, headoffice/limits.py, the conditional
    # UPDATE on terminals.code_attempts) needs no new column; the slot keeps the revision chain whole.
    pass


def downgrade() -> None:
    pass
