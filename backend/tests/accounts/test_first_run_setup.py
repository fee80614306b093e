"""First-run setup creates exactly one admin, however many setups race on an empty install."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from tests.conftest import PASSWORD
from veelocity.models import User

RACERS = 6


def test_concurrent_setups_create_one_admin_and_the_rest_get_409(
    client: TestClient, database_url: str
) -> None:
    start = Barrier(RACERS)

    def set_up(index: int) -> int:
        start.wait()
        response = client.post(
            "/api/v1/auth/setup",
            json={"email": f"admin{index}@example.com", "password": PASSWORD},
        )
        return response.status_code

    with ThreadPoolExecutor(RACERS) as pool:
        statuses = sorted(pool.map(set_up, range(RACERS)))

    assert statuses == [201] + [409] * (RACERS - 1)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == 1
    engine.dispose()
    assert client.get("/api/v1/auth/setup").json() == {"needs_setup": False}
