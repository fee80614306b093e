"""Serving a fake: uvicorn in a background thread, and answers broken on request."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp, Receive, Send


@contextmanager
def serve_in_thread(
    app: ASGIApp, name: str, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve `app` with uvicorn in a daemon thread; yields its base URL (http://127.0.0.1:53211)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the {name} did not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]


async def send_reply(
    reply: Reply, kinds: set[str], send: Send, malformed_body: bytes = b"<html></html>"
) -> None:
    """Send an answer, broken as the `malformed`, `truncated` or `reset` faults ask."""
    body = reply.body
    if "malformed" in kinds:
        body = malformed_body
    elif "truncated" in kinds:
        body = body[: max(1, len(body) // 2)]
    headers = dict(reply.headers)
    if "reset" in kinds:
        headers["content-length"] = str(len(body) + 1000)
    elif reply.status != 304:
        headers["content-length"] = str(len(body))
    await send(
        {
            "type": "http.response.start",
            "status": reply.status,
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        }
    )
    if "reset" in kinds:
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        # Dropping the connection mid-body: the client sees a reset/incomplete response.
        raise ConnectionResetError("fault injection: connection reset")
    await send({"type": "http.response.body", "body": body if reply.status != 304 else b""})


async def read_body(receive: Receive) -> bytes:
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


async def answer_lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
