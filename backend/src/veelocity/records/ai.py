"""Records of AI-assisted development: Cursor's members, their daily usage and spend, the AI
lines of commits (Cursor's AI code tracking), and Greptile's repositories and reviews.

People are referenced by e-mail (Cursor's key for a member), repositories by
`owner/name`; the store resolves them to rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

#: the trailers kept of a commit message: who co-authored it, what tool made it
_TRAILER = re.compile(
    r"^\s*(co-authored-by|made-with)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE
)
#: the longest trailer value stored
TRAILER_VALUE_LENGTH = 300


def commit_trailers(message: str | None) -> tuple[tuple[str, str], ...]:
    """The AI-relevant trailers of a commit message (`Co-authored-by:`, `Made-with:`), as
    (lower-case key, value), each once, in order."""
    found: dict[tuple[str, str], None] = {}
    for key, value in _TRAILER.findall(message or ""):
        found[(key.lower(), value[:TRAILER_VALUE_LENGTH])] = None
    return tuple(found)


@dataclass(frozen=True)
class CursorMemberRecord:
    email: str
    name: str | None = None
    #: owner | member | free-owner
    role: str | None = None
    external_id: str | None = None
    is_removed: bool = False


@dataclass(frozen=True)
class CursorDailyUsageRecord:
    """One member's usage on one UTC day; a day read again replaces the stored one."""

    email: str
    day: date
    is_active: bool = False
    total_lines_added: int = 0
    total_lines_deleted: int = 0
    accepted_lines_added: int = 0
    accepted_lines_deleted: int = 0
    total_applies: int = 0
    total_accepts: int = 0
    total_rejects: int = 0
    tabs_shown: int = 0
    tabs_accepted: int = 0
    composer_requests: int = 0
    chat_requests: int = 0
    agent_requests: int = 0
    cmdk_usages: int = 0
    bugbot_usages: int = 0
    usage_based_requests: int = 0
    most_used_model: str | None = None


@dataclass(frozen=True)
class CursorSpendRecord:
    """A member's spend in the billing cycle that started on `cycle_start`."""

    email: str
    cycle_start: date
    read_at: datetime
    spend_cents: int = 0
    fast_premium_requests: int = 0
    name: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class AiCommitRecord:
    """A commit with the lines an AI tool wrote in it."""

    source: str
    sha: str
    user_email: str | None = None
    repository_name: str | None = None
    branch_name: str | None = None
    is_primary_branch: bool | None = None
    total_lines_added: int = 0
    total_lines_deleted: int = 0
    ai_lines_added: int = 0
    ai_lines_deleted: int = 0
    committed_at: datetime | None = None


@dataclass(frozen=True)
class GreptileRepositoryRecord:
    """What Greptile says of one repository's index; `status` None: never indexed."""

    external_id: str
    #: the synced repository, `owner/name`
    repository: str
    checked_at: datetime
    branch: str | None = None
    status: str | None = None
    files_processed: int | None = None
    num_files: int | None = None
    indexed_sha: str | None = None


@dataclass(frozen=True)
class GreptileReviewRecord:
    external_id: str
    repository_name: str
    pull_request_number: int
    status: str
    created_at: datetime | None = None
    completed_at: datetime | None = None
    comments: int | None = None


@dataclass
class AiBatch:
    """What one page of the Cursor or Greptile sync brings."""

    members: list[CursorMemberRecord] = field(default_factory=list)
    daily_usage: list[CursorDailyUsageRecord] = field(default_factory=list)
    spend: list[CursorSpendRecord] = field(default_factory=list)
    commits: list[AiCommitRecord] = field(default_factory=list)
    greptile_repositories: list[GreptileRepositoryRecord] = field(default_factory=list)
    greptile_reviews: list[GreptileReviewRecord] = field(default_factory=list)
    #: `members` is Cursor's whole member list: a stored member it no longer names is
    #: marked removed (kept, with their usage)
    members_complete: bool = False

    @property
    def items(self) -> int:
        return (
            len(self.members)
            + len(self.daily_usage)
            + len(self.spend)
            + len(self.commits)
            + len(self.greptile_repositories)
            + len(self.greptile_reviews)
        )
