"""The fake Cursor's endpoints: request checks, filters, pages and Cursor's JSON shapes.

Shapes follow Cursor's Admin API and AI Code Tracking API documentation and the example
responses recorded in faros-ai/airbyte-connectors (tests/contract/test_fake_cursor_shapes.py
compares them).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from veelocity.demo.ai_model import AiCodeCommit, CursorTeam, DailyUsage, UsageEvent

DAY_MS = 86_400_000
_RELATIVE = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


class BadRequest(ValueError):
    """Answered as 400 `{"error": "Bad Request", "message": ...}`."""


@dataclass(slots=True)
class Options:
    """How this fake behaves where Cursor's sources disagree or leave a choice."""

    #: the longest date range of daily usage and usage events (30 in the newer doc, 90 older)
    max_range_days: int = 30
    #: the usage events' kind field: "kind" (the docs) or "kindLabel" (recorded responses)
    event_kind_field: str = "kind"
    #: the members' `id` and `isRemoved` (the newer doc) are sent
    member_ids: bool = True
    ai_code_default_page_size: int = 100
    ai_code_max_page_size: int = 1000


@dataclass(slots=True)
class Result:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str) -> Result:
    names = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        405: "Method Not Allowed",
        429: "Too Many Requests",
        500: "Internal Server Error",
    }
    return Result(status, {"error": names.get(status, "Error"), "message": message})


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def day_ms(day: date) -> int:
    return ms(datetime(day.year, day.month, day.day, tzinfo=UTC))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _integer(body: dict[str, Any], name: str, default: int | None = None) -> int | None:
    value = body.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{name} must be a number")
    return int(value)


def _check_range(start: int, end: int, options: Options) -> None:
    if end < start:
        raise BadRequest("startDate must be before endDate")
    if end - start > options.max_range_days * DAY_MS:
        raise BadRequest(f"Date range cannot exceed {options.max_range_days} days")


# --- /teams/members ---------------------------------------------------------------------------
def members(team: CursorTeam, options: Options) -> Result:
    items = []
    for member in team.members:
        item: dict[str, Any] = {"name": member.name, "email": member.email, "role": member.role}
        if options.member_ids:
            item = {"id": member.id, **item, "isRemoved": member.is_removed}
        items.append(item)
    return Result(200, {"teamMembers": items})


# --- /teams/daily-usage-data ------------------------------------------------------------------
def daily_usage(team: CursorTeam, body: dict[str, Any], options: Options) -> Result:
    start = _integer(body, "startDate")
    end = _integer(body, "endDate")
    if start is None or end is None:
        raise BadRequest("startDate and endDate are required")
    _check_range(start, end, options)
    rows = [u for u in team.usage if start <= day_ms(u.day) <= end]
    rows.sort(key=lambda u: (u.day, u.email))
    return Result(
        200, {"data": [_usage_row(u) for u in rows], "period": {"startDate": start, "endDate": end}}
    )


def _usage_row(usage: DailyUsage) -> dict[str, Any]:
    row: dict[str, Any] = {
        "date": day_ms(usage.day),
        "isActive": usage.is_active,
        "totalLinesAdded": usage.total_lines_added,
        "totalLinesDeleted": usage.total_lines_deleted,
        "acceptedLinesAdded": usage.accepted_lines_added,
        "acceptedLinesDeleted": usage.accepted_lines_deleted,
        "totalApplies": usage.total_applies,
        "totalAccepts": usage.total_accepts,
        "totalRejects": usage.total_rejects,
        "totalTabsShown": usage.total_tabs_shown,
        "totalTabsAccepted": usage.total_tabs_accepted,
        "composerRequests": usage.composer_requests,
        "chatRequests": usage.chat_requests,
        "agentRequests": usage.agent_requests,
        "cmdkUsages": usage.cmdk_usages,
        "subscriptionIncludedReqs": usage.subscription_included_reqs,
        "apiKeyReqs": usage.api_key_reqs,
        "usageBasedReqs": usage.usage_based_reqs,
        "bugbotUsages": usage.bugbot_usages,
        "mostUsedModel": usage.most_used_model or "",
    }
    # Optional fields: present on active days only.
    if usage.apply_most_used_extension:
        row["applyMostUsedExtension"] = usage.apply_most_used_extension
    if usage.tab_most_used_extension:
        row["tabMostUsedExtension"] = usage.tab_most_used_extension
    if usage.client_version:
        row["clientVersion"] = usage.client_version
    row["email"] = usage.email
    return row


