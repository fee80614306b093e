"""A Cursor sync against the local fake: settings saved as an admin would, a run context,
and the clock at the fake team's present."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from veelocity.connectors.cursor.sync import CursorSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import DEMO_KEY, FakeCursor, run_fake_cursor
from veelocity.sync.context import SilentReporter, SourceRunContext

#: retries quick enough for tests; the policy is the production one otherwise
QUICK = RetryPolicy(attempts=5, backoff_base=0.01, backoff_cap=0.05, max_wait=5, timeout=5)

SMALL = DemoConfig(seed=7, repositories=3, developers=8, months=2)


def configure_cursor(
    context: SourceRunContext, *, base_url: str, key: str = DEMO_KEY, **options: Any
) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.CURSOR,
            options={"base_url": base_url, **options},
            secrets={"api_key": key},
            actor_id=None,
        )


@dataclass
class Harness:
    context: SourceRunContext
    reporter: SilentReporter
    sync: CursorSync

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
def team(ai_org: DemoOrganisation) -> CursorTeam:
    """A fresh team, for tests that change it."""
    return DemoAi(ai_org, seed=SMALL.seed).cursor


@pytest.fixture
def clock(team: CursorTeam) -> Iterator[time_machine.Coordinates]:
    """Veelocity's clock at the fake team's present (the team's data hangs off it)."""
    with time_machine.travel(team.now, tick=True) as traveller:
        yield traveller


@pytest.fixture
def served(team: CursorTeam) -> Iterator[tuple[FakeCursor, str]]:
    fake = FakeCursor(team)
    with run_fake_cursor(fake) as base_url:
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
        return Harness(context, reporter, CursorSync(retry=QUICK))

    yield build
    for manager in contexts:
        manager.__exit__(None, None, None)


@pytest.fixture
def harness(
    make_harness: Callable[..., Harness],
    served: tuple[FakeCursor, str],
    clock: time_machine.Coordinates,
) -> Harness:
    """A sync of the team served by the fake, configured as an admin would."""
    _fake, base_url = served
    built = make_harness()
    configure_cursor(built.context, base_url=base_url)
    return built
