"""index change lead time by deployment time, and pull requests by number

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:02:11.325429
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pull_request_deployed_at_lead_time",
            ["deployed_at", "lead_time_seconds", "repository_id", "author_login"],
            unique=False,
        )
        batch_op.create_index(
            "ix_pull_request_repository_id_number", ["repository_id", "number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.drop_index("ix_pull_request_repository_id_number")
        batch_op.drop_index("ix_pull_request_deployed_at_lead_time")
