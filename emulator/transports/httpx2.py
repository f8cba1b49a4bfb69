"""In-process transports for httpx2 (the httpx fork Starlette's TestClient runs on):
``httpx2.Client(transport=InProcessTransport(app))`` and
``httpx2.AsyncClient(transport=AsyncInProcessTransport(app))``.

The same code as ``emulator.transports.httpx`` over httpx2's classes: keep the two alike.

Errors are httpx2's own: ``raise_for_status()`` raises ``httpx2.HTTPStatusError``, and a
dropped connection ``httpx2.RemoteProtocolError``, as on a real socket.
"""

from __future__ import annotations

import httpx2

from emulator.transports import asgi


class InProcessTransport(httpx2.BaseTransport):
    """Calls the ASGI app on an event loop of its own, in the calling thread (no portal
    thread, no socket): a call costs what the app costs."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        client: tuple[str, int] = asgi.CLIENT,
        raise_app_exceptions: bool = True,
    ) -> None:
        self.exchange = asgi.Exchange(app, client, raise_app_exceptions)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        sent = asgi.Request(request.method, str(request.url), request.headers.raw, request.read())
        try:
            answer = asgi.run(self.exchange(sent))
        except asgi.Dropped as dropped:
            raise httpx2.RemoteProtocolError(dropped.message, request=request) from dropped
        return response(answer, request)


class AsyncInProcessTransport(httpx2.AsyncBaseTransport):
    """Calls the ASGI app on the caller's event loop."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        client: tuple[str, int] = asgi.CLIENT,
        raise_app_exceptions: bool = True,
    ) -> None:
        self.exchange = asgi.Exchange(app, client, raise_app_exceptions)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        sent = asgi.Request(request.method, str(request.url), request.headers.raw, body)
        try:
            answer = await self.exchange(sent)
        except asgi.Dropped as dropped:
            raise httpx2.RemoteProtocolError(dropped.message, request=request) from dropped
        return response(answer, request)


def response(answer: asgi.Answer, request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(
        answer.status,
        headers=answer.headers,
        content=answer.body,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )
