"""The generated organisation: plain data, shaped after what GitHub stores.

Timestamps are aware UTC datetimes. Lists are kept in creation order; the fake GitHub sorts
them the way each endpoint does. Identifiers (`id`, `node_id`, commit `oid`) are stable for a
given seed and size, so a synced database can be compared with this ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from veelocity.demo.linear_model import LinearWorkspace


@dataclass(slots=True)
class Member:
    login: str
    id: int
    node_id: str
    name: str
    email: str
    is_bot: bool = False
    # Hours a review request usually waits for this person (median), and their working hours.
    review_median_hours: float = 4.0
    utc_offset_hours: int = 0


@dataclass(slots=True)
class ChangedFile:
    path: str
    additions: int
    deletions: int
    status: str = "modified"


@dataclass(slots=True)
class Commit:
    """A commit object: on a pull request's branch, or on the default branch."""

    oid: str
    message: str
    author: str
    authored_at: datetime
    committed_at: datetime
    parents: tuple[str, ...]
    additions: int = 0
    deletions: int = 0
    # The pull request that brought this commit to the default branch, when there is one.
    pull_number: int | None = None


@dataclass(slots=True)
class Review:
    id: int
    node_id: str
    author: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    body: str
    submitted_at: datetime
    commit_oid: str


@dataclass(slots=True)
class ReviewComment:
    id: int
    node_id: str
    review_id: int
    author: str
    body: str
    path: str
    line: int
    created_at: datetime
    updated_at: datetime
    commit_oid: str
    # Comments of one review thread share the id of the thread's first comment.
    thread_id: int = 0


@dataclass(slots=True)
class IssueComment:
    id: int
    node_id: str
    author: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class TimelineEvent:
    id: int
    node_id: str
    type: str  # READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT, CONVERT_TO_DRAFT_EVENT, ...
    actor: str
    created_at: datetime
    requested_reviewer: str | None = None


@dataclass(slots=True)
class PullRequest:
    id: int
    node_id: str
    number: int
    title: str
    body: str
    author: str
    created_at: datetime
    updated_at: datetime
    base_ref: str
    head_ref: str
    is_draft: bool = False
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    merged_by: str | None = None
    merge_commit_oid: str | None = None
    kind: str = "feature"  # feature, fix, dependency, revert, hotfix
    reverts_number: int | None = None
    labels: list[str] = field(default_factory=list)
    requested_reviewers: list[str] = field(default_factory=list)
    files: list[ChangedFile] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    review_comments: list[ReviewComment] = field(default_factory=list)
    comments: list[IssueComment] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def state(self) -> str:
        """REST state: open or closed (a merged pull request is closed)."""
        return "open" if self.closed_at is None else "closed"

    @property
    def graphql_state(self) -> str:
        if self.merged_at is not None:
            return "MERGED"
        return "OPEN" if self.closed_at is None else "CLOSED"

    @property
    def additions(self) -> int:
        return sum(f.additions for f in self.files)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.files)

    @property
    def head_oid(self) -> str:
        return self.commits[-1].oid if self.commits else ""


@dataclass(slots=True)
class Workflow:
    id: int
    node_id: str
    name: str
    path: str
    created_at: datetime
    updated_at: datetime
    state: str = "active"
    deploys_to: str | None = None  # the environment a deployment workflow deploys to


@dataclass(slots=True)
class RunAttempt:
    attempt: int
    started_at: datetime
    conclusion: str | None = None  # None while the attempt runs
    completed_at: datetime | None = None


@dataclass(slots=True)
class WorkflowRun:
    id: int
    node_id: str
    workflow_id: int
    name: str
    run_number: int
    event: str  # push, pull_request, workflow_dispatch
    head_branch: str
    head_sha: str
    actor: str
    created_at: datetime
    attempts: list[RunAttempt] = field(default_factory=list)
    pull_number: int | None = None

    @property
    def latest(self) -> RunAttempt:
        return self.attempts[-1]

    @property
    def status(self) -> str:
        return "in_progress" if self.attempts[-1].conclusion is None else "completed"

    @property
    def updated_at(self) -> datetime:
        latest = self.attempts[-1]
        return latest.completed_at or latest.started_at


@dataclass(slots=True)
class DeploymentStatus:
    id: int
    node_id: str
    state: str  # queued, in_progress, success, failure, error, inactive
    creator: str
    description: str
    created_at: datetime


@dataclass(slots=True)
class Deployment:
    id: int
    node_id: str
    sha: str
    ref: str
    task: str
    environment: str
    description: str
    creator: str
    created_at: datetime
    statuses: list[DeploymentStatus] = field(default_factory=list)
    run_id: int | None = None

    @property
    def updated_at(self) -> datetime:
        return self.statuses[-1].created_at if self.statuses else self.created_at


@dataclass(slots=True)
class Release:
    id: int
    node_id: str
    tag_name: str
    name: str
    target_commitish: str
    author: str
    created_at: datetime
    published_at: datetime
    body: str
    draft: bool = False
    prerelease: bool = False


@dataclass(slots=True)
class Issue:
    """An issue (not a pull request). Incident issues carry the `incident` label."""

    id: int
    node_id: str
    number: int
    title: str
    body: str
    author: str
    created_at: datetime
    updated_at: datetime
    labels: list[str] = field(default_factory=list)
    closed_at: datetime | None = None
    state_reason: str | None = None  # completed, not_planned or duplicate once closed
    comments: int = 0

    @property
    def state(self) -> str:
        return "open" if self.closed_at is None else "closed"


@dataclass(slots=True)
class Repository:
    id: int
    node_id: str
    owner: str
    name: str
    description: str
    language: str
    created_at: datetime
    default_branch: str = "main"
    merge_style: str = "merge"  # merge (two-parent merge commits) or squash
    kind: str = "service"  # service (deployed) or library (released)
    pushed_at: datetime | None = None
    pull_requests: list[PullRequest] = field(default_factory=list)
    # Every commit object reachable from the default branch, in the order they landed.
    history: list[Commit] = field(default_factory=list)
    workflows: list[Workflow] = field(default_factory=list)
    workflow_runs: list[WorkflowRun] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def head_oid(self) -> str:
        return self.history[-1].oid if self.history else ""

    @property
    def updated_at(self) -> datetime:
        return self.pushed_at or self.created_at


@dataclass(slots=True)
class DemoOrganisation:
    login: str
    id: int
    node_id: str
    name: str
    created_at: datetime
    now: datetime
    members: list[Member] = field(default_factory=list)
    repositories: list[Repository] = field(default_factory=list)
    # The organisation's Linear workspace (same people, teams over the repositories), if any.
    linear: LinearWorkspace | None = None
    # The simulation that keeps the organisation alive (see `advance`); not part of the data.
    simulation: object | None = field(default=None, repr=False, compare=False)

    def member(self, login: str) -> Member:
        for member in self.members:
            if member.login == login:
                return member
        raise KeyError(login)

    def repository(self, name: str) -> Repository:
        for repository in self.repositories:
            if repository.name == name:
                return repository
        raise KeyError(name)

    @property
    def pull_request_count(self) -> int:
        return sum(len(r.pull_requests) for r in self.repositories)
