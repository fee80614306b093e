"""`python -m veelocity.fakes.github --seed 42 --port 8765`: serve a generated organisation."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from veelocity.demo import DemoConfig, generate
from veelocity.fakes.github.app import FakeGitHub
from veelocity.fakes.github.schema import github_schema
from veelocity.fakes.github.tokens import DEMO_TOKEN


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veelocity.fakes.github",
        description="Serve a generated organisation through a fake GitHub API (REST and GraphQL).",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repositories", type=int, default=8)
    parser.add_argument("--developers", type=int, default=24)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--pull-requests", type=int, default=None, help="exact count to open")
    parser.add_argument("--org", default="acme")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every response")
    parser.add_argument(
        "--live", action="store_true", help="let the organisation's time follow the clock"
    )
    args = parser.parse_args(argv)
    config = DemoConfig(
        seed=args.seed,
        repositories=args.repositories,
        developers=args.developers,
        months=args.months,
        org=args.org,
        pull_requests=args.pull_requests,
    )
    org = generate(config)
    fake = FakeGitHub(org, live=args.live)
    github_schema()
    fake.faults.latency = args.latency_ms / 1000
    print(
        f"Fake GitHub for '{org.login}' ({org.pull_request_count} pull requests in "
        f"{len(org.repositories)} repositories) at http://{args.host}:{args.port}\n"
        f"GraphQL: http://{args.host}:{args.port}/graphql   token: {DEMO_TOKEN}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(fake, host=args.host, port=args.port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main()