# --- /teams/spend -----------------------------------------------------------------------------
SPEND_SORTS = ("amount", "date", "user")


def cycle_start(team: CursorTeam) -> datetime:
    now = team.now
    start = now.replace(day=team.cycle_day, hour=0, minute=0, second=0, microsecond=0)
    if start > now:  # the cycle began last month
        previous = (start.replace(day=1) - timedelta(days=1)).replace(day=team.cycle_day)
        start = previous
    return start


def spend(team: CursorTeam, body: dict[str, Any]) -> Result:
    sort_by = body.get("sortBy", "date")
    direction = body.get("sortDirection", "desc")
    if sort_by not in SPEND_SORTS or direction not in ("asc", "desc"):
        raise BadRequest("sortBy must be amount, date or user; sortDirection asc or desc")
    page = _integer(body, "page", 1) or 1
    page_size = _integer(body, "pageSize", 100) or 100
    if page < 1 or page_size < 1:
        raise BadRequest("page and pageSize must be positive")
    search = str(body.get("searchTerm") or "").lower()
    start = cycle_start(team)
    used: dict[str, tuple[int, int]] = {}
    for usage in team.usage:
        if usage.day >= start.date():
            cents, premium = used.get(usage.email, (0, 0))
            used[usage.email] = (
                cents + usage.usage_based_reqs * team.cents_per_request,
                premium + usage.composer_requests + usage.agent_requests,
            )
    rows = [
        {
            "spendCents": used.get(m.email, (0, 0))[0],
            "fastPremiumRequests": used.get(m.email, (0, 0))[1],
            "name": m.name,
            "email": m.email,
            "role": m.role,
            "hardLimitOverrideDollars": 0,
        }
        for m in team.members
        if not search or search in m.email.lower() or search in m.name.lower()
    ]
    keys = {"amount": "spendCents", "user": "email", "date": "email"}
    rows.sort(key=lambda r: (r[keys[sort_by]], r["email"]), reverse=direction == "desc")
    total_pages = max(1, math.ceil(len(rows) / page_size))
    chunk = rows[(page - 1) * page_size : page * page_size]
    return Result(
        200,
        {
            "teamMemberSpend": chunk,
            "subscriptionCycleStart": ms(start),
            "totalMembers": len(rows),
            "totalPages": total_pages,
        },
    )


# --- /teams/filtered-usage-events -------------------------------------------------------------
def usage_events(team: CursorTeam, body: dict[str, Any], options: Options) -> Result:
    end = _integer(body, "endDate", ms(team.now))
    start = _integer(body, "startDate")
    assert end is not None
    if start is None:
        start = end - options.max_range_days * DAY_MS
    _check_range(start, end, options)
    page = _integer(body, "page", 1) or 1
    page_size = _integer(body, "pageSize", 10) or 10
    if page < 1 or page_size < 1:
        raise BadRequest("page and pageSize must be positive")
    email = body.get("email")
    user_id = body.get("userId")
    if user_id is not None:
        member = next((m for m in team.members if str(m.id) == str(user_id)), None)
        email = member.email if member else "\0"
    events = [
        e
        for e in team.events
        if start <= ms(e.timestamp) <= end and (email is None or e.email == email)
    ]
    events.sort(key=lambda e: e.timestamp, reverse=True)
    pages = math.ceil(len(events) / page_size)
    chunk = events[(page - 1) * page_size : page * page_size]
    return Result(
        200,
        {
            "totalUsageEventsCount": len(events),
            "pagination": {
                "numPages": pages,
                "currentPage": page,
                "pageSize": page_size,
                "hasNextPage": page < pages,
                "hasPreviousPage": page > 1,
            },
            "usageEvents": [_event(e, options) for e in chunk],
            "period": {"startDate": start, "endDate": end},
        },
    )


