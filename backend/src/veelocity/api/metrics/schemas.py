from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from veelocity.metrics.results import MetricResult
from veelocity.metrics.specs import MetricSpec


class TrendOut(BaseModel):
    change: float | None
    change_percent: float | None
    direction: str = Field(description="better, worse, same or unknown")


class PreviousOut(BaseModel):
    value: float | None
    sample_size: int


class PointOut(BaseModel):
    period_start: date
    value: float | None = Field(description="Null for a period with no data, never 0.")
    sample_size: int


class MetricOut(BaseModel):
    slug: str
    title: str
    unit: str
    better: str
    value: float | None
    sample_size: int
    level: str | None = Field(description="elite, high, medium or low (DORA keys only)")
    previous: PreviousOut = Field(description="The window of equal length just before.")
    trend: TrendOut
    details: dict[str, Any]
    series: list[PointOut]

    @classmethod
    def of(cls, result: MetricResult) -> MetricOut:
        return cls(
            slug=result.slug,
            title=result.title,
            unit=result.unit,
            better=result.better,
            value=result.value,
            sample_size=result.sample_size,
            level=result.level,
            previous=PreviousOut(
                value=result.previous_value, sample_size=result.previous_sample_size
            ),
            trend=TrendOut(
                change=result.trend.change,
                change_percent=result.trend.change_percent,
                direction=result.trend.direction,
            ),
            details=result.details,
            series=[
                PointOut(period_start=p.period_start, value=p.value, sample_size=p.sample_size)
                for p in result.series
            ],
        )


class WindowOut(BaseModel):
    start: datetime
    end: datetime
    period: str
    statistic: str


class DoraOut(BaseModel):
    window: WindowOut
    level_table: str
    overall_level: str | None
    keys: list[MetricOut]


class DevelopmentOut(BaseModel):
    window: WindowOut
    metrics: list[MetricOut]


class SpecOut(BaseModel):
    slug: str
    title: str
    unit: str
    better: str
    description: str

    @classmethod
    def of(cls, spec: MetricSpec) -> SpecOut:
        return cls(
            slug=spec.slug,
            title=spec.title,
            unit=spec.unit,
            better=spec.better.value,
            description=spec.description,
        )


class ReviewerOut(BaseModel):
    login: str
    reviews_given: int
    awaiting_now: int = Field(description="Open PRs waiting for this reviewer's response now.")
    median_response_seconds: float | None
    responses: int


class ReviewersOut(BaseModel):
    window: WindowOut
    reviewers: list[ReviewerOut]


class DeveloperOut(BaseModel):
    login: str
    name: str | None
    prs_merged: int
    median_cycle_seconds: float | None
    median_size: float | None
    reviews_given: int


class DevelopersOut(BaseModel):
    window: WindowOut
    developers: list[DeveloperOut]


class RepositoryMetricOut(BaseModel):
    repository_id: int
    repository: str
    metric: MetricOut


class RepositoryBreakdownOut(BaseModel):
    window: WindowOut
    spec: SpecOut
    active_repositories: int = Field(
        description="Repositories with activity in the scope in the window or the one before; "
        "the `limit` most active of them are computed."
    )
    repositories: list[RepositoryMetricOut] = Field(
        description="Repositories with data for the metric in the window or the one before."
    )
