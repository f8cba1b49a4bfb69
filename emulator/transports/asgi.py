"""The exchange every in-process transport shares: one request in, one answer (or a drop) out.

Library-neutral: a transport turns its library's request into a :class:`Request`, runs
:class:`Exchange` (``await`` it on the caller's loop, or :func:`run` it from sync code) and
turns the :class:`Answer`, or the :class:`Dropped` connection, into its library's own kind.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import anyio

from emulator.transports import DROP

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The client address the app sees (``request.client``).
CLIENT = ("127.0.0.1", 50000)
DEFAULT_PORTS = {"http": 80, "https": 443}
T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    method: str
    url: str  # absolute and percent-encoded, as the library sends it
    headers: Sequence[tuple[bytes, bytes]]
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Dropped(Exception):
    """The app dropped the connection: before it started an answer, or part-way through."""

    def __init__(self, started: bool, received: int, expected: int | None) -> None:
        self.started, self.received, self.expected = started, received, expected
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """What httpcore (httpx, httpx2) says when a real server does the same."""
        if not self.started:
            return "Server disconnected without sending a response."
        if self.expected is None:
            return "peer closed connection without sending complete message body"
        return (
            "peer closed connection without sending complete message body "
            f"(received {self.received} bytes, expected {self.expected})"
        )


@dataclass
class Reply:
    """What the app has sent so far."""

    status: int | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = False
    dropped: bool = False

    def take(self, message: Message) -> None:
        kind = message["type"]
        if kind == DROP:
            self.dropped = True
        elif kind == "http.response.start" and self.status is None:
            self.status = int(message["status"])
            self.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif kind == "http.response.body" and self.status is not None and not self.complete:
            self.chunks.append(bytes(message.get("body", b"")))
            self.complete = not message.get("more_body", False)

    def outcome(self) -> Answer:
        if self.dropped or not self.complete or self.status is None:
            raise self.drop()
        return Answer(self.status, self.headers, b"".join(self.chunks))

    def without_body(self) -> Answer:
        """The answer to a HEAD request: a server sends no body, whatever the app sends."""
        answer = self.outcome()
        return Answer(answer.status, answer.headers, b"")

    def drop(self) -> Dropped:
        lengths = [v for k, v in self.headers if k.lower() == b"content-length"]
        expected = int(lengths[0]) if lengths and lengths[0].isdigit() else None
        return Dropped(self.status is not None, sum(map(len, self.chunks)), expected)


class Exchange:
    """Calls an ASGI app with one request; ``await exchange(request)`` is its answer."""

    def __init__(
        self, app: ASGIApp, client: tuple[str, int] = CLIENT, raise_app_exceptions: bool = True
    ) -> None:
        self.app, self.client, self.raise_app_exceptions = app, client, raise_app_exceptions

    async def __call__(self, request: Request) -> Answer:
        reply, done = Reply(), anyio.Event()
        body_sent = False

        async def receive() -> Message:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": request.body, "more_body": False}
            await done.wait()  # the client stays until the answer is complete
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            reply.take(message)
            if reply.complete or reply.dropped:
                done.set()

        try:
            await self.app(scope(request, self.client), receive, send)
        except ConnectionError as error:  # the app dropped the connection
            raise reply.drop() from error
        except Exception:
            if self.raise_app_exceptions:
                raise
        finally:
            done.set()
        return reply.without_body() if request.method.upper() == "HEAD" else reply.outcome()


def scope(request: Request, client: tuple[str, int]) -> Scope:
    """The ASGI HTTP connection scope of a request."""
    url = urlsplit(request.url)
    raw_path = (url.path or "/").encode()
    host = url.hostname or "127.0.0.1"
    headers = [(k.lower(), v) for k, v in request.headers]
    if not any(k == b"host" for k, _ in headers):
        headers.insert(0, (b"host", url.netloc.rpartition("@")[2].encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method.upper(),
        "scheme": url.scheme or "http",
        "path": unquote(url.path or "/"),
        "raw_path": raw_path,
        "query_string": url.query.encode(),
        "root_path": "",
        "headers": headers,
        "client": client,
        "server": (host, url.port or DEFAULT_PORTS.get(url.scheme, 80)),
        "extensions": {DROP: {}},
    }


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs an exchange from sync code: on this thread's own loop or, when this thread is
    already running a loop (a sync client called from async code), beside it in a thread."""
    if running_loop() is not None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coroutine).result()
    return private_loop().run_until_complete(coroutine)


_loops = threading.local()


def private_loop() -> asyncio.AbstractEventLoop:
    """This thread's loop for in-process calls (one per thread, closed at exit)."""
    loop: asyncio.AbstractEventLoop | None = getattr(_loops, "loop", None)
    if loop is None or loop.is_closed():
        loop = _loops.loop = asyncio.new_event_loop()
        atexit.register(loop.close)
    return loop


def running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
