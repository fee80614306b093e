"""Windows and the periods (day, week, month) a window is split into, all in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_start(day: date, period: Period) -> date:
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())  # weeks start on Monday
    return day.replace(day=1)


def next_period(start: date, period: Period) -> date:
    if period is Period.DAY:
        return start + timedelta(days=1)
    if period is Period.WEEK:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def periods_between(start: datetime, end: datetime, period: Period) -> list[date]:
    """Every period that overlaps [start, end), oldest first."""
    if end <= start:
        return []
    current = period_start(start.date(), period)
    last = (end - timedelta(microseconds=1)).date()
    result = []
    while current <= last:
        result.append(current)
        current = next_period(current, period)
    return result


def previous_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The window of equal length just before."""
    return start - (end - start), start
