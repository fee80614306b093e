"""Scripts run as processes of their own by the kill-and-resume test.

python processes.py fake SEED LATENCY PORT LOG   serve a generated organisation, and append
                                                 each request it answered to the file LOG
python processes.py sync                         run one GitHub sync (settings from env)
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from veelocity.connectors.github.sync import GitHubSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.demo.config import DemoConfig
from veelocity.demo.generate import generate
from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github import FakeGitHub, run_fake_github

#: the production default (GITHUB_SYNC_WORKERS)
WORKERS = 4


def kill_test_org(seed: int) -> DemoConfig:
    return DemoConfig(seed=seed, repositories=2, developers=5, months=2)


class RecordingFakeGitHub(FakeGitHub):
    """The fake GitHub, writing one JSON line per request it answered: method, path and
    query, body and status. Counted here, a request answered just before a kill is in it."""

    def __init__(self, org: DemoOrganisation, log: Path) -> None:
        super().__init__(org)
        self._log = log.open("a", encoding="utf-8")
        self._log_lock = threading.Lock()

    async def serve(
        self,
        scope: Any,
        body: bytes,
        method: str,
        path: str,
        query_string: str,
        target: str,
        send: Any,
    ) -> None:
        statuses: list[int] = []

        async def recording(message: Any) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            await send(message)

        try:
            await super().serve(scope, body, method, path, query_string, target, recording)
        finally:
            entry = {
                "method": method,
                "target": target,
                "body": body.decode(),
                "status": statuses[0] if statuses else None,
            }
            with self._log_lock:
                self._log.write(json.dumps(entry) + "\n")
                self._log.flush()


def serve_fake(seed: int, latency: float, port: int, log: Path) -> None:
    fake = RecordingFakeGitHub(generate(kill_test_org(seed)), log)
    fake.faults.latency = latency
    with run_fake_github(fake, port=port) as url:
        print(url, flush=True)
        while True:
            time.sleep(1)


def sync_once() -> None:
    with standalone_context(Settings()) as context:
        GitHubSync(
            retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05), workers=WORKERS, page_size=10
        )(context)


if __name__ == "__main__":
    if sys.argv[1] == "fake":
        serve_fake(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    else:
        sync_once()
