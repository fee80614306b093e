"""Statistics as metrics.md defines them: the true median and continuous percentiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Statistic(StrEnum):
    MEDIAN = "median"
    MEAN = "mean"
    P75 = "p75"
    P90 = "p90"


PERCENTILE_OF = {Statistic.MEDIAN: 0.5, Statistic.P75: 0.75, Statistic.P90: 0.9}


def percentile_cont(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, like PostgreSQL's percentile_cont."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(sorted_values[lower])
    weight = position - lower
    return float(sorted_values[lower]) * (1 - weight) + float(sorted_values[upper]) * weight


@dataclass(frozen=True)
class Summary:
    count: int
    median: float | None
    mean: float | None
    p75: float | None
    p90: float | None

    def value(self, statistic: Statistic) -> float | None:
        return {
            Statistic.MEDIAN: self.median,
            Statistic.MEAN: self.mean,
            Statistic.P75: self.p75,
            Statistic.P90: self.p90,
        }[statistic]


EMPTY = Summary(0, None, None, None, None)


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        return EMPTY
    ordered = sorted(values)
    return Summary(
        count=len(ordered),
        median=percentile_cont(ordered, 0.5),
        mean=sum(ordered) / len(ordered),
        p75=percentile_cont(ordered, 0.75),
        p90=percentile_cont(ordered, 0.9),
    )
