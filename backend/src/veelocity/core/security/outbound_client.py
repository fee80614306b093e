"""The one HTTP client every outbound call uses (sync, "test connection", OAuth).

- Addresses: each new connection resolves the host, checks every address with the
  `OutboundPolicy` and connects to an address it checked (an httpcore network backend), so a
  DNS answer that changes between the check and the connection cannot sneak in. TLS still
  sends the host name (SNI) and verifies the certificate against it.
- Redirects are followed only to the same scheme, host and port.
- Limits: a connect and a per-read timeout, a deadline for the whole call (headers and body,
  however slowly they trickle in), and a cap on the body, compressed or not.
- Environment proxies are ignored: a proxy would connect to addresses nobody checked.
- A refused port, a port that does not speak HTTP and a timeout look the same to people
  (`no_answer_message`), so error texts do not map the network behind the server.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpcore
import httpx

from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy, Resolver, system_resolver

_MB = 1024 * 1024


@dataclass(frozen=True)
class CallLimits:
    #: the whole call, from connecting to the last byte of the body
    total_seconds: float = 60.0
    connect_seconds: float = 5.0
    #: longest silence while reading
    read_seconds: float = 30.0
    #: the largest body read, after decompression
    max_body_bytes: int = 32 * _MB


#: sync pages: a page of 100 pull requests with their reviews is a few MB at most
SYNC_LIMITS = CallLimits()
#: one-off calls with small answers: "test connection", the OAuth code exchange
SMALL_ANSWER_LIMITS = CallLimits(total_seconds=15.0, read_seconds=10.0, max_body_bytes=_MB)


class ResponseTooLarge(Exception):
    """The upstream's answer is larger than the call's cap; nothing of it is used."""

    def __init__(self, host: str, limit: int) -> None:
        size = f"{limit // _MB} MB" if limit >= _MB else f"{limit} bytes"
        super().__init__(f"{host} sent an answer larger than {size}; it was refused")


def no_answer_message(url: httpx.URL | str) -> str:
    """The one text for refused, closed, silent and non-HTTP ports alike."""
    return f"Could not reach {httpx.URL(url).host}: no HTTP answer"


def outbound_client(
    policy: OutboundPolicy,
    limits: CallLimits = SYNC_LIMITS,
    *,
    headers: dict[str, str] | None = None,
    max_connections: int = 10,
    resolve: Resolver = system_resolver,
    network: httpcore.NetworkBackend | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An httpx client that calls out only as `policy` allows, within `limits`.

    `resolve` and `network` replace DNS and sockets (tests prove a refusal happens before
    any packet is sent). `transport` replaces the checked connections altogether, for
    benchmarks that count answers on the wire; limits and redirect rules still apply."""
    inner = transport or _CheckedTransport(
        _CheckedBackend(policy, resolve, network or httpcore.SyncBackend()), max_connections
    )
    return httpx.Client(
        transport=_LimitedTransport(inner, limits),
        timeout=httpx.Timeout(limits.read_seconds, connect=limits.connect_seconds),
        # only encodings whose decompressed size the body cap can count
        headers={"Accept-Encoding": "gzip, deflate", **(headers or {})},
        follow_redirects=True,
        max_redirects=5,
        event_hooks={"response": [_refuse_redirect_elsewhere]},
        trust_env=False,
    )


def _refuse_redirect_elsewhere(response: httpx.Response) -> None:
    if not response.has_redirect_location:
        return
    source = response.request.url
    target = source.join(response.headers["location"])
    if (target.scheme, target.host, target.port) != (source.scheme, source.host, source.port):
        raise ForbiddenURL(
            f"{source.host} redirected to {target.host or 'another address'}; redirects are "
            "followed only on the same host"
        )


# --- the deadline of the call this thread is making --------------------------------------
class _CallDeadline(threading.local):
    at: float | None = None


_deadline = _CallDeadline()


@contextmanager
def _within(deadline: float) -> Iterator[None]:
    previous, _deadline.at = _deadline.at, deadline
    try:
        yield
    finally:
        _deadline.at = previous


