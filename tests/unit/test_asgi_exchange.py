"""The exchange the in-process transports share, over tiny ASGI apps: every way an app can
drop a connection, and what becomes of the other exceptions it raises."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import requests

from emulator.transports import DROP
from emulator.transports.asgi import Message, Receive, Scope, Send
from emulator.transports.httpx import InProcessTransport
from emulator.transports.requests import InProcessAdapter

URL = "http://127.0.0.1/"
START = {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"10")]}


async def aborts_before_answering(scope: Scope, receive: Receive, send: Send) -> None:
    raise ConnectionAbortedError("gone")


async def returns_without_answering(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()


async def drops_part_way(scope: Scope, receive: Receive, send: Send) -> None:
    assert DROP in scope["extensions"]
    await send(START)
    await send({"type": "http.response.body", "body": b"abc", "more_body": True})
    await send({"type": DROP})


async def fails_after_answering(scope: Scope, receive: Receive, send: Send) -> None:
    await send(START)
    await send({"type": "http.response.body", "body": b"0123456789"})
    raise ValueError("a bug after the answer")


async def fails_before_answering(scope: Scope, receive: Receive, send: Send) -> None:
    raise ValueError("a bug")


def httpx_get(app: Any, **options: Any) -> httpx.Response:
    return httpx.Client(transport=InProcessTransport(app, **options)).get(URL)


def requests_get(app: Any) -> requests.Response:
    session = requests.Session()
    session.mount("http://", InProcessAdapter(app))
    return session.get(URL)


@pytest.mark.parametrize("app", [aborts_before_answering, returns_without_answering])
def test_an_app_that_never_answers_drops_the_connection_before_any_response(app: Any) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        httpx_get(app)
    with pytest.raises(requests.exceptions.ConnectionError) as raised:
        requests_get(app)
    assert not isinstance(raised.value, requests.exceptions.ChunkedEncodingError)


def test_the_drop_extension_breaks_off_an_answer_part_way() -> None:
    with pytest.raises(httpx.RemoteProtocolError, match=r"received 3 bytes, expected 10"):
        httpx_get(drops_part_way)
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="7 more expected"):
        requests_get(drops_part_way)


def test_other_exceptions_of_the_app_reach_the_caller_unless_asked_not_to() -> None:
    with pytest.raises(ValueError, match="a bug after the answer"):
        httpx_get(fails_after_answering)
    assert httpx_get(fails_after_answering, raise_app_exceptions=False).content == b"0123456789"
    with pytest.raises(httpx.RemoteProtocolError):
        httpx_get(fails_before_answering, raise_app_exceptions=False)


def test_the_app_sees_the_request_as_a_server_would_pass_it() -> None:
    seen: list[Message] = []

    async def echo(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(dict(scope))
        body = (await receive())["body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    client = httpx.Client(transport=InProcessTransport(echo))
    assert client.post("http://example.test:8080/a%2Fb?x=1", content=b"hi").content == b"hi"
    [scope] = seen
    assert (scope["path"], scope["raw_path"], scope["query_string"]) == ("/a/b", b"/a%2Fb", b"x=1")
    assert scope["server"] == ("example.test", 8080)
    assert (b"host", b"example.test:8080") in scope["headers"]
    assert scope["client"] == ("127.0.0.1", 50000)
