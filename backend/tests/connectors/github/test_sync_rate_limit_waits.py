"""Rate limits that never lift: each request waits a few times, longer each time, then the run
stops with `rate_limited` and the time to come back; a cancel ends a waiting run at once."""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field

import pytest

from veelocity.core.time import utcnow
from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github import FakeGitHub
from veelocity.sync.context import SilentReporter, SyncCancelled, SyncError

from .conftest import QUICK, Harness

#: every wait a thousandth as long: the waits' count and growth are what is tested
SHORT_CLOCK = dataclasses.replace(QUICK, max_wait=60, time_scale=0.001)


def _storm(fake: FakeGitHub, retry_after: int) -> None:
    """Every GraphQL answer is a 429 asking to come back after `retry_after` seconds."""
    fake.faults.add(
        "secondary_rate_limit", path="/graphql", count=None, status=429, seconds=retry_after
    )


def test_a_request_waits_five_times_then_the_run_stops_rate_limited(
    harness: Harness, served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    harness.sync.retry = SHORT_CLOCK
    _storm(fake, retry_after=1)
    started = utcnow()
    with pytest.raises(SyncError) as raised:
        harness.run()
    # each worker's request is sent once and again after each of its five waits, no more
    workers = harness.sync.workers or 1
    assert 6 <= fake.stats.graphql <= workers * (SHORT_CLOCK.rate_limit_waits + 1)
    assert raised.value.code == "rate_limited"
    assert "5 waits" in raised.value.message
    # the time to come back: after the wait the request would have taken next (16 s or more)
    assert raised.value.resets_at is not None
    assert (raised.value.resets_at - started).total_seconds() >= 16
    # the run stopped as one: no "more repositories failed" for workers it stopped
    assert "failed too" not in raised.value.message


@dataclass
class CancellableReporter(SilentReporter):
    """A reporter whose cancel flag a test sets, as the run's row does for the API."""

    cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel_requested(self) -> bool:
        return self.cancelled.is_set()


def test_a_cancel_during_a_rate_limit_wait_ends_the_run_within_two_seconds(
    harness: Harness, served: tuple[FakeGitHub, str]
) -> None:
    fake, _ = served
    harness.sync.retry = dataclasses.replace(QUICK, max_wait=60)
    _storm(fake, retry_after=30)
    reporter = CancellableReporter()
    context = dataclasses.replace(harness.context, reporter=reporter)
    outcome: list[BaseException] = []
    ended = threading.Event()

    def run() -> None:
        try:
            harness.sync(context)
        except BaseException as exc:
            outcome.append(exc)
        ended.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 10
    while fake.stats.graphql == 0:  # the first 429 came: the run now waits 30 s
        assert time.monotonic() < deadline, "the sync sent no GraphQL request in 10 s"
        time.sleep(0.02)
    time.sleep(0.3)
    reporter.cancelled.set()
    asked = time.monotonic()
    assert ended.wait(10), "the run did not stop within 10 s of the cancel"
    latency = time.monotonic() - asked
    assert latency < 2, f"the run took {latency:.1f} s to stop"
    assert [type(exc) for exc in outcome] == [SyncCancelled]
