"""Time the drill-down routes (repositories, deployments, incidents, per-repository
breakdowns, PRs behind a chart point) on the generated history of metrics_at_scale.py.

Prints a table of figures. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from metrics_at_scale import END, PASSWORD, _p95, _rss_peak_mb, _serve, generate  # noqa: E402

from veelocity import schema  # noqa: E402
from veelocity.core.config import Settings  # noqa: E402
from veelocity.core.db import make_engine, make_session_factory  # noqa: E402
from veelocity.derive import DeriveConfig, derive_all  # noqa: E402


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    end_day = (END - timedelta(days=1)).date()
    window = {"start_date": str(end_day - timedelta(days=89)), "end_date": str(end_day)}
    monday = end_day - timedelta(days=end_day.weekday() + 7)
    return [
        ("baseline: GET /metrics/dora, 90 days", "/api/v1/metrics/dora", window),
        ("GET /repositories", "/api/v1/repositories", {}),
        ("GET /deployments, 90 days, first page", "/api/v1/deployments", window),
        ("GET /deployments, 90 days, failed only", "/api/v1/deployments", {**window, "failed": "true"}),
        ("GET /deployments, one week (a chart point)", "/api/v1/deployments",
         {**window, "period": "week", "period_start": str(monday)}),
        ("GET /deployments, 90 days, one team", "/api/v1/deployments", {**window, "team_id": 1}),
        ("GET /incidents, 90 days", "/api/v1/incidents", window),
        ("GET /github/prs, merged in one week", "/api/v1/github/prs",
         {"merged_from": window["start_date"], "merged_until": window["end_date"],
          "period_start": str(monday), "include_bots": "false"}),
        ("GET /github/prs, one team", "/api/v1/github/prs", {"team_id": 1}),
        ("GET /metrics/dora/lead-time/by-repository, 90 days",
         "/api/v1/metrics/dora/lead-time/by-repository", window),
        ("GET /metrics/dora/change-failure-rate/by-repository, 90 days",
         "/api/v1/metrics/dora/change-failure-rate/by-repository", window),
        ("GET /metrics/dora/deployment-frequency/by-repository, 90 days",
         "/api/v1/metrics/dora/deployment-frequency/by-repository", window),
        ("GET /metrics/development/cycle-time/by-repository, 90 days",
         "/api/v1/metrics/development/cycle-time/by-repository", window),
        ("GET /metrics/dora/lead-time/by-repository, 90 days, one team",
         "/api/v1/metrics/dora/lead-time/by-repository", {**window, "team_id": 1}),
    ]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process: steadier than wall time on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_bench"
    )
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
    engine = make_engine(Settings(database_url=url, veelocity_data_dir=scratch))
    schema.upgrade_to_head(engine)
    counts = generate(engine, args.scale)
    with make_session_factory(engine).begin() as session:
        derive_all(session, DeriveConfig())
    if args.database == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    print(f"loaded and derived {counts}", flush=True)

    figures: list[tuple[str, str, str, str]] = []
    process, base = _serve(url, scratch)
    try:
        setup = httpx.post(
            base + "/api/v1/auth/setup",
            json={"email": "bench@example.com", "password": PASSWORD},
            timeout=30,
        )
        headers = {"Authorization": f"Bearer {setup.json()['access_token']}"}
        client = httpx.Client(base_url=base, headers=headers, timeout=120)
        for label, path, params in _cases():
            first = client.get(path, params=params)  # warm up
            first.raise_for_status()
            body = first.json()
            rows = len(body) if isinstance(body, list) else len(
                body.get("items", body.get("repositories", []))
            )
            samples = []
            cpu_before = _cpu_seconds(process.pid)
            for _ in range(args.requests):
                started = time.perf_counter()
                client.get(path, params=params).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
            cpu = (_cpu_seconds(process.pid) - cpu_before) * 1000 / args.requests
            figures.append((label, f"{_p95(samples):.0f} ms", f"{cpu:.0f} ms", str(rows)))
        figures.append(("API process peak RSS", f"{_rss_peak_mb(process.pid):.0f} MB", "", ""))
    finally:
        process.terminate()
        process.wait(timeout=20)

    print()
    print(
        f"Veelocity drill-down benchmark — {args.database}, scale {args.scale}: "
        f"{counts['prs']:,} PRs, {counts['deployments']:,} deployments, "
        f"{counts['incidents']:,} incidents, {counts['repositories']} repositories"
    )
    print(f"p95 of {args.requests} requests (wall), and the server's CPU time per request")
    print(f"| {'measure':<64} | {'p95':>8} | {'CPU':>7} | rows |")
    print(f"|{'-' * 66}|{'-' * 10}|{'-' * 9}|------|")
    for name, value, cpu, rows in figures:
        print(f"| {name:<64} | {value:>8} | {cpu:>7} | {rows} |")
    engine.dispose()
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
