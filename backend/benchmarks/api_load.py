"""The HTTP API under a fixed arrival rate of the web app's dashboard traffic.

Seeds a fresh database (SQLite or PostgreSQL) by syncing a generated organisation (3,100 PRs
by default) from the fake GitHub, which runs in a process of its own; starts `veelocity
serve` on it with its default worker count (or `--workers`); then sends requests from this
process at a fixed rate, open loop: each request leaves at its scheduled time whether or not
the earlier ones have been answered, and its latency counts from that time, so a server that
falls behind shows it in the tail instead of slowing the generator down.

The mix is what the web app's pages ask for:
- 70 % metric reads: the dashboard's eight cards, the DORA page (five keys and the summary),
  the Flow page (seven phase and size metrics), the People page (reviewers, developers), over
  the windows the filter bar offers, now and then for one repository or another statistic;
- 20 % lists with filters: the PR table (sort, order, state, search, repository), the
  drill-down lists of deployments and incidents, repositories, teams, sync runs;
- 10 % status: health, status, sync status, the signed-in user.

It prints p50/p95/p99 overall and per kind, answers by status, timeouts, the rate achieved,
and the CPU seconds the server used next to the wall time.

    cd backend
    .venv/bin/python benchmarks/api_load.py --database sqlite --rate 50 --duration 600
    .venv/bin/python benchmarks/api_load.py --database postgresql --rate 50 --duration 600
    # overload on purpose: one worker admitting 2 requests, so 150 req/s is past its knee
    .venv/bin/python benchmarks/api_load.py --rate 150 --duration 30 --workers 1 \
        --server-env MAX_REQUESTS_IN_FLIGHT=2 --server-env REQUEST_QUEUE_TIMEOUT_MS=100
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

# run as a script from backend/benchmarks, next to fake_process.py
from fake_process import FakeProcess, fake_github_process

from veelocity import schema
from veelocity.accounts.users import create_user
from veelocity.connectors.github.sync import GitHubSync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.fakes.github import DEMO_TOKEN
from veelocity.models import PullRequest, Repository, UserRole

EMAIL = "load@example.com"
PASSWORD = secrets.token_urlsafe(24)  # a throwaway instance: a fresh password each run
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_bench_api_load"

# --- a seeded instance ----------------------------------------------------------------------
def fresh_database(kind: str, directory: Path, postgres_url: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'veelocity.db'}"
    url = make_url(postgres_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def drop_database(kind: str, postgres_url: str) -> None:
    if kind != "postgresql":
        return
    url = make_url(postgres_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Seeded:
    settings: Settings
    env: dict[str, str]
    pull_requests: int
    repository_ids: list[int]
    seconds: float


def seed(kind: str, directory: Path, fake: FakeProcess, postgres_url: str) -> Seeded:
    """Migrate a fresh database, sync the fake's organisation into it and add a user."""
    started = time.perf_counter()
    encryption_key = Fernet.generate_key().decode()
    jwt_secret = secrets.token_urlsafe(48)
    settings = Settings(
        database_url=fresh_database(kind, directory, postgres_url),
        veelocity_data_dir=directory / "data",
        veelocity_encryption_key=SecretStr(encryption_key),
        jwt_secret_key=SecretStr(jwt_secret),
        outbound_host_allowlist=["127.0.0.1"],
        rate_limit_max_per_sync=100_000,
        rate_limit_max_per_hour=100_000,
        rate_limit_delay_ms=0,
        github_sync_workers=1 if kind == "sqlite" else 4,
    )
    engine = make_engine(settings)
    schema.upgrade_to_head(engine)
    with make_session_factory(engine).begin() as session:
        create_user(session, email=EMAIL, password=PASSWORD, role=UserRole.ADMIN)
    engine.dispose()
    sync = GitHubSync()
    with standalone_context(settings) as context:
        assert context.cipher is not None
        with context.session_factory.begin() as session:
            update_source(
                session,
                context.cipher,
                SourceName.GITHUB,
                options={"api_base_url": fake.url, "organizations": ["acme"], "repositories": []},
                secrets={"token": DEMO_TOKEN},
                actor_id=None,
            )
        sync(context)
        sync.fill_details(context)
        with context.session_factory() as session:
            pull_requests = int(session.scalar(select(func.count(PullRequest.id))) or 0)
            repository_ids = list(session.scalars(select(Repository.id).order_by(Repository.id)))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("POSTGRES_", "DATABASE", "VEELOCITY_", "JWT", "WEB_CONCURRENCY"))
    }
    env.update(
        DATABASE_URL=settings.sqlalchemy_url,
        VEELOCITY_DATA_DIR=str(settings.veelocity_data_dir),
        VEELOCITY_ENCRYPTION_KEY=encryption_key,
        JWT_SECRET_KEY=jwt_secret,
        VEELOCITY_SPA_DIR=str(directory / "no-spa"),
        OUTBOUND_HOST_ALLOWLIST="127.0.0.1",
        ACCESS_TOKEN_MINUTES="60",
        LOG_LEVEL="WARNING",
    )
    return Seeded(settings, env, pull_requests, repository_ids, time.perf_counter() - started)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`veelocity serve` in a process (tree) of its own, with its CPU time and resources."""

    def __init__(self, env: dict[str, str], workers: int | None, log_path: Path) -> None:
        port = free_port()
        command = [sys.executable, "-m", "veelocity", "serve", "--port", str(port)]
        if workers is not None:
            command += ["--workers", str(workers)]
        self.log = log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited; see {log_path}")
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit(f"the server did not start; see {log_path}")
        time.sleep(1)  # the other workers finish starting too

    def workers(self) -> int:
        """uvicorn's worker processes (its supervisor also runs a resource tracker)."""
        count = 0
        for pid in self.pids():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            count += b"multiprocessing.spawn" in command
        return count or 1

    def pids(self) -> list[int]:
        """The server and every process under it (uvicorn's workers)."""
        children: dict[int, list[int]] = defaultdict(list)
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                children[int(fields[1])].append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def login(base: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=10
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


# --- the traffic ----------------------------------------------------------------------------
WINDOWS = (("30d", 30, "week", 60), ("90d", 90, "week", 20), ("7d", 7, "day", 10),
           ("180d", 180, "month", 5), ("365d", 365, "month", 5))  # fmt: skip
DASHBOARD = ["dora/deployment-frequency", "dora/lead-time", "dora/change-failure-rate",
             "dora/recovery-time", "dora/rework-rate", "development/pr-review-time",
             "development/cycle-time", "development/throughput"]  # fmt: skip
DORA_PAGE = [*DASHBOARD[:5], "dora"]
FLOW_PAGE = ["development/coding-time", "development/pickup-time", "development/pr-review-time",
             "development/deploy-time", "development/throughput", "development/pr-size",
             "development/cycle-time"]  # fmt: skip
PEOPLE_PAGE = ["reviewers", "developers"]
PAGES = ((DASHBOARD, 40), (DORA_PAGE, 25), (FLOW_PAGE, 25), (PEOPLE_PAGE, 10))
PR_SORTS = ("updated_at", "created_at", "merged_at", "cycle_time", "size")


@dataclass(frozen=True)
class Request:
    kind: str  # metric, list or status
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)


