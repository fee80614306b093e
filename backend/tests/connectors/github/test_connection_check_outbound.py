"""Settings' "test connection" against upstreams that misbehave on 127.0.0.1: what it says
(security checks R-04, R-05, R-07)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest

from tests.core.local_upstream import closed_port, http_answer, local_upstream
from veelocity.connectors.github.connection import check_connection
from veelocity.connectors.http import RetryPolicy
from veelocity.sync.context import ConnectionCheck

from .conftest import Harness, configure_github

#: one attempt, reads given up after half a second
ONE_QUICK_TRY = RetryPolicy(attempts=1, backoff_base=0.01, backoff_cap=0.01, timeout=0.5)


def _check(make_harness: Callable[..., Harness], port: int) -> ConnectionCheck:
    harness = make_harness()
    configure_github(
        harness.context,
        base_url=f"http://127.0.0.1:{port}",
        token="ghp_" + "x" * 36,
        organizations=["acme"],
    )
    return check_connection(harness.context, retry=ONE_QUICK_TRY)


def _not_http(connection: socket.socket, _head: bytes) -> None:
    connection.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    time.sleep(0.2)


def _silent(_connection: socket.socket, _head: bytes) -> None:
    time.sleep(3)


def test_a_closed_port_a_silent_one_and_a_non_http_one_read_the_same(
    make_harness: Callable[..., Harness],
) -> None:
    answers = {"closed": _check(make_harness, closed_port())}
    with local_upstream(_not_http) as port:
        answers["not HTTP"] = _check(make_harness, port)
    with local_upstream(_silent) as port:
        answers["silent"] = _check(make_harness, port)

    assert {kind: answer.ok for kind, answer in answers.items()} == dict.fromkeys(answers, False)
    assert len({answer.message for answer in answers.values()}) == 1, answers
    assert len({str(answer.details) for answer in answers.values()}) == 1, answers
    assert "Could not reach 127.0.0.1: no HTTP answer" in answers["closed"].message


def test_a_redirect_to_another_host_is_not_followed(
    make_harness: Callable[..., Harness],
) -> None:
    elsewhere_hits: list[bytes] = []

    def elsewhere(connection: socket.socket, head: bytes) -> None:
        elsewhere_hits.append(head)
        connection.sendall(http_answer("200 OK", b'{"login": "someone"}'))

    with local_upstream(elsewhere) as other_port:

        def redirect(connection: socket.socket, _head: bytes) -> None:
            location = f"Location: http://localhost:{other_port}/user"
            connection.sendall(http_answer("302 Found", b"", location))

        with local_upstream(redirect) as port:
            answer = _check(make_harness, port)

    assert answer.ok is False
    assert "redirected to localhost" in answer.message
    assert elsewhere_hits == []


def test_a_huge_answer_is_refused_at_the_cap(make_harness: Callable[..., Harness]) -> None:
    def huge(connection: socket.socket, _head: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        connection.sendall(b"Connection: close\r\n\r\n[")
        for _ in range(640):  # 40 MB, then the end: bounded even if nobody stops reading
            connection.sendall(b'"x",' * 16384)
        connection.sendall(b'"x"]')

    started = time.monotonic()
    with local_upstream(huge) as port:
        answer = _check(make_harness, port)

    assert answer.ok is False
    assert answer.details == {"code": "upstream_invalid"}
    assert "127.0.0.1 sent an answer larger than 1 MB" in answer.message
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("address", ["169.254.169.254", "[fd00:ec2::254]"])
def test_a_metadata_address_is_refused_even_when_allowlisted(
    make_harness: Callable[..., Harness], address: str
) -> None:
    harness = make_harness(outbound_host_allowlist=[address.strip("[]"), "127.0.0.1"])
    configure_github(
        harness.context,
        base_url=f"http://{address}/latest/meta-data",
        token="ghp_" + "x" * 36,
        organizations=["acme"],
    )
    answer = check_connection(harness.context, retry=ONE_QUICK_TRY)
    assert answer.ok is False
    assert "metadata" in answer.message
