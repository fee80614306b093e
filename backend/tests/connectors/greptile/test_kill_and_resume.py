"""A Greptile sync killed with SIGKILL at any moment resumes where it stopped: after the runs
that follow, the database holds every repository's index and every review of the fake
account once, and no pass is left half-read. The fake and each sync run in processes of
their own."""

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

from veelocity.fakes.greptile import DEMO_KEY
from veelocity.models import SyncCheckpoint
from veelocity.models.ai import GreptileRepository, GreptileReview

from ...server_process import free_port
from ..github.test_kill_and_resume import _sync_env
from .conftest import Harness, add_repository, configure_greptile
from .processes import KILL_TEST, kill_test_account

SCRIPT = Path(__file__).with_name("processes.py")


@pytest.fixture
def fake_url() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "fake", "0.3", str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), url
        yield url
    finally:
        process.kill()
        process.wait()


def _written(harness: Harness) -> int:
    with harness.context.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(SyncCheckpoint)) or 0)


@pytest.mark.timeout(400)
def test_a_sync_killed_at_random_moments_resumes_without_loss_or_duplicates(
    make_harness: Callable[..., Harness], fake_url: str
) -> None:
    account = kill_test_account()
    harness = make_harness()
    for repository in account.repositories:
        add_repository(harness.context, repository.repository, repository.branch)
    configure_greptile(harness.context, base_url=fake_url, key=DEMO_KEY)
    env = _sync_env(harness.context.settings)
    chance = random.Random(KILL_TEST.seed)
    killed = 0
    for _attempt in range(3):
        before = _written(harness)
        process = subprocess.Popen([sys.executable, str(SCRIPT), "sync"], env=env)
        deadline = time.monotonic() + 60
        while _written(harness) <= before:
            if process.poll() is not None:
                break
            assert time.monotonic() < deadline, "the sync wrote nothing in 60 s"
            time.sleep(0.02)
        time.sleep(chance.uniform(0.05, 0.6))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
    assert killed > 0
    finished = subprocess.run([sys.executable, str(SCRIPT), "sync"], env=env, check=False)
    assert finished.returncode == 0

    assert {row[0] for row in harness.rows(GreptileRepository.external_id)} == {
        r.id for r in account.repositories
    }
    assert {row[0] for row in harness.rows(GreptileReview.external_id)} == {
        r.id for r in account.code_reviews
    }
    assert harness.count(GreptileReview.id) == len(account.code_reviews)
    reviews = harness.rows(SyncCheckpoint.cursor, where=[SyncCheckpoint.stream == "reviews"])
    assert all("offset" not in cursor for (cursor,) in reviews)
