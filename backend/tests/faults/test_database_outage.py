"""The real server in front of a PostgreSQL that hangs or refuses, through a loopback proxy:
every request is answered within 2 s while it is away, and the server is healthy within
5 s of its return, without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DB, setup_admin
from tests.faults.outage import HEALTH, fire, problems, seconds_until
from tests.faults.tcp_proxy import TcpProxy, proxy_in_front_of
from tests.server_process import running_server

pytestmark = pytest.mark.skipif(TEST_DB != "postgresql", reason="a proxy in front of PostgreSQL")

READS = ["/api/v1/settings", "/api/v1/sync/runs"]
#: Each round: 10 API reads and 5 health checks at once.
ROUND = READS * 5 + [HEALTH] * 5


@pytest.fixture
def proxy(database_url: str) -> Iterator[TcpProxy]:
    url = make_url(database_url)
    with proxy_in_front_of(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
def server(
    proxy: TcpProxy, database_url: str, tmp_path: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    through_proxy = make_url(database_url).set(host=proxy.host, port=proxy.port)
    env = {
        "DEBUG": "true",
        "LOG_FORMAT": "json",
        "DATABASE_URL": through_proxy.render_as_string(hide_password=False),
        "SCHEDULER_ENABLED": "false",
    }
    with running_server(tmp_path, env) as (base, _log), httpx.Client(base_url=base) as client:
        headers = setup_admin(client)  # type: ignore[arg-type]
        assert {answer.status for answer in fire(base, ROUND, headers)} == {200}  # warm pools
        yield base, headers


def _outage_then_recovery(proxy: TcpProxy, base: str, headers: dict[str, str]) -> None:
    # The first round meets the outage as it starts: statements in flight, pooled
    # connections that no longer answer.
    first = fire(base, ROUND, headers)
    assert problems(first, within=2.0) == []
    # By the second, the server knows: every request is turned away at once.
    second = fire(base, ROUND, headers)
    assert problems(second, within=2.0) == []
    assert {(a.path == HEALTH, a.status) for a in second} == {(True, 503), (False, 503)}

    proxy.resume()
    assert seconds_until(base, HEALTH, headers, limit=5.0) is not None
    for path in READS:
        assert seconds_until(base, path, headers, limit=2.0) is not None, path


def test_a_hung_database_gets_every_request_an_answer_within_2_s_and_recovers_within_5(
    proxy: TcpProxy, server: tuple[str, dict[str, str]]
) -> None:
    proxy.hanging()
    _outage_then_recovery(proxy, *server)


def test_a_refusing_database_gets_every_request_an_answer_within_2_s_and_recovers_within_5(
    proxy: TcpProxy, server: tuple[str, dict[str, str]]
) -> None:
    proxy.refusing()
    _outage_then_recovery(proxy, *server)
