"""Two real backend processes on one database never run the same sync job at once."""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD
from tests.server_process import free_port
from tests.sync.conftest import GITHUB_TOKEN
from tests.sync.sync_server import PROBE_TABLE

BACKEND = Path(__file__).resolve().parents[2]


@contextmanager
def replica(name: str, env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.sync_server", str(port), name],
            cwd=BACKEND,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test_two_backends_on_one_database_never_run_a_job_twice_at_once(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(PROBE_TABLE))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "DATABASE"))},
        "DATABASE_URL": database_url,
        "VEELOCITY_DATA_DIR": str(tmp_path / "data"),
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "VEELOCITY_SPA_DIR": str(tmp_path / "no-spa"),
        "LOG_FORMAT": "json",
    }
    with ExitStack() as stack:
        first = stack.enter_context(replica("first", env, tmp_path))
        second = stack.enter_context(replica("second", env, tmp_path))
        setup = httpx.post(
            f"{first}/api/v1/auth/setup", json={"email": "a@example.com", "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {setup.json()['access_token']}"}
        configured = httpx.put(
            f"{first}/api/v1/settings/sources/github",
            json={"token": GITHUB_TOKEN, "organizations": ["acme"]},
            headers=headers,
        )
        assert configured.status_code == 200

        def trigger(base: str) -> int:
            response = httpx.post(
                f"{base}/api/v1/sync", json={"source": "github"}, headers=headers, timeout=30
            )
            assert response.status_code == 202, response.text
            return int(response.json()["runs"][0]["id"])

        answered: list[tuple[int, int]] = []
        with ThreadPoolExecutor(max_workers=2) as pool:
            for _ in range(4):
                pair = list(pool.map(trigger, [first, second]))
                answered.append((pair[0], pair[1]))
                time.sleep(1.5)  # longer than a run: most rounds start a new one
        deadline = time.monotonic() + 60
        while True:
            runs = httpx.get(f"{second}/api/v1/sync/runs?page_size=200", headers=headers).json()[
                "items"
            ]
            if runs and all(run["status"] not in ("queued", "running") for run in runs):
                break
            assert time.monotonic() < deadline, runs
            time.sleep(0.2)

    with engine.connect() as connection:
        probes = connection.execute(
            text("SELECT replica, run_id, started_at, finished_at FROM probe_sync ORDER BY 3")
        ).all()
    # The probe table is the test's own: leave the shared database as the migrations made it.
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE probe_sync"))
    engine.dispose()
    # Asked at the same moment of two replicas, both answers name one run.
    assert all(a == b for a, b in answered), answered
    assert all(run["status"] == "succeeded" for run in runs), runs
    assert len(probes) == len(runs) >= 3
    assert all(finished is not None for _, _, _, finished in probes)
    for earlier, later in itertools.pairwise(probes):
        assert earlier[3] <= later[2], f"runs {earlier[1]} and {later[1]} overlapped: {probes}"
    assert {replica for replica, *_ in probes} <= {"first", "second"}
