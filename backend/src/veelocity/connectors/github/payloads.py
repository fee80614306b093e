"""Tolerant models of what GitHub sends, and their mapping to records (pure functions).

Models list only the fields Veelocity reads and ignore the rest, so GitHub adding a field
never breaks a sync; a field missing that we need fails validation with its path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from veelocity.records import (
    CommitRecord,
    DeploymentRecord,
    IssueRecord,
    PullRequestCommitRecord,
    PullRequestEventRecord,
    PullRequestFileRecord,
    PullRequestRecord,
    RepositoryRecord,
)
from veelocity.records.ai import commit_trailers
from veelocity.records.references import body_references

SOURCE = "github"
#: GitHub shows deleted accounts as "ghost"; GraphQL sends a null author for them.
GHOST = "ghost"


class _Gql(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class _Rest(BaseModel):
    model_config = ConfigDict(extra="ignore")


# --- GraphQL: pull requests -----------------------------------------------------------------
class GqlActor(_Gql):
    typename: str | None = Field(default=None, alias="__typename")
    login: str

    @property
    def account(self) -> str:
        """The login as REST and webhooks spell it: GraphQL drops a bot's "[bot]" suffix."""
        if self.typename == "Bot" and not self.login.endswith("[bot]"):
            return f"{self.login}[bot]"
        return self.login


class GqlPageInfo(_Gql):
    has_next_page: bool = False
    end_cursor: str | None = None


class GqlName(_Gql):
    name: str


class GqlNames(_Gql):
    nodes: list[GqlName | None] = []


class GqlDated(_Gql):
    author: GqlActor | None = None
    created_at: datetime


class GqlDatedList(_Gql):
    page_info: GqlPageInfo = GqlPageInfo()
    nodes: list[GqlDated | None] = []


class GqlReview(_Gql):
    author: GqlActor | None = None
    state: str
    submitted_at: datetime | None = None
    comments: GqlDatedList = GqlDatedList()


class GqlReviews(_Gql):
    page_info: GqlPageInfo = GqlPageInfo()
    nodes: list[GqlReview | None] = []


class GqlUserLogin(_Gql):
    login: str


class GqlGitActor(_Gql):
    email: str | None = None
    user: GqlUserLogin | None = None


class GqlCommitOid(_Gql):
    oid: str
    authored_date: datetime | None = None
    author: GqlGitActor | None = None
    #: the message without its first line: where trailers are (cheaper than `message`)
    message_body: str | None = None


class GqlPullRequestCommit(_Gql):
    commit: GqlCommitOid


class GqlCommits(_Gql):
    page_info: GqlPageInfo = GqlPageInfo()
    nodes: list[GqlPullRequestCommit | None] = []


class GqlReviewer(_Gql):
    typename: str = Field(alias="__typename")
    login: str | None = None
    slug: str | None = None


class GqlTimelineItem(_Gql):
    typename: str = Field(alias="__typename")
    actor: GqlActor | None = None
    created_at: datetime | None = None
    requested_reviewer: GqlReviewer | None = None


class GqlTimeline(_Gql):
    page_info: GqlPageInfo = GqlPageInfo()
    nodes: list[GqlTimelineItem | None] = []


class GqlOid(_Gql):
    oid: str


class GqlPullRequest(_Gql):
    database_id: int | None = None
    number: int
    title: str = ""
    body: str | None = None
    url: str | None = None
    state: str
    is_draft: bool = False
    created_at: datetime
    updated_at: datetime
    merged_at: datetime | None = None
    closed_at: datetime | None = None
    additions: int | None = None
    deletions: int | None = None
    head_ref_name: str | None = None
    author: GqlActor | None = None
    merge_commit: GqlOid | None = None
    labels: GqlNames = GqlNames()
    reviews: GqlReviews = GqlReviews()
    comments: GqlDatedList = GqlDatedList()
    commits: GqlCommits = GqlCommits()
    timeline_items: GqlTimeline = GqlTimeline()

    def overflowing(self) -> list[str]:
        """Nested lists that did not fit in this page: the details job completes them."""
        lists = []
        if self.reviews.page_info.has_next_page:
            lists.append("reviews")
        if any(r and r.comments.page_info.has_next_page for r in self.reviews.nodes):
            lists.append("review_comments")
        if self.comments.page_info.has_next_page:
            lists.append("comments")
        if self.commits.page_info.has_next_page:
            lists.append("commits")
        if self.timeline_items.page_info.has_next_page:
            lists.append("timeline")
        return lists


class GqlPullRequestPage(_Gql):
    page_info: GqlPageInfo
    nodes: list[GqlPullRequest | None]


def _login(actor: GqlActor | None) -> str:
    return actor.account if actor else GHOST


def numbered_external_id(repository: str, number: int) -> str:
    """A pull request's or an issue's id, stable across syncs and readable:
    `owner/name#number` (the two share GitHub's numbers)."""
    return f"{repository}#{number}"


def timeline_item_events(items: list[GqlTimelineItem | None]) -> list[PullRequestEventRecord]:
    events: list[PullRequestEventRecord] = []
    for item in filter(None, items):
        if item.created_at is None:
            continue
        if item.typename == "ReadyForReviewEvent":
            events.append(
                PullRequestEventRecord("ready_for_review", _login(item.actor), item.created_at)
            )
        elif item.typename == "ReviewRequestedEvent":
            reviewer = item.requested_reviewer
            subject = None
            if reviewer is not None and reviewer.login:
                subject = GqlActor(__typename=reviewer.typename, login=reviewer.login).account
            elif reviewer is not None:
                subject = reviewer.slug
            events.append(
                PullRequestEventRecord(
                    "review_requested", _login(item.actor), item.created_at, subject=subject
                )
            )
    return events


def pull_request_events(node: GqlPullRequest) -> list[PullRequestEventRecord]:
    events: list[PullRequestEventRecord] = []
    for review in filter(None, node.reviews.nodes):
        if review.submitted_at is None:  # a pending review nobody else can see yet
            continue
        events.append(
            PullRequestEventRecord(
                "review", _login(review.author), review.submitted_at, state=review.state
            )
        )
        for comment in filter(None, review.comments.nodes):
            events.append(
                PullRequestEventRecord("review_comment", _login(comment.author), comment.created_at)
            )
    for comment in filter(None, node.comments.nodes):
        events.append(PullRequestEventRecord("comment", _login(comment.author), comment.created_at))
    events += timeline_item_events(node.timeline_items.nodes)
    return events


def _commit_record(commit: GqlCommitOid) -> PullRequestCommitRecord:
    author = commit.author
    user = author.user if author else None
    return PullRequestCommitRecord(
        commit.oid,
        commit.authored_date,
        author_login=user.login if user else None,
        author_email=(author.email or None) if author and user else None,
        trailers=commit_trailers(commit.message_body),
    )


def pull_request_record(repository: str, node: GqlPullRequest) -> PullRequestRecord:
    state = {"OPEN": "open", "CLOSED": "closed", "MERGED": "merged"}.get(node.state.upper())
    if state is None:
        raise ValueError(f"pull request {repository}#{node.number} has unknown state {node.state}")
    return PullRequestRecord(
        source=SOURCE,
        external_id=numbered_external_id(repository, node.number),
        repository=repository,
        state=state,
        created_at=node.created_at,
        updated_at=node.updated_at,
        title=node.title,
        number=node.number,
        url=node.url,
        author=_login(node.author),
        head_branch=node.head_ref_name,
        is_draft=node.is_draft,
        merged_at=node.merged_at,
        closed_at=node.closed_at,
        merge_commit_sha=node.merge_commit.oid if node.merge_commit else None,
        additions=node.additions,
        deletions=node.deletions,
        labels=tuple(label.name for label in node.labels.nodes if label),
        body_references=body_references(node.body),
        commits=tuple(_commit_record(c.commit) for c in node.commits.nodes if c),
        events=tuple(pull_request_events(node)),
    )


# --- GraphQL: deployments -------------------------------------------------------------------
class GqlDeploymentStatus(_Gql):
    state: str
    created_at: datetime


class GqlDeployment(_Gql):
    database_id: int
    environment: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    commit_oid: str | None = None
    task: str | None = None
    latest_status: GqlDeploymentStatus | None = None


class GqlDeploymentPage(_Gql):
    page_info: GqlPageInfo
    nodes: list[GqlDeployment | None]


#: GitHub deployment states that mean it is over, and how it went. INACTIVE is a successful
#: deployment a later one replaced.
FINISHED_DEPLOYMENT_STATES = {
    "SUCCESS": "success",
    "INACTIVE": "success",
    "FAILURE": "failure",
    "ERROR": "failure",
}


def deployment_record(repository: str, node: GqlDeployment) -> DeploymentRecord | None:
    """None while the deployment is still pending or in progress."""
    status = node.latest_status
    outcome = FINISHED_DEPLOYMENT_STATES.get(status.state.upper()) if status else None
    if status is None or outcome is None:
        return None
    return DeploymentRecord(
        source=SOURCE,
        external_id=f"{repository}/deployment/{node.database_id}",
        repository=repository,
        environment=node.environment or "production",
        status=outcome,
        finished_at=status.created_at,
        started_at=node.created_at,
        commit_sha=node.commit_oid,
        name=node.task,
    )


# --- REST: repositories -----------------------------------------------------------------------
class RestRepository(_Rest):
    full_name: str
    default_branch: str | None = None
    archived: bool = False


def repository_record(payload: RestRepository) -> RepositoryRecord:
    return RepositoryRecord(payload.full_name, payload.default_branch)


# --- REST: the commit graph -------------------------------------------------------------------
class RestSha(_Rest):
    sha: str


class RestGitActor(_Rest):
    date: datetime | None = None


class RestGitCommit(_Rest):
    author: RestGitActor | None = None
    committer: RestGitActor | None = None


class RestCommit(_Rest):
    sha: str
    parents: list[RestSha] = []
    commit: RestGitCommit


def commit_record(repository: str, payload: RestCommit) -> CommitRecord:
    return CommitRecord(
        repository=repository,
        sha=payload.sha,
        parents=tuple(parent.sha for parent in payload.parents),
        authored_at=payload.commit.author.date if payload.commit.author else None,
        committed_at=payload.commit.committer.date if payload.commit.committer else None,
    )


# --- REST: releases ---------------------------------------------------------------------------
class RestRelease(_Rest):
    id: int
    tag_name: str
    name: str | None = None
    draft: bool = False
    prerelease: bool = False
    created_at: datetime
    published_at: datetime | None = None
    target_commitish: str | None = None
    html_url: str | None = None


def _is_sha(value: str | None) -> bool:
    return (
        bool(value) and len(value or "") == 40 and all(c in "0123456789abcdef" for c in value or "")
    )


def release_record(repository: str, payload: RestRelease) -> DeploymentRecord | None:
    """A published release, kept as a deployment to the "release" environment (production
    only when the production-environment pattern says so). Drafts are not releases yet."""
    if payload.draft or payload.published_at is None:
        return None
    return DeploymentRecord(
        source=SOURCE,
        external_id=f"{repository}/release/{payload.id}",
        repository=repository,
        environment="release",
        status="success",
        finished_at=payload.published_at,
        started_at=payload.created_at,
        commit_sha=payload.target_commitish if _is_sha(payload.target_commitish) else None,
        url=payload.html_url,
        name=payload.name or payload.tag_name,
    )


# --- REST: workflows and their runs -----------------------------------------------------------
class RestWorkflow(_Rest):
    id: int
    name: str
    path: str | None = None
    state: str | None = None


class RestWorkflowList(_Rest):
    total_count: int = 0
    workflows: list[RestWorkflow] = []


class RestWorkflowRun(_Rest):
    id: int
    name: str | None = None
    workflow_id: int
    status: str | None = None
    conclusion: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    run_started_at: datetime | None = None
    head_sha: str | None = None
    head_branch: str | None = None
    html_url: str | None = None
    run_attempt: int | None = None


class RestWorkflowRunList(_Rest):
    total_count: int = 0
    workflow_runs: list[RestWorkflowRun] = []


#: Run conclusions that are a deployment's outcome; cancelled and skipped runs shipped nothing.
RUN_OUTCOMES = {
    "success": "success",
    "failure": "failure",
    "timed_out": "failure",
    "startup_failure": "failure",
}


def workflow_run_record(
    repository: str, run: RestWorkflowRun, workflow_name: str
) -> DeploymentRecord | None:
    """A finished attempt of a run of a deployment workflow. The workflow's name stands for
    the environment ("Deploy to production"), as runs do not name one."""
    outcome = RUN_OUTCOMES.get(run.conclusion or "")
    if run.status != "completed" or outcome is None:
        return None
    # the first attempt keeps the run's own id, as before runs were read attempt by attempt
    attempt = run.run_attempt or 1
    suffix = "" if attempt == 1 else f"/attempt/{attempt}"
    return DeploymentRecord(
        source=SOURCE,
        external_id=f"{repository}/run/{run.id}{suffix}",
        repository=repository,
        environment=workflow_name,
        status=outcome,
        finished_at=run.updated_at or run.created_at,
        started_at=run.run_started_at or run.created_at,
        commit_sha=run.head_sha,
        url=run.html_url,
        name=run.name or workflow_name,
    )


# --- REST: pull request details (for lists that overflowed the GraphQL page) -----------------
class RestUser(_Rest):
    login: str


class RestReview(_Rest):
    user: RestUser | None = None
    state: str
    submitted_at: datetime | None = None


class RestComment(_Rest):
    """A review comment or an issue (PR) comment."""

    user: RestUser | None = None
    created_at: datetime


class RestPullCommitAuthor(_Rest):
    date: datetime | None = None


class RestPullGitCommit(_Rest):
    author: RestPullCommitAuthor | None = None
    message: str | None = None


class RestPullCommit(_Rest):
    sha: str
    commit: RestPullGitCommit


def _rest_login(user: RestUser | None) -> str:
    return user.login if user else GHOST


def review_events(
    reviews: list[RestReview], comments: list[RestComment]
) -> list[PullRequestEventRecord]:
    events = [
        PullRequestEventRecord("review", _rest_login(r.user), r.submitted_at, state=r.state.upper())
        for r in reviews
        if r.submitted_at is not None and r.state.upper() != "PENDING"
    ]
    events += [
        PullRequestEventRecord("review_comment", _rest_login(c.user), c.created_at)
        for c in comments
    ]
    return events


def comment_events(comments: list[RestComment]) -> list[PullRequestEventRecord]:
    return [PullRequestEventRecord("comment", _rest_login(c.user), c.created_at) for c in comments]


def pull_commit_records(commits: list[RestPullCommit]) -> list[PullRequestCommitRecord]:
    return [
        PullRequestCommitRecord(
            c.sha,
            c.commit.author.date if c.commit.author else None,
            trailers=commit_trailers(c.commit.message),
        )
        for c in commits
    ]


# --- REST: issues ----------------------------------------------------------------------------
class RestLabel(_Rest):
    name: str


class RestIssue(_Rest):
    """An item of the issues list. Pull requests are items too: they carry `pull_request`."""

    number: int
    title: str = ""
    html_url: str | None = None
    user: RestUser | None = None
    labels: list[RestLabel] = []
    state: str
    state_reason: str | None = None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    pull_request: dict[str, Any] | None = None

    @property
    def is_pull_request(self) -> bool:
        return self.pull_request is not None


def issue_record(repository: str, item: RestIssue) -> IssueRecord:
    return IssueRecord(
        source=SOURCE,
        external_id=numbered_external_id(repository, item.number),
        repository=repository,
        state=item.state,
        created_at=item.created_at,
        updated_at=item.updated_at,
        title=item.title,
        number=item.number,
        url=item.html_url,
        author=_rest_login(item.user),
        state_reason=item.state_reason,
        closed_at=item.closed_at,
        labels=tuple(label.name for label in item.labels),
    )


def parse_list(model: type[_Rest], body: Any) -> list[Any]:
    """Validate a REST list body item by item."""
    if not isinstance(body, list):
        raise ValueError(f"expected a JSON list, got {type(body).__name__}")
    return [model.model_validate(item) for item in body]


# --- pull request files (GraphQL, REST for a PR with more than a page) ----------------------
class GqlFile(_Gql):
    path: str
    additions: int = 0
    deletions: int = 0


class GqlFileConnection(_Gql):
    page_info: GqlPageInfo = GqlPageInfo()
    nodes: list[GqlFile | None] = []


class GqlPullRequestFiles(_Gql):
    number: int
    files: GqlFileConnection | None = None


class RestPullFile(_Rest):
    filename: str
    additions: int = 0
    deletions: int = 0


def file_records(files: list[GqlFile | None]) -> tuple[PullRequestFileRecord, ...]:
    return tuple(
        PullRequestFileRecord(f.path, f.additions, f.deletions) for f in files if f is not None
    )


def rest_file_records(files: list[RestPullFile]) -> tuple[PullRequestFileRecord, ...]:
    return tuple(PullRequestFileRecord(f.filename, f.additions, f.deletions) for f in files)
