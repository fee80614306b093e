"""What the Cursor connector is told to sync, as an admin set it in Settings → Cursor."""

from __future__ import annotations

import base64
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, SecretStr

DEFAULT_BASE_URL = "https://api.cursor.com"
DEFAULT_HISTORY_DAYS = 90

#: Cursor allows 20 requests a minute per endpoint and team: the budgets only keep one run
#: from taking the whole hour (the policy waits out 429s in between).
MAX_PER_SYNC = 600
MAX_PER_HOUR = 1_200
#: the longest date range one daily-usage or AI-commits request may ask for
WINDOW = timedelta(days=30)
#: Cursor corrects recent days: each pass reads again the days before its watermark
OVERLAP = timedelta(days=2)
#: Cursor aggregates hourly and asks to be polled at most once an hour
POLL_INTERVAL = timedelta(hours=1)
#: AI code tracking commits per page
PAGE_SIZE = 100


class CursorConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: an Admin API key (`key_…`), sent as the Basic user name with an empty password
    api_key: SecretStr
    base_url: str = DEFAULT_BASE_URL
    #: days of usage and AI commits the first sync reads
    history_days: int = DEFAULT_HISTORY_DAYS

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"


def authorization(api_key: str) -> str:
    """HTTP Basic with the key as user name and an empty password."""
    return "Basic " + base64.b64encode(f"{api_key}:".encode()).decode("ascii")
