"""`python -m veelocity.fakes.greptile --seed 42 --port 8769`: serve a generated account."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from veelocity.demo import DemoConfig, generate
from veelocity.demo.ai import DemoAi
from veelocity.fakes.greptile.app import DEMO_KEY, FakeGreptile


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veelocity.fakes.greptile",
        description="Serve a generated organisation's Greptile account through a fake Greptile.",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repositories", type=int, default=8)
    parser.add_argument("--developers", type=int, default=24)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8769)
    args = parser.parse_args(argv)
    config = DemoConfig(
        seed=args.seed,
        repositories=args.repositories,
        developers=args.developers,
        months=args.months,
    )
    account = DemoAi(generate(config), seed=args.seed).greptile
    fake = FakeGreptile(account)
    print(
        f"Fake Greptile ({len(account.repositories)} repositories, {len(account.code_reviews)} "
        f"code reviews) at http://{args.host}:{args.port} (REST /v2/, MCP /mcp)\n"
        f"API key (Authorization: Bearer …): {DEMO_KEY}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(fake, host=args.host, port=args.port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main()
