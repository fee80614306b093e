"""A sync killed with SIGKILL at any moment resumes where it stopped: after the runs that
follow, the database holds the fake's organisation exactly (no row missing, none twice).
The fake GitHub and each sync run in processes of their own."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from veelocity.core.config import Settings
from veelocity.demo.generate import generate
from veelocity.fakes.github import DEMO_TOKEN
from veelocity.models import SyncCheckpoint

from ...server_process import free_port
from .conftest import Harness, configure_github
from .processes import kill_test_org
from .truth import differences

SCRIPT = Path(__file__).with_name("processes.py")
SEED = 5


@pytest.fixture
def fake_process() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "fake", str(SEED), "0.01", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), url
        yield url
    finally:
        process.kill()
        process.wait()


def _sync_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    assert settings.veelocity_encryption_key is not None
    assert settings.jwt_secret_key is not None
    env.update(
        {
            "DATABASE_URL": str(settings.database_url),
            "VEELOCITY_ENCRYPTION_KEY": settings.veelocity_encryption_key.get_secret_value(),
            "JWT_SECRET_KEY": settings.jwt_secret_key.get_secret_value(),
            "VEELOCITY_DATA_DIR": str(settings.veelocity_data_dir),
            "OUTBOUND_HOST_ALLOWLIST": "127.0.0.1",
            "RATE_LIMIT_DELAY_MS": "0",
            "RATE_LIMIT_MAX_PER_SYNC": "5000",
            "DEBUG": "false",
        }
    )
    return env


def _checkpoints(harness: Harness) -> int:
    with harness.context.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(SyncCheckpoint)) or 0)


@pytest.mark.timeout(400)
def test_a_sync_killed_at_random_moments_resumes_without_loss_or_duplicates(
    make_harness: Callable[..., Harness], fake_process: str
) -> None:
    harness = make_harness()
    configure_github(
        harness.context, base_url=fake_process, token=DEMO_TOKEN, organizations=["acme"]
    )
    env = _sync_env(harness.context.settings)
    chance = random.Random(SEED)
    kills = 0
    for _attempt in range(3):
        before = _checkpoints(harness)
        process = subprocess.Popen([sys.executable, str(SCRIPT), "sync"], env=env)
        deadline = time.monotonic() + 60
        # wait until this run has written something, then a random moment more
        while _checkpoints(harness) <= before and process.poll() is None:
            assert time.monotonic() < deadline, "the sync wrote nothing in 60 s"
            time.sleep(0.02)
        time.sleep(chance.uniform(0.05, 0.6))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
    assert kills >= 1
    finished = subprocess.run([sys.executable, str(SCRIPT), "sync"], env=env, check=False)
    assert finished.returncode == 0
    assert differences(generate(kill_test_org(SEED)), harness.context.session_factory) == []
