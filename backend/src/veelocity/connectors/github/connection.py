"""Settings' "test connection" for GitHub: who the token is, its scopes, what it can see."""

from __future__ import annotations

from typing import Any

from veelocity.connectors.base import UpstreamNotFound
from veelocity.connectors.github.client import GitHubClient
from veelocity.connectors.github.sync import load_config
from veelocity.connectors.http import HttpPolicy, RequestBudget, RetryPolicy, TokenPool, scopes_of
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.core.security.outbound_client import SMALL_ANSWER_LIMITS
from veelocity.sync.context import ConnectionCheck, SourceRunContext, SyncError

#: a check never spends more than this many requests
CHECK_BUDGET = 25


def check_connection(
    context: SourceRunContext, *, retry: RetryPolicy | None = None
) -> ConnectionCheck:
    try:
        return _check(context, retry or RetryPolicy(attempts=2, max_wait=5))
    except SyncError as exc:
        return ConnectionCheck(False, exc.message, {"code": exc.code})


def _check(context: SourceRunContext, retry: RetryPolicy) -> ConnectionCheck:
    config = load_config(context)
    budget = RequestBudget(max_per_sync=CHECK_BUDGET, max_per_hour=CHECK_BUDGET)
    tokens = TokenPool([t.get_secret_value() for t in config.tokens])
    with HttpPolicy(
        tokens=tokens,
        budget=budget,
        outbound=OutboundPolicy.from_settings(context.settings),
        retry=retry,
        limits=SMALL_ANSWER_LIMITS,
    ) as http:
        client = GitHubClient(config, http)
        user = client.rest("/user")
        login = str((user.body or {}).get("login", ""))
        scopes = scopes_of(user.response)
        details: dict[str, Any] = {"login": login, "scopes": scopes}
        missing = _missing_scopes(scopes, bool(config.organizations))
        repositories = 0
        for organization in config.organizations:
            try:
                org = client.rest(f"/orgs/{organization}").body or {}
            except UpstreamNotFound:
                raise SyncError(
                    "not_found",
                    f"GitHub has no organisation {organization} that {login or 'the token'} "
                    "can see.",
                ) from None
            repositories += int(org.get("public_repos") or 0)
            repositories += int(org.get("total_private_repos") or 0)
        for name in config.repositories:
            try:
                client.rest(f"/repos/{name}")
            except UpstreamNotFound:
                raise SyncError(
                    "not_found",
                    f"GitHub has no repository {name} that {login or 'the token'} can see.",
                ) from None
            repositories += 1
        details["repositories"] = repositories
    if missing:
        return ConnectionCheck(
            False,
            f"Signed in as {login}, but the token lacks the scope{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. Add {'them' if len(missing) > 1 else 'it'} to the token.",
            {**details, "missing_scopes": missing},
        )
    return ConnectionCheck(
        True, f"Connected as {login}; {repositories} repositories visible.", details
    )


def _missing_scopes(scopes: list[str] | None, needs_org: bool) -> list[str]:
    """Classic tokens list their scopes; fine-grained tokens do not (None): nothing to say."""
    if scopes is None:
        return []
    missing = [] if "repo" in scopes else ["repo"]
    if needs_org and not {"read:org", "admin:org", "write:org"} & set(scopes):
        missing.append("read:org")
    return missing
