"""How many worker processes `veelocity serve` starts when WEB_CONCURRENCY is unset."""

import os
from collections.abc import Callable

import pytest

from veelocity.core.config import Settings, default_web_workers


@pytest.mark.parametrize(
    ("cpus", "sqlite", "workers"),
    [
        (1, False, 1),
        (2, False, 2),
        (8, False, 4),  # each worker's pool holds up to 20 of PostgreSQL's 100 connections
        (1, True, 1),
        (2, True, 2),
        (16, True, 2),  # SQLite writes one transaction at a time
    ],
)
def test_one_worker_per_cpu_up_to_the_cap_of_the_database(
    cpus: int, sqlite: bool, workers: int
) -> None:
    assert default_web_workers(cpus, sqlite=sqlite) == workers


def test_web_concurrency_wins_over_the_default(make_settings: Callable[..., Settings]) -> None:
    assert make_settings(web_concurrency=7).web_workers == 7


def test_development_runs_one_worker(make_settings: Callable[..., Settings]) -> None:
    assert make_settings(debug=True).web_workers == 1


def test_production_starts_one_worker_per_cpu_for_its_database(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings()
    sqlite = settings.sqlalchemy_url.startswith("sqlite")
    cpus = len(os.sched_getaffinity(0))
    assert settings.web_workers == min(cpus, 2 if sqlite else 4)
