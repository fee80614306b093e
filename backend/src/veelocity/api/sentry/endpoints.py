"""Sentry: projects and the repository each follows, issues with why each is (or is not) an
incident, a deployment's error impact, error series, and a preview of other thresholds.
Anyone signed in reads; admins choose mappings (audited) and preview thresholds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, Context, CurrentUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import BigRowId, RowId
from veelocity.api.metrics.params import Query_
from veelocity.api.metrics.schemas import MetricOut, WindowOut
from veelocity.api.sentry import schemas, service
from veelocity.api.sentry.params import SentryIssueFilter_
from veelocity.audit import record_event
from veelocity.credentials import store
from veelocity.credentials.store import derive_config
from veelocity.derive import derive_sentry_incidents
from veelocity.metrics.cache import data_version
from veelocity.metrics.sentry.impact import ErrorWindow, deployment_errors
from veelocity.metrics.sentry.issues import (
    SentryIssueRow,
    list_sentry_issues,
    sentry_issue_detail,
)
from veelocity.metrics.sentry.preview import PreviewEntry, preview_thresholds
from veelocity.metrics.sentry.series import sentry_series
from veelocity.models import SentryProject

_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    422: {"model": ErrorResponse},
}
router = APIRouter(prefix=f"{API_PREFIX}/sentry", tags=["sentry"], responses=_RESPONSES)
deployment_router = APIRouter(prefix=API_PREFIX, tags=["deployments"], responses=_RESPONSES)
metrics_router = APIRouter(prefix=f"{API_PREFIX}/metrics", tags=["metrics"], responses=_RESPONSES)

MAX_PAGE_SIZE = 100


def _project_out(
    project: SentryProject, repository: str | None, counts: tuple[int, int]
) -> schemas.SentryProjectOut:
    mapped_by = project.repository_mapped_by
    return schemas.SentryProjectOut(
        id=project.id,
        external_id=project.external_id,
        slug=project.slug,
        name=project.name,
        platform=project.platform,
        repository_id=project.repository_id,
        repository=repository,
        mapped_by=mapped_by if mapped_by in ("name", "release_commits", "chosen") else None,
        issues=counts[0],
        incidents=counts[1],
    )


def issue_out(row: SentryIssueRow) -> schemas.SentryIssueOut:
    issue = row.issue
    return schemas.SentryIssueOut(
        id=issue.id,
        external_id=issue.external_id,
        short_id=issue.short_id,
        project_id=issue.project_id,
        project=row.project_slug,
        title=issue.title,
        culprit=issue.culprit,
        level=issue.level,
        status=issue.status,
        substatus=issue.substatus,
        environment=(issue.tags or {}).get("environment"),
        first_seen=issue.first_seen,
        last_seen=issue.last_seen,
        resolved_at=issue.resolved_at,
        event_count=issue.event_count,
        user_count=issue.user_count,
        first_release=issue.first_release_version,
        first_release_deployment_id=row.first_release_deployment_id,
        url=issue.url,
        is_incident=issue.is_incident,
        incident_reason=issue.incident_reason,
        incident_started_at=issue.incident_started_at,
    )


@router.get(
    "/projects",
    summary="Sentry projects with the repository each one's errors follow, and how it was found",
)
def list_projects(session: DbSession, _: CurrentUser) -> schemas.SentryProjectList:
    counts = service.project_counts(session)
    return schemas.SentryProjectList(
        items=[
            _project_out(project, repository, counts.get(project.id, (0, 0)))
            for project, repository in service.list_projects(session)
        ]
    )


def _audit_mapping(
    request: Request, admin: AdminUser, session: DbSession, out: schemas.SentryProjectOut
) -> None:
    record_event(
        session,
        actor=actor_for(request, admin),
        action="sentry_project.repository_updated",
        target=out.slug,
        details={"id": out.id, "repository": out.repository, "mapped_by": out.mapped_by},
    )


def _mapping_out(session: DbSession, project: SentryProject) -> schemas.SentryProjectOut:
    counts = service.project_counts(session)
    return _project_out(
        project,
        service.repository_name(session, project.repository_id),
        counts.get(project.id, (0, 0)),
    )


@router.put(
    "/projects/{project_id}/repository",
    summary="Choose the repository a Sentry project's errors follow (null: none); syncs keep it",
    description="Releases map to that repository's deployments, and the project's incidents "
    "are attributed to them, from now on: both are derived again at once.",
    responses={403: {"model": ErrorResponse}},
)
def choose_repository(
    project_id: RowId,
    body: schemas.RepositoryChoice,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.SentryProjectOut:
    config = derive_config(session, context.settings)
    project, changed = service.choose_repository(session, config, project_id, body.repository_id)
    out = _mapping_out(session, project)
    if changed:
        _audit_mapping(request, admin, session, out)
    return out


@router.delete(
    "/projects/{project_id}/repository",
    summary="Forget a chosen repository: the project is mapped by name and release commits again",
    description="By name at once; by release commits at the next sync that reads its releases.",
    responses={403: {"model": ErrorResponse}},
)
def map_automatically(
    project_id: RowId, request: Request, session: DbSession, context: Context, admin: AdminUser
) -> schemas.SentryProjectOut:
    config = derive_config(session, context.settings)
    project, changed = service.map_automatically(session, config, project_id)
    out = _mapping_out(session, project)
    if changed:
        _audit_mapping(request, admin, session, out)
    return out


@router.get(
    "/issues",
    summary="Sentry issues, newest last seen first, each with why it is or is not an incident",
    description="Filter by project, level, status, incident (true: only incidents; false: only "
    "the issues that did not cross the thresholds), repository (the projects mapped to it) "
    "and a window of days (issues seen in it). Keyset-paged: pass `next_cursor` as `cursor`.",
)
def list_issues(
    session: DbSession,
    _: CurrentUser,
    filters: SentryIssueFilter_,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> schemas.SentryIssuePage:
    items, next_cursor = list_sentry_issues(session, filters, page_size=page_size, cursor=cursor)
    return schemas.SentryIssuePage(items=[issue_out(r) for r in items], next_cursor=next_cursor)


@router.get(
    "/issues/{issue_id}",
    summary="One Sentry issue: why it is (or is not) an incident, its incidents, their deployments",
)
def get_issue(
    issue_id: BigRowId, session: DbSession, _: CurrentUser
) -> schemas.SentryIssueDetailOut:
    detail = sentry_issue_detail(session, issue_id)
    issue = detail.row.issue
    return schemas.SentryIssueDetailOut(
        **issue_out(detail.row).model_dump(),
        status_details=dict(issue.status_details or {}),
        tags=dict(issue.tags or {}),
        assigned_to=issue.assigned_to,
        events_read=issue.events_read,
        resolved_by_deployment_id=detail.resolved_by_deployment_id,
        resolved_by=detail.resolved_by,
        incidents=[
            schemas.SentryIncidentOut(
                id=i.id,
                external_id=i.external_id,
                started_at=i.started_at,
                resolved_at=i.resolved_at,
                attributed_deployment_id=i.attributed_deployment_id,
                attribution_reason=i.attribution_reason,
            )
            for i in detail.incidents
        ],
    )


def _thresholds_out(found: store.SentryThresholds) -> schemas.ThresholdsOut:
    return schemas.ThresholdsOut.model_validate(
        {
            "min_events": found.min_events,
            "min_users": found.min_users,
            "levels": [level for level in found.levels if level in _LEVELS],
            "saved": found.saved,
        }
    )


_LEVELS = ("fatal", "error", "warning", "info", "debug")


@router.get(
    "/thresholds",
    summary="When a Sentry issue becomes an incident: events, users and levels in use",
)
def read_thresholds(session: DbSession, context: Context, _: CurrentUser) -> schemas.ThresholdsOut:
    return _thresholds_out(store.sentry_thresholds(session, context.settings))


def _save_thresholds(
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
    body: schemas.ThresholdsIn | None,
) -> schemas.ThresholdsOut:
    before = _thresholds_out(store.sentry_thresholds(session, context.settings))
    if body is None:
        store.forget_sentry_thresholds(session)
    else:
        store.set_sentry_thresholds(session, body.min_events, body.min_users, list(body.levels))
    after = _thresholds_out(store.sentry_thresholds(session, context.settings))
    if before != after:
        record_event(
            session,
            actor=actor_for(request, admin),
            action="settings.sentry_thresholds_updated",
            details={"from": before.model_dump(), "to": after.model_dump()},
        )
    if (before.min_events, before.min_users, before.levels) != (
        after.min_events,
        after.min_users,
        after.levels,
    ):
        derive_sentry_incidents(session, derive_config(session, context.settings))
    return after


@router.put(
    "/thresholds",
    summary="Save when a Sentry issue becomes an incident (over the environment's defaults)",
    description="Saving changed thresholds decides again, at once, which stored Sentry issues "
    "are incidents and which deployments they fail. Preview first with /incident-preview.",
    responses={403: {"model": ErrorResponse}},
)
def save_thresholds(
    body: schemas.ThresholdsIn,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.ThresholdsOut:
    return _save_thresholds(request, session, context, admin, body)


@router.delete(
    "/thresholds",
    summary="Forget saved thresholds: SENTRY_INCIDENT_MIN_EVENTS, _MIN_USERS and _LEVELS apply",
    responses={403: {"model": ErrorResponse}},
)
def forget_thresholds(
    request: Request, session: DbSession, context: Context, admin: AdminUser
) -> schemas.ThresholdsOut:
    return _save_thresholds(request, session, context, admin, None)


def _preview_entries(entries: list[PreviewEntry]) -> list[schemas.PreviewEntryOut]:
    return [schemas.PreviewEntryOut(issue=issue_out(e.row), reason=e.reason) for e in entries]


@router.post(
    "/incident-preview",
    summary="Which stored Sentry issues other thresholds would make incidents (nothing saved)",
    description="Judges the stored issues again with these thresholds and the saved incident "
    "patterns: how many would be incidents, and which would become or stop being one, each "
    "with the reason. Save them with PUT /thresholds.",
    responses={403: {"model": ErrorResponse}},
)
def incident_preview(
    body: schemas.ThresholdsIn, session: DbSession, context: Context, _: AdminUser
) -> schemas.IncidentPreviewOut:
    found = preview_thresholds(
        session,
        derive_config(session, context.settings),
        min_events=body.min_events,
        min_users=body.min_users,
        levels=tuple(body.levels),
    )
    return schemas.IncidentPreviewOut(
        thresholds=body,
        incidents=found.incidents,
        incidents_now=found.incidents_now,
        becoming_total=found.becoming_total,
        becoming=_preview_entries(found.becoming),
        leaving_total=found.leaving_total,
        leaving=_preview_entries(found.leaving),
    )


def _window_out(window: ErrorWindow) -> schemas.ErrorWindowOut:
    return schemas.ErrorWindowOut(
        start=window.start,
        end=window.end,
        error_events=window.events,
        new_issues=window.new_issues,
        new_issue_list=[issue_out(r) for r in window.new_issue_rows],
    )


@deployment_router.get(
    "/deployments/{deployment_id}/errors",
    summary="A deployment's Sentry impact: the issues that failed it, errors 24 h before and after",
    description="The Sentry issues whose incidents are attributed to it, and the error events "
    "and new issues of the Sentry projects mapped to its repository in the 24 h before it "
    "finished against the 24 h after.",
)
def deployment_error_impact(
    deployment_id: BigRowId, session: DbSession, _: CurrentUser
) -> schemas.DeploymentErrorsOut:
    found = deployment_errors(session, deployment_id)
    return schemas.DeploymentErrorsOut(
        deployment_id=found.deployment_id,
        repository_id=found.repository_id,
        finished_at=found.finished_at,
        project_ids=found.project_ids,
        failing_issues=[issue_out(r) for r in found.failing_issues],
        before=_window_out(found.before),
        after=_window_out(found.after),
    )


@metrics_router.get(
    "/sentry",
    summary="Error events and new Sentry issues per period, in all and per project",
    description="Scoped by the metric filters through the repository each project maps to "
    "(`repo_id`, `team_id`: its repositories); `project_id` narrows to some projects. Error "
    "events are Sentry's daily counts, so a period counts whole days.",
)
def sentry_metrics(
    session: DbSession,
    context: Context,
    query: Query_,
    _: CurrentUser,
    project_id: Annotated[
        list[RowId] | None, Query(max_length=200, description="Only these projects (repeatable).")
    ] = None,
) -> schemas.SentrySeriesOut:
    projects = frozenset(project_id) if project_id else None

    def compute() -> schemas.SentrySeriesOut:
        found = sentry_series(session, query, projects)
        return schemas.SentrySeriesOut(
            window=WindowOut(
                start=query.start,
                end=query.end,
                period=query.period.value,
                statistic=query.statistic.value,
            ),
            metrics=[MetricOut.of(m) for m in found.metrics],
            projects=[
                schemas.ProjectSeriesOut(
                    project_id=p.project_id,
                    project=p.slug,
                    repository_id=p.repository_id,
                    error_events=MetricOut.of(p.error_events),
                    new_issues=MetricOut.of(p.new_issues),
                )
                for p in found.projects
            ],
        )

    return context.metric_cache.get_or_compute(
        data_version(session), ("sentry", query, projects), compute
    )
