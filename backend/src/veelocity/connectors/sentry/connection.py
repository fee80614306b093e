"""Settings' "test connection" for Sentry: the organisation, the projects the token sees,
and every scope it lacks.

Names what is wrong: a bad token (401), an organisation Sentry does not know or the token
may not read (404), each scope missing (403 on the list that needs it), a base URL that does
not answer or that the outbound policy refuses.
"""

from __future__ import annotations

from typing import Any

from veelocity.connectors.http import HttpPolicy, RequestBudget, RetryPolicy, TokenPool
from veelocity.connectors.sentry import payloads
from veelocity.connectors.sentry.client import SENTRY, SentryClient
from veelocity.connectors.sentry.sync import load_config
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.core.security.outbound_client import SMALL_ANSWER_LIMITS
from veelocity.sync.context import ConnectionCheck, SourceRunContext, SyncError

#: a check never spends more than this many requests
CHECK_BUDGET = 5
#: what the sync reads besides projects, and the scope each needs
_ALSO_READ: tuple[tuple[str, str, dict[str, str | int]], ...] = (
    ("issues", "event:read", {"query": "", "limit": 1}),
    ("releases", "project:read (or project:releases)", {"per_page": 1}),
)


def check_connection(
    context: SourceRunContext, *, retry: RetryPolicy | None = None
) -> ConnectionCheck:
    try:
        return _check(context, retry or RetryPolicy(attempts=2, max_wait=5))
    except SyncError as exc:
        return ConnectionCheck(False, exc.message, {"code": exc.code})


def _check(context: SourceRunContext, retry: RetryPolicy) -> ConnectionCheck:
    config = load_config(context)
    budget = RequestBudget(max_per_sync=CHECK_BUDGET, max_per_hour=CHECK_BUDGET, upstream="Sentry")
    org = config.organization
    missing: list[str] = []
    with HttpPolicy(
        tokens=TokenPool([config.token.get_secret_value()], SENTRY),
        budget=budget,
        outbound=OutboundPolicy.from_settings(context.settings),
        retry=retry,
        limits=SMALL_ANSWER_LIMITS,
    ) as http:
        client = SentryClient(config, http)
        projects: list[str] = []
        more = False
        try:
            page = client.page(f"organizations/{org}/projects/", {"per_page": 100})
            projects = [payloads.project(item).slug for item in page.items]
            more = page.next_cursor is not None
        except SyncError as exc:
            if exc.code != "missing_scopes":
                raise
            missing.append("project:read")
        for what, scope, params in _ALSO_READ:
            try:
                client.page(f"organizations/{org}/{what}/", params)
            except SyncError as exc:
                if exc.code != "missing_scopes":
                    raise
                missing.append(scope)
    details: dict[str, Any] = {
        "organization": org,
        "base_url": config.base_url,
        "projects": projects,
        "missing_scopes": missing,
    }
    if missing:
        return ConnectionCheck(
            False,
            f"The Sentry auth token reaches {org} but lacks {', '.join(missing)}: create a "
            "token with the scopes org:read, project:read and event:read.",
            {**details, "code": "missing_scopes"},
        )
    if not projects:
        return ConnectionCheck(
            False,
            f"Connected to the Sentry organisation {org}, but the token sees no project: "
            "give it access to the projects to sync.",
            details,
        )
    listed = ", ".join(projects[:10]) + (" and more" if more or len(projects) > 10 else "")
    return ConnectionCheck(
        True,
        f"Connected to the Sentry organisation {org}: {len(projects)}"
        f"{'+' if more else ''} project{'s' if len(projects) != 1 else ''} visible ({listed}).",
        details,
    )
