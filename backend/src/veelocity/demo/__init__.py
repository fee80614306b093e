"""A generated, living GitHub organisation for the demo, the fake GitHub and benchmarks.

`generate(DemoConfig(seed=42, repositories=8, developers=24, months=6))` builds the same
organisation every time, with a Linear workspace (`org.linear`) whose issues its pull requests
are linked to; `advance(org, timedelta(hours=1))` lets time pass so new pull requests,
reviews, workflow runs, deployments and Linear issue changes appear.
"""

from veelocity.demo.config import DEFAULT_NOW, DemoConfig
from veelocity.demo.generate import advance, generate, linear_team_repositories, use_github_web
from veelocity.demo.model import (
    ChangedFile,
    Commit,
    DemoOrganisation,
    Deployment,
    DeploymentStatus,
    Issue,
    IssueComment,
    Member,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    RunAttempt,
    TimelineEvent,
    Workflow,
    WorkflowRun,
)

__all__ = [
    "DEFAULT_NOW",
    "ChangedFile",
    "Commit",
    "DemoConfig",
    "DemoOrganisation",
    "Deployment",
    "DeploymentStatus",
    "Issue",
    "IssueComment",
    "Member",
    "PullRequest",
    "Release",
    "Repository",
    "Review",
    "ReviewComment",
    "RunAttempt",
    "TimelineEvent",
    "Workflow",
    "WorkflowRun",
    "advance",
    "generate",
    "linear_team_repositories",
    "use_github_web",
]
