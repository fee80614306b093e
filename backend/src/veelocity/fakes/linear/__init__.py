"""A faithful fake of Linear's GraphQL API serving a generated workspace.

    fake = FakeLinear(workspace)
    with run_fake_linear(fake) as base_url:
        ...  # POST base_url + "/graphql" with `Authorization: DEMO_KEY`

See docs/fake-linear.md for what is faithful, the limits, and how to inject faults.
"""

from veelocity.fakes.linear.app import FakeLinear
from veelocity.fakes.linear.keys import DEMO_KEY, KeySpec
from veelocity.fakes.linear.limits import RateLimits
from veelocity.fakes.linear.server import run_fake_linear
from veelocity.fakes.linear.stats import Stats
from veelocity.fakes.linear.truth import LinearGroundTruth

__all__ = [
    "DEMO_KEY",
    "FakeLinear",
    "KeySpec",
    "LinearGroundTruth",
    "RateLimits",
    "Stats",
    "run_fake_linear",
]
