"""A Greptile sync against the local fake: the account's repositories synced from GitHub,
settings saved as an admin would, a run context."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from veelocity.connectors.greptile.sync import GreptileSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile import DEMO_KEY, FakeGreptile, run_fake_greptile
from veelocity.models import Repository
from veelocity.sync.context import SilentReporter, SourceRunContext

QUICK = RetryPolicy(attempts=5, backoff_base=0.01, backoff_cap=0.05, max_wait=5, timeout=5)

SMALL = DemoConfig(seed=7, repositories=3, developers=8, months=2)


def configure_greptile(context: SourceRunContext, *, base_url: str, key: str = DEMO_KEY) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.GREPTILE,
            options={"base_url": base_url},
            secrets={"api_key": key},
            actor_id=None,
        )


def add_repository(context: SourceRunContext, full_name: str, branch: str | None) -> None:
    """A repository as the GitHub sync stores it."""
    with context.session_factory() as session, session.begin():
        session.add(Repository(full_name=full_name, default_branch=branch, created_at=utcnow()))


@dataclass
class Harness:
    context: SourceRunContext
    reporter: SilentReporter
    sync: GreptileSync

    def run(self) -> None:
        self.sync(self.context)

    def count(self, column: Any, *where: Any) -> int:
        with self.context.session_factory() as session:
            return int(session.scalar(select(func.count(column)).where(*where)) or 0)

    def rows(self, *columns: Any, where: Sequence[Any] = ()) -> list[Any]:
        with self.context.session_factory() as session:
            return list(session.execute(select(*columns).where(*where)).all())


@pytest.fixture(scope="session")
def ai_org() -> DemoOrganisation:
    return generate(SMALL)


@pytest.fixture
def account(ai_org: DemoOrganisation) -> GreptileAccount:
    return DemoAi(ai_org, seed=SMALL.seed).greptile


@pytest.fixture
def served(account: GreptileAccount) -> Iterator[tuple[FakeGreptile, str]]:
    fake = FakeGreptile(account)
    with run_fake_greptile(fake) as base_url:
        yield fake, base_url


@pytest.fixture
def make_harness(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., Harness]]:
    contexts: list[Any] = []

    def build(**overrides: Any) -> Harness:
        values: dict[str, Any] = {"outbound_host_allowlist": ["127.0.0.1"]}
        values.update(overrides)
        reporter = SilentReporter()
        manager = standalone_context(make_settings(**values), reporter)
        context = manager.__enter__()
        contexts.append(manager)
        return Harness(context, reporter, GreptileSync(retry=QUICK))

    yield build
    for manager in contexts:
        manager.__exit__(None, None, None)


@pytest.fixture
def harness(
    make_harness: Callable[..., Harness],
    served: tuple[FakeGreptile, str],
    account: GreptileAccount,
) -> Harness:
    """The account's repositories synced from GitHub, and Greptile configured."""
    _fake, base_url = served
    built = make_harness()
    for repository in account.repositories:
        add_repository(built.context, repository.repository, repository.branch)
    configure_greptile(built.context, base_url=base_url)
    return built
