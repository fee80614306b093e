"""A Linear sync killed with SIGKILL at any moment resumes where it stopped: after the runs
that follow, the database holds the fake's workspace exactly, no row missing and none twice.
The fake Linear and each sync run in processes of their own."""

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

from veelocity.demo.linear import generate_workspace
from veelocity.fakes.linear import DEMO_KEY, LinearGroundTruth
from veelocity.models import (
    Issue,
    LinearIssue,
    LinearIssueHistory,
    LinearWorkflowState,
    SyncCheckpoint,
)

from ...server_process import free_port
from ..github.test_kill_and_resume import _sync_env
from .conftest import Harness, configure_linear
from .processes import kill_test_workspace

SCRIPT = Path(__file__).with_name("processes.py")
SEED = 9


@pytest.fixture
def fake_url() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "fake", str(SEED), "0.03", str(port)],
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


def _checkpoints(harness: Harness) -> int:
    with harness.context.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(SyncCheckpoint)) or 0)


@pytest.mark.timeout(400)
def test_a_sync_killed_at_random_moments_resumes_without_loss_or_duplicates(
    make_harness: Callable[..., Harness], fake_url: str
) -> None:
    harness = make_harness()
    configure_linear(harness.context, api_url=f"{fake_url}/graphql", key=DEMO_KEY)
    env = _sync_env(harness.context.settings)
    chance = random.Random(SEED)
    killed = 0
    for _attempt in range(3):
        before = harness.count(LinearIssue.id) + _checkpoints(harness)
        process = subprocess.Popen([sys.executable, str(SCRIPT), "sync"], env=env)
        deadline = time.monotonic() + 60
        # wait until this run has written something, then a random moment more
        while harness.count(LinearIssue.id) + _checkpoints(harness) <= before:
            if process.poll() is not None:
                break
            assert time.monotonic() < deadline, "the sync wrote nothing in 60 s"
            time.sleep(0.02)
        time.sleep(chance.uniform(0.05, 0.5))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
    assert killed > 0
    finished = subprocess.run([sys.executable, str(SCRIPT), "sync"], env=env, check=False)
    assert finished.returncode == 0

    truth = LinearGroundTruth(generate_workspace(kill_test_workspace(SEED)))
    assert harness.values(LinearIssue.external_id) == truth.issue_ids
    assert harness.count(LinearIssue.id) == len(truth.issue_ids)
    assert harness.count(Issue.id, Issue.source == "linear") == len(truth.issue_ids)
    assert harness.values(LinearIssueHistory.external_id) == truth.history_ids
    assert harness.count(LinearIssueHistory.id) == len(truth.history_ids)
    assert harness.values(LinearWorkflowState.external_id) == truth.state_ids
    assert harness.count(LinearIssue.id, LinearIssue.history_complete.is_(False)) == 0
    # nothing is left half-read
    assert harness.rows(SyncCheckpoint.stream, where=[SyncCheckpoint.stream == "issue_more"]) == []
