"""Reviewer load and per-developer figures. Listed by name, never ranked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, aliased

from veelocity.core.errors import NotFound
from veelocity.derive.config import DeriveConfig
from veelocity.metrics.compute.stats import summarize
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope
from veelocity.models import Developer, PullRequest, PullRequestEvent

RESPONSE_KINDS = ("review", "review_comment", "comment")


@dataclass(frozen=True)
class ReviewerLoad:
    login: str
    reviews_given: int
    awaiting_now: int
    median_response_seconds: float | None
    responses: int


def _is_bot(login: str | None, config: DeriveConfig) -> bool:
    return config.is_bot(login)


def reviewer_load(session: Session, query: MetricQuery, config: DeriveConfig) -> list[ReviewerLoad]:
    scope = resolve_scope(session, query)
    reviewers_filter = scope.authors if query.team_id is not None or query.author else None
    given: dict[str, int] = defaultdict(int)
    reviews = session.execute(
        select(PullRequestEvent.actor_login, func.count())
        .join(PullRequest, PullRequest.id == PullRequestEvent.pull_request_id)
        .where(
            PullRequestEvent.kind == "review",
            PullRequestEvent.at >= query.start,
            PullRequestEvent.at < query.end,
            func.lower(PullRequestEvent.actor_login)
            != func.lower(func.coalesce(PullRequest.author_login, "")),
            _repositories(scope),
        )
        .group_by(PullRequestEvent.actor_login)
    )
    for login, count in reviews:
        given[login] += int(count)

    responses: dict[str, list[float]] = defaultdict(list)
    awaiting: dict[str, int] = defaultdict(int)
    request = aliased(PullRequestEvent)
    requests = session.execute(
        select(request.pull_request_id, request.subject_login, request.at, PullRequest.state)
        .join(PullRequest, PullRequest.id == request.pull_request_id)
        .where(
            request.kind == "review_requested",
            request.subject_login.is_not(None),
            _repositories(scope),
            # requests made in the window, or still open now
            ((request.at >= query.start) & (request.at < query.end))
            | (PullRequest.state == "open"),
        )
    ).all()
    pr_ids = {r[0] for r in requests}
    answers: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    for start in range(0, len(pr_ids), 500):
        batch = list(pr_ids)[start : start + 500]
        for pr_id, actor, at in session.execute(
            select(
                PullRequestEvent.pull_request_id, PullRequestEvent.actor_login, PullRequestEvent.at
            ).where(
                PullRequestEvent.pull_request_id.in_(batch),
                PullRequestEvent.kind.in_(RESPONSE_KINDS),
            )
        ):
            answers[(pr_id, actor.lower())].append(at)
    for pr_id, reviewer, requested_at, state in requests:
        if reviewer is None:
            continue
        after = [at for at in answers.get((pr_id, reviewer.lower()), []) if at >= requested_at]
        if after and query.start <= requested_at < query.end:
            responses[reviewer].append((min(after) - requested_at).total_seconds())
        if not after and state == "open":
            awaiting[reviewer] += 1

    logins = {*given, *responses, *awaiting}
    result = []
    for login in sorted(logins, key=str.lower):
        if _is_bot(login, config):
            continue
        if reviewers_filter is not None and login not in reviewers_filter:
            continue
        summary = summarize(responses.get(login, []))
        result.append(
            ReviewerLoad(
                login, given.get(login, 0), awaiting.get(login, 0), summary.median, summary.count
            )
        )
    return result


def _repositories(scope: Scope) -> Any:
    if scope.repository_ids is not None:
        return PullRequest.repository_id.in_(scope.repository_ids)
    if scope.team_repository_ids is not None and scope.authors is None:
        return PullRequest.repository_id.in_(scope.team_repository_ids)
    return true()


@dataclass(frozen=True)
class DeveloperFigures:
    login: str
    name: str | None
    prs_merged: int
    median_cycle_seconds: float | None
    median_size: float | None
    reviews_given: int


def developer_figures(
    session: Session, query: MetricQuery, config: DeriveConfig, login: str | None = None
) -> list[DeveloperFigures]:
    scope = resolve_scope(session, query)
    merged = select(PullRequest.author_login, PullRequest.cycle_seconds, PullRequest.size).where(
        PullRequest.merged_at >= query.start,
        PullRequest.merged_at < query.end,
        PullRequest.author_login.is_not(None),
        PullRequest.is_bot_author.is_(False),
        scope.pull_requests(),
    )
    if login is not None:
        merged = merged.where(func.lower(PullRequest.author_login) == login.lower())
    cycles: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for author, cycle, size in session.execute(merged):
        if author is None:
            continue
        counts[author] += 1
        if cycle is not None:
            cycles[author].append(cycle)
        if size is not None:
            sizes[author].append(size)
    reviews: dict[str, int] = defaultdict(int)
    review_query = (
        select(PullRequestEvent.actor_login, func.count())
        .join(PullRequest, PullRequest.id == PullRequestEvent.pull_request_id)
        .where(
            PullRequestEvent.kind == "review",
            PullRequestEvent.at >= query.start,
            PullRequestEvent.at < query.end,
            _repositories(scope),
        )
        .group_by(PullRequestEvent.actor_login)
    )
    for actor, count in session.execute(review_query):
        reviews[actor] += int(count)
    names = dict(session.execute(select(Developer.login, Developer.name)).all())
    logins = set(counts) | ({r for r in reviews if scope.authors is None or r in scope.authors})
    if login is not None:
        logins = {x for x in logins if x.lower() == login.lower()}
        if not logins:
            known = session.scalar(
                select(Developer.login).where(func.lower(Developer.login) == login.lower())
            )
            if known is None and not session.scalar(
                select(func.count())
                .select_from(PullRequest)
                .where(func.lower(PullRequest.author_login) == login.lower())
            ):
                raise NotFound("No such developer.")
            logins = {known or login}
    return [
        DeveloperFigures(
            login=author,
            name=names.get(author),
            prs_merged=counts.get(author, 0),
            median_cycle_seconds=summarize(cycles.get(author, [])).median,
            median_size=summarize(sizes.get(author, [])).median,
            reviews_given=reviews.get(author, 0),
        )
        for author in sorted(logins, key=str.lower)
        if not config.is_bot(author)
    ]
