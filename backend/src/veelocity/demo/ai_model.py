"""The demo organisation's AI tools as plain data: a Cursor team and a Greptile account.

Timestamps are aware UTC datetimes, days are UTC dates. The fakes shape these into each
vendor's JSON (`veelocity.fakes.cursor`, `veelocity.fakes.greptile`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class CursorMember:
    id: int
    name: str
    email: str
    role: str = "member"  # owner, member or free-owner
    is_removed: bool = False


@dataclass(slots=True)
class DailyUsage:
    """One member's usage on one UTC day (a row of `/teams/daily-usage-data`)."""

    email: str
    day: date
    is_active: bool
    total_lines_added: int = 0
    total_lines_deleted: int = 0
    accepted_lines_added: int = 0
    accepted_lines_deleted: int = 0
    total_applies: int = 0
    total_accepts: int = 0
    total_rejects: int = 0
    total_tabs_shown: int = 0
    total_tabs_accepted: int = 0
    composer_requests: int = 0
    chat_requests: int = 0
    agent_requests: int = 0
    cmdk_usages: int = 0
    subscription_included_reqs: int = 0
    api_key_reqs: int = 0
    usage_based_reqs: int = 0
    bugbot_usages: int = 0
    most_used_model: str | None = None
    apply_most_used_extension: str | None = None
    tab_most_used_extension: str | None = None
    client_version: str | None = None


@dataclass(slots=True)
class UsageEvent:
    """One request (a row of `/teams/filtered-usage-events`)."""

    timestamp: datetime
    email: str
    model: str
    kind: str  # "Usage-based", "Included in Business", …
    max_mode: bool
    requests_costs: float
    token_based: bool
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    total_cents: float = 0.0


@dataclass(slots=True)
class AiCodeCommit:
    """A commit made in Cursor with the lines its AI wrote (AI code tracking)."""

    commit_hash: str
    user_id: str
    user_email: str
    repo_name: str | None
    branch_name: str | None
    is_primary_branch: bool | None
    total_lines_added: int
    total_lines_deleted: int
    tab_lines_added: int
    tab_lines_deleted: int
    composer_lines_added: int
    composer_lines_deleted: int
    non_ai_lines_added: int
    non_ai_lines_deleted: int
    message: str | None
    commit_ts: datetime
    created_at: datetime


@dataclass(slots=True)
class CursorTeam:
    """A Cursor team. `enterprise=False`: the Admin API refuses it (403). `ai_code_tracking`:
    whether it has the AI code tracking API at all (a team without it gets 403 there)."""

    name: str
    now: datetime
    members: list[CursorMember] = field(default_factory=list)
    usage: list[DailyUsage] = field(default_factory=list)
    events: list[UsageEvent] = field(default_factory=list)
    ai_commits: list[AiCodeCommit] = field(default_factory=list)
    enterprise: bool = True
    ai_code_tracking: bool = True
    #: the day of the month each billing cycle starts on
    cycle_day: int = 1
    #: cents per usage-based request, for spend
    cents_per_request: int = 4


@dataclass(slots=True)
class GreptileRepository:
    remote: str
    repository: str  # owner/name
    branch: str
    private: bool
    status: str  # submitted, cloning, processing, completed, failed
    files_processed: int
    num_files: int
    sha: str | None  # set once indexed

    @property
    def id(self) -> str:
        return f"{self.remote}:{self.branch}:{self.repository}"


@dataclass(slots=True)
class GreptileMergeRequest:
    id: str
    number: int
    title: str
    state: str  # open or closed (merged counts as closed)
    is_draft: bool
    author_login: str
    source_branch: str
    target_branch: str
    repository: str
    remote: str
    changed_files: int
    additions: int
    deletions: int
    comments_count: int
    reviews_count: int
    created_at: datetime


@dataclass(slots=True)
class GreptileCodeReview:
    id: str
    repository: str
    remote: str
    default_branch: str
    pr_number: int
    pr_title: str
    status: str  # PENDING, REVIEWING_FILES, GENERATING_SUMMARY, COMPLETED, FAILED, SKIPPED
    created_at: datetime
    completed_at: datetime | None
    comments_count: int


@dataclass(slots=True)
class GreptileAccount:
    now: datetime
    repositories: list[GreptileRepository] = field(default_factory=list)
    merge_requests: list[GreptileMergeRequest] = field(default_factory=list)
    code_reviews: list[GreptileCodeReview] = field(default_factory=list)
