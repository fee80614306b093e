"""What to generate: a seed and a size. The same configuration always gives the same data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# A fixed default so that `DemoConfig()` is reproducible; the live demo passes the real time.
DEFAULT_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DemoConfig:
    seed: int = 42
    repositories: int = 8
    developers: int = 24
    months: int = 6
    now: datetime = DEFAULT_NOW
    org: str = "acme"
    # Exactly this many pull requests opened before `now` when set (benchmarks); otherwise
    # each developer opens about `pull_requests_per_developer_week` a week.
    pull_requests: int | None = None
    pull_requests_per_developer_week: float = 2.5
    bots: bool = True
    # A Linear workspace beside the organisation, its issues linked to the pull requests.
    linear: bool = True
    # AI tools in the flow (veelocity.demo.ai_adoption): AI trailers on commits, an agent
    # opening pull requests, AI review bots, and AI-assisted pull requests larger. The rest
    # of a seed's GitHub data stays as it was.
    ai: bool = True
    # With `ai`, heavy users also open more pull requests and wait longer for reviews; this
    # changes the rest of a seed's data, so it is off by default (the live demo turns it on).
    ai_flow: bool = False

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("DemoConfig.now must be timezone-aware")
        if self.repositories < 1 or self.developers < 2 or self.months < 1:
            raise ValueError("DemoConfig needs at least 1 repository, 2 developers and 1 month")
        if self.pull_requests is not None and self.pull_requests < 0:
            raise ValueError("DemoConfig.pull_requests cannot be negative")
