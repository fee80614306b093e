"""first run setup: one row, so concurrent setups cannot both create an admin

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "first_run_setup",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_first_run_setup_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_first_run_setup")),
    )


def downgrade() -> None:
    op.drop_table("first_run_setup")
