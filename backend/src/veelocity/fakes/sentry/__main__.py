"""`python -m veelocity.fakes.sentry --seed 42 --port 8767`: serve a generated organisation."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.fakes.sentry.app import FakeSentry
from veelocity.fakes.sentry.limits import RateLimits
from veelocity.fakes.sentry.tokens import DEMO_TOKEN


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veelocity.fakes.sentry",
        description="Serve a generated organisation through a fake Sentry REST API.",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--projects", type=int, default=4)
    parser.add_argument("--issues", type=int, default=2_000)
    parser.add_argument("--releases", type=int, default=200)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--org", default="acme", help="the organisation's slug")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every response")
    parser.add_argument(
        "--requests-per-second", type=int, default=40, help="per caller and endpoint"
    )
    parser.add_argument("--concurrent", type=int, default=25, help="per caller and endpoint")
    args = parser.parse_args(argv)
    org = generate_sentry(
        SentryConfig(
            seed=args.seed,
            projects=args.projects,
            issues=args.issues,
            releases=args.releases,
            months=args.months,
            slug=args.org,
        )
    )
    fake = FakeSentry(
        org, limits=RateLimits(limit=args.requests_per_second, concurrent=args.concurrent)
    )
    fake.faults.latency = args.latency_ms / 1000
    print(
        f"Fake Sentry for '{org.slug}' ({len(org.issues)} issues in {len(org.projects)} "
        f"projects, {len(org.releases)} releases) at http://{args.host}:{args.port}/api/0/\n"
        f"Auth token (Authorization: Bearer …): {DEMO_TOKEN}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(fake, host=args.host, port=args.port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main()
