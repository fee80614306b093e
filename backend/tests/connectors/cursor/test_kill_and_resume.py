"""A Cursor sync killed with SIGKILL at any moment resumes where it stopped: after the runs
that follow, the database holds the fake team's usage and AI commits exactly, no row missing
and none twice, and no pass is left half-read. The fake Cursor and each sync run in
processes of their own."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from veelocity.fakes.cursor import DEMO_KEY
from veelocity.models import SyncCheckpoint
from veelocity.models.ai import AiCommit, CursorDailyUsage, CursorMember

from ...server_process import free_port
from ..github.test_kill_and_resume import _sync_env
from .conftest import Harness, configure_cursor
from .processes import KILL_TEST, kill_test_team

SCRIPT = Path(__file__).with_name("processes.py")


@pytest.fixture
def fake_url() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "fake", "0.05", str(port)], stdout=subprocess.PIPE, text=True
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
        return int(session.scalar(select(func.count()).select_from(SyncCheckpoint)) or 0) + int(
            session.scalar(select(func.count()).select_from(CursorDailyUsage)) or 0
        )


@pytest.mark.timeout(400)
def test_a_sync_killed_at_random_moments_resumes_without_loss_or_duplicates(
    make_harness: Callable[..., Harness], fake_url: str
) -> None:
    harness = make_harness()
    configure_cursor(harness.context, base_url=fake_url, key=DEMO_KEY)
    env = _sync_env(harness.context.settings)
    chance = random.Random(KILL_TEST.seed)
    killed = 0
    for _attempt in range(3):
        before = _written(harness)
        process = subprocess.Popen([sys.executable, str(SCRIPT), "sync"], env=env)
        deadline = time.monotonic() + 60
        # wait until this run has written something, then a random moment more
        while _written(harness) <= before:
            if process.poll() is not None:
                break
            assert time.monotonic() < deadline, "the sync wrote nothing in 60 s"
            time.sleep(0.02)
        time.sleep(chance.uniform(0.05, 0.4))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
    assert killed > 0
    finished = subprocess.run([sys.executable, str(SCRIPT), "sync"], env=env, check=False)
    assert finished.returncode == 0

    team = kill_test_team()
    first = team.now.date() - timedelta(days=90)
    usage = {(u.email.lower(), u.day) for u in team.usage if u.day >= first}
    stored = set(
        harness.rows(
            CursorMember.email,
            CursorDailyUsage.day,
            where=[CursorMember.id == CursorDailyUsage.member_id],
        )
    )
    assert stored == usage
    assert harness.count(CursorDailyUsage.day) == len(usage)
    commits = {c.commit_hash for c in team.ai_commits if c.commit_ts.date() >= first}
    assert {sha for (sha,) in harness.rows(AiCommit.sha)} == commits
    assert harness.count(AiCommit.sha) == len(commits)
    # no pass is left half-read
    passes = harness.rows(SyncCheckpoint.stream, SyncCheckpoint.cursor)
    assert all("pass" not in cursor and "page" not in cursor for _stream, cursor in passes)
