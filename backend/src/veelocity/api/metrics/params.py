"""The query every metric endpoint takes, parsed and validated once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import Depends, Query

from veelocity.api.deps import Context
from veelocity.api.ids import RowId
from veelocity.core.errors import InvalidInput
from veelocity.core.time import utcnow
from veelocity.metrics.compute.levels import LevelTable
from veelocity.metrics.compute.periods import Period
from veelocity.metrics.compute.stats import Statistic
from veelocity.metrics.query import MetricQuery

MAX_WINDOW_DAYS = 3 * 366
DEFAULT_WINDOW_DAYS = 30
#: The window limit, stated in the API description so that clients can keep to it.
_WINDOW_LIMIT = (
    f"The window may span at most {MAX_WINDOW_DAYS} days (three years) and `start_date` must "
    "not be after `end_date`; otherwise the answer is 422."
)


def metric_query(
    context: Context,
    start_date: Annotated[
        date | None,
        Query(
            description="First day of the window (UTC). Default: the 30 days ending on `end_date`. "
            + _WINDOW_LIMIT
        ),
    ] = None,
    end_date: Annotated[
        date | None,
        Query(
            description="Last day of the window, included (UTC). Default: today. " + _WINDOW_LIMIT
        ),
    ] = None,
    period: Annotated[Period, Query(description="Series granularity.")] = Period.WEEK,
    repo_id: Annotated[
        list[RowId] | None,
        Query(description="Only these repositories (repeatable).", max_length=500),
    ] = None,
    team_id: Annotated[RowId | None, Query(description="Only this team.")] = None,
    author: Annotated[str | None, Query(max_length=200, description="Only this author.")] = None,
    statistic: Annotated[
        Statistic, Query(description="Which statistic durations report.")
    ] = Statistic.MEDIAN,
    levels: Annotated[
        LevelTable | None, Query(description="DORA level table: 2023 or 2021.")
    ] = None,
) -> MetricQuery:
    today = utcnow().date()
    end_day = end_date or today
    start_day = start_date or end_day - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    if start_day > end_day:
        raise InvalidInput("start_date must not be after end_date.")
    if (end_day - start_day).days >= MAX_WINDOW_DAYS:
        raise InvalidInput(f"The window may span at most {MAX_WINDOW_DAYS} days.")
    return MetricQuery(
        start=datetime.combine(start_day, time.min, tzinfo=UTC),
        end=datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=UTC),
        period=period,
        repository_ids=tuple(sorted(set(repo_id or ()))),
        team_id=team_id,
        author=author,
        statistic=statistic,
        level_table=levels or LevelTable(context.settings.dora_levels_table),
    )


Query_ = Annotated[MetricQuery, Depends(metric_query)]
