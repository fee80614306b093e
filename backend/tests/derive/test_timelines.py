"""PR timelines and phases, straight from the definitions (pure, no database)."""

from datetime import UTC, datetime, timedelta

from veelocity.derive.config import DeriveConfig
from veelocity.derive.timelines import (
    EventFact,
    PullRequestFacts,
    compute_timeline,
    lead_time_seconds,
)

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
config = DeriveConfig()


def h(hours: float) -> datetime:
    return T + timedelta(hours=hours)


def facts(**overrides: object) -> PullRequestFacts:
    values: dict[str, object] = {
        "author_login": "alice",
        "created_at": h(2),
        "is_draft": False,
        "merged_at": h(10),
        "title": "Add search",
        "head_branch": "feature/search",
        "labels": [],
        "additions": 120,
        "deletions": 30,
        "commit_authored_at": [h(1), h(0)],
        "events": [],
    }
    values.update(overrides)
    return PullRequestFacts(**values)  # type: ignore[arg-type]


def test_phases_of_an_ordinary_pull_request() -> None:
    timeline = compute_timeline(
        facts(
            events=[
                EventFact("review", "bob", h(4), "APPROVED"),
                EventFact("comment", "carol", h(3)),
            ]
        ),
        config.is_bot,
    )
    assert timeline.first_commit_at == h(0)
    assert timeline.opened_at == h(2)
    assert timeline.first_review_at == h(3)
    assert timeline.approved_at == h(4)
    assert timeline.coding_seconds == 2 * 3600
    assert timeline.pickup_seconds == 3600
    assert timeline.review_seconds == 7 * 3600
    assert timeline.merge_seconds == 8 * 3600
    assert timeline.cycle_seconds == 10 * 3600
    assert timeline.size == 150


def test_the_authors_own_comments_and_bots_are_not_a_first_review() -> None:
    timeline = compute_timeline(
        facts(
            events=[
                EventFact("comment", "Alice", h(2.5)),
                EventFact("review", "greptile-apps[bot]", h(2.6), "COMMENTED"),
                EventFact("comment", "deploy-bot", h(2.7)),
                EventFact("review_comment", "bob", h(5)),
            ]
        ),
        config.is_bot,
    )
    assert timeline.first_review_at == h(5)


def test_configured_bot_patterns_are_bots_too() -> None:
    custom = DeriveConfig(bot_patterns=("ci-*",))
    timeline = compute_timeline(
        facts(events=[EventFact("comment", "ci-runner", h(3))]), custom.is_bot
    )
    assert timeline.first_review_at is None


def test_without_a_known_author_every_comment_counts() -> None:
    timeline = compute_timeline(
        facts(author_login=None, events=[EventFact("comment", "alice", h(2.5))]), config.is_bot
    )
    assert timeline.first_review_at == h(2.5)


def test_a_pr_opened_as_a_draft_opens_when_ready_for_review() -> None:
    timeline = compute_timeline(
        facts(
            events=[
                EventFact("ready_for_review", "alice", h(6)),
                EventFact("ready_for_review", "alice", h(8)),
            ]
        ),
        config.is_bot,
    )
    assert timeline.opened_at == h(6)
    assert timeline.coding_seconds == 6 * 3600
    still_draft = compute_timeline(facts(is_draft=True, merged_at=None), config.is_bot)
    assert still_draft.opened_at is None
    assert still_draft.pickup_seconds is None


def test_negative_spans_are_null_not_negative() -> None:
    # Commits authored after the PR was opened and a review "before" it opened (clock skew).
    timeline = compute_timeline(
        facts(commit_authored_at=[h(3)], events=[EventFact("review", "bob", h(1), "APPROVED")]),
        config.is_bot,
    )
    assert timeline.coding_seconds is None
    assert timeline.pickup_seconds is None
    assert timeline.review_seconds == 9 * 3600


def test_reverts_and_hotfixes_are_recognised() -> None:
    assert compute_timeline(facts(title='Revert "Add search"'), config.is_bot).is_revert
    assert compute_timeline(facts(head_branch="revert-42-feature/search"), config.is_bot).is_revert
    assert not compute_timeline(facts(title="Reverting is hard"), config.is_bot).is_revert
    assert config.is_hotfix(labels=["hotfix"], head_branch=None, title="x")
    assert config.is_hotfix(labels=[], head_branch="hotfix/login", title="x")
    assert config.is_hotfix(labels=[], head_branch="HOTFIX-login", title="x")
    assert config.is_hotfix(labels=[], head_branch=None, title="hotfix: login")
    assert config.is_hotfix(labels=[], head_branch=None, title="[Hotfix] login")
    assert not config.is_hotfix(labels=["feature"], head_branch="feature/x", title="Add")


def test_planned_bug_fixes_are_not_hotfixes_by_default() -> None:
    # the old default (hotfix,fix/,bugfix) counted planned bug-fix work as rework
    assert not config.is_hotfix(labels=["bug"], head_branch="fix/login", title="Fix login")
    assert not config.is_hotfix(labels=[], head_branch="bugfix/login", title="bugfix: login")
    assert DeriveConfig(hotfix_patterns=("hotfix", "fix/")).is_hotfix(
        labels=[], head_branch="fix/login", title="Fix login"
    )


def test_lead_time_counts_missing_parts_as_zero_and_needs_a_deployment() -> None:
    assert (
        lead_time_seconds(coding_seconds=None, merge_seconds=100, deploy_seconds=50, deployed=True)
        == 150
    )
    assert (
        lead_time_seconds(coding_seconds=10, merge_seconds=100, deploy_seconds=None, deployed=True)
        == 110
    )
    assert (
        lead_time_seconds(coding_seconds=10, merge_seconds=100, deploy_seconds=5, deployed=False)
        is None
    )
