"""Accepted credentials: personal API keys (the raw `Authorization` value) and OAuth tokens."""

from __future__ import annotations

from dataclasses import dataclass

# The key the demo configures Veelocity with. It only opens this local fake.
DEMO_KEY = "lin_api_demo00000000000000000000000000000000"  # pragma: allowlist secret


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A credential the fake accepts, whose it is, and what it may see.

    `oauth=True`: an OAuth access token, sent as `Bearer <token>`; otherwise a personal API key,
    sent as the whole `Authorization` value. `team_ids`: the teams it may read (None: all);
    issues of other teams are invisible and `team(id)` of one answers FORBIDDEN.
    """

    key: str
    user_id: str | None = None  # None: the workspace's first user
    oauth: bool = False
    team_ids: frozenset[str] | None = None


def credential(authorization: str) -> tuple[str, bool] | None:
    """(key, sent as Bearer) from an `Authorization` header value."""
    value = authorization.strip()
    if not value:
        return None
    scheme, _, rest = value.partition(" ")
    if scheme.lower() == "bearer" and rest.strip():
        return rest.strip(), True
    return value, False
