"""DORA performance levels: the 2023 table (default) and the 2021 table."""

from __future__ import annotations

from enum import IntEnum, StrEnum

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
MONTH = 30 * DAY
SIX_MONTHS = 182 * DAY


class Level(IntEnum):
    LOW = 0
    MEDIUM = 1
    HIGH = 2
    ELITE = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class LevelTable(StrEnum):
    DORA_2023 = "2023"
    DORA_2021 = "2021"


def deployment_frequency_level(
    table: LevelTable,
    *,
    median_deploy_days_per_week: float,
    per_day: float,
    per_week: float,
    per_month: float,
) -> Level:
    if table is LevelTable.DORA_2023:
        if median_deploy_days_per_week >= 5:
            return Level.ELITE
    elif per_day >= 1:
        return Level.ELITE  # 2021: on demand, several times a day
    if per_week >= 1:
        return Level.HIGH
    if per_month >= 1:
        return Level.MEDIUM
    return Level.LOW


def lead_time_level(table: LevelTable, median_seconds: float) -> Level:
    bounds = (DAY, WEEK, MONTH) if table is LevelTable.DORA_2023 else (HOUR, WEEK, SIX_MONTHS)
    return _below(median_seconds, bounds)


def recovery_time_level(table: LevelTable, median_seconds: float) -> Level:
    bounds = (HOUR, DAY, WEEK)
    return _below(median_seconds, bounds)


def change_failure_rate_level(table: LevelTable, rate: float) -> Level:
    if table is LevelTable.DORA_2023:
        if rate <= 0.05:
            return Level.ELITE
        if rate <= 0.10:
            return Level.HIGH
        if rate <= 0.15:
            return Level.MEDIUM
        return Level.LOW
    # 2021: elite 0–15 %; high, medium and low all 16–30 %; beyond that is low.
    if rate <= 0.15:
        return Level.ELITE
    if rate <= 0.30:
        return Level.HIGH
    return Level.LOW


def _below(value: float, bounds: tuple[float, float, float]) -> Level:
    elite, high, medium = bounds
    if value < elite:
        return Level.ELITE
    if value < high:
        return Level.HIGH
    if value < medium:
        return Level.MEDIUM
    return Level.LOW


def overall_level(levels: list[Level]) -> Level | None:
    """The median of the keys' levels, rounded down (towards low)."""
    if not levels:
        return None
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]
