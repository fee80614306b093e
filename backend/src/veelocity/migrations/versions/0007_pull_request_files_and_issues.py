"""pull request files (for PR-size exclusions); issues, and incidents derived from them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("files_known", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "pull_request_file",
        sa.Column("pull_request_id", _ID, nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("additions", sa.Integer(), nullable=False),
        sa.Column("deletions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_pull_request_file_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pull_request_id", "path", name=op.f("pk_pull_request_file")),
    )
    op.create_table(
        "issue",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("author_login", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_reason", sa.String(length=32), nullable=True),
        sa.Column("labels", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_issue_repository_id_repository"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_issue_source_external_id")),
    )
    op.create_index("ix_issue_repository_id_number", "issue", ["repository_id", "number"])
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issue_id", _ID, nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_incident_issue_id_issue"), "issue", ["issue_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_incident_issue_id_issue"), type_="foreignkey")
        batch_op.drop_column("issue_id")
    op.drop_index("ix_issue_repository_id_number", table_name="issue")
    op.drop_table("issue")
    op.drop_table("pull_request_file")
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.drop_column("files_known")
