"""Settings' "test connection" for Cursor: the team's members, and whether the team has AI
code tracking.

Names what is wrong: a bad key (401), a team that is not Enterprise or a key that is not an
Admin API key (403), a base URL that does not answer or that the outbound policy refuses. A
team without AI code tracking connects: the sync reads the rest, and the answer says so.
"""

from __future__ import annotations

from datetime import timedelta

from veelocity.connectors.cursor import payloads, streams
from veelocity.connectors.cursor.client import CURSOR, AiTrackingUnavailable, CursorClient
from veelocity.connectors.cursor.sync import load_config
from veelocity.connectors.http import HttpPolicy, RequestBudget, RetryPolicy, TokenPool
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.core.security.outbound_client import SMALL_ANSWER_LIMITS
from veelocity.core.time import utcnow
from veelocity.sync.context import ConnectionCheck, SourceRunContext, SyncError

#: a check never spends more than this many requests
CHECK_BUDGET = 4


def check_connection(
    context: SourceRunContext, *, retry: RetryPolicy | None = None
) -> ConnectionCheck:
    try:
        return _check(context, retry or RetryPolicy(attempts=2, max_wait=5))
    except SyncError as exc:
        return ConnectionCheck(False, exc.message, {"code": exc.code})


def _check(context: SourceRunContext, retry: RetryPolicy) -> ConnectionCheck:
    config = load_config(context)
    budget = RequestBudget(max_per_sync=CHECK_BUDGET, max_per_hour=CHECK_BUDGET, upstream="Cursor")
    with HttpPolicy(
        tokens=TokenPool([config.api_key.get_secret_value()], CURSOR),
        budget=budget,
        outbound=OutboundPolicy.from_settings(context.settings),
        retry=retry,
        limits=SMALL_ANSWER_LIMITS,
    ) as http:
        client = CursorClient(config, http)
        members = payloads.members(client.get("/teams/members"))
        today = utcnow().date()
        tracking: str | None = None
        try:
            client.get(
                "/analytics/ai-code/commits",
                streams.commits_params(today - timedelta(days=6), today + timedelta(days=1), 1, 1),
            )
        except AiTrackingUnavailable as exc:
            tracking = exc.message
    active = [m for m in members if not m.is_removed]
    details: dict[str, object] = {
        "base_url": config.base_url,
        "members": len(active),
        "ai_code_tracking": tracking is None,
    }
    summary = f"Connected to the Cursor team: {len(active)} member{'s' if len(active) != 1 else ''}"
    if tracking is not None:
        return ConnectionCheck(
            True,
            f"{summary}; usage and spend are read, but AI code tracking is not available to "
            "this team (403), so AI lines per commit are not.",
            {**details, "ai_code_tracking_reason": tracking},
        )
    return ConnectionCheck(
        True,
        f"{summary}; usage, spend and AI code tracking (AI lines per commit) are read.",
        details,
    )
