"""A raw TCP upstream on 127.0.0.1 that answers however a test says: slowly, hugely, not
HTTP at all, or not at all. Each connection is handled in its own thread."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Respond = Callable[[socket.socket, bytes], None]


def read_request_head(connection: socket.socket) -> bytes:
    """The request line and headers (bodies of the requests these tests send are small)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def http_answer(status: str, body: bytes, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@contextmanager
def local_upstream(respond: Respond, *, read_request: bool = True) -> Iterator[int]:
    """Serve `respond(connection, request_head)` on a free loopback port; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stopped = threading.Event()

    def handle(connection: socket.socket) -> None:
        # OSError: the client gave up, as it should
        with connection, contextlib.suppress(OSError):
            respond(connection, read_request_head(connection) if read_request else b"")

    def serve() -> None:
        while not stopped.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopped.set()
        server.join(timeout=2)
        listener.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port
