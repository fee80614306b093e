"""How fast the generated Sentry organisation and the fake Sentry are (the connector's floor).

    cd backend && .venv/bin/python benchmarks/fake_sentry.py [--issues 100000]

Prints: generation time and the process's peak RSS after it, at the sync benchmark's size
(50 projects, 100,000 issues, 5,000 releases); then, over real HTTP in one sequential client,
the per-page times of the organisation's issue list and of releases, and the time to read
every issue, which bounds what a sync against the fake can reach.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import time

import httpx

from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry, RateLimits, run_fake_sentry

NEXT = re.compile(r'<([^>]+)>; rel="next"; results="true"')


def _read(client: httpx.Client, url: str) -> tuple[int, list[float]]:
    """Items and per-page seconds of a whole list."""
    items = 0
    times: list[float] = []
    following: str | None = url
    while following:
        started = time.perf_counter()
        response = client.get(following)
        times.append(time.perf_counter() - started)
        response.raise_for_status()
        items += len(response.json())
        found = NEXT.search(response.headers["link"])
        following = found.group(1) if found else None
    return items, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--releases", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    started = time.perf_counter()
    cpu = time.process_time()
    org = generate_sentry(
        SentryConfig(
            seed=args.seed, projects=args.projects, issues=args.issues, releases=args.releases
        )
    )
    generated = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = sum(len(i.events) for i in org.issues)
    print(
        f"generate_sentry: {len(org.projects)} projects, {len(org.issues):,} issues "
        f"({sum(1 for i in org.issues if i.events):,} keeping {events:,} events), "
        f"{len(org.releases):,} releases in {generated:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU; peak RSS {rss_mb:.0f} MB"
    )

    fake = FakeSentry(org, limits=RateLimits(limit=1_000_000))
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with (
        run_fake_sentry(fake) as origin,
        httpx.Client(base_url=f"{origin}/api/0", headers=headers, timeout=60) as client,
    ):
        started = time.perf_counter()
        issues, times = _read(client, f"/organizations/{org.slug}/issues/?query=&limit=100")
        total = time.perf_counter() - started
        print(
            f"issues: {issues:,} in {len(times)} pages, {total:.1f} s; per page median "
            f"{statistics.median(times) * 1000:.0f} ms, first {times[0] * 1000:.0f} ms "
            "(filters and sorts once, then cached)"
        )
        releases, times = _read(client, f"/organizations/{org.slug}/releases/?per_page=100")
        print(
            f"releases: {releases:,} in {len(times)} pages; per page median "
            f"{statistics.median(times) * 1000:.0f} ms"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (organisation, fake and client) at the end: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
