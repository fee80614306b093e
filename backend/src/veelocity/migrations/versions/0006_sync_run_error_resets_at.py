"""sync run: when a stopping limit resets; index on status

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error_resets_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_sync_run_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_run_status")
        batch_op.drop_column("error_resets_at")
