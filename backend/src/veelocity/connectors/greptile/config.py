"""What the Greptile connector is told to sync, as an admin set it in Settings → Greptile."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, SecretStr

DEFAULT_BASE_URL = "https://api.greptile.com"

#: Greptile documents no rate limit; these budgets keep one run modest
MAX_PER_SYNC = 1_000
MAX_PER_HOUR = 3_000
#: reviews per MCP page (the tool's maximum)
PAGE_SIZE = 100
#: reviews created this long before the watermark are read again: one still running at the
#: last pass is then stored once it completes
OVERLAP = timedelta(days=1)
#: a completed repository index is checked again once a day; others at every run
COMPLETED_RECHECK = timedelta(days=1)


class GreptileConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    api_key: SecretStr
    #: sent as `X-GitHub-Token` when set (Greptile asks for it on query and search only)
    github_token: SecretStr | None = None
    base_url: str = DEFAULT_BASE_URL

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"


def authorization(api_key: str) -> str:
    return api_key if api_key.lower().startswith("bearer ") else f"Bearer {api_key}"
