"""Issue metrics (Linear): flow, throughput, WIP and backlog."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.issues import schemas
from veelocity.api.issues.params import IssueQuery_
from veelocity.api.issues.refs import issue_refs
from veelocity.api.metrics.schemas import MetricOut, WindowOut
from veelocity.metrics.cache import data_version
from veelocity.metrics.issues.daily_counts import end_of_day
from veelocity.metrics.issues.flow import (
    FLOW_KEYS,
    PHASE_KEYS,
    THROUGHPUT_KEYS,
    issue_metric,
    time_in_state_types,
    time_in_states,
)
from veelocity.metrics.issues.scope import IssueQuery, issue_scope
from veelocity.metrics.issues.wip import issues_on, wip_figures

router = APIRouter(
    prefix=f"{API_PREFIX}/metrics/issues",
    tags=["metrics"],
    responses={
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)

_SCOPE = (
    " Scope with `linear_team_id`, `project_id`, `cycle_id` (issues in that cycle now), "
    "`team_id` (issues assigned to its members or linked to PRs in its repositories) and "
    "`repo_id` (issues linked to PRs in those repositories) and `author` (issues assigned to "
    "the Linear user matched to that developer); cancelled issues are left out."
)


def _window(query: IssueQuery) -> WindowOut:
    window = query.metric
    return WindowOut(
        start=window.start,
        end=window.end,
        period=window.period.value,
        statistic=window.statistic.value,
    )


@router.get(
    "/flow",
    summary="Issue lead time, cycle time, issue-to-production with its phases, time in state",
    description="Lead and cycle time and time in each state type for issues completed in the "
    "window; issue-to-production and its three phases for issues deployed in the window. "
    "Each metric has its previous window, trend and series." + _SCOPE,
)
def flow(
    session: DbSession, context: Context, query: IssueQuery_, _: CurrentUser
) -> schemas.IssueFlowOut:
    def compute() -> schemas.IssueFlowOut:
        scope = issue_scope(session, query)
        return schemas.IssueFlowOut(
            window=_window(query),
            metrics=[
                MetricOut.of(issue_metric(session, s, query, with_series=True, scope=scope))
                for s in FLOW_KEYS
            ],
            phases=[
                MetricOut.of(issue_metric(session, s, query, with_series=True, scope=scope))
                for s in PHASE_KEYS
            ],
            time_in_state_type=[
                schemas.StateTypeTimeOut(
                    state_type=t.state_type,
                    sample_size=t.summary.count,
                    median_seconds=t.summary.median,
                    mean_seconds=t.summary.mean,
                    p75_seconds=t.summary.p75,
                    p90_seconds=t.summary.p90,
                    total_seconds=t.total_seconds,
                )
                for t in time_in_state_types(session, query, scope)
            ],
            time_in_state=[
                schemas.StateTimeSummaryOut(
                    state=t.name,
                    state_type=t.state_type,
                    sample_size=t.summary.count,
                    median_seconds=t.summary.median,
                    mean_seconds=t.summary.mean,
                    p75_seconds=t.summary.p75,
                    p90_seconds=t.summary.p90,
                    total_seconds=t.total_seconds,
                )
                for t in time_in_states(session, query, scope)
            ],
        )

    return context.metric_cache.get_or_compute(
        data_version(session), ("issues-flow", query), compute
    )


@router.get(
    "/throughput",
    summary="Issues completed per period: count and estimate points",
    description="Issues whose completion falls in the window, per period; points sum the "
    "estimates of the estimated ones (null for a period with none)." + _SCOPE,
)
def throughput(
    session: DbSession, context: Context, query: IssueQuery_, _: CurrentUser
) -> schemas.IssueThroughputOut:
    def compute() -> schemas.IssueThroughputOut:
        scope = issue_scope(session, query)
        return schemas.IssueThroughputOut(
            window=_window(query),
            metrics=[
                MetricOut.of(issue_metric(session, s, query, with_series=True, scope=scope))
                for s in THROUGHPUT_KEYS
            ],
        )

    return context.metric_cache.get_or_compute(
        data_version(session), ("issues-throughput", query), compute
    )


@router.get(
    "/wip",
    summary="Daily work in progress and backlog size and age",
    description="For each day of the window: issues in a started state at the day's end (WIP), "
    "and issues in triage, backlog or unstarted states with their median age (cancelled "
    "issues count in the backlog while they sat there). The metrics: mean daily WIP, and the "
    "backlog's size and median age on the last day." + _SCOPE,
)
def wip(
    session: DbSession, context: Context, query: IssueQuery_, _: CurrentUser
) -> schemas.IssueWipOut:
    def compute() -> schemas.IssueWipOut:
        figures = wip_figures(session, query)
        return schemas.IssueWipOut(
            window=_window(query),
            days=[
                schemas.WipDayOut(
                    day=d.day,
                    wip=d.wip,
                    backlog=d.backlog,
                    backlog_by_type=schemas.BacklogByTypeOut(**d.backlog_by_type),
                    backlog_median_age_seconds=d.backlog_age.median,
                )
                for d in figures.days
            ],
            metrics=[MetricOut.of(m) for m in figures.metrics],
        )

    return context.metric_cache.get_or_compute(
        data_version(session), ("issues-wip", query), compute
    )


@router.get(
    "/wip/{day}",
    summary="The issues behind one day of the WIP and backlog chart",
    description="The issues in progress and in the backlog at the end of `day` (UTC), with the "
    "same scope parameters; the window parameters are accepted and ignored." + _SCOPE,
)
def wip_day(
    day: date, session: DbSession, query: IssueQuery_, _: CurrentUser
) -> schemas.IssuesOnDayOut:
    wip_ids, backlog_ids = issues_on(session, query, day)
    refs = issue_refs(session, {*wip_ids, *backlog_ids})
    moment = end_of_day(day)
    backlog = [
        schemas.BacklogIssueOut(
            **refs[i][0].model_dump(), age_seconds=(moment - refs[i][1]).total_seconds()
        )
        for i in backlog_ids
    ]
    return schemas.IssuesOnDayOut(
        day=day,
        wip=sorted((refs[i][0] for i in wip_ids), key=lambda r: r.identifier),
        backlog=sorted(backlog, key=lambda r: (-r.age_seconds, r.identifier)),
    )