class Traffic:
    """Requests drawn like the web app's pages draw them, reproducibly from a seed."""

    def __init__(self, repository_ids: list[int], seed: int) -> None:
        self.random = random.Random(seed)
        self.repositories = repository_ids

    def _filters(self) -> list[tuple[str, str]]:
        pick = self.random
        _, days, period, _ = pick.choices(WINDOWS, weights=[w[3] for w in WINDOWS])[0]
        end = utcnow().date()
        start = end - timedelta(days=days - 1)
        params = [("start_date", start.isoformat()), ("end_date", end.isoformat()),
                  ("period", period)]  # fmt: skip
        params.append(("statistic", pick.choices(["median", "p75", "p90", "mean"], [85, 5, 5, 5])[0]))
        if self.repositories and pick.random() < 0.2:
            params.append(("repo_id", str(pick.choice(self.repositories))))
        return params

    def metric(self) -> Request:
        pages, weights = zip(*PAGES, strict=True)
        page = self.random.choices(pages, weights=weights)[0]
        return Request("metric", f"/api/v1/metrics/{self.random.choice(page)}", self._filters())

    def listing(self) -> Request:
        pick = self.random
        which = pick.choices(["prs", "deployments", "incidents", "repositories", "teams", "runs"],
                             [50, 15, 10, 10, 10, 5])[0]  # fmt: skip
        if which == "prs":
            params = [("sort", pick.choice(PR_SORTS)), ("order", pick.choice(["desc", "asc"])),
                      ("page_size", "50")]  # fmt: skip
            if pick.random() < 0.4:
                params.append(("state", pick.choice(["open", "merged", "closed"])))
            if pick.random() < 0.1:
                params.append(("q", pick.choice(["fix", "add", "update", "refactor"])))
            if self.repositories and pick.random() < 0.2:
                params.append(("repo_id", str(pick.choice(self.repositories))))
            return Request("list", "/api/v1/github/prs", params)
        if which in ("deployments", "incidents"):
            params = [*self._filters(), ("page", "1"), ("page_size", "20")]
            return Request("list", f"/api/v1/{which}", params)
        if which == "runs":
            return Request("list", "/api/v1/sync/runs", [("page", "1"), ("page_size", "20")])
        return Request("list", f"/api/v1/{which}")

    def status(self) -> Request:
        path = self.random.choice(["health", "status", "sync/status", "auth/me"])
        return Request("status", f"/api/v1/{path}")

    def next(self) -> Request:
        roll = self.random.random()
        if roll < 0.7:
            return self.metric()
        return self.listing() if roll < 0.9 else self.status()


