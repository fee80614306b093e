"""Scripts run as processes of their own by the kill-and-resume test.

python processes.py fake LATENCY PORT   serve the test account on PORT
python processes.py sync                run one Greptile sync (settings from env)
"""

from __future__ import annotations

import sys
import time

from veelocity.connectors.greptile.sync import GreptileSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.demo import DemoConfig, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile import FakeGreptile, run_fake_greptile

KILL_TEST = DemoConfig(seed=9, repositories=4, developers=20, months=5)


def kill_test_account() -> GreptileAccount:
    return DemoAi(generate(KILL_TEST), seed=KILL_TEST.seed).greptile


def serve_fake(latency: float, port: int) -> None:
    fake = FakeGreptile(kill_test_account())
    fake.faults.latency = latency
    with run_fake_greptile(fake, port=port) as url:
        print(url, flush=True)
        while True:
            time.sleep(1)


def sync_once() -> None:
    with standalone_context(Settings()) as context:
        GreptileSync(retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05))(context)


if __name__ == "__main__":
    if sys.argv[1] == "fake":
        serve_fake(float(sys.argv[2]), int(sys.argv[3]))
    else:
        sync_once()
