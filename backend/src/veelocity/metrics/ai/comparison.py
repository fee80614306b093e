"""Two groups compared: the difference of a statistic with a seeded bootstrap interval."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import Random

from veelocity.metrics.compute.stats import percentile_cont

#: below this many PRs in either group, no comparison is drawn
MIN_GROUP_PRS = 20
RESAMPLES = 1000
SEED = 15


def median(values: Sequence[float]) -> float | None:
    return percentile_cont(sorted(values), 0.5)


def share(values: Sequence[float]) -> float | None:
    """The mean of 0/1 values: the share of the group that is 1."""
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Comparison:
    """`ai` minus `other`, with a 95 % bootstrap interval; no difference under the rule."""

    ai_count: int
    other_count: int
    ai_value: float | None
    other_value: float | None
    difference: float | None
    interval_low: float | None
    interval_high: float | None
    #: why no difference is given, when none is
    reason: str | None


def compare(
    ai: Sequence[float],
    other: Sequence[float],
    statistic: Callable[[Sequence[float]], float | None],
    *,
    seed: int = SEED,
    resamples: int = RESAMPLES,
) -> Comparison:
    ai_value, other_value = statistic(ai), statistic(other)
    if len(ai) < MIN_GROUP_PRS or len(other) < MIN_GROUP_PRS:
        return Comparison(
            len(ai),
            len(other),
            ai_value,
            other_value,
            None,
            None,
            None,
            f"fewer than {MIN_GROUP_PRS} PRs in a group",
        )
    assert ai_value is not None
    assert other_value is not None
    # seeded on purpose: the same data gives the same interval
    rng = random.Random(seed)  # noqa: S311
    resample = _resampled_median if statistic is median else _resampled
    ai_sorted, other_sorted = sorted(ai), sorted(other)
    differences = sorted(
        resample(ai_sorted, statistic, rng) - resample(other_sorted, statistic, rng)
        for _ in range(resamples)
    )
    return Comparison(
        len(ai),
        len(other),
        ai_value,
        other_value,
        ai_value - other_value,
        percentile_cont(differences, 0.025),
        percentile_cont(differences, 0.975),
        None,
    )


def _resampled(
    values: Sequence[float], statistic: Callable[[Sequence[float]], float | None], rng: Random
) -> float:
    """The statistic of one resample with replacement."""
    value = statistic(rng.choices(values, k=len(values)))
    assert value is not None  # a resample is never empty
    return value


def _resampled_median(
    ordered: Sequence[float], _: Callable[[Sequence[float]], float | None], rng: Random
) -> float:
    """The median of one resample with replacement, drawn without drawing the resample: a
    resample takes the values at n uniform positions, and the k-th smallest of n uniforms
    follows Beta(k, n − k + 1); the next one lies above it, at the smallest of the other
    n − k spread over the rest. Same distribution as sorting a resample, at O(1) a time."""
    n = len(ordered)
    k = (n + 1) // 2
    lower = rng.betavariate(k, n - k + 1)
    low_value = ordered[min(n - 1, int(lower * n))]
    if n % 2:
        return low_value
    upper = lower + (1 - lower) * rng.betavariate(1, n - k)
    return (low_value + ordered[min(n - 1, int(upper * n))]) / 2
