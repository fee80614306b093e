"""Scripts run as processes of their own by the kill-and-resume test.

python processes.py fake LATENCY PORT   serve the test team on PORT
python processes.py sync                run one Cursor sync (settings from env), at the team's now
"""

from __future__ import annotations

import sys
import time

import time_machine

from veelocity.connectors.cursor.sync import CursorSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.demo import DemoConfig, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import FakeCursor, RateLimits, run_fake_cursor

KILL_TEST = DemoConfig(seed=9, repositories=4, developers=20, months=5)


def kill_test_team() -> CursorTeam:
    return DemoAi(generate(KILL_TEST), seed=KILL_TEST.seed).cursor


def serve_fake(latency: float, port: int) -> None:
    # several runs within a minute: Cursor's per-minute limit is not what this test is about
    fake = FakeCursor(
        kill_test_team(), limits=RateLimits(admin_per_minute=10_000, ai_code_per_minute=10_000)
    )
    fake.faults.latency = latency
    with run_fake_cursor(fake, port=port) as url:
        print(url, flush=True)
        while True:
            time.sleep(1)


def sync_once() -> None:
    with (
        time_machine.travel(KILL_TEST.now, tick=True),
        standalone_context(Settings()) as context,
    ):
        CursorSync(retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05))(context)


if __name__ == "__main__":
    if sys.argv[1] == "fake":
        serve_fake(float(sys.argv[2]), int(sys.argv[3]))
    else:
        sync_once()
