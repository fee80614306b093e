"""The outbound client: addresses checked at connect time, redirects, body caps, deadlines
(security checks R-01, R-02, R-04, R-07).

Forbidden addresses are proven refused before any packet: the client gets a DNS resolver and
a network that fail the test if they are used. Everything else talks to 127.0.0.1 only."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
import pytest

from tests.core.local_upstream import http_answer, local_upstream
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.core.security.outbound_client import (
    SYNC_LIMITS,
    CallLimits,
    ResponseTooLarge,
    outbound_client,
)

MB = 1024 * 1024
LOOPBACK_ALLOWED = OutboundPolicy.of(["127.0.0.1"])
QUICK = CallLimits(total_seconds=1.0, connect_seconds=1.0, read_seconds=0.5, max_body_bytes=MB)


class NoNetwork(httpcore.NetworkBackend):
    """Fails the test if a connection is attempted."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AssertionError(f"a connection to {host}:{port} was attempted")


class LoopbackOnly(httpcore.NetworkBackend):
    """The real network, for 127.0.0.1 only; records where it connected."""

    def __init__(self) -> None:
        self.real = httpcore.SyncBackend()
        self.connected: list[str] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        assert host == "127.0.0.1", f"a connection to {host}:{port} was attempted"
        self.connected.append(host)
        return self.real.connect_tcp(host, port, timeout, local_address, socket_options)


def fetch(
    url: str, policy: OutboundPolicy = LOOPBACK_ALLOWED, limits: CallLimits = QUICK, **options: Any
) -> httpx.Response:
    with outbound_client(policy, limits, **options) as client:
        return client.get(url, headers={"Authorization": "Bearer secret"})


def no_dns(host: str, _port: int) -> list[str]:
    raise AssertionError(f"{host} was looked up")


def fake_dns(answers: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    lookups: list[str] = []

    def resolve(host: str, _port: int) -> list[str]:
        lookups.append(host)
        return answers[host]

    resolve.lookups = lookups  # type: ignore[attr-defined]
    return resolve


# --- refused at use time, before any packet ----------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.169.254./latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata.google.internal./computeMetadata/v1/",
        "http://100.100.100.200/latest/meta-data/",
    ],
)
@pytest.mark.parametrize(
    "policy",
    [
        OutboundPolicy(),
        OutboundPolicy.of(
            ["169.254.169.254", "fd00:ec2::254", "metadata.google.internal", "100.100.100.200"],
            allow_private_networks=True,
        ),
    ],
    ids=["strict", "allowlisted"],
)
def test_a_metadata_address_is_refused_before_any_connection(
    policy: OutboundPolicy, url: str
) -> None:
    with pytest.raises(ForbiddenURL, match="metadata"):
        fetch(url, policy, resolve=no_dns, network=NoNetwork())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://localhost/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.0.0.5/api/v3",
    ],
)
def test_a_loopback_or_private_address_is_refused_before_any_connection(url: str) -> None:
    with pytest.raises(ForbiddenURL, match="loopback"):
        fetch(url, OutboundPolicy(), resolve=no_dns, network=NoNetwork())


# --- names that resolve inside the network ------------------------------------------------
@pytest.mark.parametrize("address", ["10.0.0.5", "127.0.0.1", "169.254.169.254"])
def test_a_name_that_resolves_inside_the_network_is_refused_before_connecting(
    address: str,
) -> None:
    resolve = fake_dns({"github.example.com": [address]})
    with pytest.raises(ForbiddenURL):
        fetch("https://github.example.com/api/v3/user", resolve=resolve, network=NoNetwork())
    assert resolve.lookups == ["github.example.com"]


def test_an_allowed_name_is_connected_at_the_address_that_was_checked() -> None:
    seen_hosts: list[bytes] = []

    def respond(connection: socket.socket, head: bytes) -> None:
        for _ in range(2):  # two requests on one kept-alive connection
            seen_hosts.extend(
                line for line in head.split(b"\r\n") if line.lower().startswith(b"host:")
            )
            connection.sendall(http_answer("200 OK", b"{}", "Content-Type: application/json"))
            head = connection.recv(65536)

    resolve = fake_dns({"ghe.example.test": ["127.0.0.1"]})
    network = LoopbackOnly()
    policy = OutboundPolicy.of(["ghe.example.test"])
    client = outbound_client(policy, QUICK, resolve=resolve, network=network)
    with local_upstream(respond) as port, client:
        assert client.get(f"http://ghe.example.test:{port}/a").status_code == 200
        assert client.get(f"http://ghe.example.test:{port}/b").status_code == 200
    # one lookup, one connection, to the checked address; the name still goes in Host
    assert resolve.lookups == ["ghe.example.test"]
    assert network.connected == ["127.0.0.1"]
    assert seen_hosts == [f"Host: ghe.example.test:{port}".encode()] * 2


