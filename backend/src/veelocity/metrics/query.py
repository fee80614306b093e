"""What every metric is asked for: a window, a scope, a period and a statistic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput, NotFound
from veelocity.metrics.compute.levels import LevelTable
from veelocity.metrics.compute.periods import Period, next_period, period_start
from veelocity.metrics.compute.stats import Statistic
from veelocity.models import Deployment, Developer, PullRequest, Team, TeamMember, TeamRepository


@dataclass(frozen=True)
class MetricQuery:
    start: datetime
    end: datetime
    period: Period = Period.WEEK
    repository_ids: tuple[int, ...] = ()
    team_id: int | None = None
    author: str | None = None
    statistic: Statistic = Statistic.MEDIAN
    level_table: LevelTable = LevelTable.DORA_2023

    def shifted(self, start: datetime, end: datetime) -> MetricQuery:
        return MetricQuery(
            start,
            end,
            self.period,
            self.repository_ids,
            self.team_id,
            self.author,
            self.statistic,
            self.level_table,
        )

    def within_period(self, first_day: date) -> MetricQuery:
        """The part of the window inside one period of a series: what a chart point covers.

        The first and last periods of a series may stick out of the window; the point only
        counts what is inside it, so the window is cut to the period, not replaced by it."""
        if period_start(first_day, self.period) != first_day:
            first = {Period.WEEK: "a Monday", Period.MONTH: "the first of a month"}
            raise InvalidInput(
                f"period_start must be the first day of a {self.period.value} "
                f"({first.get(self.period, 'any day')})."
            )
        start = datetime.combine(first_day, time.min, tzinfo=UTC)
        end = datetime.combine(next_period(first_day, self.period), time.min, tzinfo=UTC)
        if end <= self.start or start >= self.end:
            raise InvalidInput("period_start: that period is outside the window.")
        return self.shifted(max(start, self.start), min(end, self.end))


@dataclass(frozen=True)
class Scope:
    """Which rows a query covers, resolved once (a team becomes logins and repositories)."""

    repository_ids: frozenset[int] | None = None
    authors: frozenset[str] | None = None
    team_repository_ids: frozenset[int] | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def pull_requests(self) -> ColumnElement[bool]:
        """PRs in the chosen repositories and by the chosen people (a team's members, or,
        for a team without members, PRs in the team's repositories)."""
        conditions: list[ColumnElement[bool]] = []
        if self.repository_ids is not None:
            conditions.append(PullRequest.repository_id.in_(self.repository_ids))
        if self.authors is not None:
            conditions.append(PullRequest.author_login.in_(self.authors))
        elif self.team_repository_ids is not None:
            conditions.append(PullRequest.repository_id.in_(self.team_repository_ids))
        return and_(true(), *conditions)

    def deployments(self) -> ColumnElement[bool]:
        """Deployments of the chosen repositories; for people, deployments that shipped their
        PRs; for a team, its repositories' deployments (or its members' shipped work)."""
        conditions: list[ColumnElement[bool]] = []
        if self.repository_ids is not None:
            conditions.append(Deployment.repository_id.in_(self.repository_ids))
        if self.team_repository_ids is not None:
            conditions.append(Deployment.repository_id.in_(self.team_repository_ids))
        elif self.authors is not None:
            shipped = select(PullRequest.deployment_id).where(
                PullRequest.author_login.in_(self.authors), PullRequest.deployment_id.is_not(None)
            )
            conditions.append(Deployment.id.in_(shipped))
        return and_(true(), *conditions)


def resolve_scope(session: Session, query: MetricQuery) -> Scope:
    repository_ids = frozenset(query.repository_ids) if query.repository_ids else None
    authors: frozenset[str] | None = frozenset({query.author}) if query.author else None
    if query.team_id is None:
        return Scope(repository_ids, authors, None)
    return team_scope(session, query.team_id, repository_ids=repository_ids, authors=authors)


def team_scope(
    session: Session,
    team_id: int,
    *,
    repository_ids: frozenset[int] | None = None,
    authors: frozenset[str] | None = None,
) -> Scope:
    """A team's scope: its members' work, or, for a team without members, its repositories."""
    if session.get(Team, team_id) is None:
        raise NotFound("No such team.")
    members = frozenset(
        session.scalars(
            select(Developer.login)
            .join(TeamMember, TeamMember.developer_id == Developer.id)
            .where(TeamMember.team_id == team_id)
        )
    )
    repositories = frozenset(
        session.scalars(
            select(TeamRepository.repository_id).where(TeamRepository.team_id == team_id)
        )
    )
    if members:
        authors = members & authors if authors is not None else members
    return Scope(repository_ids, authors, repositories or None)