def _bounded(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """`timeout`, shortened to what is left of the call's deadline."""
    if _deadline.at is None:
        return timeout
    remaining = _deadline.at - time.monotonic()
    if remaining <= 0:
        raise expired("the call took longer than its deadline")
    return remaining if timeout is None else min(timeout, remaining)


# --- connections to checked addresses -------------------------------------------------------
class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every wait ends at the deadline of the call using it."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: object,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.start_tls(
                ssl_context,  # type: ignore[arg-type]
                server_hostname,
                _bounded(timeout, httpcore.ConnectTimeout),
            )
        )

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class _CheckedBackend(httpcore.NetworkBackend):
    """Resolves, checks every address, then connects to one of the checked addresses."""

    def __init__(
        self, policy: OutboundPolicy, resolve: Resolver, network: httpcore.NetworkBackend
    ) -> None:
        self._policy = policy
        self._resolve = resolve
        self._network = network

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._policy.resolve_checked(host, port, self._resolve)
        except OSError:
            raise httpcore.ConnectError(f"{host} could not be resolved") from None
        failure: httpcore.TimeoutException | httpcore.NetworkError = httpcore.ConnectError(
            f"{host} has no address"
        )
        for address in addresses:
            try:
                stream = self._network.connect_tcp(
                    str(address),
                    port,
                    timeout=_bounded(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("outbound calls use TCP only")

    def sleep(self, seconds: float) -> None:
        self._network.sleep(seconds)


_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.TimeoutException, httpx.TimeoutException),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    """httpcore's exceptions as the httpx ones callers catch (others pass unchanged)."""
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


class _CoreBody(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            with _as_httpx_errors():
                close()


class _CheckedTransport(httpx.BaseTransport):
    """httpx over an httpcore pool whose connections go through `_CheckedBackend`."""

    def __init__(self, backend: _CheckedBackend, max_connections: int) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, Iterable)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreBody(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        with _as_httpx_errors():
            self._pool.close()


# --- deadline and body cap --------------------------------------------------------------------
class _LimitedTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, limits: CallLimits) -> None:
        self._inner = inner
        self._limits = limits

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self._limits.total_seconds
        with _within(deadline):
            response = self._inner.handle_request(request)
        host = request.url.host
        cap = self._limits.max_body_bytes
        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if declared.isdigit() and int(declared) > cap:
            response.close()
            raise ResponseTooLarge(host, cap)
        if encoding not in _COUNTED_ENCODINGS:
            response.close()
            raise httpx.DecodingError(f"{host} answered with an encoding not asked for")
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_LimitedBody(response.stream, deadline, _BodySize(host, cap, encoding)),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


_COUNTED_ENCODINGS = frozenset({"identity", "", "gzip", "x-gzip", "deflate"})


class _BodySize:
    """Counts a body as received and as it will be once decompressed; refuses past the cap."""

    def __init__(self, host: str, cap: int, encoding: str) -> None:
        self._host = host
        self._cap = cap
        self._received = 0
        self._decoded = 0
        # a second, counting-only decompression: httpx decodes for the caller later
        self._inflater = (
            zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib, from the header
            if encoding not in {"identity", ""}
            else None
        )
        self._raw_deflate = encoding == "deflate"

    def add(self, chunk: bytes) -> None:
        self._received += len(chunk)
        if self._inflater is None:
            self._decoded = self._received
        else:
            self._decoded += self._inflated_size(chunk)
        if self._received > self._cap or self._decoded > self._cap:
            raise ResponseTooLarge(self._host, self._cap)

    def _inflated_size(self, chunk: bytes) -> int:
        assert self._inflater is not None
        size = 0
        data = chunk
        while data:
            try:
                size += len(self._inflater.decompress(data, self._cap + 1))
            except zlib.error:
                if not self._raw_deflate:
                    return size  # not valid: httpx's own decoder reports it
                # some servers send "deflate" without the zlib header
                self._inflater, self._raw_deflate = zlib.decompressobj(-zlib.MAX_WBITS), False
                continue
            if size > self._cap:
                return size
            data = self._inflater.unconsumed_tail
        return size


class _LimitedBody(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, deadline: float, size: _BodySize) -> None:
        self._inner = inner
        self._deadline = deadline
        self._size = size

    def __iter__(self) -> Iterator[bytes]:
        chunks = iter(self._inner)
        while True:
            # the deadline holds while waiting for the next chunk, not while the caller works
            with _within(self._deadline):
                if time.monotonic() >= self._deadline:
                    raise httpx.ReadTimeout("the call took longer than its deadline")
                chunk = next(chunks, None)
            if chunk is None:
                return
            self._size.add(chunk)
            yield chunk

    def close(self) -> None:
        self._inner.close()
