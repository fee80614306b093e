"""AI facts of pull requests and deployments on the database."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import at, everything, make_deployment, make_pull_request, make_repository
from veelocity.derive import ChangeSet, DeriveConfig, derive_all, derive_changes
from veelocity.models import (
    AiCommit,
    CommitTrailer,
    CursorDailyUsage,
    CursorMember,
    DeploymentAi,
    Developer,
    GreptileReview,
    PullRequestAi,
    PullRequestCommit,
)

config = DeriveConfig()


def _ai(session: Session, pr_id: int) -> PullRequestAi:
    row = session.get(PullRequestAi, pr_id)
    assert row is not None
    return row


def _track(session: Session, sha: str, ai: int, total: int) -> None:
    session.add(AiCommit(source="cursor", sha=sha, ai_lines_added=ai, total_lines_added=total))


def test_ai_share_over_tracked_commits_makes_a_pr_assisted(db_session: Session) -> None:
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, commits=[at(1), at(2)], additions=100)
    shas = list(db_session.scalars(select(PullRequestCommit.sha).order_by(PullRequestCommit.sha)))
    _track(db_session, shas[0], 30, 60)
    _track(db_session, shas[1], 10, 40)
    derive_changes(db_session, config, everything(db_session))
    row = _ai(db_session, pr.id)
    assert row.assisted == "high"
    assert row.ai_share == 0.4
    assert row.ai_lines_added == 40
    assert row.evidence == [{"kind": "ai_share", "detail": "40 % of added lines"}]


def test_a_pr_without_tracking_has_no_share_and_no_evidence(db_session: Session) -> None:
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, commits=[at(1)])
    derive_changes(db_session, config, everything(db_session))
    row = _ai(db_session, pr.id)
    assert (row.assisted, row.ai_share, row.evidence, row.reviewed) == ("none", None, [], False)


def test_trailer_agent_author_and_label_are_high_evidence(db_session: Session) -> None:
    repo = make_repository(db_session)
    trailer = make_pull_request(db_session, repo, commits=[at(1)])
    db_session.add(
        CommitTrailer(pull_request_id=trailer.id, sha="x", key="made-with", value="Cursor")
    )
    agent = make_pull_request(db_session, repo, author_login="copilot-swe-agent[bot]")
    labelled = make_pull_request(db_session, repo, labels=["AI-generated"])
    derive_all(db_session, config)
    assert _ai(db_session, trailer.id).evidence == [
        {"kind": "trailer", "detail": "Made-with: Cursor"}
    ]
    assert _ai(db_session, agent.id).evidence[0]["kind"] == "agent_author"
    assert _ai(db_session, labelled.id).evidence == [{"kind": "label", "detail": "AI-generated"}]
    assert {_ai(db_session, p.id).assisted for p in (trailer, agent, labelled)} == {"high"}


def test_cursor_activity_on_a_commit_day_is_low_evidence(db_session: Session) -> None:
    repo = make_repository(db_session)
    developer = Developer(login="alice", email="alice@example.com")
    db_session.add(developer)
    db_session.flush()
    member = CursorMember(email="alice@example.com", developer_id=developer.id)
    db_session.add(member)
    db_session.flush()
    pr = make_pull_request(db_session, repo, commits=[at(1)])
    derive_changes(db_session, config, everything(db_session))
    assert _ai(db_session, pr.id).assisted == "none"

    db_session.add(CursorDailyUsage(member_id=member.id, day=at(1).date(), is_active=True))
    db_session.add(CursorDailyUsage(member_id=member.id, day=date(2000, 1, 1), is_active=True))
    derive_changes(db_session, config, ChangeSet(cursor_member_ids={member.id}))
    row = _ai(db_session, pr.id)
    assert row.assisted == "low"
    assert [e["kind"] for e in row.evidence] == ["same_day_usage"]


def test_bot_review_before_merge_marks_the_pr_reviewed(db_session: Session) -> None:
    repo = make_repository(db_session)
    before = make_pull_request(
        db_session,
        repo,
        merged_at=at(5),
        events=[("review", "bob", at(2)), ("review_comment", "coderabbitai[bot]", at(3))],
    )
    after = make_pull_request(
        db_session, repo, merged_at=at(5), events=[("review", "cursor[bot]", at(6))]
    )
    derive_changes(db_session, config, everything(db_session))
    first = _ai(db_session, before.id)
    assert (first.reviewed, first.review_bot, first.reviewed_at) == (
        True,
        "coderabbitai[bot]",
        at(3),
    )
    assert first.reviewed_before_merge is True
    late = _ai(db_session, after.id)
    assert (late.reviewed, late.review_bot, late.reviewed_before_merge) == (
        False,
        "cursor[bot]",
        False,
    )


def test_a_completed_greptile_review_marks_its_pr_reviewed(db_session: Session) -> None:
    repo = make_repository(db_session, "acme/web")
    pr = make_pull_request(db_session, repo, merged_at=at(5))
    derive_changes(db_session, config, everything(db_session))
    review = GreptileReview(
        external_id="r1",
        repository_name="acme/web",
        pull_request_number=pr.number,
        status="COMPLETED",
        created_at=at(2),
        completed_at=at(2.5),
    )
    db_session.add(review)
    db_session.flush()
    derive_changes(db_session, config, ChangeSet(greptile_review_ids={review.id}))
    row = _ai(db_session, pr.id)
    assert (row.reviewed, row.review_bot, row.reviewed_at) == (True, "greptile-apps[bot]", at(2.5))


def test_deployment_ai_share_weights_its_prs_by_added_lines(db_session: Session) -> None:
    repo = make_repository(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at(10))
    tracked = make_pull_request(db_session, repo, commits=[at(1)], additions=300)
    half = make_pull_request(db_session, repo, commits=[at(1)], additions=100)
    untracked = make_pull_request(db_session, repo, additions=50)
    for pr in (tracked, half, untracked):
        pr.deployment_id = deployment.id
    sha_of = {
        pr_id: sha
        for pr_id, sha in db_session.execute(
            select(PullRequestCommit.pull_request_id, PullRequestCommit.sha)
        )
    }
    _track(db_session, sha_of[tracked.id], 0, 10)
    _track(db_session, sha_of[half.id], 5, 10)
    derive_changes(db_session, config, ChangeSet(ai_commit_shas=set(sha_of.values())))
    row = db_session.get(DeploymentAi, deployment.id)
    assert row is not None
    assert (row.prs, row.prs_known, row.lines_added, row.ai_lines_added) == (3, 2, 400, 50)
    assert row.ai_share == 0.125
