"""A GitHub sync against the local fake: settings saved as an admin would, a run context."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from veelocity.connectors.github.sync import GitHubSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo.config import DemoConfig
from veelocity.demo.generate import generate
from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github
from veelocity.sync.context import SilentReporter, SourceRunContext

#: retries quick enough for tests; the policy is the production one otherwise
QUICK = RetryPolicy(attempts=5, backoff_base=0.01, backoff_cap=0.05, max_wait=5, timeout=5)


def configure_github(
    context: SourceRunContext,
    *,
    base_url: str,
    token: str,
    organizations: Sequence[str] = (),
    repositories: Sequence[str] = (),
) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.GITHUB,
            options={
                "api_base_url": base_url,
                "organizations": list(organizations),
                "repositories": list(repositories),
            },
            secrets={"token": token},
            actor_id=None,
        )


@dataclass
class Harness:
    context: SourceRunContext
    reporter: SilentReporter
    sync: GitHubSync

    def run(self) -> None:
        self.sync(self.context)

    def fill(self) -> None:
        self.sync.fill_details(self.context)

    def count(self, column: Any, *where: Any) -> int:
        with self.context.session_factory() as session:
            return int(session.scalar(select(func.count(column)).where(*where)) or 0)

    def rows(self, *columns: Any, where: Sequence[Any] = ()) -> list[Any]:
        with self.context.session_factory() as session:
            return list(session.execute(select(*columns).where(*where)).all())


@pytest.fixture
def make_harness(
    make_settings: Callable[..., Settings],
) -> Iterator[Callable[..., Harness]]:
    contexts: list[Any] = []

    def build(*, page_size: int = 100, **overrides: Any) -> Harness:
        values: dict[str, Any] = {
            "outbound_host_allowlist": ["127.0.0.1"],
            "rate_limit_delay_ms": 0,
            "rate_limit_max_per_sync": 5000,
        }
        values.update(overrides)
        reporter = SilentReporter()
        manager = standalone_context(make_settings(**values), reporter)
        context = manager.__enter__()
        contexts.append(manager)
        return Harness(context, reporter, GitHubSync(retry=QUICK, workers=3, page_size=page_size))

    yield build
    for manager in contexts:
        manager.__exit__(None, None, None)


SMALL = DemoConfig(seed=7, repositories=3, developers=6, months=2)


@pytest.fixture
def org() -> DemoOrganisation:
    """A fresh small organisation, for tests that change it."""
    return generate(SMALL)


@pytest.fixture
def served(org: DemoOrganisation) -> Iterator[tuple[FakeGitHub, str]]:
    fake = FakeGitHub(org)
    with run_fake_github(fake) as base_url:
        yield fake, base_url


@pytest.fixture
def harness(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> Harness:
    """A sync of the organisation served by the fake, configured as an admin would."""
    _fake, base_url = served
    built = make_harness()
    configure_github(built.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login])
    return built
