"""ai-assisted development: cursor members, usage, spend and ai commit lines, greptile repositories and reviews, derived pull request and deployment ai facts, commit trailers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 20:49:08.852197
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_commit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("user_email", sa.String(length=320), nullable=True),
        sa.Column("repository_name", sa.String(length=300), nullable=True),
        sa.Column("branch_name", sa.String(length=300), nullable=True),
        sa.Column("is_primary_branch", sa.Boolean(), nullable=True),
        sa.Column("total_lines_added", sa.Integer(), nullable=False),
        sa.Column("total_lines_deleted", sa.Integer(), nullable=False),
        sa.Column("ai_lines_added", sa.Integer(), nullable=False),
        sa.Column("ai_lines_deleted", sa.Integer(), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_commit")),
        sa.UniqueConstraint("source", "sha", name=op.f("uq_ai_commit_source_sha")),
    )
    with op.batch_alter_table("ai_commit", schema=None) as batch_op:
        batch_op.create_index("ix_ai_commit_sha", ["sha"], unique=False)

    op.create_table(
        "greptile_review",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("repository_name", sa.String(length=300), nullable=False),
        sa.Column("pull_request_number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_greptile_review")),
        sa.UniqueConstraint("external_id", name=op.f("uq_greptile_review_external_id")),
    )
    op.create_table(
        "cursor_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("is_removed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=True),
        sa.Column("developer_chosen", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["developer_id"],
            ["developer.id"],
            name=op.f("fk_cursor_member_developer_id_developer"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cursor_member")),
        sa.UniqueConstraint("email", name=op.f("uq_cursor_member_email")),
    )
    with op.batch_alter_table("cursor_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cursor_member_developer_id"), ["developer_id"], unique=False
        )

    op.create_table(
        "greptile_repository",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=400), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=True),
        sa.Column("branch", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("files_processed", sa.Integer(), nullable=True),
        sa.Column("num_files", sa.Integer(), nullable=True),
        sa.Column("indexed_sha", sa.String(length=64), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_greptile_repository_repository_id_repository"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_greptile_repository")),
        sa.UniqueConstraint("external_id", name=op.f("uq_greptile_repository_external_id")),
    )
    with op.batch_alter_table("greptile_repository", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_greptile_repository_repository_id"), ["repository_id"], unique=False
        )

    op.create_table(
        "commit_trailer",
        sa.Column(
            "pull_request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_commit_trailer_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "pull_request_id", "sha", "key", "value", name=op.f("pk_commit_trailer")
        ),
    )
    op.create_table(
        "cursor_daily_usage",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("total_lines_added", sa.Integer(), nullable=False),
        sa.Column("total_lines_deleted", sa.Integer(), nullable=False),
        sa.Column("accepted_lines_added", sa.Integer(), nullable=False),
        sa.Column("accepted_lines_deleted", sa.Integer(), nullable=False),
        sa.Column("total_applies", sa.Integer(), nullable=False),
        sa.Column("total_accepts", sa.Integer(), nullable=False),
        sa.Column("total_rejects", sa.Integer(), nullable=False),
        sa.Column("tabs_shown", sa.Integer(), nullable=False),
        sa.Column("tabs_accepted", sa.Integer(), nullable=False),
        sa.Column("composer_requests", sa.Integer(), nullable=False),
        sa.Column("chat_requests", sa.Integer(), nullable=False),
        sa.Column("agent_requests", sa.Integer(), nullable=False),
        sa.Column("cmdk_usages", sa.Integer(), nullable=False),
        sa.Column("bugbot_usages", sa.Integer(), nullable=False),
        sa.Column("usage_based_requests", sa.Integer(), nullable=False),
        sa.Column("most_used_model", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["cursor_member.id"],
            name=op.f("fk_cursor_daily_usage_member_id_cursor_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "day", name=op.f("pk_cursor_daily_usage")),
    )
    with op.batch_alter_table("cursor_daily_usage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cursor_daily_usage_day"), ["day"], unique=False)

    op.create_table(
        "cursor_spend",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("cycle_start", sa.Date(), nullable=False),
        sa.Column("spend_cents", sa.Integer(), nullable=False),
        sa.Column("fast_premium_requests", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["cursor_member.id"],
            name=op.f("fk_cursor_spend_member_id_cursor_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "cycle_start", name=op.f("pk_cursor_spend")),
    )
    op.create_table(
        "deployment_ai",
        sa.Column(
            "deployment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("ai_share", sa.Float(), nullable=True),
        sa.Column("lines_added", sa.Integer(), nullable=False),
        sa.Column("ai_lines_added", sa.Integer(), nullable=False),
        sa.Column("prs_known", sa.Integer(), nullable=False),
        sa.Column("prs", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployment.id"],
            name=op.f("fk_deployment_ai_deployment_id_deployment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deployment_id", name=op.f("pk_deployment_ai")),
    )
    op.create_table(
        "pull_request_ai",
        sa.Column(
            "pull_request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("assisted", sa.String(length=8), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("ai_share", sa.Float(), nullable=True),
        sa.Column("ai_lines_added", sa.Integer(), nullable=True),
        sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("review_bot", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_before_merge", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_pull_request_ai_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pull_request_id", name=op.f("pk_pull_request_ai")),
    )
    with op.batch_alter_table("pull_request_ai", schema=None) as batch_op:
        batch_op.create_index("ix_pull_request_ai_assisted", ["assisted"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pull_request_ai", schema=None) as batch_op:
        batch_op.drop_index("ix_pull_request_ai_assisted")

    op.drop_table("pull_request_ai")
    op.drop_table("deployment_ai")
    op.drop_table("cursor_spend")
    with op.batch_alter_table("cursor_daily_usage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cursor_daily_usage_day"))

    op.drop_table("cursor_daily_usage")
    op.drop_table("commit_trailer")
    with op.batch_alter_table("greptile_repository", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_greptile_repository_repository_id"))

    op.drop_table("greptile_repository")
    with op.batch_alter_table("cursor_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cursor_member_developer_id"))

    op.drop_table("cursor_member")
    op.drop_table("greptile_review")
    with op.batch_alter_table("ai_commit", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_commit_sha")

    op.drop_table("ai_commit")