def test_the_same_name_resolving_inside_the_network_is_refused_when_not_allowed() -> None:
    resolve = fake_dns({"ghe.example.test": ["127.0.0.1"]})
    with pytest.raises(ForbiddenURL, match="loopback or private"):
        fetch("http://ghe.example.test/", OutboundPolicy(), resolve=resolve, network=NoNetwork())


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.5/latest",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:{port}/",
    ],
)
def test_a_redirect_to_another_host_is_refused(location: str) -> None:
    hits: list[bytes] = []

    def respond(connection: socket.socket, head: bytes) -> None:
        hits.append(head.split(b"\r\n")[0])
        target = location.format(port=connection.getsockname()[1])
        connection.sendall(http_answer("302 Found", b"", f"Location: {target}"))

    network = LoopbackOnly()
    policy = OutboundPolicy.of([], allow_private_networks=True)
    refused = pytest.raises(ForbiddenURL, match="redirects are followed only on the same host")
    with local_upstream(respond) as port, refused:
        fetch(f"http://127.0.0.1:{port}/start", policy, resolve=no_dns, network=network)
    assert hits == [b"GET /start HTTP/1.1"]
    assert network.connected == ["127.0.0.1"]


def test_a_redirect_on_the_same_host_is_followed() -> None:
    def respond(connection: socket.socket, head: bytes) -> None:
        if head.startswith(b"GET /old "):
            connection.sendall(http_answer("301 Moved Permanently", b"", "Location: /new"))
        else:
            connection.sendall(http_answer("200 OK", b"moved here"))

    with local_upstream(respond) as port:
        response = fetch(f"http://127.0.0.1:{port}/old")
    assert response.status_code == 200
    assert response.text == "moved here"


# --- bodies capped, calls bounded --------------------------------------------------------
def _chunked_forever(connection: socket.socket, _head: bytes) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 65536
    while True:
        connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def test_an_answer_announced_larger_than_the_cap_is_refused_unread() -> None:
    def respond(connection: socket.socket, _head: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 62914560\r\n\r\n")
        connection.sendall(b"x" * 65536)
        time.sleep(1)

    too_large = pytest.raises(ResponseTooLarge, match="larger than 32 MB")
    with local_upstream(respond) as port, too_large:
        fetch(f"http://127.0.0.1:{port}/", limits=SYNC_LIMITS)


def test_an_endless_answer_stops_at_the_cap() -> None:
    started = time.monotonic()
    too_large = pytest.raises(ResponseTooLarge, match="larger than 32 MB")
    with local_upstream(_chunked_forever) as port, too_large:
        fetch(f"http://127.0.0.1:{port}/", limits=SYNC_LIMITS)
    assert time.monotonic() - started < 10  # stopped at the cap, not at the deadline


def test_a_compressed_answer_is_capped_at_its_decompressed_size() -> None:
    bomb = gzip.compress(b"\0" * (8 * MB))  # about 8 KB on the wire

    def respond(connection: socket.socket, _head: bytes) -> None:
        connection.sendall(http_answer("200 OK", bomb, "Content-Encoding: gzip"))

    with local_upstream(respond) as port, pytest.raises(ResponseTooLarge, match="than 1 MB"):
        fetch(f"http://127.0.0.1:{port}/")


def test_a_compressed_answer_under_the_cap_is_read_whole() -> None:
    body = b'{"ok": true}' * 1000

    def respond(connection: socket.socket, _head: bytes) -> None:
        connection.sendall(http_answer("200 OK", gzip.compress(body), "Content-Encoding: gzip"))

    with local_upstream(respond) as port:
        assert fetch(f"http://127.0.0.1:{port}/").content == body


def test_a_body_that_trickles_in_ends_at_the_deadline() -> None:
    def respond(connection: socket.socket, _head: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):  # a byte every 0.1 s: each read is quick, the whole is not
            connection.sendall(b"x")
            time.sleep(0.1)

    started = time.monotonic()
    with local_upstream(respond) as port, pytest.raises(httpx.TimeoutException):
        fetch(f"http://127.0.0.1:{port}/")
    assert time.monotonic() - started < 2.5


def test_headers_that_trickle_in_end_at_the_deadline() -> None:
    def respond(connection: socket.socket, _head: bytes) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 1000:
            connection.sendall(bytes([byte]))
            time.sleep(0.1)

    started = time.monotonic()
    with local_upstream(respond) as port, pytest.raises(httpx.TimeoutException):
        fetch(f"http://127.0.0.1:{port}/")
    assert time.monotonic() - started < 2.5
