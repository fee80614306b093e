"""Write `pull_request_ai` and `deployment_ai`: what AI did for each pull request (with its
evidence) and the AI share of the lines each deployment shipped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veelocity.derive.ai_evidence import (
    BotReview,
    PullRequestAiFacts,
    PullRequestAiVerdict,
    judge_pull_request,
)
from veelocity.derive.config import DeriveConfig
from veelocity.derive.pull_requests import all_pull_request_ids, chunks
from veelocity.models import (
    AiCommit,
    CommitTrailer,
    CursorDailyUsage,
    CursorMember,
    Deployment,
    DeploymentAi,
    Developer,
    GreptileReview,
    PullRequest,
    PullRequestAi,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
)

#: the account Greptile's own review runs are credited to
GREPTILE_BOT = "greptile-apps[bot]"
_REVIEW_KINDS = ("review", "review_comment")


def derive_pull_request_ai(
    session: Session, config: DeriveConfig, pr_ids: Iterable[int] | None
) -> set[int]:
    """Judge each PR again; returns the deployments that shipped them (their AI share may
    have changed)."""
    ids = all_pull_request_ids(session) if pr_ids is None else sorted(set(pr_ids))
    deployments: set[int] = set()
    for batch in chunks(ids):
        facts = _load_facts(session, batch)
        session.execute(delete(PullRequestAi).where(PullRequestAi.pull_request_id.in_(batch)))
        rows = [_row(pr_id, judge_pull_request(f, config)) for pr_id, f in facts.items()]
        if rows:
            session.add_all(rows)
        deployments |= {
            d
            for d in session.scalars(
                select(PullRequest.deployment_id).where(PullRequest.id.in_(batch))
            )
            if d is not None
        }
    session.flush()
    return deployments


def derive_deployment_ai(session: Session, deployment_ids: Iterable[int] | None) -> None:
    """Each deployment's AI share: the AI share of the PRs it shipped, weighted by their
    added lines, over the PRs whose share is known."""
    ids = (
        list(session.scalars(select(Deployment.id).order_by(Deployment.id)))
        if deployment_ids is None
        else sorted(set(deployment_ids))
    )
    for batch in chunks(ids):
        session.execute(delete(DeploymentAi).where(DeploymentAi.deployment_id.in_(batch)))
        shipped: dict[int, list[tuple[int, float | None]]] = defaultdict(list)
        for deployment_id, additions, share in session.execute(
            select(PullRequest.deployment_id, PullRequest.additions, PullRequestAi.ai_share)
            .outerjoin(PullRequestAi, PullRequestAi.pull_request_id == PullRequest.id)
            .where(PullRequest.deployment_id.in_(batch))
        ):
            if deployment_id is not None:
                shipped[deployment_id].append((additions or 0, share))
        existing = set(session.scalars(select(Deployment.id).where(Deployment.id.in_(batch))))
        session.add_all(_deployment_row(d, shipped.get(d, [])) for d in batch if d in existing)
    session.flush()


def pull_requests_touched_by_ai_writes(
    session: Session,
    *,
    ai_commit_shas: Iterable[str] = (),
    cursor_member_ids: Iterable[int] = (),
    greptile_review_ids: Iterable[int] = (),
) -> set[int]:
    """The PRs whose AI facts a write of AI rows may change."""
    found: set[int] = set()
    for sha_batch in chunks(set(ai_commit_shas)):
        found |= set(
            session.scalars(
                select(PullRequestCommit.pull_request_id).where(
                    PullRequestCommit.sha.in_(sha_batch)
                )
            )
        )
    for batch in chunks(set(cursor_member_ids)):
        logins = select(Developer.login).join(
            CursorMember, CursorMember.developer_id == Developer.id
        )
        found |= set(
            session.scalars(
                select(PullRequest.id).where(
                    PullRequest.author_login.in_(logins.where(CursorMember.id.in_(batch)))
                )
            )
        )
    for review_batch in chunks(set(greptile_review_ids)):
        for repository_name, number in session.execute(
            select(GreptileReview.repository_name, GreptileReview.pull_request_number).where(
                GreptileReview.id.in_(review_batch)
            )
        ):
            found |= set(
                session.scalars(
                    select(PullRequest.id)
                    .join(Repository, Repository.id == PullRequest.repository_id)
                    .where(Repository.full_name == repository_name, PullRequest.number == number)
                )
            )
    return found


def _row(pr_id: int, verdict: PullRequestAiVerdict) -> PullRequestAi:
    return PullRequestAi(
        pull_request_id=pr_id,
        assisted=verdict.assisted,
        evidence=verdict.evidence,
        ai_share=verdict.ai_share,
        ai_lines_added=verdict.ai_lines_added,
        reviewed=verdict.reviewed,
        review_bot=verdict.review_bot,
        reviewed_at=verdict.reviewed_at,
        reviewed_before_merge=verdict.reviewed_before_merge,
    )


def _deployment_row(deployment_id: int, shipped: list[tuple[int, float | None]]) -> DeploymentAi:
    known = [(lines, share) for lines, share in shipped if share is not None]
    lines = sum(lines for lines, _ in known)
    ai_lines = round(sum(lines * share for lines, share in known))
    return DeploymentAi(
        deployment_id=deployment_id,
        ai_share=(ai_lines / lines if lines else None) if known else None,
        lines_added=lines,
        ai_lines_added=ai_lines,
        prs_known=len(known),
        prs=len(shipped),
    )


def _load_facts(session: Session, batch: list[int]) -> dict[int, PullRequestAiFacts]:
    prs = session.execute(
        select(
            PullRequest.id,
            PullRequest.author_login,
            PullRequest.labels,
            PullRequest.merged_at,
            PullRequest.repository_id,
            PullRequest.number,
            Repository.full_name,
        )
        .join(Repository, Repository.id == PullRequest.repository_id)
        .where(PullRequest.id.in_(batch))
    ).all()
    commits: dict[int, list[tuple[str, datetime | None]]] = defaultdict(list)
    for pr_id, sha, authored_at in session.execute(
        select(
            PullRequestCommit.pull_request_id, PullRequestCommit.sha, PullRequestCommit.authored_at
        ).where(PullRequestCommit.pull_request_id.in_(batch))
    ):
        commits[pr_id].append((sha, authored_at))
    all_shas = {sha for rows in commits.values() for sha, _ in rows}
    ai_lines: dict[str, tuple[int, int]] = {}
    for sha_batch in chunks(all_shas):
        for sha, ai_added, total_added in session.execute(
            select(AiCommit.sha, AiCommit.ai_lines_added, AiCommit.total_lines_added).where(
                AiCommit.sha.in_(sha_batch)
            )
        ):
            # one commit tracked by several sources counts once, with its largest AI part
            ai_lines[sha] = max(ai_lines.get(sha, (0, 0)), (ai_added, total_added))
    trailers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for pr_id, key, value in session.execute(
        select(CommitTrailer.pull_request_id, CommitTrailer.key, CommitTrailer.value).where(
            CommitTrailer.pull_request_id.in_(batch)
        )
    ):
        trailers[pr_id].add((key, value))
    reviews: dict[int, list[BotReview]] = defaultdict(list)
    for pr_id, login, at in session.execute(
        select(
            PullRequestEvent.pull_request_id, PullRequestEvent.actor_login, PullRequestEvent.at
        ).where(
            PullRequestEvent.pull_request_id.in_(batch),
            PullRequestEvent.kind.in_(_REVIEW_KINDS),
        )
    ):
        reviews[pr_id].append(BotReview(login, at))
    _add_greptile_reviews(session, {(row.full_name, row.number): row.id for row in prs}, reviews)
    active_days = _active_days_by_login(session, {row.author_login for row in prs})

    facts: dict[int, PullRequestAiFacts] = {}
    for row in prs:
        pr_commits = commits.get(row.id, [])
        tracked = [ai_lines[sha] for sha, _ in pr_commits if sha in ai_lines]
        facts[row.id] = PullRequestAiFacts(
            author_login=row.author_login,
            labels=list(row.labels or []),
            merged_at=row.merged_at,
            commit_days=frozenset(at.date() for _, at in pr_commits if at is not None),
            ai_lines_added=sum(a for a, _ in tracked) if tracked else None,
            tracked_lines_added=sum(t for _, t in tracked) if tracked else None,
            trailers=tuple(sorted(trailers.get(row.id, ()))),
            author_active_days=active_days.get(row.author_login or "", frozenset()),
            reviews=tuple(reviews.get(row.id, ())),
        )
    return facts


def _add_greptile_reviews(
    session: Session,
    by_key: dict[tuple[str, int | None], int],
    reviews: dict[int, list[BotReview]],
) -> None:
    names = {name for name, _ in by_key}
    numbers = {number for _, number in by_key if number is not None}
    if not numbers:
        return
    for name_batch in chunks(names):
        for name, number, status, created_at, completed_at in session.execute(
            select(
                GreptileReview.repository_name,
                GreptileReview.pull_request_number,
                GreptileReview.status,
                GreptileReview.created_at,
                GreptileReview.completed_at,
            ).where(
                GreptileReview.repository_name.in_(name_batch),
                # a batch holds at most CHUNK PRs, so at most CHUNK numbers
                GreptileReview.pull_request_number.in_(sorted(numbers)),
            )
        ):
            pr_id = by_key.get((name, number))
            at = completed_at or created_at
            if pr_id is None or at is None or status != "COMPLETED":
                continue
            reviews[pr_id].append(BotReview(GREPTILE_BOT, at))


def _active_days_by_login(session: Session, logins: set[str | None]) -> dict[str, frozenset[date]]:
    wanted = sorted(login for login in logins if login)
    days: dict[str, set[date]] = defaultdict(set)
    for login_batch in chunks(wanted):
        for login, day in session.execute(
            select(Developer.login, CursorDailyUsage.day)
            .join(CursorMember, CursorMember.developer_id == Developer.id)
            .join(CursorDailyUsage, CursorDailyUsage.member_id == CursorMember.id)
            .where(Developer.login.in_(login_batch), CursorDailyUsage.is_active.is_(True))
        ):
            days[login].add(day)
    return {login: frozenset(d) for login, d in days.items()}
