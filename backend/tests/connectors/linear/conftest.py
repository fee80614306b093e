"""A Linear sync against the local fake: settings saved as an admin would, a run context."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.linear.sync import LinearSync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.demo.linear_model import LinearWorkspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear
from veelocity.sync.context import SilentReporter, SourceRunContext

#: retries quick enough for tests; the policy is the production one otherwise
QUICK = RetryPolicy(attempts=5, backoff_base=0.01, backoff_cap=0.05, max_wait=5, timeout=5)

SMALL = LinearConfig(seed=11, teams=2, issues=300, months=2, now=datetime(2026, 3, 1, tzinfo=UTC))


def configure_linear(context: SourceRunContext, *, api_url: str, key: str) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.LINEAR,
            options={"api_url": api_url},
            secrets={"api_key": key},
            actor_id=None,
        )


@dataclass
class Harness:
    context: SourceRunContext
    reporter: SilentReporter
    sync: LinearSync

    def run(self) -> None:
        self.sync(self.context)

    def count(self, column: Any, *where: Any) -> int:
        with self.context.session_factory() as session:
            return int(session.scalar(select(func.count(column)).where(*where)) or 0)

    def rows(self, *columns: Any, where: Sequence[Any] = ()) -> list[Any]:
        with self.context.session_factory() as session:
            return list(session.execute(select(*columns).where(*where)).all())

    def values(self, column: Any, *where: Any) -> set[Any]:
        return {row[0] for row in self.rows(column, where=where)}


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
        return Harness(context, reporter, LinearSync(retry=QUICK))

    yield build
    for manager in contexts:
        manager.__exit__(None, None, None)


@pytest.fixture
def workspace() -> LinearWorkspace:
    """A fresh small workspace, for tests that change it."""
    return generate_workspace(SMALL)


@pytest.fixture
def served(workspace: LinearWorkspace) -> Iterator[tuple[FakeLinear, str]]:
    fake = FakeLinear(workspace)
    with run_fake_linear(fake) as base_url:
        yield fake, base_url


@pytest.fixture
def harness(make_harness: Callable[..., Harness], served: tuple[FakeLinear, str]) -> Harness:
    """A sync of the workspace served by the fake, configured as an admin would."""
    _fake, base_url = served
    built = make_harness()
    configure_linear(built.context, api_url=f"{base_url}/graphql", key=DEMO_KEY)
    return built
