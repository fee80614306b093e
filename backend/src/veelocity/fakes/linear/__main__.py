"""`python -m veelocity.fakes.linear --seed 42 --port 8766`: serve a generated workspace."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.fakes.linear.app import FakeLinear
from veelocity.fakes.linear.keys import DEMO_KEY
from veelocity.fakes.linear.limits import RateLimits
from veelocity.fakes.linear.schema import linear_schema


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veelocity.fakes.linear",
        description="Serve a generated workspace through a fake Linear GraphQL API.",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--teams", type=int, default=4)
    parser.add_argument("--issues", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every response")
    parser.add_argument("--requests-per-hour", type=int, default=5_000)
    parser.add_argument("--complexity-per-hour", type=int, default=250_000)
    parser.add_argument(
        "--rate-limited-status",
        type=int,
        choices=(400, 429),
        default=400,
        help="HTTP status of a RATELIMITED answer",
    )
    args = parser.parse_args(argv)
    workspace = generate_workspace(
        LinearConfig(seed=args.seed, teams=args.teams, issues=args.issues, months=args.months)
    )
    fake = FakeLinear(
        workspace,
        limits=RateLimits(
            requests_per_hour=args.requests_per_hour,
            complexity_per_hour=args.complexity_per_hour,
        ),
        rate_limited_status=args.rate_limited_status,
    )
    linear_schema()
    fake.faults.latency = args.latency_ms / 1000
    print(
        f"Fake Linear for '{workspace.name}' ({len(workspace.issues)} issues in "
        f"{len(workspace.teams)} teams) at http://{args.host}:{args.port}/graphql\n"
        f"API key (the whole Authorization header): {DEMO_KEY}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(fake, host=args.host, port=args.port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main()
