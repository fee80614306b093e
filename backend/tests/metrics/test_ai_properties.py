"""On random histories with AI facts, derive and the AI figures equal the plain reference,
whether everything arrives at once or the AI rows arrive after the rest."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.derive.history import build_random_history
from tests.metrics import ai_reference
from tests.metrics.ai_history import add_ai_facts
from veelocity.derive import DeriveConfig, derive_all, derive_changes
from veelocity.metrics.ai.report import adoption_report, cohort_report
from veelocity.metrics.query import MetricQuery
from veelocity.models import Base, PullRequestAi

WINDOWS = [
    (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 20, tzinfo=UTC)),
    (datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
]


def _clear(session: Session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()


def _approx(value: object) -> object:
    return pytest.approx(value, rel=1e-9, abs=1e-6) if isinstance(value, float) else value


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000), incremental=st.booleans())
def test_ai_figures_equal_the_reference_on_random_histories(
    db_session: Session, seed: int, incremental: bool
) -> None:
    _clear(db_session)
    config = DeriveConfig()
    build_random_history(db_session, seed=seed, incremental=False, config=config, prs_per_repo=60)
    changes = add_ai_facts(db_session, seed)
    if incremental:
        derive_changes(db_session, config, changes)
    else:
        derive_all(db_session, config)
    db_session.commit()

    expected = ai_reference.judge(db_session)
    for pr_id, want in expected.items():
        row = db_session.get(PullRequestAi, pr_id)
        assert row is not None, pr_id
        got = {
            "assisted": row.assisted,
            "kinds": sorted(e["kind"] for e in row.evidence),
            "ai_share": row.ai_share,
            "reviewed": row.reviewed,
            "review_bot": row.review_bot,
        }
        assert got == {k: _approx(v) for k, v in want.items()}, pr_id

    for start, end in WINDOWS:
        query = MetricQuery(start=start, end=end)
        report = cohort_report(db_session, query, 1)
        engine = []
        for cohort in report.cohorts:
            if cohort.suppressed:
                engine.append((cohort.name, cohort.ai_prs, cohort.other_prs, "suppressed"))
                continue
            for m in cohort.measures:
                c = m.comparison
                engine.append(
                    (
                        cohort.name,
                        m.measure,
                        c.ai_count,
                        c.other_count,
                        c.ai_value,
                        c.other_value,
                        c.difference,
                        c.interval_low,
                        c.interval_high,
                    )
                )
        reference = ai_reference.cohorts(db_session, start, end, 1)
        assert len(engine) == len(reference)
        for got_row, want_row in zip(engine, reference, strict=True):
            assert got_row == tuple(_approx(v) for v in want_row)

        adoption = adoption_report(db_session, query, 1).figures
        assert adoption is not None
        want = ai_reference.adoption(db_session, start, end)
        assert {k: getattr(adoption, k) for k in want} == {k: _approx(v) for k, v in want.items()}
