"""The filters the Sentry issue list and its export take."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query

from veelocity.api.ids import RowId
from veelocity.metrics.sentry.issues import SentryIssueFilter

Level = Literal["fatal", "error", "warning", "info", "debug"]
Status = Literal["unresolved", "resolved", "ignored"]


def _day_start(day: date | None, *, after: bool = False) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if after else day, time.min, tzinfo=UTC)


def sentry_issue_filter(
    project_id: Annotated[
        list[RowId] | None, Query(max_length=200, description="Only these projects (repeatable).")
    ] = None,
    repo_id: Annotated[
        list[RowId] | None,
        Query(max_length=500, description="Only projects mapped to these repositories."),
    ] = None,
    level: Annotated[
        list[Level] | None, Query(max_length=5, description="Only these levels (repeatable).")
    ] = None,
    status: Annotated[
        list[Status] | None, Query(max_length=3, description="Only these statuses (repeatable).")
    ] = None,
    incident: Annotated[
        bool | None, Query(description="Only incidents (true) or only non-incidents (false).")
    ] = None,
    start_date: Annotated[
        date | None, Query(description="Only issues last seen on or after this day (UTC).")
    ] = None,
    end_date: Annotated[
        date | None, Query(description="Only issues first seen on or before this day (UTC).")
    ] = None,
) -> SentryIssueFilter:
    return SentryIssueFilter(
        project_ids=frozenset(project_id) if project_id else None,
        repository_ids=frozenset(repo_id) if repo_id else None,
        levels=frozenset(level) if level else None,
        statuses=frozenset(status) if status else None,
        is_incident=incident,
        start=_day_start(start_date),
        end=_day_start(end_date, after=True),
    )


SentryIssueFilter_ = Annotated[SentryIssueFilter, Depends(sentry_issue_filter)]
