"""On random histories (Sentry issues and rollbacks among them), the engine (derive + SQL
aggregates) equals the plain reference."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.derive.history import build_random_history
from tests.metrics import reference
from veelocity.derive import DeriveConfig
from veelocity.metrics.compute.stats import Statistic
from veelocity.metrics.development import development_metric
from veelocity.metrics.dora import dora_key, dora_summary
from veelocity.metrics.query import MetricQuery
from veelocity.models import Base

WINDOWS = [
    (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 15, tzinfo=UTC)),
    (datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 2, 20, tzinfo=UTC)),
]


def _clear(session: Session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()


def _close(engine_value: float | None, reference_value: float | None) -> bool:
    if engine_value is None or reference_value is None:
        return engine_value is None and reference_value is None
    return engine_value == pytest.approx(reference_value, rel=1e-9, abs=1e-6)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000), incremental=st.booleans())
def test_engine_equals_reference_on_random_histories(
    db_session: Session, seed: int, incremental: bool
) -> None:
    _clear(db_session)
    build_random_history(
        db_session,
        seed=seed,
        incremental=incremental,
        config=DeriveConfig(),
        repositories=2,
        prs_per_repo=14,
        sentry=True,
    )
    db_session.commit()
    world = reference.build(db_session)
    for start, end in WINDOWS:
        query = MetricQuery(start=start, end=end)
        expected = reference.dora(world, start, end)
        summary = {k.slug: k for k in dora_summary(db_session, query).keys}
        for slug in (
            "deployment-frequency",
            "lead-time",
            "change-failure-rate",
            "recovery-time",
            "rework-rate",
        ):
            value, sample = expected[slug]
            assert _close(summary[slug].value, value), (seed, slug, summary[slug].value, value)
            assert summary[slug].sample_size == sample, (seed, slug)
        p90 = dora_key(
            db_session,
            "lead-time",
            MetricQuery(start=start, end=end, statistic=Statistic.P90),
            with_series=False,
        )
        assert _close(p90.value, expected["lead-time-p90"]), (seed, "p90")
        flow = reference.development(world, start, end)
        for slug, (value, sample) in flow.items():
            result = development_metric(db_session, slug, query, with_series=False)
            assert _close(result.value, value), (seed, slug, result.value, value)
            assert result.sample_size == sample, (seed, slug)


def test_series_points_add_up_to_the_window(db_session: Session) -> None:
    build_random_history(db_session, seed=5, incremental=False, config=DeriveConfig())
    db_session.commit()
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
    query = MetricQuery(start=start, end=end)
    result = dora_key(db_session, "deployment-frequency", query, with_series=True)
    assert sum(p.sample_size for p in result.series) == result.sample_size
    throughput = development_metric(db_session, "throughput", query, with_series=True)
    assert sum(p.sample_size for p in throughput.series) == throughput.sample_size
    # A period with no data is null, never 0, for durations.
    lead = dora_key(
        db_session,
        "lead-time",
        MetricQuery(start=start, end=end + timedelta(days=60)),
        with_series=True,
    )
    assert lead.series[-1].value is None
    assert lead.series[-1].sample_size == 0
    assert db_session.execute(text("SELECT 1")).scalar() == 1
