"""Tolerant models of Cursor's JSON, and their mapping to records.

Fields Cursor leaves out take their defaults, unknown fields are ignored; dates come as
epoch milliseconds (numbers or strings) or ISO text. Shapes follow the recorded answers in
`../shared/fixtures/cursor/` (docs/cursor.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from veelocity.connectors.base import ConnectorError
from veelocity.records.ai import (
    AiCommitRecord,
    CursorDailyUsageRecord,
    CursorMemberRecord,
    CursorSpendRecord,
)


def to_datetime(value: Any) -> datetime | None:
    """Epoch milliseconds (a number or digits) or ISO-8601 text, as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"not a date: {value!r}")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Member(_Model):
    email: str
    name: str | None = None
    role: str | None = None
    id: int | str | None = None
    is_removed: bool = Field(default=False, alias="isRemoved")


class Members(_Model):
    team_members: list[Member] = Field(default_factory=list, alias="teamMembers")


class DailyUsage(_Model):
    date: datetime
    email: str | None = None
    is_active: bool = Field(default=False, alias="isActive")
    total_lines_added: int = Field(default=0, alias="totalLinesAdded")
    total_lines_deleted: int = Field(default=0, alias="totalLinesDeleted")
    accepted_lines_added: int = Field(default=0, alias="acceptedLinesAdded")
    accepted_lines_deleted: int = Field(default=0, alias="acceptedLinesDeleted")
    total_applies: int = Field(default=0, alias="totalApplies")
    total_accepts: int = Field(default=0, alias="totalAccepts")
    total_rejects: int = Field(default=0, alias="totalRejects")
    total_tabs_shown: int = Field(default=0, alias="totalTabsShown")
    total_tabs_accepted: int = Field(default=0, alias="totalTabsAccepted")
    composer_requests: int = Field(default=0, alias="composerRequests")
    chat_requests: int = Field(default=0, alias="chatRequests")
    agent_requests: int = Field(default=0, alias="agentRequests")
    cmdk_usages: int = Field(default=0, alias="cmdkUsages")
    bugbot_usages: int = Field(default=0, alias="bugbotUsages")
    usage_based_reqs: int = Field(default=0, alias="usageBasedReqs")
    most_used_model: str | None = Field(default=None, alias="mostUsedModel")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> datetime | None:
        return to_datetime(value)

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_zero(cls, value: Any, info: Any) -> Any:
        # Cursor sends null for a counter with nothing in it on some days
        if value is None and info.field_name not in ("email", "most_used_model", "date"):
            return cls.model_fields[info.field_name].default
        return value


class DailyUsagePage(_Model):
    data: list[DailyUsage] = Field(default_factory=list)


class Spend(_Model):
    email: str
    name: str | None = None
    role: str | None = None
    spend_cents: float = Field(default=0, alias="spendCents")
    fast_premium_requests: int = Field(default=0, alias="fastPremiumRequests")


class SpendPage(_Model):
    team_member_spend: list[Spend] = Field(default_factory=list, alias="teamMemberSpend")
    subscription_cycle_start: datetime | None = Field(default=None, alias="subscriptionCycleStart")
    total_pages: int = Field(default=1, alias="totalPages")

    @field_validator("subscription_cycle_start", mode="before")
    @classmethod
    def _start(cls, value: Any) -> datetime | None:
        return to_datetime(value)


class AiCommit(_Model):
    commit_hash: str = Field(alias="commitHash")
    user_email: str | None = Field(default=None, alias="userEmail")
    repo_name: str | None = Field(default=None, alias="repoName")
    branch_name: str | None = Field(default=None, alias="branchName")
    is_primary_branch: bool | None = Field(default=None, alias="isPrimaryBranch")
    total_lines_added: int = Field(default=0, alias="totalLinesAdded")
    total_lines_deleted: int = Field(default=0, alias="totalLinesDeleted")
    tab_lines_added: int = Field(default=0, alias="tabLinesAdded")
    tab_lines_deleted: int = Field(default=0, alias="tabLinesDeleted")
    composer_lines_added: int = Field(default=0, alias="composerLinesAdded")
    composer_lines_deleted: int = Field(default=0, alias="composerLinesDeleted")
    commit_ts: datetime | None = Field(default=None, alias="commitTs")

    @field_validator("commit_ts", mode="before")
    @classmethod
    def _ts(cls, value: Any) -> datetime | None:
        return to_datetime(value)


