"""The emulator's HTTP protocol: uvicorn's httptools protocol with four additions, for what
only the connection can do (the app sees a request only once its head is whole).

- A head (request line and headers) that grows past ``max_header_bytes`` before it is whole
  is answered 431 and the connection closed: the bytes stop at the limit (plus one read of
  at most 256 KiB), where httptools would have kept a 100 MB header in memory.
- A connection that has not sent a whole request (head and body) within ``request_timeout``
  seconds of connecting, or of its request's first byte, is answered 408 and closed: a
  client sending a byte at a time, or nothing, no longer holds a connection for ever.
- Connections stay below the process's limit of open files (less a reserve for the
  database and logs): past it, a new connection sheds the one that has waited longest for
  its request (503), so 300 half-open connections under a limit of 256 descriptors no
  longer keep health, or anyone, from connecting.
- uvicorn's own refusal of a malformed request is JSON ``{"error": ...}``, not plain text.
- The ASGI extension ``emulator.transports.DROP`` (the ``drop`` fault): the app sends
  ``{"type": DROP}`` and the connection closes with nothing sent, no status line, no
  headers, and nothing logged. uvicorn has no way to close a connection before an answer
  (returning without one is a logged 500, raising is a logged traceback and a 500), so the
  protocol marks the request disconnected, which uvicorn's cycle checks before it sends or
  logs anything, and closes the transport. Only the fault's own message closes a connection
  so; every other path is uvicorn's, unchanged.

:func:`protocol_class` gives the class with a server's limits, for ``uvicorn.Config(http=...)``.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any, ClassVar

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from emulator.transports import DROP

log = logging.getLogger("emulator.serving")

ASGIApp = Any


class EmulatorProtocol(HttpToolsProtocol):
    max_header_bytes: ClassVar[int] = 64 * 1024
    request_timeout: ClassVar[float] = 10.0
    max_connections: ClassVar[int] = 1000
    #: The connections still waiting for their request, oldest first (one dict per server).
    waiting: ClassVar[dict[EmulatorProtocol, None]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = dropping(self.app, self)
        self.reading_head = True
        self.head_bytes = 0
        self.request_timer: asyncio.TimerHandle | None = None

    # -- the connection -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm()
        if len(self.connections) > self.max_connections:
            self.shed()

    def shed(self) -> None:
        """Close the connection that has waited longest for its request (not this one)."""
        oldest = next((c for c in self.waiting if c is not self), None)
        if oldest is not None:
            log.debug("over %d connections: closing the longest waiting", self.max_connections)
            oldest.refuse(503, "Too many connections: this one waited longest for its request")

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.reading_head:
            self.head_bytes += len(data)
        super().data_received(data)
        if self.reading_head and self.head_bytes > self.max_header_bytes:
            self.refuse(431, f"Request headers larger than {self.max_header_bytes} bytes")

    # -- httptools' callbacks ---------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {DROP: {}}
        if self.request_timer is None:
            self.arm()  # a keep-alive connection's next request

    def on_headers_complete(self) -> None:
        self.reading_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.disarm()
        self.reading_head, self.head_bytes = True, 0
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self.refuse(400, msg)

    # -- additions --------------------------------------------------------------------------

    def arm(self) -> None:
        self.disarm()
        self.request_timer = self.loop.call_later(self.request_timeout, self.timed_out)
        self.waiting[self] = None

    def disarm(self) -> None:
        self.waiting.pop(self, None)
        if self.request_timer is not None:
            self.request_timer.cancel()
            self.request_timer = None

    def timed_out(self) -> None:
        """The request did not arrive whole in time: 408, unless an answer has started."""
        self.request_timer = None
        self.waiting.pop(self, None)
        if self.transport.is_closing():
            return
        if self.cycle is not None and self.cycle.response_started:
            self.transport.close()
            return
        log.debug("closing a connection whose request took over %gs", self.request_timeout)
        self.refuse(408, f"Request not complete within {self.request_timeout:g} seconds")

    def refuse(self, status: int, message: str) -> None:
        """Answer ``{"error": message}`` with ``status`` and close, whatever the state."""
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True  # the app's answer, if any, goes nowhere
        body = orjson.dumps({"error": message})
        head = [
            STATUS_LINE[status],
            *(name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers),
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    def drop(self) -> None:
        """Close with nothing sent: every request of the connection is gone, silently."""
        for cycle in [self.cycle, *(c for c, _ in self.pipeline)]:
            if cycle is not None:
                cycle.disconnected = True
        self.transport.close()


def dropping(app: ASGIApp, protocol: EmulatorProtocol) -> ASGIApp:
    """``app``, whose ``{"type": DROP}`` message closes the connection instead of reaching
    uvicorn (which would refuse it: it is no ASGI message)."""

    async def with_drop(scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message["type"] == DROP:
                protocol.drop()
                return
            await send(message)

        await app(scope, receive, sending)

    return with_drop


def protocol_class(
    max_header_bytes: int, request_timeout: float, max_connections: int
) -> type[EmulatorProtocol]:
    """The protocol with a server's limits (uvicorn builds one instance per connection)."""
    limits = {
        "max_header_bytes": max_header_bytes,
        "request_timeout": request_timeout,
        "max_connections": max_connections,
        "waiting": {},
    }
    return type("EmulatorProtocol", (EmulatorProtocol,), limits)


#: Open files kept for the process itself: the database, its WAL and journal, logs, the
#: listening socket, the worker threads' and the event loop's own.
RESERVED_FILES = 64


def connection_limit() -> int:
    """The most connections to keep open: the soft limit of open files, raised to the hard
    limit first (as servers do), less :data:`RESERVED_FILES`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    files = wanted if soft == resource.RLIM_INFINITY else soft
    return max(16, files - RESERVED_FILES)
