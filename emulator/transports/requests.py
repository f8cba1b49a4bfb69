"""An in-process transport adapter for requests, to mount on a session:
``session.mount("http://", InProcessAdapter(app))``.

Errors are requests' own: ``raise_for_status()`` raises ``requests.HTTPError``, and a dropped
connection ``requests.exceptions.ConnectionError``. Part-way through an answer a real socket
gives ``ChunkedEncodingError`` instead; the error raised then (:class:`ConnectionBroken`) is
both, so either ``except`` catches it. It is raised by ``send`` even with ``stream=True``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from http.client import RemoteDisconnected
from typing import Any

import requests
import requests.adapters
import requests.exceptions
from requests.exceptions import ChunkedEncodingError
from urllib3 import HTTPHeaderDict, HTTPResponse
from urllib3.exceptions import IncompleteRead, ProtocolError

from emulator.transports import asgi


class ConnectionBroken(ChunkedEncodingError, requests.exceptions.ConnectionError):
    """The connection dropped after the answer had started."""


class InProcessAdapter(requests.adapters.HTTPAdapter):
    """Calls the ASGI app on an event loop of its own, in the calling thread (no socket)."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        client: tuple[str, int] = asgi.CLIENT,
        raise_app_exceptions: bool = True,
    ) -> None:
        super().__init__()
        self.exchange = asgi.Exchange(app, client, raise_app_exceptions)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in request.headers.items()]
        sent = asgi.Request(request.method or "GET", request.url or "", headers, body(request.body))
        try:
            answer = asgi.run(self.exchange(sent))
        except asgi.Dropped as dropped:
            raise dropped_error(dropped, request) from dropped
        return self.build_response(request, raw_response(answer, sent.method))


def body(content: Any) -> bytes:
    """A prepared request's body as bytes (http.client sends a str as Latin-1)."""
    if content is None:
        return b""
    if hasattr(content, "read"):
        content = content.read()
    if isinstance(content, str):
        return content.encode("latin-1")
    if isinstance(content, bytes | bytearray | memoryview):
        return bytes(content)
    if isinstance(content, Iterable):  # a generator of chunks, say
        return b"".join(body(chunk) for chunk in content)
    raise TypeError(f"a request body requests cannot send: {type(content).__name__}")


def raw_response(answer: asgi.Answer, method: str) -> HTTPResponse:
    headers = HTTPHeaderDict()
    for name, value in answer.headers:
        headers.add(name.decode("latin-1"), value.decode("latin-1"))
    return HTTPResponse(
        body=io.BytesIO(answer.body),
        headers=headers,
        status=answer.status,
        reason=reason(answer.status),
        preload_content=False,
        decode_content=False,
        request_method=method,
    )


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def dropped_error(
    dropped: asgi.Dropped, request: requests.PreparedRequest
) -> requests.exceptions.ConnectionError:
    """What requests raises when a real server does the same."""
    if not dropped.started:
        cause = RemoteDisconnected("Remote end closed connection without response")
        return requests.exceptions.ConnectionError(
            ProtocolError("Connection aborted.", cause), request=request
        )
    if dropped.expected is None:
        broken = ProtocolError("Connection broken: the server closed the connection")
    else:
        read = IncompleteRead(dropped.received, dropped.expected - dropped.received)
        broken = ProtocolError(f"Connection broken: {read!r}", read)
    return ConnectionBroken(broken, request=request)
