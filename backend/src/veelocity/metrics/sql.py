"""Where SQLite and PostgreSQL differ for metrics: period buckets and percentiles."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from veelocity.metrics.compute.periods import Period
from veelocity.metrics.compute.stats import EMPTY, Summary, summarize


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def period_bucket(session: Session, column: Any, period: Period) -> ColumnElement[Any]:
    """The first day (UTC) of the period a timestamp falls in, as 'YYYY-MM-DD'."""
    if is_postgres(session):
        truncated = func.date_trunc(period.value, func.timezone("UTC", column))
        return func.to_char(truncated, "YYYY-MM-DD")
    if period is Period.DAY:
        return func.strftime("%Y-%m-%d", column)
    if period is Period.WEEK:
        # Monday of the week: move to the next Sunday (or stay), then back six days.
        return func.date(column, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", column)


def parse_bucket(value: str | date | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _pg_summary_columns(value: Any) -> list[Any]:
    return [
        func.count(value),
        func.avg(value),
        func.percentile_cont(0.5).within_group(value),
        func.percentile_cont(0.75).within_group(value),
        func.percentile_cont(0.9).within_group(value),
    ]


def _summary_from_row(row: Any) -> Summary:
    count, mean, median, p75, p90 = row
    if not count:
        return EMPTY
    return Summary(int(count), float(median), float(mean), float(p75), float(p90))


def summarize_values(session: Session, values: Select[Any]) -> Summary:
    """Count, mean, median, p75 and p90 of a one-column query (NULLs ignored)."""
    sub = values.subquery()
    column = next(iter(sub.c))
    if is_postgres(session):
        row = session.execute(select(*_pg_summary_columns(column)).where(column.is_not(None))).one()
        return _summary_from_row(row)
    return summarize([v for (v,) in session.execute(select(column).where(column.is_not(None)))])


def summarize_by_bucket(session: Session, rows: Select[Any]) -> dict[date, Summary]:
    """Like summarize_values, per bucket; `rows` selects (bucket, value)."""
    sub = rows.subquery()
    bucket, value = list(sub.c)[:2]
    if is_postgres(session):
        result = session.execute(
            select(bucket, *_pg_summary_columns(value)).where(value.is_not(None)).group_by(bucket)
        )
        return {parse_bucket(row[0]): _summary_from_row(row[1:]) for row in result}
    grouped: dict[date, list[float]] = defaultdict(list)
    for b, v in session.execute(select(bucket, value).where(value.is_not(None))):
        grouped[parse_bucket(b)].append(v)
    return {b: summarize(vs) for b, vs in grouped.items()}


def count_by_bucket(session: Session, rows: Select[Any]) -> dict[date, int]:
    """Rows per bucket; `rows` selects (bucket, anything)."""
    sub = rows.subquery()
    bucket = next(iter(sub.c))
    result = session.execute(select(bucket, func.count()).group_by(bucket))
    return {parse_bucket(b): int(n) for b, n in result}


def summarize_by_group(
    session: Session, rows: Select[Any], keys: int
) -> dict[tuple[Any, ...], Summary]:
    """Like summarize_values, per group; `rows` selects the `keys` group columns, then the
    value. A group column named like a period bucket is not parsed: callers do that."""
    sub = rows.subquery()
    columns = list(sub.c)
    group, value = columns[:keys], columns[keys]
    if is_postgres(session):
        result = session.execute(
            select(*group, *_pg_summary_columns(value)).where(value.is_not(None)).group_by(*group)
        )
        return {tuple(row[:keys]): _summary_from_row(row[keys:]) for row in result}
    grouped: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in session.execute(select(*group, value).where(value.is_not(None))):
        grouped[tuple(row[:keys])].append(row[keys])
    return {key: summarize(values) for key, values in grouped.items()}
