"""Scripts run as processes of their own by the kill-and-resume test.

python processes.py fake SEED LATENCY PORT   serve a generated organisation on PORT
python processes.py sync                     run one Sentry sync (settings from env)
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.sentry.sync import SentrySync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.demo.sentry import SentryConfig
from veelocity.fakes.sentry import FakeSentry, RateLimits, run_fake_sentry


def kill_test_organisation(seed: int) -> SentryConfig:
    return SentryConfig(
        seed=seed,
        projects=4,
        issues=1_500,
        releases=150,
        months=3,
        now=datetime(2026, 3, 1, tzinfo=UTC),
    )


def serve_fake(seed: int, latency: float, port: int) -> None:
    from veelocity.demo.sentry import generate_sentry

    fake = FakeSentry(generate_sentry(kill_test_organisation(seed)), limits=RateLimits(limit=1_000))
    fake.faults.latency = latency
    with run_fake_sentry(fake, port=port) as url:
        print(url, flush=True)
        while True:
            time.sleep(1)


def sync_once() -> None:
    with standalone_context(Settings()) as context:
        SentrySync(retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05))(context)


if __name__ == "__main__":
    if sys.argv[1] == "fake":
        serve_fake(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
    else:
        sync_once()
