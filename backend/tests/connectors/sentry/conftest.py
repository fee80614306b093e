"""A Sentry sync against the local fake: settings saved as an admin would, a run context."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.sentry.sync import SentrySync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry, run_fake_sentry
from veelocity.sync.context import SilentReporter, SourceRunContext

#: retries quick enough for tests; the policy is the production one otherwise
QUICK = RetryPolicy(attempts=5, backoff_base=0.01, backoff_cap=0.05, max_wait=5, timeout=5)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SMALL = SentryConfig(seed=7, projects=3, issues=400, releases=40, months=2, now=NOW)


def configure_sentry(
    context: SourceRunContext, *, base_url: str, token: str = DEMO_TOKEN, organization: str = "acme"
) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.SENTRY,
            options={"base_url": base_url, "organization": organization},
            secrets={"token": token},
            actor_id=None,
        )


@dataclass
class Harness:
    context: SourceRunContext
    reporter: SilentReporter
    sync: SentrySync

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
        return Harness(context, reporter, SentrySync(retry=QUICK))

    yield build
    for manager in contexts:
        manager.__exit__(None, None, None)


@pytest.fixture
def organisation() -> SentryOrganisation:
    """A fresh small organisation, for tests that change it."""
    return generate_sentry(SMALL)


@pytest.fixture
def served(organisation: SentryOrganisation) -> Iterator[tuple[FakeSentry, str]]:
    fake = FakeSentry(organisation)
    with run_fake_sentry(fake) as origin:
        yield fake, origin


@pytest.fixture
def harness(make_harness: Callable[..., Harness], served: tuple[FakeSentry, str]) -> Harness:
    """A sync of the organisation served by the fake, configured as an admin would."""
    _fake, origin = served
    built = make_harness()
    configure_sentry(built.context, base_url=f"{origin}/api/0/")
    return built
