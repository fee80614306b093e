"""A faithful fake of the parts of Greptile Veelocity reads: repositories' indexing status
(REST v2) and code reviews and pull requests (the MCP server), over a generated account.

    account = DemoAi(generate(DemoConfig()), seed=42).greptile
    with run_fake_greptile(FakeGreptile(account)) as origin:
        ...  # POST origin + "/mcp" with `Authorization: Bearer DEMO_KEY`

See docs/fake-greptile.md for what is faithful and how to inject faults.
"""

from veelocity.fakes.greptile.app import DEMO_KEY, FakeGreptile, repository_info
from veelocity.fakes.greptile.server import run_fake_greptile

__all__ = ["DEMO_KEY", "FakeGreptile", "repository_info", "run_fake_greptile"]
