"""delivery data: repositories, pull requests, deployments, incidents, teams

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:20:23.262858
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "developer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_developer")),
        sa.UniqueConstraint("login", name=op.f("uq_developer_login")),
    )
    op.create_table(
        "repository",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("default_branch", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repository")),
        sa.UniqueConstraint("full_name", name=op.f("uq_repository_full_name")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name", name=op.f("uq_team_name")),
    )
    op.create_table(
        "deployment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.Column("environment", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("commit_sha", sa.String(length=64), nullable=True),
        sa.Column("has_commit_list", sa.Boolean(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("is_production", sa.Boolean(), nullable=False),
        sa.Column("is_failed", sa.Boolean(), nullable=False),
        sa.Column("failure_reason", sa.String(length=300), nullable=True),
        sa.Column("is_rework", sa.Boolean(), nullable=False),
        sa.Column("rework_reason", sa.String(length=300), nullable=True),
        sa.Column("recovered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recovery_seconds", sa.BigInteger(), nullable=True),
        sa.Column("previous_deployment_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_deployment_repository_id_repository"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_deployment_source_external_id")),
    )
    with op.batch_alter_table("deployment", schema=None) as batch_op:
        batch_op.create_index("ix_deployment_finished_at", ["finished_at"], unique=False)
        batch_op.create_index(
            "ix_deployment_repository_id_finished_at",
            ["repository_id", "finished_at"],
            unique=False,
        )

    op.create_table(
        "git_commit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("authored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "parents",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_git_commit_repository_id_repository"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_git_commit")),
        sa.UniqueConstraint("repository_id", "sha", name=op.f("uq_git_commit_repository_id_sha")),
    )
    op.create_table(
        "ingest_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["app_user.id"],
            name=op.f("fk_ingest_token_created_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_token")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_ingest_token_token_digest")),
    )
    op.create_table(
        "pull_request",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("author_login", sa.String(length=200), nullable=True),
        sa.Column("head_branch", sa.String(length=300), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merge_commit_sha", sa.String(length=64), nullable=True),
        sa.Column("additions", sa.Integer(), nullable=True),
        sa.Column("deletions", sa.Integer(), nullable=True),
        sa.Column(
            "labels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("first_commit_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_review_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deployment_id", sa.BigInteger(), nullable=True),
        sa.Column("coding_seconds", sa.BigInteger(), nullable=True),
        sa.Column("pickup_seconds", sa.BigInteger(), nullable=True),
        sa.Column("review_seconds", sa.BigInteger(), nullable=True),
        sa.Column("deploy_seconds", sa.BigInteger(), nullable=True),
        sa.Column("merge_seconds", sa.BigInteger(), nullable=True),
        sa.Column("cycle_seconds", sa.BigInteger(), nullable=True),
        sa.Column("lead_time_seconds", sa.BigInteger(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("is_revert", sa.Boolean(), nullable=False),
        sa.Column("is_hotfix", sa.Boolean(), nullable=False),
        sa.Column("is_bot_author", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_pull_request_repository_id_repository"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pull_request")),
        sa.UniqueConstraint(
            "source", "external_id", name=op.f("uq_pull_request_source_external_id")
        ),
    )
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.create_index("ix_pull_request_author_login", ["author_login"], unique=False)
        batch_op.create_index("ix_pull_request_deployment_id", ["deployment_id"], unique=False)
        batch_op.create_index(
            "ix_pull_request_merge_commit_sha", ["merge_commit_sha"], unique=False
        )
        batch_op.create_index("ix_pull_request_merged_at", ["merged_at"], unique=False)
        batch_op.create_index(
            "ix_pull_request_repository_id_merged_at", ["repository_id", "merged_at"], unique=False
        )
        batch_op.create_index("ix_pull_request_updated_at_id", ["updated_at", "id"], unique=False)

    op.create_table(
        "team_member",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["developer_id"],
            ["developer.id"],
            name=op.f("fk_team_member_developer_id_developer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_member_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "developer_id", name=op.f("pk_team_member")),
    )
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_member_developer_id"), ["developer_id"], unique=False
        )

    op.create_table(
        "team_repository",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_team_repository_repository_id_repository"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_team_repository_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "repository_id", name=op.f("pk_team_repository")),
    )
    with op.batch_alter_table("team_repository", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_repository_repository_id"), ["repository_id"], unique=False
        )

    op.create_table(
        "deployment_commit",
        sa.Column(
            "deployment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployment.id"],
            name=op.f("fk_deployment_commit_deployment_id_deployment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deployment_id", "sha", name=op.f("pk_deployment_commit")),
    )
    with op.batch_alter_table("deployment_commit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deployment_commit_repository_id_sha", ["repository_id", "sha"], unique=False
        )

    op.create_table(
        "deployment_listed_commit",
        sa.Column(
            "deployment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployment.id"],
            name=op.f("fk_deployment_listed_commit_deployment_id_deployment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deployment_id", "sha", name=op.f("pk_deployment_listed_commit")),
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(length=200), nullable=True),
        sa.Column("severity", sa.String(length=32), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column(
            "caused_by_deployment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "revert_pull_request_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("attributed_deployment_id", sa.BigInteger(), nullable=True),
        sa.Column("attribution_reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["caused_by_deployment_id"],
            ["deployment.id"],
            name=op.f("fk_incident_caused_by_deployment_id_deployment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_incident_repository_id_repository"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revert_pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_incident_revert_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_incident_source_external_id")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_attributed_deployment_id", ["attributed_deployment_id"], unique=False
        )
        batch_op.create_index("ix_incident_started_at", ["started_at"], unique=False)

    op.create_table(
        "pull_request_commit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "pull_request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("authored_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_pull_request_commit_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pull_request_commit")),
        sa.UniqueConstraint(
            "pull_request_id", "sha", name=op.f("uq_pull_request_commit_pull_request_id_sha")
        ),
    )
    op.create_table(
        "pull_request_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "pull_request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_login", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=True),
        sa.Column("subject_login", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_pull_request_event_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pull_request_event")),
        sa.UniqueConstraint(
            "pull_request_id",
            "kind",
            "actor_login",
            "at",
            name=op.f("uq_pull_request_event_pull_request_id_kind_actor_login_at"),
        ),
    )
    with op.batch_alter_table("pull_request_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pull_request_event_actor_login_at", ["actor_login", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pull_request_event", schema=None) as batch_op:
        batch_op.drop_index("ix_pull_request_event_actor_login_at")

    op.drop_table("pull_request_event")
    op.drop_table("pull_request_commit")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_started_at")
        batch_op.drop_index("ix_incident_attributed_deployment_id")

    op.drop_table("incident")
    op.drop_table("deployment_listed_commit")
    with op.batch_alter_table("deployment_commit", schema=None) as batch_op:
        batch_op.drop_index("ix_deployment_commit_repository_id_sha")

    op.drop_table("deployment_commit")
    with op.batch_alter_table("team_repository", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_repository_repository_id"))

    op.drop_table("team_repository")
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_member_developer_id"))

    op.drop_table("team_member")
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.drop_index("ix_pull_request_updated_at_id")
        batch_op.drop_index("ix_pull_request_repository_id_merged_at")
        batch_op.drop_index("ix_pull_request_merged_at")
        batch_op.drop_index("ix_pull_request_merge_commit_sha")
        batch_op.drop_index("ix_pull_request_deployment_id")
        batch_op.drop_index("ix_pull_request_author_login")

    op.drop_table("pull_request")
    op.drop_table("ingest_token")
    op.drop_table("git_commit")
    with op.batch_alter_table("deployment", schema=None) as batch_op:
        batch_op.drop_index("ix_deployment_repository_id_finished_at")
        batch_op.drop_index("ix_deployment_finished_at")

    op.drop_table("deployment")
    op.drop_table("team")
    op.drop_table("repository")
    op.drop_table("developer")
