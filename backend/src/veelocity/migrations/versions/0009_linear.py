"""linear workspace, issues with history, issue to pull request links; developer e-mail and
the issue references of a pull request's description

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:52:43.352007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("developer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.create_index(batch_op.f("ix_developer_email"), ["email"], unique=False)
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "body_references",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
    op.create_table(
        "linear_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("target_date", sa.String(length=10), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_project")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_project_external_id")),
    )
    op.create_table(
        "linear_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("gone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_team")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_team_external_id")),
    )
    op.create_table(
        "linear_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["linear_team.id"],
            name=op.f("fk_linear_cycle_team_id_linear_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_cycle")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_cycle_external_id")),
    )
    with op.batch_alter_table("linear_cycle", schema=None) as batch_op:
        batch_op.create_index(
            "ix_linear_cycle_team_id_starts_at", ["team_id", "starts_at"], unique=False
        )

    op.create_table(
        "linear_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["linear_team.id"],
            name=op.f("fk_linear_label_team_id_linear_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_label")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_label_external_id")),
    )
    op.create_table(
        "linear_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=True),
        sa.Column("developer_chosen", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["developer_id"],
            ["developer.id"],
            name=op.f("fk_linear_user_developer_id_developer"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_user")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_user_external_id")),
    )
    with op.batch_alter_table("linear_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_linear_user_developer_id"), ["developer_id"], unique=False
        )

    op.create_table(
        "linear_workflow_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["linear_team.id"],
            name=op.f("fk_linear_workflow_state_team_id_linear_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_workflow_state")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_workflow_state_external_id")),
    )
    op.create_table(
        "linear_issue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("issue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("identifier", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        sa.Column("parent_external_id", sa.String(length=64), nullable=True),
        sa.Column("estimate", sa.Float(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column(
            "label_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("canceled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("history_complete", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("flow_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flow_completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_canceled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("lead_seconds", sa.BigInteger(), nullable=True),
        sa.Column("cycle_seconds", sa.BigInteger(), nullable=True),
        sa.Column(
            "state_type_seconds",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("production_deployment_id", sa.BigInteger(), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("to_production_seconds", sa.BigInteger(), nullable=True),
        sa.Column("before_pr_seconds", sa.BigInteger(), nullable=True),
        sa.Column("pr_cycle_seconds", sa.BigInteger(), nullable=True),
        sa.Column("deploy_seconds", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["linear_user.id"],
            name=op.f("fk_linear_issue_assignee_id_linear_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["linear_user.id"],
            name=op.f("fk_linear_issue_creator_id_linear_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["linear_cycle.id"],
            name=op.f("fk_linear_issue_cycle_id_linear_cycle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
            name=op.f("fk_linear_issue_issue_id_issue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["linear_project.id"],
            name=op.f("fk_linear_issue_project_id_linear_project"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["state_id"],
            ["linear_workflow_state.id"],
            name=op.f("fk_linear_issue_state_id_linear_workflow_state"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["linear_team.id"],
            name=op.f("fk_linear_issue_team_id_linear_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_issue")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_issue_external_id")),
        sa.UniqueConstraint("issue_id", name=op.f("uq_linear_issue_issue_id")),
    )
    with op.batch_alter_table("linear_issue", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_linear_issue_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index("ix_linear_issue_completed_at", ["completed_at"], unique=False)
        batch_op.create_index("ix_linear_issue_cycle_id", ["cycle_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_linear_issue_identifier"), ["identifier"], unique=False
        )
        batch_op.create_index("ix_linear_issue_project_id", ["project_id"], unique=False)
        batch_op.create_index("ix_linear_issue_team_id_number", ["team_id", "number"], unique=False)
        batch_op.create_index("ix_linear_issue_updated_at_id", ["updated_at", "id"], unique=False)

    op.create_table(
        "issue_pull_request_link",
        sa.Column(
            "linear_issue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "pull_request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("evidence", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["linear_issue_id"],
            ["linear_issue.id"],
            name=op.f("fk_issue_pull_request_link_linear_issue_id_linear_issue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pull_request_id"],
            ["pull_request.id"],
            name=op.f("fk_issue_pull_request_link_pull_request_id_pull_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "linear_issue_id", "pull_request_id", name=op.f("pk_issue_pull_request_link")
        ),
    )
    with op.batch_alter_table("issue_pull_request_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_issue_pull_request_link_pull_request_id"),
            ["pull_request_id"],
            unique=False,
        )

    op.create_table(
        "linear_attachment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("issue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_type", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["linear_issue.id"],
            name=op.f("fk_linear_attachment_issue_id_linear_issue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_attachment")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_attachment_external_id")),
    )
    with op.batch_alter_table("linear_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_linear_attachment_issue_id"), ["issue_id"], unique=False
        )

    op.create_table(
        "linear_issue_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("issue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_external_id", sa.String(length=64), nullable=True),
        sa.Column("from_state_external_id", sa.String(length=64), nullable=True),
        sa.Column("to_state_external_id", sa.String(length=64), nullable=True),
        sa.Column("from_cycle_external_id", sa.String(length=64), nullable=True),
        sa.Column("to_cycle_external_id", sa.String(length=64), nullable=True),
        sa.Column("from_estimate", sa.Float(), nullable=True),
        sa.Column("to_estimate", sa.Float(), nullable=True),
        sa.Column("from_assignee_external_id", sa.String(length=64), nullable=True),
        sa.Column("to_assignee_external_id", sa.String(length=64), nullable=True),
        sa.Column("from_team_external_id", sa.String(length=64), nullable=True),
        sa.Column("to_team_external_id", sa.String(length=64), nullable=True),
        sa.Column(
            "added_label_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "removed_label_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("archived", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["linear_issue.id"],
            name=op.f("fk_linear_issue_history_issue_id_linear_issue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linear_issue_history")),
        sa.UniqueConstraint("external_id", name=op.f("uq_linear_issue_history_external_id")),
    )
    with op.batch_alter_table("linear_issue_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_linear_issue_history_issue_id_at", ["issue_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("linear_issue_history", schema=None) as batch_op:
        batch_op.drop_index("ix_linear_issue_history_issue_id_at")

    op.drop_table("linear_issue_history")
    with op.batch_alter_table("linear_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linear_attachment_issue_id"))

    op.drop_table("linear_attachment")
    with op.batch_alter_table("issue_pull_request_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_pull_request_link_pull_request_id"))

    op.drop_table("issue_pull_request_link")
    with op.batch_alter_table("linear_issue", schema=None) as batch_op:
        batch_op.drop_index("ix_linear_issue_updated_at_id")
        batch_op.drop_index("ix_linear_issue_team_id_number")
        batch_op.drop_index("ix_linear_issue_project_id")
        batch_op.drop_index(batch_op.f("ix_linear_issue_identifier"))
        batch_op.drop_index("ix_linear_issue_cycle_id")
        batch_op.drop_index("ix_linear_issue_completed_at")
        batch_op.drop_index(batch_op.f("ix_linear_issue_assignee_id"))

    op.drop_table("linear_issue")
    op.drop_table("linear_workflow_state")
    with op.batch_alter_table("linear_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linear_user_developer_id"))

    op.drop_table("linear_user")
    op.drop_table("linear_label")
    with op.batch_alter_table("linear_cycle", schema=None) as batch_op:
        batch_op.drop_index("ix_linear_cycle_team_id_starts_at")

    op.drop_table("linear_cycle")
    op.drop_table("linear_team")
    op.drop_table("linear_project")
    with op.batch_alter_table("pull_request", schema=None) as batch_op:
        batch_op.drop_column("body_references")
    with op.batch_alter_table("developer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_developer_email"))
        batch_op.drop_column("email")
