"""AI facts laid over a random history: Cursor members and their daily usage, AI lines of
some commits, AI trailers, labels and reviews by AI bots."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.derive.history import PEOPLE
from veelocity.derive import ChangeSet
from veelocity.models import (
    AiCommit,
    CommitTrailer,
    CursorDailyUsage,
    CursorMember,
    Developer,
    GreptileReview,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
)

BOTS = ["coderabbitai[bot]", "greptile-apps", "sourcery-ai[bot]", "some-linter[bot]"]


def add_ai_facts(session: Session, seed: int) -> ChangeSet:
    """Write AI rows for the history in the session; returns what a sync would report."""
    rng = random.Random(seed * 7919 + 1)
    changes = ChangeSet()
    members: dict[str, int] = {}
    for login in PEOPLE[:5]:
        developer = session.scalar(select(Developer).where(Developer.login == login))
        if developer is None:
            developer = Developer(login=login, email=f"{login}@example.com")
            session.add(developer)
            session.flush()
        if rng.random() < 0.8:
            member = CursorMember(email=f"{login}@example.com", developer_id=developer.id)
            session.add(member)
            session.flush()
            members[login] = member.id
            changes.cursor_member_ids.add(member.id)
    prs = list(
        session.execute(
            select(
                PullRequest.id,
                PullRequest.author_login,
                PullRequest.merged_at,
                PullRequest.number,
                Repository.full_name,
            )
            .join(Repository, Repository.id == PullRequest.repository_id)
            .order_by(PullRequest.id)
        )
    )
    days: set[object] = set()
    for pr_id, author, merged_at, number, repository in prs:
        shas = list(
            session.execute(
                select(PullRequestCommit.sha, PullRequestCommit.authored_at).where(
                    PullRequestCommit.pull_request_id == pr_id
                )
            )
        )
        for sha, authored_at in shas:
            if authored_at is not None:
                days.add((author, authored_at.date()))
            if rng.random() < 0.25:
                total = rng.randint(0, 200)
                session.add(
                    AiCommit(
                        source="cursor",
                        sha=sha,
                        total_lines_added=total,
                        ai_lines_added=rng.randint(0, total),
                    )
                )
                changes.ai_commit_shas.add(sha)
        if shas and rng.random() < 0.1:
            session.add(
                CommitTrailer(
                    pull_request_id=pr_id, sha=shas[0][0], key="made-with", value="Cursor"
                )
            )
            changes.pull_request_ids.add(pr_id)
        if rng.random() < 0.1:
            session.execute(
                PullRequest.__table__.update()
                .where(PullRequest.id == pr_id)
                .values(labels=["ai-generated"])
            )
            changes.pull_request_ids.add(pr_id)
        if merged_at is not None and rng.random() < 0.8:
            bot = rng.choice(BOTS)
            at = merged_at + timedelta(hours=rng.uniform(-30, 6))
            session.add(
                PullRequestEvent(pull_request_id=pr_id, kind="review", actor_login=bot, at=at)
            )
            changes.pull_request_ids.add(pr_id)
        if merged_at is not None and rng.random() < 0.1:
            review = GreptileReview(
                external_id=f"g-{pr_id}",
                repository_name=repository,
                pull_request_number=number,
                status=rng.choice(["COMPLETED", "FAILED"]),
                created_at=merged_at - timedelta(hours=rng.uniform(-5, 20)),
            )
            session.add(review)
            session.flush()
            changes.greptile_review_ids.add(review.id)
    for author, day in sorted(days, key=str):
        member_id = members.get(str(author))
        if member_id is not None and rng.random() < 0.2:
            session.merge(
                CursorDailyUsage(
                    member_id=member_id,
                    day=day,
                    is_active=rng.random() < 0.8,
                    accepted_lines_added=rng.randint(0, 50),
                )
            )
    session.flush()
    return changes