@dataclass
class Outcome:
    kind: str
    path: str
    status: int  # 0: timed out or the connection failed
    seconds: float
    error: str = ""


@dataclass
class Tally:
    outcomes: list[Outcome] = field(default_factory=list)
    relogins: int = 0
    late_starts: int = 0  # requests the generator sent more than 10 ms after their time


class Session:
    """An access token shared by the in-flight requests, renewed when it stops working."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = login(base)
        self._renewing: asyncio.Lock | None = None

    async def renew(self, client: httpx.AsyncClient, stale: str) -> None:
        self._renewing = self._renewing or asyncio.Lock()
        async with self._renewing:
            if self.token != stale:
                return
            response = await client.post(
                "/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}
            )
            response.raise_for_status()
            self.token = str(response.json()["access_token"])


async def _send(
    client: httpx.AsyncClient, session: Session, request: Request, due: float, tally: Tally
) -> None:
    token = session.token
    try:
        response = await client.get(
            request.path, params=request.params, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code == 401 and request.path != "/api/v1/health":
            tally.relogins += 1
            await session.renew(client, token)
            response = await client.get(
                request.path,
                params=request.params,
                headers={"Authorization": f"Bearer {session.token}"},
            )
        error = "" if response.status_code < 400 else response.text[:200]
        status = response.status_code
    except httpx.HTTPError as exc:
        status, error = 0, f"{type(exc).__name__}: {exc}"[:200]
    tally.outcomes.append(
        Outcome(request.kind, request.path, status, time.perf_counter() - due, error)
    )


async def run_load(
    base: str,
    traffic: Traffic,
    *,
    rate: float,
    seconds: float,
    timeout: float,
    session: Session | None = None,
    stop: asyncio.Event | None = None,
) -> Tally:
    """Send `rate` requests a second for `seconds` (or until `stop`), open loop."""
    session = session or Session(base)
    tally = Tally()
    # httpx's pool slows down as connections pile up; past 100 in flight the server is
    # far behind anyway, and a request waiting here still counts from its scheduled time.
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        tasks: set[asyncio.Task[None]] = set()
        started = time.perf_counter()
        count = int(rate * seconds)
        for index in range(count):
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.01:
                tally.late_starts += 1
            if stop is not None and stop.is_set():
                break
            task = asyncio.create_task(_send(client, session, traffic.next(), due, tally))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)
    return tally


# --- the report -----------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency_line(label: str, outcomes: list[Outcome]) -> str:
    ms = [o.seconds * 1000 for o in outcomes if o.status and o.status < 500]
    return (
        f"  {label:<8} {len(outcomes):>6} requests   p50 {percentile(ms, 0.5):7.1f} ms   "
        f"p95 {percentile(ms, 0.95):7.1f} ms   p99 {percentile(ms, 0.99):7.1f} ms   "
        f"max {max(ms, default=float('nan')):7.1f} ms"
    )


def report(tally: Tally, wall: float, cpu: float, rate: float) -> None:
    outcomes = tally.outcomes
    statuses = Counter(o.status for o in outcomes)
    answered = [o for o in outcomes if o.status]
    print(f"sent {len(outcomes):,} requests in {wall:.1f} s: "
          f"{len(answered) / wall:.1f} answered a second (asked for {rate:g}); "
          f"{tally.late_starts} left the generator more than 10 ms late")  # fmt: skip
    print(f"answers: {dict(sorted(statuses.items()))}   (0 = timed out or connection failed)")
    print("latency of the answered requests (from their scheduled time):")
    print(latency_line("all", outcomes))
    for kind in ("metric", "list", "status"):
        print(latency_line(kind, [o for o in outcomes if o.kind == kind]))
    shed = [o.seconds * 1000 for o in outcomes if o.status == 503]
    if shed:
        print(f"  shed (503): {len(shed)}, answered in p50 {percentile(shed, 0.5):.1f} ms, "
              f"p99 {percentile(shed, 0.99):.1f} ms")  # fmt: skip
    errors = Counter(
        (o.status, o.path, o.error[:80]) for o in outcomes if not o.status or o.status >= 400
    )
    for (status, path, error), n in errors.most_common(5):
        print(f"  {n} × {status} {path}: {error}")
    slow = defaultdict(list)
    for o in answered:
        slow[o.path].append(o.seconds * 1000)
    print("slowest routes by p95:")
    for path, ms in sorted(slow.items(), key=lambda item: -percentile(item[1], 0.95))[:5]:
        print(f"  {path:<48} {len(ms):>5}   p50 {statistics.median(ms):6.1f} ms   "
              f"p95 {percentile(ms, 0.95):6.1f} ms")  # fmt: skip
    print(f"server CPU: {cpu:.1f} s over {wall:.1f} s of wall time "
          f"({cpu / wall:.2f} cores; {cpu / max(len(answered), 1) * 1000:.1f} ms a request)")  # fmt: skip
    print(f"access token renewed {tally.relogins} times")


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM ends the run like Ctrl-C: the server, the fake and the database are cleaned up."""
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main() -> None:
    stop_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rate", type=float, default=50, help="requests a second")
    parser.add_argument("--duration", type=float, default=600, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=15, help="seconds at the rate, unrecorded")
    parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY (default: the server's)")
    parser.add_argument("--pull-requests", type=int, default=3100)
    parser.add_argument("--timeout", type=float, default=10, help="a request's deadline, seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the server, e.g. MAX_REQUESTS_IN_FLIGHT=2 (repeatable)",
    )
    args = parser.parse_args()

    print(f"seeding {args.pull_requests:,} PRs into {args.database} …", flush=True)
    fake = fake_github_process(seed=args.seed, pull_requests=args.pull_requests)
    try:
        with tempfile.TemporaryDirectory(prefix="veelocity-load-") as tmp:
            seeded = seed(args.database, Path(tmp), fake, args.postgres_url)
            seeded.env["SCHEDULER_ENABLED"] = "false"  # no sync: the load alone is measured
            seeded.env.update(item.split("=", 1) for item in args.server_env)
            print(f"seeded {seeded.pull_requests:,} PRs in {len(seeded.repository_ids)} "
                  f"repositories in {seeded.seconds:.0f} s", flush=True)  # fmt: skip
            server = Server(seeded.env, args.workers, Path(tmp) / "server.log")
            try:
                workers = server.workers()
                print(f"server: {workers} worker process(es); {args.rate:g} req/s for "
                      f"{args.duration:g} s after {args.warmup:g} s of warm-up", flush=True)  # fmt: skip
                traffic = Traffic(seeded.repository_ids, args.seed)
                session = Session(server.base)
                asyncio.run(run_load(server.base, traffic, rate=args.rate, seconds=args.warmup,
                                     timeout=args.timeout, session=session))  # fmt: skip
                cpu_before, started = server.cpu_seconds(), time.perf_counter()
                tally = asyncio.run(run_load(server.base, traffic, rate=args.rate,
                                             seconds=args.duration, timeout=args.timeout,
                                             session=session))  # fmt: skip
                wall = time.perf_counter() - started
                cpu = server.cpu_seconds() - cpu_before
            finally:
                server.stop()
            print()
            print(f"{args.database}, {seeded.pull_requests:,} PRs, {workers} worker(s), "
                  f"{os.cpu_count()} CPUs on the machine (shared)")  # fmt: skip
            report(tally, wall, cpu, args.rate)
    finally:
        fake.close()
        drop_database(args.database, args.postgres_url)


if __name__ == "__main__":
    main()
