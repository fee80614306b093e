"""What the Sentry connector is told to sync, as an admin set it in Settings → Sentry."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

DEFAULT_BASE_URL = "https://sentry.io/api/0/"

#: Requests one run may make, and all runs in an hour. Sentry limits each endpoint per
#: caller and window (its headers say how much is left, and the policy follows them); these
#: budgets only keep one run from monopolising the token. A first sync of 5,000 releases
#: (one deploys list each) and 100,000 issues fits in one run.
MAX_PER_SYNC = 10_000
MAX_PER_HOUR = 20_000
#: How far back each incremental pass looks before its watermark: an issue seen again while
#: the last pass read its first page is then not missed.
OVERLAP_SECONDS = 300
#: Sentry's page size: the most it allows for issues (100) and releases
PAGE_SIZE = 100
#: days of error counts the first sync reads (Sentry keeps stats for 90 days)
STATS_DAYS = 90


class SentryConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: an organisation auth token or a user auth token (`Authorization: Bearer …`)
    token: SecretStr
    organization: str
    #: the API root, ending in `/api/0/` (sentry.io, a region host, or a self-hosted Sentry)
    base_url: str = DEFAULT_BASE_URL

    def url(self, path: str) -> str:
        """An API path (`organizations/{org}/issues/`) under the base URL."""
        return f"{self.base_url}{path.lstrip('/')}"


def api_root(url: str) -> str:
    """The API root of a base URL as people paste it: `https://sentry.example.com`,
    `https://de.sentry.io/api/0` or the full `…/api/0/` all end up as `…/api/0/`."""
    trimmed = url.strip().rstrip("/")
    if urlsplit(trimmed).path.rstrip("/").endswith("/api/0"):
        return f"{trimmed}/"
    return f"{trimmed}/api/0/"


def authorization(token: str) -> str:
    return token if token.lower().startswith("bearer ") else f"Bearer {token}"
