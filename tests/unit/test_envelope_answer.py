"""envelope.Answer is Starlette's Response of a JSON body, made faster: the same status,
body, headers (in the same order) and messages on the wire, for every kind of status."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.responses import Response

from emulator.wire import envelope

BODY = b'{"error":"Unauthorized"}'


def messages(response: Response) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(response({"type": "http"}, receive, send))
    return sent


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 429, 500, 503, 204, 304, 101])
def test_an_answer_is_what_starlette_makes_of_the_same_json_body(status: int) -> None:
    made = envelope.respond(BODY, status)
    starlette = Response(BODY, status_code=status, media_type=envelope.MEDIA_TYPE)
    assert made.raw_headers == starlette.raw_headers
    assert (made.status_code, made.body, made.media_type) == (status, BODY, "application/json")
    assert made.background is None
    assert {**vars(made), "media_type": made.media_type} == vars(starlette)  # nothing more
    assert messages(made) == messages(starlette)


def test_an_answer_takes_headers_added_after_it_is_made() -> None:
    made = envelope.respond(b"[]")
    made.headers.append("X-Finding", "one")
    assert made.raw_headers[-1] == (b"x-finding", b"one")
    assert made.headers["content-length"] == "2"
