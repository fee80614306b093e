"""sentry projects, releases and deploys, issues with events, daily error counts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 20:08:17.383106
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sentry_release",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.String(length=250), nullable=False),
        sa.Column("short_version", sa.String(length=250), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_commit_sha", sa.String(length=64), nullable=True),
        sa.Column(
            "commit_shas",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "project_external_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("deployment_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentry_release")),
        sa.UniqueConstraint("version", name=op.f("uq_sentry_release_version")),
    )
    with op.batch_alter_table("sentry_release", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sentry_release_deployment_id"), ["deployment_id"], unique=False
        )

    op.create_table(
        "sentry_deploy",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column(
            "release_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("environment", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["sentry_release.id"],
            name=op.f("fk_sentry_deploy_release_id_sentry_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentry_deploy")),
        sa.UniqueConstraint("external_id", name=op.f("uq_sentry_deploy_external_id")),
    )
    with op.batch_alter_table("sentry_deploy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sentry_deploy_release_id"), ["release_id"], unique=False
        )

    op.create_table(
        "sentry_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("repository_id", sa.Integer(), nullable=True),
        sa.Column("repository_mapped_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repository.id"],
            name=op.f("fk_sentry_project_repository_id_repository"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentry_project")),
        sa.UniqueConstraint("external_id", name=op.f("uq_sentry_project_external_id")),
    )
    with op.batch_alter_table("sentry_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sentry_project_repository_id"), ["repository_id"], unique=False
        )

    op.create_table(
        "sentry_error_stat",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["sentry_project.id"],
            name=op.f("fk_sentry_error_stat_project_id_sentry_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "day", name=op.f("pk_sentry_error_stat")),
    )
    op.create_table(
        "sentry_issue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("short_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("culprit", sa.Text(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("substatus", sa.String(length=32), nullable=True),
        sa.Column(
            "status_details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event_count", sa.BigInteger(), nullable=False),
        sa.Column("user_count", sa.Integer(), nullable=False),
        sa.Column("first_release_version", sa.String(length=250), nullable=True),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("events_read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_incident", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("incident_reason", sa.String(length=300), nullable=True),
        sa.Column("incident_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["sentry_project.id"],
            name=op.f("fk_sentry_issue_project_id_sentry_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentry_issue")),
        sa.UniqueConstraint("external_id", name=op.f("uq_sentry_issue_external_id")),
    )
    with op.batch_alter_table("sentry_issue", schema=None) as batch_op:
        batch_op.create_index("ix_sentry_issue_last_seen", ["last_seen"], unique=False)
        batch_op.create_index(
            "ix_sentry_issue_project_id_first_seen", ["project_id", "first_seen"], unique=False
        )

    op.create_table(
        "sentry_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("issue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("environment", sa.String(length=200), nullable=True),
        sa.Column("release_version", sa.String(length=250), nullable=True),
        sa.Column("user_key", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["sentry_issue.id"],
            name=op.f("fk_sentry_event_issue_id_sentry_issue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentry_event")),
        sa.UniqueConstraint(
            "issue_id", "external_id", name=op.f("uq_sentry_event_issue_id_external_id")
        ),
    )
    with op.batch_alter_table("sentry_event", schema=None) as batch_op:
        batch_op.create_index("ix_sentry_event_issue_id_at", ["issue_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sentry_event", schema=None) as batch_op:
        batch_op.drop_index("ix_sentry_event_issue_id_at")

    op.drop_table("sentry_event")
    with op.batch_alter_table("sentry_issue", schema=None) as batch_op:
        batch_op.drop_index("ix_sentry_issue_project_id_first_seen")
        batch_op.drop_index("ix_sentry_issue_last_seen")

    op.drop_table("sentry_issue")
    op.drop_table("sentry_error_stat")
    with op.batch_alter_table("sentry_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sentry_project_repository_id"))

    op.drop_table("sentry_project")
    with op.batch_alter_table("sentry_deploy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sentry_deploy_release_id"))

    op.drop_table("sentry_deploy")
    with op.batch_alter_table("sentry_release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sentry_release_deployment_id"))

    op.drop_table("sentry_release")
