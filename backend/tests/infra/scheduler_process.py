"""One replica's scheduler, for the multi-process tests: a probe job that records each run.

Run as `python -m tests.infra.scheduler_process URL OWNER INTERVAL DURATION LEASE DATA_DIR`.
It runs the real Scheduler and job locks; only the job body is a test's.
"""

from __future__ import annotations

import signal
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.sync.leader import job_locks_for
from veelocity.sync.registry import Job
from veelocity.sync.scheduler import JobContext, Scheduler

PROBE_TABLE = """
CREATE TABLE IF NOT EXISTS probe_run (
    job VARCHAR(64) NOT NULL,
    slot VARCHAR(64) NOT NULL,
    owner VARCHAR(64) NOT NULL,
    started_at DOUBLE PRECISION NOT NULL,
    finished_at DOUBLE PRECISION
)
"""


def main() -> None:
    url, owner, interval, duration, lease, data_dir = sys.argv[1:7]
    settings = Settings(database_url=url, veelocity_data_dir=Path(data_dir))
    engine = make_engine(settings)
    factory = make_session_factory(engine)

    def probe(context: JobContext) -> None:
        slot = context.slot_at.isoformat()
        with factory.begin() as session:
            session.execute(
                text(
                    "INSERT INTO probe_run (job, slot, owner, started_at) "
                    "VALUES (:job, :slot, :owner, :now)"
                ),
                {"job": context.name, "slot": slot, "owner": owner, "now": time.time()},
            )
        time.sleep(float(duration))
        with factory.begin() as session:
            session.execute(
                text(
                    "UPDATE probe_run SET finished_at = :now "
                    "WHERE job = :job AND slot = :slot AND owner = :owner"
                ),
                {"job": context.name, "slot": slot, "owner": owner, "now": time.time()},
            )

    scheduler = Scheduler(
        [Job("probe", timedelta(seconds=float(interval)), timedelta(0), probe)],
        session_factory=factory,
        locks=job_locks_for(
            url, data_dir=Path(data_dir), lease_seconds=int(lease), connect_timeout_seconds=5
        ),
        owner=owner,
        poll_seconds=0.05,
        lock_retry_seconds=0.1,
    )
    signal.signal(signal.SIGTERM, lambda *_: scheduler.request_stop())
    print("ready", flush=True)
    try:
        scheduler.run_until_stopped()
    finally:
        scheduler.stop()
        engine.dispose()


if __name__ == "__main__":
    main()
