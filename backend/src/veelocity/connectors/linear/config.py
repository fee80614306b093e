"""What the Linear connector is told to sync, as an admin set it in Settings → Linear."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr

DEFAULT_API_URL = "https://api.linear.app/graphql"

#: Requests one run may make, and all runs in an hour: under Linear's 2,500 requests an
#: hour for an API key, so people's own scripts keep some.
MAX_PER_SYNC = 2_000
MAX_PER_HOUR = 2_000
#: How far back each incremental pass looks before its watermark: an update written while
#: the last pass read its first page is then not missed.
OVERLAP_SECONDS = 300


class LinearConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: a personal API key (`lin_api_…`) or an OAuth access token (`lin_oauth_…`)
    api_key: SecretStr
    api_url: str = DEFAULT_API_URL


def authorization(key: str) -> str:
    """Linear takes a personal API key as the whole `Authorization` value and an OAuth
    token as `Bearer <token>`."""
    if key.lower().startswith("bearer "):
        return key
    if key.startswith("lin_oauth_"):
        return f"Bearer {key}"
    return key
