"""A faithful fake of GitHub's REST and GraphQL APIs serving a generated organisation.

    org = generate(DemoConfig(seed=42))
    fake = FakeGitHub(org)
    with run_fake_github(fake) as base_url:
        ...  # REST at base_url, GraphQL at base_url + "/graphql", token DEMO_TOKEN

See docs/fake-github.md for what is faithful and how to inject faults.
"""

from veelocity.fakes.faults import Fault, Faults
from veelocity.fakes.github.app import FakeGitHub
from veelocity.fakes.github.server import run_fake_github
from veelocity.fakes.github.stats import Stats
from veelocity.fakes.github.tokens import DEMO_TOKEN, TokenSpec
from veelocity.fakes.github.truth import GroundTruth

__all__ = [
    "DEMO_TOKEN",
    "FakeGitHub",
    "Fault",
    "Faults",
    "GroundTruth",
    "Stats",
    "TokenSpec",
    "run_fake_github",
]
