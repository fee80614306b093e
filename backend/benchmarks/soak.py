"""Soak: steady API traffic and a GitHub sync every 5 minutes, with the server's resources
sampled every 30 s, to show that nothing grows.

Seeds a database like `api_load.py` does, from a fake GitHub whose organisation keeps
getting new pull requests, reviews and deployments (its clock follows the real one). Then
`veelocity serve` runs with its default workers and its own scheduler, which syncs GitHub
every 5 minutes (Fill PR details every 10), while this process sends the web app's mix of
requests at a steady rate. Every sample adds up the server's processes (the supervisor and
its workers): resident memory, open file descriptors, threads, and database connections
(PostgreSQL: sessions in pg_stat_activity; SQLite: open descriptors of the database file and
its WAL). At the end it prints each sample, then each figure's slope per hour after the
warm-up (least squares), and the sync runs the scheduler finished.

Goals: memory grows at most 20 MB an hour; descriptors, threads and connections stay flat.

    cd backend
    .venv/bin/python benchmarks/soak.py --duration 60                    # minutes, SQLite
    .venv/bin/python benchmarks/soak.py --duration 60 --database postgresql
    .venv/bin/python benchmarks/soak.py --duration 15 --warmup 5 --rate 20   # a shorter one
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# run as a script from backend/benchmarks, next to api_load.py and fake_process.py
from fake_process import fake_github_process
from api_load import (
    POSTGRES_URL,
    Server,
    Session,
    Tally,
    Traffic,
    drop_database,
    stop_cleanly_on_sigterm,
    latency_line,
    run_load,
    seed,
)
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from veelocity.models import SyncRun


@dataclass(frozen=True)
class Sample:
    minute: float
    rss_mb: float
    fds: int
    threads: int
    connections: int


def _status_field(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    return 0


def _descriptors(pid: int) -> list[str]:
    targets = []
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets.append(str(entry.readlink()))
        except OSError:
            continue  # closed while we looked
    return targets


def database_connections(url: str, pids: list[int]) -> int:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed.set(database="postgres"))
        try:
            with engine.connect() as connection:
                return int(
                    connection.execute(
                        text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                        {"name": parsed.database},
                    ).scalar_one()
                )
        finally:
            engine.dispose()
    database = str(Path(parsed.database or "").resolve())
    return sum(
        1
        for pid in pids
        for target in _descriptors(pid)
        if target in (database, database + "-wal")
    )


def take_sample(server: Server, url: str, started: float) -> Sample:
    pids = server.pids()
    rss = fds = threads = 0
    for pid in pids:
        try:
            rss += _status_field(pid, "VmRSS")
            threads += _status_field(pid, "Threads")
            fds += len(_descriptors(pid))
        except OSError:
            continue
    return Sample(
        (time.monotonic() - started) / 60,
        rss / 1024,
        fds,
        threads,
        database_connections(url, pids),
    )


def slope_per_hour(samples: list[Sample], field: str) -> float:
    """Least-squares slope of FIELD against time, per hour."""
    xs = [s.minute / 60 for s in samples]
    ys = [float(getattr(s, field)) for s in samples]
    if len(xs) < 2:
        return float("nan")
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def sync_runs(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(SyncRun.job, SyncRun.status, func.count()).group_by(
                    SyncRun.job, SyncRun.status
                )
            )
            return Counter({f"{job} {status}": int(n) for job, status, n in rows})
    finally:
        engine.dispose()


def main() -> None:
    stop_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--duration", type=float, default=60, help="minutes")
    parser.add_argument("--warmup", type=float, default=10, help="minutes left out of the slopes")
    parser.add_argument("--rate", type=float, default=20, help="requests a second")
    parser.add_argument("--every", type=float, default=30, help="seconds between samples")
    parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY")
    parser.add_argument("--pull-requests", type=int, default=3100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()

    import tempfile

    fake = fake_github_process(seed=args.seed, pull_requests=args.pull_requests, live=True)
    try:
        with tempfile.TemporaryDirectory(prefix="veelocity-soak-") as tmp:
            seeded = seed(args.database, Path(tmp), fake, args.postgres_url)
            url = seeded.settings.sqlalchemy_url
            print(f"seeded {seeded.pull_requests:,} PRs in {seeded.seconds:.0f} s; the fake "
                  "GitHub keeps adding activity; the server syncs it every 5 minutes", flush=True)  # fmt: skip
            server = Server(seeded.env, args.workers, Path(tmp) / "server.log")
            try:
                tally = soak(server, seeded.repository_ids, url, args)
            finally:
                server.stop()
            print(latency_line("requests", tally.outcomes))
            print(f"answers: {dict(sorted(Counter(o.status for o in tally.outcomes).items()))}")
            print(f"sync runs: {dict(sorted(sync_runs(url).items()))}")
    finally:
        fake.close()
        drop_database(args.database, args.postgres_url)


def soak(server: Server, repositories: list[int], url: str, args: argparse.Namespace) -> Tally:
    seconds = args.duration * 60
    traffic = Traffic(repositories, args.seed)
    session = Session(server.base)
    result: list[Tally] = []
    load = threading.Thread(
        target=lambda: result.append(
            asyncio.run(run_load(server.base, traffic, rate=args.rate, seconds=seconds,
                                 timeout=10, session=session))  # fmt: skip
        ),
        daemon=True,
    )
    started = time.monotonic()
    load.start()
    samples: list[Sample] = []
    print(f"{server.workers()} worker process(es), {args.rate:g} req/s for "
          f"{args.duration:g} min; a sample every {args.every:g} s", flush=True)  # fmt: skip
    print(" minute   RSS MB   fds  threads  db connections", flush=True)
    while True:
        sample = take_sample(server, url, started)
        samples.append(sample)
        print(f" {sample.minute:6.1f} {sample.rss_mb:8.1f} {sample.fds:5d} {sample.threads:8d} "
              f"{sample.connections:15d}", flush=True)  # fmt: skip
        if not load.is_alive():
            break
        time.sleep(max(0.0, started + len(samples) * args.every - time.monotonic()))
    load.join()
    steady = [s for s in samples if s.minute >= args.warmup]
    print(f"after the {args.warmup:g}-minute warm-up ({len(steady)} samples), per hour:")
    for field, unit in (("rss_mb", "MB"), ("fds", ""), ("threads", ""), ("connections", "")):
        values = [getattr(s, field) for s in steady] or [float("nan")]
        print(f"  {field:<12} slope {slope_per_hour(steady, field):+8.1f} {unit:<2}/h   "
              f"min {min(values):8.1f}   max {max(values):8.1f}")  # fmt: skip
    if steady:
        print(f"  last RSS {samples[-1].rss_mb:.1f} MB vs {steady[0].rss_mb:.1f} MB after warm-up "
              f"({samples[-1].rss_mb - steady[0].rss_mb:+.1f} MB)")  # fmt: skip
    return result[0]


if __name__ == "__main__":
    main()
