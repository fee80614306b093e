"""A faithful fake of Sentry's REST API serving a generated organisation.

    fake = FakeSentry(generate_sentry())
    with run_fake_sentry(fake) as origin:
        ...  # GET origin + "/api/0/organizations/acme/issues/" with `Bearer DEMO_TOKEN`

See docs/fake-sentry.md for what is faithful, the limits, and how to inject faults.
"""

from veelocity.fakes.sentry.app import FakeSentry
from veelocity.fakes.sentry.limits import RateLimits
from veelocity.fakes.sentry.server import run_fake_sentry
from veelocity.fakes.sentry.stats import Stats
from veelocity.fakes.sentry.tokens import DEMO_TOKEN, READ_SCOPES, TokenSpec
from veelocity.fakes.sentry.truth import SentryGroundTruth

__all__ = [
    "DEMO_TOKEN",
    "READ_SCOPES",
    "FakeSentry",
    "RateLimits",
    "SentryGroundTruth",
    "Stats",
    "TokenSpec",
    "run_fake_sentry",
]
