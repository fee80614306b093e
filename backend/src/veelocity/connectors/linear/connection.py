"""Settings' "test connection" for Linear: whose key it is, the workspace, the teams it reads.

Names what is wrong: a bad key (AUTHENTICATION_ERROR), a team the key may not read
(FORBIDDEN, named by its key), an API URL that does not answer or that the outbound policy
refuses.
"""

from __future__ import annotations

from typing import Any

from veelocity.connectors.http import HttpPolicy, RequestBudget, RetryPolicy, TokenPool
from veelocity.connectors.linear import payloads, queries
from veelocity.connectors.linear.client import LINEAR, LinearClient
from veelocity.connectors.linear.sync import load_config
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.core.security.outbound_client import SMALL_ANSWER_LIMITS
from veelocity.store.linear import active_teams
from veelocity.sync.context import ConnectionCheck, SourceRunContext, SyncError

#: a check never spends more than this many requests
CHECK_BUDGET = 5


def check_connection(
    context: SourceRunContext, *, retry: RetryPolicy | None = None
) -> ConnectionCheck:
    try:
        return _check(context, retry or RetryPolicy(attempts=2, max_wait=5))
    except SyncError as exc:
        return ConnectionCheck(False, exc.message, {"code": exc.code})


def _synced_teams(context: SourceRunContext) -> dict[str, str]:
    with context.session_factory() as session:
        return active_teams(session)


def _check(context: SourceRunContext, retry: RetryPolicy) -> ConnectionCheck:
    config = load_config(context)
    budget = RequestBudget(max_per_sync=CHECK_BUDGET, max_per_hour=CHECK_BUDGET, upstream="Linear")
    with HttpPolicy(
        tokens=TokenPool([config.api_key.get_secret_value()], LINEAR),
        budget=budget,
        outbound=OutboundPolicy.from_settings(context.settings),
        retry=retry,
        limits=SMALL_ANSWER_LIMITS,
    ) as http:
        client = LinearClient(config, http)
        data = client.graphql(queries.VIEWER)
        viewer = data.get("viewer") or {}
        organization = data.get("organization") or {}
        teams = [payloads.team(n) for n in payloads.nodes(data.get("teams"), "teams")]
        # the teams synced before must still be readable: Linear answers FORBIDDEN for a
        # team the key lost access to, and the message names it
        asked = {team.external_id: team.key for team in teams} | _synced_teams(context)
        if asked:
            client.graphql(
                queries.team_access(list(asked)),
                about={f"t{index}": f"team {key}" for index, key in enumerate(asked.values())},
            )
    user = str(viewer.get("name") or viewer.get("email") or "the key's user")
    workspace = str(organization.get("name") or "the workspace")
    keys = sorted(team.key for team in teams)
    details: dict[str, Any] = {
        "user": user,
        "email": viewer.get("email"),
        "workspace": workspace,
        "teams": keys,
    }
    if not teams:
        return ConnectionCheck(
            False,
            f"Connected to {workspace} as {user}, but the key sees no team: give its user "
            "access to the teams to sync.",
            details,
        )
    return ConnectionCheck(
        True,
        f"Connected to {workspace} as {user}; {len(teams)} team"
        f"{'s' if len(teams) != 1 else ''} visible: {', '.join(keys)}.",
        details,
    )
