"""Settings' "test connection" for Greptile: the key (on the MCP server and REST), and which
synced repositories Greptile has indexed.

Names what is wrong: a bad key, a base URL that does not answer or that the outbound policy
refuses, and repositories Greptile never indexed (their reviews cannot exist).
"""

from __future__ import annotations

from veelocity.connectors.greptile import payloads
from veelocity.connectors.greptile.client import (
    GREPTILE,
    GreptileClient,
    RepositoryNotIndexed,
    repository_id,
)
from veelocity.connectors.greptile.sync import FALLBACK_BRANCH, load_config
from veelocity.connectors.http import HttpPolicy, RequestBudget, RetryPolicy, TokenPool
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.core.security.outbound_client import SMALL_ANSWER_LIMITS
from veelocity.store.ai import repositories_to_index
from veelocity.sync.context import ConnectionCheck, SourceRunContext, SyncError

#: repositories whose index a check looks at, at most
CHECKED_REPOSITORIES = 5


def check_connection(
    context: SourceRunContext, *, retry: RetryPolicy | None = None
) -> ConnectionCheck:
    try:
        return _check(context, retry or RetryPolicy(attempts=2, max_wait=5))
    except SyncError as exc:
        return ConnectionCheck(False, exc.message, {"code": exc.code})


def _check(context: SourceRunContext, retry: RetryPolicy) -> ConnectionCheck:
    config = load_config(context)
    with context.session_factory() as session:
        repositories = repositories_to_index(session)[:CHECKED_REPOSITORIES]
    budget = RequestBudget(
        max_per_sync=CHECKED_REPOSITORIES + 2,
        max_per_hour=CHECKED_REPOSITORIES + 2,
        upstream="Greptile",
    )
    never: list[str] = []
    statuses: dict[str, str | None] = {}
    with HttpPolicy(
        tokens=TokenPool([config.api_key.get_secret_value()], GREPTILE),
        budget=budget,
        outbound=OutboundPolicy.from_settings(context.settings),
        retry=retry,
        limits=SMALL_ANSWER_LIMITS,
    ) as http:
        client = GreptileClient(config, http)
        body = client.call_tool("list_code_reviews", {"limit": 1, "offset": 0})
        _items, total = payloads.reviews_page(body)
        for full_name, branch in repositories:
            try:
                info = client.repository(repository_id(full_name, branch or FALLBACK_BRANCH))
                statuses[full_name] = str(info.get("status") or "") or None
            except RepositoryNotIndexed:
                never.append(full_name)
    details: dict[str, object] = {
        "base_url": config.base_url,
        "reviews": total,
        "repositories": statuses,
        "never_indexed": never,
    }
    reviews = f"{total} code review{'s' if total != 1 else ''}" if total is not None else "reviews"
    if never:
        return ConnectionCheck(
            True,
            f"Connected to Greptile ({reviews} visible), but it never indexed "
            f"{', '.join(never)}: add {'them' if len(never) > 1 else 'it'} in Greptile, or "
            "no review of it will be found.",
            details,
        )
    return ConnectionCheck(True, f"Connected to Greptile: {reviews} visible.", details)
