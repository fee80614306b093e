"""What AI did for one pull request, from plain facts: the rules of docs/ai-impact.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from veelocity.derive.config import DeriveConfig

#: AI share of added lines at or above which a PR is AI-assisted with high confidence
HIGH_SHARE = 0.25


@dataclass(frozen=True)
class BotReview:
    login: str
    at: datetime


@dataclass(frozen=True)
class PullRequestAiFacts:
    author_login: str | None
    labels: list[str]
    merged_at: datetime | None
    #: days (UTC) on which the PR's commits were authored
    commit_days: frozenset[date] = frozenset()
    #: over the PR's commits that AI code tracking knows; None when it knows none
    ai_lines_added: int | None = None
    tracked_lines_added: int | None = None
    #: (key, value) of the AI trailers of its commits
    trailers: tuple[tuple[str, str], ...] = ()
    #: days on which the author was active in an AI tool
    author_active_days: frozenset[date] = frozenset()
    #: reviews and review comments by any account, and AI review runs
    reviews: tuple[BotReview, ...] = ()


@dataclass(frozen=True)
class PullRequestAiVerdict:
    assisted: str
    evidence: list[dict[str, str]] = field(default_factory=list)
    ai_share: float | None = None
    ai_lines_added: int | None = None
    reviewed: bool = False
    review_bot: str | None = None
    reviewed_at: datetime | None = None
    reviewed_before_merge: bool | None = None


def ai_share(ai_lines_added: int | None, tracked_lines_added: int | None) -> float | None:
    if ai_lines_added is None or not tracked_lines_added:
        return None
    return min(1.0, ai_lines_added / tracked_lines_added)


def judge_pull_request(facts: PullRequestAiFacts, config: DeriveConfig) -> PullRequestAiVerdict:
    share = ai_share(facts.ai_lines_added, facts.tracked_lines_added)
    high: list[dict[str, str]] = []
    if share is not None and share >= HIGH_SHARE:
        high.append({"kind": "ai_share", "detail": f"{round(share * 100)} % of added lines"})
    for key, value in facts.trailers:
        high.append({"kind": "trailer", "detail": f"{_trailer_name(key)}: {value}"})
    if config.is_ai_agent(facts.author_login):
        high.append({"kind": "agent_author", "detail": f"opened by {facts.author_login}"})
    for label in facts.labels:
        if config.is_ai_label(label):
            high.append({"kind": "label", "detail": label})
    used_on = sorted(facts.commit_days & facts.author_active_days)
    low = [
        {"kind": "same_day_usage", "detail": f"author active in Cursor on {day.isoformat()}"}
        for day in used_on
    ]
    assisted = "high" if high else "low" if low else "none"
    bots = sorted(
        (r for r in facts.reviews if config.is_ai_review_bot(r.login)),
        key=lambda r: (r.at, r.login),
    )
    first = bots[0] if bots else None
    merged_at = facts.merged_at
    return PullRequestAiVerdict(
        assisted=assisted,
        evidence=high + low,
        ai_share=share,
        ai_lines_added=facts.ai_lines_added,
        reviewed=any(merged_at is None or r.at <= merged_at for r in bots),
        review_bot=first.login if first else None,
        reviewed_at=first.at if first else None,
        reviewed_before_merge=(
            None if first is None or merged_at is None else first.at <= merged_at
        ),
    )


def _trailer_name(key: str) -> str:
    return {"co-authored-by": "Co-authored-by", "made-with": "Made-with"}.get(key, key)
