"""A loopback TCP proxy that stands in front of a server and fails the way networks do.

Modes, switched at any moment from the test's thread:

- `passing()`: forwards bytes both ways (the normal state);
- `refusing()`: closes its listening socket and every open connection, like a server that
  stopped (connections are refused until it resumes);
- `hanging()`: accepts new connections but never forwards a byte, and stops forwarding on
  the open ones, like a frozen server or a blackholed route (the kernel still accepts the
  bytes, so only the client's own deadlines notice);
- `resume()`: back to passing; connections stalled while hanging carry on.

It runs an asyncio loop in a thread of its own, so a test (or a benchmark) can drive it
from ordinary blocking code.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.host = "127.0.0.1"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.mode = "passing"

    # --- driving it from the test's thread ------------------------------------------------
    def start(self) -> TcpProxy:
        self._thread.start()
        self._call(self._listen())
        self._call(self._set_flowing(True))
        return self

    def stop(self) -> None:
        self._call(self._close_all(close_listener=True))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def passing(self) -> None:
        self.resume()

    def refusing(self) -> None:
        """Close the listener and every connection: new ones are refused."""
        self.mode = "refusing"
        self._call(self._close_all(close_listener=True))

    def hanging(self) -> None:
        """Accept, but forward nothing, on new and open connections alike."""
        self.mode = "hanging"
        self._call(self._set_flowing(False))

    def resume(self) -> None:
        self.mode = "passing"
        self._call(self._resume())

    @property
    def open_connections(self) -> int:
        return len(self._writers) // 2

    # --- inside the loop --------------------------------------------------------------------
    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        future.result(timeout=10)

    async def _set_flowing(self, flowing: bool) -> None:
        if flowing:
            self._flowing.set()
        else:
            self._flowing.clear()

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _resume(self) -> None:
        await self._listen()
        self._flowing.set()

    async def _close_all(self, *, close_listener: bool) -> None:
        if close_listener and self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        for task in list(self._tasks):
            task.cancel()

    async def _accept(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        self._writers.add(client)
        try:
            await self._flowing.wait()  # a hung server never even starts the conversation
            upstream_reader, upstream = await asyncio.open_connection(*self.upstream)
        except (OSError, asyncio.CancelledError):
            client.transport.abort()
            self._writers.discard(client)
            return
        self._writers.add(upstream)
        pipes = [
            asyncio.ensure_future(self._pipe(client_reader, upstream)),
            asyncio.ensure_future(self._pipe(upstream_reader, client)),
        ]
        for task in pipes:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        for task in pipes:
            task.cancel()
        for writer in (client, upstream):
            writer.transport.abort()
            self._writers.discard(writer)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while True:
                data = await reader.read(65536)
                if not data:
                    return
                await self._flowing.wait()  # hanging: hold the bytes, send nothing on
                writer.write(data)
                await writer.drain()


@contextmanager
def proxy_in_front_of(host: str, port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy(host, port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