def _event(event: UsageEvent, options: Options) -> dict[str, Any]:
    item: dict[str, Any] = {
        "timestamp": str(ms(event.timestamp)),
        "model": event.model,
        options.event_kind_field: event.kind,
        "maxMode": event.max_mode,
        "requestsCosts": event.requests_costs,
        "isTokenBasedCall": event.token_based,
    }
    if event.token_based:
        item["tokenUsage"] = {
            "inputTokens": event.input_tokens,
            "outputTokens": event.output_tokens,
            "cacheWriteTokens": event.cache_write_tokens,
            "cacheReadTokens": event.cache_read_tokens,
            "totalCents": event.total_cents,
        }
    item["isFreeBugbot"] = False
    item["userEmail"] = event.email
    return item


# --- /analytics/ai-code/commits ---------------------------------------------------------------
def parse_moment(value: str, now: datetime) -> datetime:
    """A date as Cursor's analytics accept it: `now`, relative (`7d`, `12h`), epoch ms or ISO."""
    value = value.strip()
    if value == "now":
        return now
    relative = _RELATIVE.match(value)
    if relative:
        return now - int(relative.group(1)) * _UNITS[relative.group(2)]
    if value.isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as bad:
        raise BadRequest(f"invalid date {value!r}") from bad
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ai_commits(team: CursorTeam, query: dict[str, str], options: Options) -> Result:
    now = team.now
    start = parse_moment(query.get("startDate", "7d"), now)
    end = parse_moment(query.get("endDate", "now"), now)
    if end < start:
        raise BadRequest("startDate must be before endDate")
    try:
        page = int(query.get("page", "1"))
        page_size = int(query.get("pageSize", str(options.ai_code_default_page_size)))
    except ValueError as bad:
        raise BadRequest("page and pageSize must be integers") from bad
    if page < 1 or not 1 <= page_size <= options.ai_code_max_page_size:
        raise BadRequest(f"page must be positive and pageSize 1-{options.ai_code_max_page_size}")
    user = query.get("user")
    items = [
        c
        for c in team.ai_commits
        if start <= c.commit_ts <= end and (user is None or user in (c.user_email, c.user_id))
    ]
    # Newest first.
    items.sort(key=lambda c: (c.commit_ts, c.commit_hash), reverse=True)
    chunk = items[(page - 1) * page_size : page * page_size]
    return Result(
        200,
        {
            "items": [_commit(c) for c in chunk],
            "totalCount": len(items),
            "page": page,
            "pageSize": page_size,
        },
    )


def _commit(commit: AiCodeCommit) -> dict[str, Any]:
    return {
        "commitHash": commit.commit_hash,
        "userId": commit.user_id,
        "userEmail": commit.user_email,
        "repoName": commit.repo_name,
        "branchName": commit.branch_name,
        "isPrimaryBranch": commit.is_primary_branch,
        "totalLinesAdded": commit.total_lines_added,
        "totalLinesDeleted": commit.total_lines_deleted,
        "tabLinesAdded": commit.tab_lines_added,
        "tabLinesDeleted": commit.tab_lines_deleted,
        "composerLinesAdded": commit.composer_lines_added,
        "composerLinesDeleted": commit.composer_lines_deleted,
        "nonAiLinesAdded": commit.non_ai_lines_added,
        "nonAiLinesDeleted": commit.non_ai_lines_deleted,
        "message": commit.message,
        "commitTs": _iso(commit.commit_ts),
        "createdAt": _iso(commit.created_at),
    }
