"""Merge the branches written in parallel (shifts 0004, sync 0005, devices 0006) into one head.

Revision ID: 0007
Revises: 0004, 0005, 0006
Create Date: 2026-11-22
"""

revision = "0007"
down_revision = ("0004", "0005", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
