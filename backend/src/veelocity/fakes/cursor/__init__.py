"""A faithful fake of Cursor's Admin API and AI code tracking API over a generated team.

    team = DemoAi(generate(DemoConfig()), seed=42).cursor
    fake = FakeCursor(team)
    with run_fake_cursor(fake) as base_url:
        ...  # GET base_url + "/teams/members", HTTP Basic with DEMO_KEY as username

See docs/fake-cursor.md for what is faithful, the limits, and how to inject faults.
"""

from veelocity.fakes.cursor.app import FakeCursor
from veelocity.fakes.cursor.keys import DEMO_KEY, KeySpec
from veelocity.fakes.cursor.limits import RateLimits
from veelocity.fakes.cursor.server import run_fake_cursor
from veelocity.fakes.cursor.views import Options

__all__ = ["DEMO_KEY", "FakeCursor", "KeySpec", "Options", "RateLimits", "run_fake_cursor"]
