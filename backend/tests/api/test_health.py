from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from tests.conftest import TEST_DB
from veelocity.core.db_monitor import DatabaseMonitor


def _unreachable_url(tmp_path: object) -> str:
    if TEST_DB == "postgresql":
        return "postgresql+psycopg://postgres@127.0.0.1:1/veelocity_gone"
    return f"sqlite:///{tmp_path}/missing-directory/veelocity.db"


def test_health_is_healthy_without_a_token(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}


def test_health_is_unhealthy_when_the_database_is_gone(
    client: TestClient, admin_headers: dict[str, str], tmp_path: object
) -> None:
    context = client.app.state.context  # type: ignore[attr-defined]
    # Plain engines: make_engine would create the missing SQLite directory.
    context.engine = create_engine(_unreachable_url(tmp_path))
    context.session_factory.configure(bind=context.engine)
    context.database_monitor.stop()
    # Not started: the check probes for itself.
    context.database_monitor = DatabaseMonitor(
        create_engine(_unreachable_url(tmp_path)), deadline_seconds=1.0
    )

    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy"}

    # Liveness does not depend on the database, so an outage restarts nothing.
    assert client.get("/api/v1/health/live").status_code == 200

    api = client.get("/api/v1/settings", headers=admin_headers)
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "database_unavailable"
    assert api.headers["retry-after"] == "5"
