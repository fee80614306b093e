"""The HTTP policy's waits for rate limits, as pure arithmetic."""

from __future__ import annotations

import pytest

from veelocity.connectors.http import RetryPolicy, rate_limit_wait

POLICY = RetryPolicy(rate_limit_backoff=1.0, max_wait=60.0)


@pytest.mark.parametrize(
    ("least", "taken", "jitter", "expected"),
    [
        (1, 0, 0.0, 1.0),  # the first wait is what GitHub asked
        (1, 1, 0.0, 2.0),  # then it doubles from the base
        (1, 4, 0.0, 16.0),
        (1, 4, 1.0, 24.0),  # jitter adds up to half the growth
        (30, 0, 1.0, 30.5),  # retry-after stays the least
        (30, 2, 0.5, 31.0),
        (1, 7, 1.0, 60.0),  # never past the longest wait ...
        (90, 0, 0.0, 90.0),  # ... unless GitHub asked for more (the caller then stops)
    ],
)
def test_a_rate_limit_wait_grows_from_retry_after(
    least: float, taken: int, jitter: float, expected: float
) -> None:
    assert rate_limit_wait(POLICY, least, taken, jitter) == pytest.approx(expected)


def test_every_later_wait_is_at_least_as_long_whatever_the_jitter() -> None:
    for taken in range(5):
        longest_now = rate_limit_wait(POLICY, 1, taken, 1.0)
        shortest_next = rate_limit_wait(POLICY, 1, taken + 1, 0.0)
        assert shortest_next >= longest_now
