"""A sync killed with SIGKILL at any moment resumes where it stopped: after the runs that
follow, the database holds the fake's organisation exactly (no row missing, none twice), and
each kill costs at most one page read again per busy worker. The fake GitHub and each sync
run in processes of their own; the fake logs every request it answered."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from veelocity.core.config import Settings
from veelocity.demo.generate import generate
from veelocity.fakes.github import DEMO_TOKEN
from veelocity.models import SyncCheckpoint

from ...server_process import free_port
from .conftest import Harness, configure_github
from .processes import WORKERS, kill_test_org
from .request_log import StreamScope, read_from, refetched
from .truth import differences

SCRIPT = Path(__file__).with_name("processes.py")
SEED = 5


@dataclass(frozen=True)
class FakeProcess:
    url: str
    #: every request the fake answered, one JSON line each
    log: Path

    def lines(self) -> int:
        return len(read_from(self.log, 0))


@pytest.fixture
def fake_process(tmp_path: Path) -> Iterator[FakeProcess]:
    port = free_port()
    log = tmp_path / "requests.jsonl"
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "fake", str(SEED), "0.01", str(port), str(log)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), url
        yield FakeProcess(url, log)
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


def _finished_streams(harness: Harness) -> set[StreamScope]:
    """Streams whose last pass ended (no page cursor left): their next pass starts over."""
    rows = harness.rows(SyncCheckpoint.stream, SyncCheckpoint.scope, SyncCheckpoint.cursor)
    return {
        (stream, scope)
        for stream, scope, cursor in rows
        if not {"after", "next_url"} & set(cursor or {})
    }


@pytest.mark.timeout(400)
def test_a_sync_killed_at_random_moments_resumes_without_loss_or_duplicates(
    make_harness: Callable[..., Harness], fake_process: FakeProcess
) -> None:
    harness = make_harness()
    configure_github(
        harness.context, base_url=fake_process.url, token=DEMO_TOKEN, organizations=["acme"]
    )
    env = _sync_env(harness.context.settings)
    org = generate(kill_test_org(SEED))
    names = {repo.id: repo.full_name for repo in org.repositories}
    # each repository has one worker at a time; at most one page of each is read, not written
    busy_workers = min(WORKERS, len(org.repositories))
    chance = random.Random(SEED)
    # per run: where its requests start in the log, and whether it was killed
    runs: list[tuple[int, bool]] = []
    finished_after: list[set[StreamScope]] = []
    for _attempt in range(3):
        before = _checkpoints(harness)
        runs.append((fake_process.lines(), False))
        process = subprocess.Popen([sys.executable, str(SCRIPT), "sync"], env=env)
        deadline = time.monotonic() + 60
        # wait until this run has written something, then a random moment more
        while _checkpoints(harness) <= before and process.poll() is None:
            assert time.monotonic() < deadline, "the sync wrote nothing in 60 s"
            time.sleep(0.02)
        time.sleep(chance.uniform(0.05, 0.6))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            runs[-1] = (runs[-1][0], True)
        process.wait()
        time.sleep(0.1)  # the fake logs an answer just after sending it
        finished_after.append(_finished_streams(harness))
    assert any(killed for _start, killed in runs)
    runs.append((fake_process.lines(), False))
    finished = subprocess.run([sys.executable, str(SCRIPT), "sync"], env=env, check=False)
    assert finished.returncode == 0
    assert differences(org, harness.context.session_factory) == []

    log = read_from(fake_process.log, 0)
    ends = [start for start, _killed in runs[1:]] + [len(log)]
    for index, (start, killed) in enumerate(runs[:-1]):
        if not killed:
            continue
        again = refetched(
            log[start : ends[index]],
            log[ends[index] : ends[index + 1]],
            finished_after[index],
            "acme",
            names,
        )
        assert len(again) <= busy_workers, [r.target for r in again]
