"""A lean HTTP/1.1 load generator for the benchmarks: one keep-alive connection per client.

The load runs on the same two cores as the server it measures, so every millisecond the client
spends is taken from the server. httpx.AsyncClient cost about 10 ms of CPU per request here
(0.58 of a core at 28 answers/s, each answer a chat and a feedback POST); this client writes the
request bytes itself and reads the reply by its Content-Length, which costs a small fraction of
that. It speaks only what the benchmark needs: POST a JSON body, read a JSON reply.

>>> async def one():                                                       # doctest: +SKIP
...     conn = Connection("127.0.0.1", 8123)
...     status, body = await conn.post_json("/api/chat", {"message": "what is an EHC plan?"})
...     await conn.close()
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


class HTTPFailure(Exception):
    """The connection failed or the reply was not HTTP this client can read."""


class Connection:
    """A connection to one server, kept open between requests unless `keep_alive` is false
    (then each request opens its own and asks the server to close it). Not shared between tasks."""

    def __init__(self, host: str, port: int, *, timeout: float = 60.0, keep_alive: bool = True) -> None:
        self.host, self.port, self.timeout, self.keep_alive = host, port, timeout, keep_alive
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._replies = 0  # replies read on the current connection

    async def post_json(self, path: str, payload: Any) -> tuple[int, bytes]:
        """POST `payload` as JSON to `path`; the reply's status code and body."""
        body = json.dumps(payload).encode()
        closing = "" if self.keep_alive else "Connection: close\r\n"
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{closing}\r\n"
        ).encode() + body
        try:
            return await asyncio.wait_for(self._exchange(request), self.timeout)
        except asyncio.TimeoutError as exc:
            await self.close()
            raise HTTPFailure(f"no reply within {self.timeout} s") from exc

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        # A server may close an idle keep-alive connection just as a request goes out. If a reused
        # connection ends before any byte of the reply, the server never read the request, so it
        # is sent once more on a new connection; any other failure is reported, never retried.
        for attempt in (1, 2):
            if self._writer is None:
                await self._open()
            reused = self._replies > 0
            assert self._reader is not None and self._writer is not None
            try:
                self._writer.write(request)
                await self._writer.drain()
                head = await self._reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                await self.close()
                nothing_read = not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial
                if attempt == 1 and reused and nothing_read:
                    continue
                raise HTTPFailure(f"{exc.__class__.__name__}: {exc}") from exc
            return await self._read_body(head)
        raise HTTPFailure("unreachable")  # pragma: no cover

    async def _read_body(self, head: bytes) -> tuple[int, bytes]:
        assert self._reader is not None
        lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError) as exc:
            await self.close()
            raise HTTPFailure(f"not an HTTP status line: {lines[0]!r}") from exc
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" not in headers:
            await self.close()
            raise HTTPFailure(f"HTTP {status} reply without Content-Length")
        try:
            body = await self._reader.readexactly(int(headers["content-length"]))
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            await self.close()
            raise HTTPFailure(f"reply cut short: {exc}") from exc
        self._replies += 1
        if not self.keep_alive or headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def _open(self) -> None:
        try:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        except OSError as exc:
            raise HTTPFailure(f"cannot connect: {exc}") from exc
        self._replies = 0

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass
