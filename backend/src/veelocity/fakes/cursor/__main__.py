"""`python -m veelocity.fakes.cursor --seed 42 --port 8768`: serve a generated team."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from veelocity.demo import DemoConfig, generate
from veelocity.demo.ai import TRACKING_MODES, DemoAi
from veelocity.fakes.cursor.app import FakeCursor
from veelocity.fakes.cursor.keys import DEMO_KEY
from veelocity.fakes.cursor.limits import RateLimits
from veelocity.fakes.cursor.views import Options


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veelocity.fakes.cursor",
        description="Serve a generated organisation's Cursor team through a fake Cursor API.",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repositories", type=int, default=8)
    parser.add_argument("--developers", type=int, default=24)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--tracking", choices=TRACKING_MODES, default="teams")
    parser.add_argument("--kind-label", action="store_true", help="usage events say kindLabel")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8768)
    parser.add_argument("--per-minute", type=int, default=20, help="requests per endpoint")
    args = parser.parse_args(argv)
    config = DemoConfig(
        seed=args.seed,
        repositories=args.repositories,
        developers=args.developers,
        months=args.months,
    )
    team = DemoAi(generate(config), seed=args.seed, tracking=args.tracking).cursor
    fake = FakeCursor(
        team,
        limits=RateLimits(admin_per_minute=args.per_minute, ai_code_per_minute=args.per_minute),
        options=Options(event_kind_field="kindLabel" if args.kind_label else "kind"),
    )
    print(
        f"Fake Cursor for '{team.name}' ({len(team.members)} members, {len(team.usage)} usage "
        f"rows, {len(team.ai_commits)} AI commits) at http://{args.host}:{args.port}\n"
        f"API key (HTTP Basic username, empty password): {DEMO_KEY}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(fake, host=args.host, port=args.port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main()
