"""In-process transports for httpx: ``httpx.Client(transport=InProcessTransport(app))`` and
``httpx.AsyncClient(transport=AsyncInProcessTransport(app))``.

Errors are httpx's own: ``raise_for_status()`` raises ``httpx.HTTPStatusError``, and a
dropped connection ``httpx.RemoteProtocolError``, as on a real socket.
"""

from __future__ import annotations

import httpx

from emulator.transports import asgi


class InProcessTransport(httpx.BaseTransport):
    """Calls the ASGI app on an event loop of its own, in the calling thread (no portal
    thread, no socket): a call costs what the app costs."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        client: tuple[str, int] = asgi.CLIENT,
        raise_app_exceptions: bool = True,
    ) -> None:
        self.exchange = asgi.Exchange(app, client, raise_app_exceptions)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        sent = asgi.Request(request.method, str(request.url), request.headers.raw, request.read())
        try:
            answer = asgi.run(self.exchange(sent))
        except asgi.Dropped as dropped:
            raise httpx.RemoteProtocolError(dropped.message, request=request) from dropped
        return response(answer, request)


class AsyncInProcessTransport(httpx.AsyncBaseTransport):
    """Calls the ASGI app on the caller's event loop."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        client: tuple[str, int] = asgi.CLIENT,
        raise_app_exceptions: bool = True,
    ) -> None:
        self.exchange = asgi.Exchange(app, client, raise_app_exceptions)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        sent = asgi.Request(request.method, str(request.url), request.headers.raw, body)
        try:
            answer = await self.exchange(sent)
        except asgi.Dropped as dropped:
            raise httpx.RemoteProtocolError(dropped.message, request=request) from dropped
        return response(answer, request)


def response(answer: asgi.Answer, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        answer.status,
        headers=answer.headers,
        content=answer.body,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )
