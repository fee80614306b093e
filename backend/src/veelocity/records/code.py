"""Records of code: repositories, commits, pull requests with their commits and events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RepositoryRecord:
    #: "owner/name" (or "group/subgroup/name"): the natural key.
    full_name: str
    default_branch: str | None = None


@dataclass(frozen=True)
class CommitRecord:
    """A commit of a repository's history; the parents make the commit graph."""

    repository: str
    sha: str
    parents: tuple[str, ...] = ()
    authored_at: datetime | None = None
    committed_at: datetime | None = None


@dataclass(frozen=True)
class PullRequestCommitRecord:
    sha: str
    authored_at: datetime | None = None
    #: The commit author's account and e-mail, when the source links them: the developer
    #: gets the e-mail (which matches them to Linear users). Not part of the stored commit.
    author_login: str | None = None
    author_email: str | None = None
    #: AI-relevant trailers of the commit's message, as (key, value): `co-authored-by`,
    #: `made-with` (`records.ai.commit_trailers`)
    trailers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PullRequestEventRecord:
    #: review | review_comment | comment | ready_for_review | review_requested
    kind: str
    actor: str
    at: datetime
    #: For reviews: APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED.
    state: str | None = None
    #: For review_requested: the requested reviewer.
    subject: str | None = None


@dataclass(frozen=True)
class PullRequestFileRecord:
    """A file a pull request changes, with its line counts."""

    path: str
    additions: int = 0
    deletions: int = 0


@dataclass(frozen=True)
class PullRequestRecord:
    """A pull (or merge) request, keyed by (source, external_id).

    `commits`, `events`, `files` and `body_references` of None mean "not known by this
    source right now": what is stored is kept. A tuple (even empty) replaces the stored set.
    """

    source: str
    external_id: str
    repository: str
    state: str  # open | closed | merged
    created_at: datetime
    updated_at: datetime
    title: str = ""
    number: int | None = None
    url: str | None = None
    author: str | None = None
    head_branch: str | None = None
    is_draft: bool = False
    merged_at: datetime | None = None
    closed_at: datetime | None = None
    merge_commit_sha: str | None = None
    additions: int | None = None
    deletions: int | None = None
    labels: tuple[str, ...] = ()
    #: Issue identifiers the description names (`records.references.body_references`);
    #: None when this source did not read the description: the stored ones are kept.
    body_references: tuple[str, ...] | None = None
    commits: tuple[PullRequestCommitRecord, ...] | None = None
    events: tuple[PullRequestEventRecord, ...] | None = None
    files: tuple[PullRequestFileRecord, ...] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)


@dataclass(frozen=True)
class IssueRecord:
    """An issue of a tracker (a GitHub issue), keyed by (source, external_id)."""

    source: str
    external_id: str
    repository: str | None
    state: str  # open | closed
    created_at: datetime
    updated_at: datetime
    title: str = ""
    number: int | None = None
    url: str | None = None
    author: str | None = None
    state_reason: str | None = None
    closed_at: datetime | None = None
    labels: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)
