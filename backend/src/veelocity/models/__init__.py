"""ORM tables, one module per aggregate. Importing this package registers every table."""

from veelocity.models.audit import AuditEvent
from veelocity.models.auth import (
    AuthSession,
    FirstRunSetup,
    LoginAttempt,
    RefreshToken,
    User,
    UserRole,
)
from veelocity.models.base import Base
from veelocity.models.code import (
    Commit,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    PullRequestFile,
    Repository,
)
from veelocity.models.delivery import (
    Deployment,
    DeploymentCommit,
    DeploymentListedCommit,
    Incident,
    IngestToken,
    Issue,
)
from veelocity.models.linear import (
    IssuePullRequestLink,
    LinearAttachment,
    LinearCycle,
    LinearIssue,
    LinearIssueHistory,
    LinearLabel,
    LinearProject,
    LinearTeam,
    LinearUser,
    LinearWorkflowState,
)
from veelocity.models.people import Developer, Team, TeamMember, TeamRepository
from veelocity.models.sentry import (
    SentryDeploy,
    SentryErrorStat,
    SentryEvent,
    SentryIssue,
    SentryProject,
    SentryRelease,
)
from veelocity.models.settings import AppSetting, SourceConfig, StoredSecret
from veelocity.models.sync import ScheduledJob, SyncCheckpoint, SyncRun

__all__ = [
    "AppSetting",
    "AuditEvent",
    "AuthSession",
    "Base",
    "Commit",
    "Deployment",
    "DeploymentCommit",
    "DeploymentListedCommit",
    "Developer",
    "FirstRunSetup",
    "Incident",
    "IngestToken",
    "Issue",
    "IssuePullRequestLink",
    "LinearAttachment",
    "LinearCycle",
    "LinearIssue",
    "LinearIssueHistory",
    "LinearLabel",
    "LinearProject",
    "LinearTeam",
    "LinearUser",
    "LinearWorkflowState",
    "LoginAttempt",
    "PullRequest",
    "PullRequestCommit",
    "PullRequestEvent",
    "PullRequestFile",
    "RefreshToken",
    "Repository",
    "ScheduledJob",
    "SentryDeploy",
    "SentryErrorStat",
    "SentryEvent",
    "SentryIssue",
    "SentryProject",
    "SentryRelease",
    "SourceConfig",
    "StoredSecret",
    "SyncCheckpoint",
    "SyncRun",
    "Team",
    "TeamMember",
    "TeamRepository",
    "User",
    "UserRole",
]
