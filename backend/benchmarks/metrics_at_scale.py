"""Load a large delivery history in bulk, derive it, and time the metrics API.

Prints a table of figures against the goals. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from veelocity import schema  # noqa: E402
from veelocity.core.config import Settings  # noqa: E402
from veelocity.core.db import make_engine, make_session_factory  # noqa: E402
from veelocity.derive import ChangeSet, DeriveConfig, derive_all, derive_changes  # noqa: E402

END = datetime(2026, 11, 1, tzinfo=UTC)
YEARS = 5
PASSWORD = "benchmark passphrase 1"


def _copy(connection: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk-load rows: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join("?" for _ in columns)
        values = [
            tuple(
                (v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ") if isinstance(v, datetime) else v)
                for v in row
            )
            for row in rows
        ]
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values)


def generate(engine: Any, scale: float, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    repositories = max(3, int(300 * scale))
    developers = [f"dev{i:04d}" for i in range(max(20, int(2000 * scale)))]
    prs_total = int(1_000_000 * scale)
    per_repo = prs_total // repositories
    deploy_every = 5  # one deployment per five PRs: 200,000 for 1,000,000
    start = END - timedelta(days=365 * YEARS)
    span = (END - start).total_seconds()
    counts = {"prs": 0, "deployments": 0, "reviews": 0, "commits": 0, "incidents": 0}
    pr_id = commit_id = event_id = pr_commit_id = deployment_id = incident_id = 0
    with engine.begin() as connection:
        _copy(connection, "repository", ["id", "full_name", "default_branch", "created_at"],
              [(r + 1, f"acme/service-{r:03d}", "main", start) for r in range(repositories)])
        _copy(connection, "developer", ["id", "login", "name", "is_bot"],
              [(i + 1, login, None, False) for i, login in enumerate(developers)])
        teams = max(2, repositories // 15)
        _copy(connection, "team", ["id", "name", "description", "created_at"],
              [(t + 1, f"Team {t + 1}", None, start) for t in range(teams)])
        _copy(connection, "team_member", ["team_id", "developer_id"],
              [(1 + i % teams, i + 1) for i in range(len(developers))])
        _copy(connection, "team_repository", ["team_id", "repository_id"],
              [(1 + r % teams, r + 1) for r in range(repositories)])
    for repo in range(1, repositories + 1):
        prs, commits, pr_commits, events, deployments, incidents = [], [], [], [], [], []
        head = f"r{repo}-root"
        commit_id += 1
        commits.append((commit_id, repo, head, start, start, json.dumps([])))
        clock = start.timestamp()
        step = span / per_repo
        for n in range(1, per_repo + 1):
            clock += rng.expovariate(1 / step)
            created = datetime.fromtimestamp(min(clock, END.timestamp() - 3600), tz=UTC)
            author = rng.choice(developers)
            first_commit = created - timedelta(hours=rng.uniform(0, 48))
            merged = rng.random() < 0.9
            merged_at = created + timedelta(hours=rng.lognormvariate(2.5, 1.0)) if merged else None
            if merged_at and merged_at > END:
                merged_at = None
            pr_id += 1
            merge_sha = f"r{repo}m{n}" if merged_at else None
            size = int(rng.lognormvariate(4, 1.4))
            title = f"Change {n}"
            branch = f"feature/{n}"
            if rng.random() < 0.02 and n > 10:
                title, branch = f'Revert "Change {n - 3}"', f"revert-{n - 3}-x"
            elif rng.random() < 0.05:
                branch = f"hotfix/{n}"
            prs.append((
                pr_id, "bench", f"{repo}-{n}", repo, n, title, None, author, branch,
                "merged" if merged_at else "open", False, created, merged_at or created, merged_at, merged_at,
                merge_sha, size, size // 4, json.dumps([]), False, False, False,
            ))
            for c in range(2):
                pr_commit_id += 1
                pr_commits.append((pr_commit_id, pr_id, f"{pr_id}c{c}", first_commit + timedelta(hours=c)))
            reviewers = rng.sample(developers, 3)
            for index, reviewer in enumerate(reviewers):
                event_id += 1
                at = created + timedelta(hours=rng.lognormvariate(1.5, 1.2) + index)
                events.append((event_id, pr_id, "review", reviewer, at, "APPROVED" if index == 0 else "COMMENTED", None))
            if merged_at:
                branch_sha = f"r{repo}b{n}"
                commit_id += 2
                commits.append((commit_id - 1, repo, branch_sha, first_commit, first_commit, json.dumps([head])))
                commits.append((commit_id, repo, merge_sha, merged_at, merged_at, json.dumps([head, branch_sha])))
                head = merge_sha
            if n % deploy_every == 0:
                deployment_id += 1
                finished = max(created, merged_at or created) + timedelta(minutes=rng.uniform(5, 600))
                failed = rng.random() < 0.1
                deployments.append((
                    deployment_id, "bench", f"{repo}-d{n}", repo, "production", "failure" if failed else "success",
                    finished - timedelta(minutes=8), finished, head, False, None, None,
                    False, False, False,
                ))
                if not failed and rng.random() < 0.05:
                    incident_id += 1
                    began = finished + timedelta(hours=rng.uniform(1, 72))
                    incidents.append((incident_id, "bench", f"{repo}-i{n}", "Outage", repo, None, "high", began,
                                      began + timedelta(hours=rng.lognormvariate(1, 1))))
        with engine.begin() as connection:
            _copy(connection, "pull_request", [
                "id", "source", "external_id", "repository_id", "number", "title", "url", "author_login",
                "head_branch", "state", "is_draft", "created_at", "updated_at", "merged_at", "closed_at",
                "merge_commit_sha", "additions", "deletions", "labels", "is_revert", "is_hotfix", "is_bot_author",
            ], prs)
            _copy(connection, "git_commit", ["id", "repository_id", "sha", "authored_at", "committed_at", "parents"], commits)
            _copy(connection, "pull_request_commit", ["id", "pull_request_id", "sha", "authored_at"], pr_commits)
            _copy(connection, "pull_request_event",
                  ["id", "pull_request_id", "kind", "actor_login", "at", "state", "subject_login"], events)
            _copy(connection, "deployment", [
                "id", "source", "external_id", "repository_id", "environment", "status", "started_at",
                "finished_at", "commit_sha", "has_commit_list", "url", "name", "is_production", "is_failed", "is_rework",
            ], deployments)
            _copy(connection, "incident", ["id", "source", "external_id", "title", "repository_id", "service",
                                           "severity", "started_at", "resolved_at"], incidents)
        counts["prs"] += len(prs)
        counts["deployments"] += len(deployments)
        counts["reviews"] += len(events)
        counts["commits"] += len(commits)
        counts["incidents"] += len(incidents)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("repository", "developer", "team", "pull_request", "git_commit", "pull_request_commit",
                          "pull_request_event", "deployment", "incident"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            connection.execute(text("ANALYZE"))
    counts["repositories"] = repositories
    counts["developers"] = len(developers)
    return counts


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _serve(url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ, "DATABASE_URL": url, "VEELOCITY_DATA_DIR": str(data_dir), "DEBUG": "false",
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(), "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "LOG_LEVEL": "WARNING", "VEELOCITY_SPA_DIR": str(data_dir / "no-spa"),
    }
    process = subprocess.Popen([sys.executable, "-m", "veelocity", "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def _rss_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_bench")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="veelocity-bench-"))
    if args.database == "postgresql":
        url = args.postgres_url
        admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    else:
        url = f"sqlite:///{scratch}/bench.db"
    settings = Settings(database_url=url, veelocity_data_dir=scratch)
    engine = make_engine(settings)
    schema.upgrade_to_head(engine)

    figures: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    counts = generate(engine, args.scale)
    load_seconds = time.perf_counter() - started
    print(f"loaded {counts} in {load_seconds:.0f} s", flush=True)

    factory = make_session_factory(engine)
    config = DeriveConfig()
    started = time.perf_counter()
    with factory.begin() as session:
        derive_all(session, config)
    full_derive = time.perf_counter() - started
    figures.append(("full re-derive", f"{full_derive:.1f} s", "≤ 120 s (PostgreSQL, 1,000,000 PRs)"))
    print(f"full derive {full_derive:.1f} s", flush=True)
    if args.database == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))

    # Incremental derive after a sync that changed 100 PRs (a new review each).
    with factory.begin() as session:
        ids = [r[0] for r in session.execute(text("SELECT id FROM pull_request ORDER BY id DESC LIMIT 100"))]
        now = END - timedelta(hours=1)
        for pr in ids:
            session.execute(
                text("INSERT INTO pull_request_event (pull_request_id, kind, actor_login, at, state) "
                     "VALUES (:p, 'comment', 'late-reviewer', :at, NULL)"),
                {"p": pr, "at": now if args.database == "postgresql" else now.replace(tzinfo=None).isoformat(sep=" ")},
            )
    started = time.perf_counter()
    with factory.begin() as session:
        derive_changes(session, config, ChangeSet(pull_request_ids=set(ids)))
    incremental = time.perf_counter() - started
    figures.append(("incremental derive, 100 changed PRs", f"{incremental * 1000:.0f} ms", "≤ 1 s"))

    process, base = _serve(url, scratch)
    try:
        setup = httpx.post(base + "/api/v1/auth/setup", json={"email": "bench@example.com", "password": PASSWORD}, timeout=30)
        headers = {"Authorization": f"Bearer {setup.json()['access_token']}"}
        client = httpx.Client(base_url=base, headers=headers, timeout=120)
        end_day = (END - timedelta(days=1)).date()
        goals = {
            "postgresql": {"90": "≤ 100 ms", "365": "≤ 250 ms", "team": "≤ 50 ms"},
            "sqlite": {"90": "≤ 300 ms", "365": "(no goal)", "team": "(no goal)"},
        }[args.database]
        cases = [
            ("GET /metrics/dora, 90 days, everything", {"start_date": str(end_day - timedelta(days=89)), "end_date": str(end_day)}, goals["90"]),
            ("GET /metrics/dora, 365 days, everything", {"start_date": str(end_day - timedelta(days=364)), "end_date": str(end_day)}, goals["365"]),
            ("GET /metrics/dora, 90 days, one team", {"start_date": str(end_day - timedelta(days=89)), "end_date": str(end_day), "team_id": 1}, goals["team"]),
        ]
        for label, params, goal in cases:
            client.get("/api/v1/metrics/dora", params=params).raise_for_status()  # warm up
            samples = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                client.get("/api/v1/metrics/dora", params=params).raise_for_status()
                samples.append((time.perf_counter() - t0) * 1000)
            figures.append((f"{label} (p95 of {args.requests})", f"{_p95(samples):.0f} ms", goal))
        figures.append(("API process peak RSS", f"{_rss_peak_mb(process.pid):.0f} MB", "≤ 300 MB"))
    finally:
        process.terminate()
        process.wait(timeout=20)

    print()
    print(f"Veelocity metrics benchmark — {args.database}, scale {args.scale}: "
          f"{counts['prs']:,} PRs, {counts['deployments']:,} deployments, {counts['reviews']:,} reviews, "
          f"{counts['commits']:,} commits, {counts['repositories']} repositories, {counts['developers']:,} developers "
          f"(loaded in {load_seconds:.0f} s)")
    print(f"| {'measure':<55} | {'figure':>10} | goal |")
    print(f"|{'-' * 57}|{'-' * 12}|------|")
    for name, value, goal in figures:
        print(f"| {name:<55} | {value:>10} | {goal} |")
    engine.dispose()
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

