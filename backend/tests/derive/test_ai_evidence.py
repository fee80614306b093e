"""The evidence rules on plain facts, one scenario per row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from veelocity.core.config import Settings
from veelocity.derive.ai_evidence import BotReview, PullRequestAiFacts, judge_pull_request
from veelocity.derive.config import DeriveConfig

MERGED = datetime(2026, 1, 9, tzinfo=UTC)
DAY = date(2026, 1, 6)


def _facts(**overrides: object) -> PullRequestAiFacts:
    values: dict[str, object] = {"author_login": "alice", "labels": [], "merged_at": MERGED}
    values.update(overrides)
    return PullRequestAiFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "assisted", "kinds"),
    [
        (_facts(), "none", []),
        (_facts(ai_lines_added=25, tracked_lines_added=100), "high", ["ai_share"]),
        (_facts(ai_lines_added=24, tracked_lines_added=100), "none", []),
        (_facts(trailers=(("co-authored-by", "Cursor Agent"),)), "high", ["trailer"]),
        (_facts(author_login="copilot-swe-agent[bot]"), "high", ["agent_author"]),
        (_facts(labels=["ai-generated", "bug"]), "high", ["label"]),
        (
            _facts(commit_days=frozenset({DAY}), author_active_days=frozenset({DAY})),
            "low",
            ["same_day_usage"],
        ),
        (
            _facts(commit_days=frozenset({DAY}), author_active_days=frozenset({date(2026, 1, 7)})),
            "none",
            [],
        ),
        (
            _facts(
                labels=["ai"],
                commit_days=frozenset({DAY}),
                author_active_days=frozenset({DAY}),
            ),
            "high",
            ["label", "same_day_usage"],
        ),
    ],
)
def test_assisted_with_its_evidence(
    facts: PullRequestAiFacts, assisted: str, kinds: list[str]
) -> None:
    verdict = judge_pull_request(facts, DeriveConfig())
    assert verdict.assisted == assisted
    assert [e["kind"] for e in verdict.evidence] == kinds


def test_no_tracked_lines_means_no_share() -> None:
    assert judge_pull_request(_facts(), DeriveConfig()).ai_share is None
    zero = _facts(ai_lines_added=0, tracked_lines_added=0)
    assert judge_pull_request(zero, DeriveConfig()).ai_share is None


@pytest.mark.parametrize(
    ("reviews", "merged_at", "expected"),
    [
        ((), MERGED, (False, None, None)),
        ((BotReview("bob", datetime(2026, 1, 7, tzinfo=UTC)),), MERGED, (False, None, None)),
        (
            (BotReview("greptile-apps", datetime(2026, 1, 7, tzinfo=UTC)),),
            MERGED,
            (True, "greptile-apps", True),
        ),
        (
            (BotReview("sourcery-ai[bot]", datetime(2026, 1, 10, tzinfo=UTC)),),
            MERGED,
            (False, "sourcery-ai[bot]", False),
        ),
        (
            (BotReview("cursor[bot]", datetime(2026, 1, 10, tzinfo=UTC)),),
            None,
            (True, "cursor[bot]", None),
        ),
    ],
)
def test_ai_review_before_the_merge(
    reviews: tuple[BotReview, ...],
    merged_at: datetime | None,
    expected: tuple[bool, str | None, bool | None],
) -> None:
    verdict = judge_pull_request(_facts(reviews=reviews, merged_at=merged_at), DeriveConfig())
    assert (verdict.reviewed, verdict.review_bot, verdict.reviewed_before_merge) == expected


def test_review_bots_are_exact_logins_not_character_classes() -> None:
    config = DeriveConfig(ai_review_bots=("coderabbitai[bot]",))
    assert config.is_ai_review_bot("CodeRabbitAI[bot]")
    assert not config.is_ai_review_bot("coderabbitaib")


def test_the_ai_settings_reach_derive(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        ai_review_bots="review-buddy[bot]", ai_author_patterns="robo-*", ai_pr_patterns="llm"
    )
    config = DeriveConfig.from_settings(settings)
    verdict = judge_pull_request(
        _facts(
            author_login="robo-7",
            labels=["LLM"],
            reviews=(BotReview("review-buddy[bot]", datetime(2026, 1, 7, tzinfo=UTC)),),
        ),
        config,
    )
    assert [e["kind"] for e in verdict.evidence] == ["agent_author", "label"]
    assert verdict.review_bot == "review-buddy[bot]"
    assert not config.is_ai_review_bot("coderabbitai[bot]")
