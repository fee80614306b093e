"""A fake upstream in a process of its own, so its CPU and memory are not the benchmarked
process's, and its CPU time can be printed beside the wall time (both share the cores).

    fake = fake_github_process(seed=42, pull_requests=10_000, repositories=50, latency=0.03)
    ... fake.url, fake.items ...
    fake.close()

Benchmarks run as scripts from backend/benchmarks, so they import this module by its name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Generates the organisation and serves it through the fake GitHub until stdin closes.
#: Arguments: seed repositories developers pull_requests latency_seconds live|still now|fixed
GITHUB_SCRIPT = """
import sys
from veelocity.core.time import utcnow
from veelocity.demo.config import DEFAULT_NOW, DemoConfig
from veelocity.demo.generate import generate
from veelocity.fakes.github import FakeGitHub, run_fake_github
seed, repositories, developers, pull_requests = (int(a) for a in sys.argv[1:5])
org = generate(DemoConfig(seed=seed, repositories=repositories, developers=developers,
    months=6, pull_requests=pull_requests,
    now=utcnow() if sys.argv[7] == "now" else DEFAULT_NOW))
fake = FakeGitHub(org, live=sys.argv[6] == "live")
fake.faults.latency = float(sys.argv[5])
with run_fake_github(fake) as url:
    print(url, org.pull_request_count, flush=True)
    sys.stdin.read()
"""

#: Generates a Sentry organisation and serves it through the fake Sentry until stdin closes;
#: prints its origin (the API is under /api/0/) and the issue count.
#: Arguments: seed projects issues releases latency_seconds requests_per_second
SENTRY_SCRIPT = """
import sys
from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.fakes.sentry import FakeSentry, RateLimits, run_fake_sentry
seed, projects, issues, releases = (int(a) for a in sys.argv[1:5])
org = generate_sentry(SentryConfig(seed=seed, projects=projects, issues=issues,
    releases=releases))
fake = FakeSentry(org, limits=RateLimits(limit=int(sys.argv[6])))
fake.faults.latency = float(sys.argv[5])
with run_fake_sentry(fake) as url:
    print(url, len(org.issues), flush=True)
    sys.stdin.read()
"""


#: Generates a Linear workspace and serves it through the fake Linear until stdin closes.
#: Arguments: seed teams issues latency_seconds
LINEAR_SCRIPT = """
import sys
from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.fakes.linear import FakeLinear, RateLimits, run_fake_linear
seed, teams, issues = (int(a) for a in sys.argv[1:4])
workspace = generate_workspace(LinearConfig(seed=seed, teams=teams, issues=issues, months=12))
# the documented allowance would make a benchmark wait: the figures are counted, not waited for
fake = FakeLinear(workspace, limits=RateLimits(requests_per_hour=10**9, complexity_per_hour=10**12))
fake.faults.latency = float(sys.argv[4])
with run_fake_linear(fake) as url:
    print(url, len(workspace.issues), flush=True)
    sys.stdin.read()
"""


class FakeProcess:
    """Runs SCRIPT with ARGS; the script prints its base URL and an item count, then serves
    until its stdin closes."""

    def __init__(self, script: str, *args: object, name: str) -> None:
        self.name = name
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script, *(str(a) for a in args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        if not line:
            raise SystemExit(f"the {name} did not start")
        self.url, self.items = line[0], int(line[1])

    def cpu_seconds(self) -> float:
        """CPU time the fake used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def fake_github_process(
    *,
    seed: int,
    pull_requests: int,
    repositories: int = 8,
    developers: int = 24,
    latency: float = 0.0,
    live: bool = False,
    follow_clock: bool = True,
) -> FakeProcess:
    """The generated organisation behind the fake GitHub; `live` keeps new activity coming,
    `follow_clock` ends its history now (else at the fixed DEFAULT_NOW)."""
    return FakeProcess(
        GITHUB_SCRIPT,
        seed,
        repositories,
        developers,
        pull_requests,
        latency,
        "live" if live else "still",
        "now" if follow_clock else "fixed",
        name="fake GitHub",
    )


def fake_sentry_process(
    *,
    seed: int,
    issues: int,
    projects: int = 50,
    releases: int = 5_000,
    latency: float = 0.0,
    requests_per_second: int = 40,
) -> FakeProcess:
    """A generated Sentry organisation behind the fake Sentry (`requests_per_second` per caller
    and endpoint, Sentry's window)."""
    return FakeProcess(
        SENTRY_SCRIPT,
        seed,
        projects,
        issues,
        releases,
        latency,
        requests_per_second,
        name="fake Sentry",
    )


def fake_linear_process(*, seed: int, teams: int, issues: int, latency: float) -> FakeProcess:
    """A generated Linear workspace behind the fake Linear (its API at `url + "/graphql"`)."""
    return FakeProcess(LINEAR_SCRIPT, seed, teams, issues, latency, name="fake Linear")
