"""One backend replica for the multi-process tests: the real app, server and scheduler, with
a test source that records when each of its runs starts and ends.

Run as `python -m tests.sync.sync_server PORT NAME` with the settings in the environment.
"""

from __future__ import annotations

import sys
import time

import uvicorn
from sqlalchemy import text

from veelocity.app import create_app
from veelocity.core.config import load_settings
from veelocity.sync.catalogue import SyncCatalogue, SyncJob
from veelocity.sync.context import SourceRunContext

PROBE_TABLE = """
CREATE TABLE IF NOT EXISTS probe_sync (
    replica VARCHAR(64) NOT NULL,
    run_id INTEGER NOT NULL,
    started_at DOUBLE PRECISION NOT NULL,
    finished_at DOUBLE PRECISION
)
"""


def probe_source(replica: str, pages: int, page_seconds: float):  # type: ignore[no-untyped-def]
    def sync(context: SourceRunContext) -> None:
        with context.session_factory.begin() as session:
            session.execute(
                text("INSERT INTO probe_sync (replica, run_id, started_at) VALUES (:r, :id, :t)"),
                {"r": replica, "id": context.run_id, "t": time.time()},
            )
        for _ in range(pages):
            time.sleep(page_seconds)
            context.reporter.progress(stream="pull_requests", items=10, requests=1)
            context.check_continue()
        with context.session_factory.begin() as session:
            session.execute(
                text("UPDATE probe_sync SET finished_at = :t WHERE run_id = :id"),
                {"id": context.run_id, "t": time.time()},
            )

    return sync


def main() -> None:
    port, replica = int(sys.argv[1]), sys.argv[2]
    settings = load_settings()
    catalogue = SyncCatalogue.of([SyncJob("github", "github", probe_source(replica, 4, 0.25))])
    app = create_app(settings, sync_catalogue=catalogue)
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None)


if __name__ == "__main__":
    main()
