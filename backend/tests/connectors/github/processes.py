"""Scripts run as processes of their own by the kill-and-resume test.

python processes.py fake SEED LATENCY PORT   serve a generated organisation
python processes.py sync                     run one GitHub sync (settings from env)
"""

from __future__ import annotations

import sys
import time

from veelocity.connectors.github.sync import GitHubSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.demo.config import DemoConfig
from veelocity.demo.generate import generate
from veelocity.fakes.github import FakeGitHub, run_fake_github


def kill_test_org(seed: int) -> DemoConfig:
    return DemoConfig(seed=seed, repositories=2, developers=5, months=2)


def serve_fake(seed: int, latency: float, port: int) -> None:
    fake = FakeGitHub(generate(kill_test_org(seed)))
    fake.faults.latency = latency
    with run_fake_github(fake, port=port) as url:
        print(url, flush=True)
        while True:
            time.sleep(1)


def sync_once() -> None:
    with standalone_context(Settings()) as context:
        GitHubSync(retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05), page_size=10)(context)


if __name__ == "__main__":
    if sys.argv[1] == "fake":
        serve_fake(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
    else:
        sync_once()