class AiCommitPage(_Model):
    items: list[AiCommit] = Field(default_factory=list)
    total_count: int = Field(default=0, alias="totalCount")
    page: int = 1
    page_size: int = Field(default=0, alias="pageSize")


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], body: Any, what: str) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise ConnectorError(
            f"Cursor's {what} answer could not be read: {exc.errors()[0]}"
        ) from None


def members(body: Any) -> list[CursorMemberRecord]:
    return [
        CursorMemberRecord(
            email=m.email,
            name=m.name,
            role=m.role,
            external_id=str(m.id) if m.id is not None else None,
            is_removed=m.is_removed,
        )
        for m in _parse(Members, body, "members").team_members
        if m.email.strip()
    ]


def daily_usage(body: Any) -> list[CursorDailyUsageRecord]:
    """One record per member and UTC day; rows without an e-mail name nobody and are left."""
    return [
        CursorDailyUsageRecord(
            email=u.email,
            day=u.date.astimezone(UTC).date(),
            is_active=u.is_active,
            total_lines_added=u.total_lines_added,
            total_lines_deleted=u.total_lines_deleted,
            accepted_lines_added=u.accepted_lines_added,
            accepted_lines_deleted=u.accepted_lines_deleted,
            total_applies=u.total_applies,
            total_accepts=u.total_accepts,
            total_rejects=u.total_rejects,
            tabs_shown=u.total_tabs_shown,
            tabs_accepted=u.total_tabs_accepted,
            composer_requests=u.composer_requests,
            chat_requests=u.chat_requests,
            agent_requests=u.agent_requests,
            cmdk_usages=u.cmdk_usages,
            bugbot_usages=u.bugbot_usages,
            usage_based_requests=u.usage_based_reqs,
            most_used_model=u.most_used_model,
        )
        for u in _parse(DailyUsagePage, body, "daily usage").data
        if u.email
    ]


def spend_page(body: Any, read_at: datetime) -> tuple[list[CursorSpendRecord], int]:
    """A page of the current cycle's spend, and how many pages there are."""
    page = _parse(SpendPage, body, "spend")
    cycle_start = (page.subscription_cycle_start or read_at).astimezone(UTC).date()
    records = [
        CursorSpendRecord(
            email=s.email,
            cycle_start=cycle_start,
            read_at=read_at,
            spend_cents=round(s.spend_cents),
            fast_premium_requests=s.fast_premium_requests,
            name=s.name,
            role=s.role,
        )
        for s in page.team_member_spend
        if s.email.strip()
    ]
    return records, max(page.total_pages, 1)


def ai_commit_page(body: Any) -> tuple[list[AiCommitRecord], bool]:
    """A page of AI code tracking commits, and whether more pages follow
    (`page × pageSize < totalCount`)."""
    page = _parse(AiCommitPage, body, "AI code tracking commits")
    records = [
        AiCommitRecord(
            source="cursor",
            sha=c.commit_hash,
            user_email=c.user_email,
            repository_name=c.repo_name,
            branch_name=c.branch_name,
            is_primary_branch=c.is_primary_branch,
            total_lines_added=c.total_lines_added,
            total_lines_deleted=c.total_lines_deleted,
            ai_lines_added=c.tab_lines_added + c.composer_lines_added,
            ai_lines_deleted=c.tab_lines_deleted + c.composer_lines_deleted,
            committed_at=c.commit_ts,
        )
        for c in page.items
        if c.commit_hash
    ]
    more = bool(page.items) and page.page * page.page_size < page.total_count
    return records, more


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()
