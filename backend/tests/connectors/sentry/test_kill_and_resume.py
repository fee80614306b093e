"""A Sentry sync killed with SIGKILL at any moment resumes where it stopped: after the runs
that follow, the database holds the fake's organisation exactly, no row missing and none
twice. The fake Sentry and each sync run in processes of their own."""

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

from veelocity.demo.sentry import generate_sentry
from veelocity.fakes.sentry import SentryGroundTruth
from veelocity.models import SyncCheckpoint
from veelocity.models.sentry import (
    SentryDeploy,
    SentryErrorStat,
    SentryEvent,
    SentryIssue,
    SentryProject,
    SentryRelease,
)

from ...server_process import free_port
from ..github.test_kill_and_resume import _sync_env
from .conftest import Harness, configure_sentry
from .processes import kill_test_organisation

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


def _written(harness: Harness) -> int:
    with harness.context.session_factory() as session:
        checkpoints = int(session.scalar(select(func.count()).select_from(SyncCheckpoint)) or 0)
    return checkpoints + harness.count(SentryIssue.id) + harness.count(SentryRelease.id)


@pytest.mark.timeout(400)
def test_a_sync_killed_at_random_moments_resumes_without_loss_or_duplicates(
    make_harness: Callable[..., Harness], fake_url: str
) -> None:
    harness = make_harness()
    configure_sentry(harness.context, base_url=fake_url)
    env = _sync_env(harness.context.settings)
    chance = random.Random(SEED)
    killed = 0
    for _attempt in range(4):
        before = _written(harness)
        process = subprocess.Popen([sys.executable, str(SCRIPT), "sync"], env=env)
        deadline = time.monotonic() + 60
        # wait until this run has written something, then a random moment more
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

    truth = SentryGroundTruth(generate_sentry(kill_test_organisation(SEED)))
    assert harness.values(SentryProject.external_id) == truth.project_ids
    assert harness.values(SentryRelease.version) == truth.release_versions
    assert harness.count(SentryRelease.id) == len(truth.release_versions)
    assert harness.values(SentryDeploy.external_id) == truth.deploy_ids
    assert harness.count(SentryDeploy.id) == len(truth.deploy_ids)
    assert harness.values(SentryIssue.external_id) == truth.issue_ids
    assert harness.count(SentryIssue.id) == len(truth.issue_ids)
    assert dict(harness.rows(SentryIssue.external_id, SentryIssue.event_count)) == (
        truth.issue_counts
    )
    # error counts of Sentry's 90 days of stats
    first_day = (truth.org.now - timedelta(days=90)).date()
    days = [key for key in truth.events_per_project_day if key[1] >= first_day]
    assert harness.count(SentryErrorStat.events, SentryErrorStat.events > 0) == len(days)
    # every candidate's first day is read, once
    read = harness.values(SentryIssue.external_id, SentryIssue.events_read.is_(True))
    assert truth.incident_candidate_ids <= read
    events = harness.rows(SentryEvent.issue_id, SentryEvent.external_id)
    assert len(events) == len(set(events))
    # nothing is left half-read
    assert (
        harness.rows(SyncCheckpoint.stream, where=[SyncCheckpoint.stream == "issue_events"]) == []
    )
