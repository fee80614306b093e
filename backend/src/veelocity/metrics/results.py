"""Plain typed results that the API serialises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from veelocity.metrics.compute.trends import Trend


@dataclass(frozen=True)
class SeriesPoint:
    period_start: date
    value: float | None
    sample_size: int


@dataclass(frozen=True)
class MetricResult:
    slug: str
    title: str
    unit: str
    better: str
    value: float | None
    sample_size: int
    level: str | None
    previous_value: float | None
    previous_sample_size: int
    trend: Trend
    details: dict[str, Any] = field(default_factory=dict)
    series: list[SeriesPoint] = field(default_factory=list)
