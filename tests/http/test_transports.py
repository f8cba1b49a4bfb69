"""The in-process transports, each under a small OpenCRM client of its library, as users
write them: answers, errors and dropped connections of that library's own kinds."""

from __future__ import annotations

import asyncio
import logging
import re
from types import ModuleType
from typing import Any

import httpx
import httpx2
import pytest
import requests

from emulator.pytest_plugin import LiveServer, OpenCRM
from emulator.transports import httpx as httpx_transports
from emulator.transports import httpx2 as httpx2_transports
from emulator.transports.requests import InProcessAdapter

BASE_URL = "http://127.0.0.1/api/rest/"
#: As a real client must: the live API's firewall (and the emulator's) refuses python's own.
AGENT = {"User-Agent": "my-integration/1.0"}


class HttpxClient:
    """An OpenCRM client written with httpx (or httpx2, whose API is the same)."""

    def __init__(self, key: str, passkey: str, library: ModuleType, transport: Any) -> None:
        self.credentials = {"key": key, "passkey": passkey}
        self.http = library.Client(transport=transport, base_url=BASE_URL, headers=AGENT)

    def call(self, end_point: str, **params: str) -> Any:
        response = self.http.post(end_point, data={**self.credentials, **params})
        response.raise_for_status()
        return response.json()


class RequestsClient:
    """An OpenCRM client written with requests, on a session it is given."""

    def __init__(self, key: str, passkey: str, session: requests.Session) -> None:
        self.credentials = {"key": key, "passkey": passkey}
        self.session = session
        self.session.headers.update(AGENT)

    def call(self, end_point: str, **params: str) -> Any:
        response = self.session.post(BASE_URL + end_point, data={**self.credentials, **params})
        response.raise_for_status()
        return response.json()


class AsyncHttpxClient:
    def __init__(self, key: str, passkey: str, transport: httpx.AsyncBaseTransport) -> None:
        self.credentials = {"key": key, "passkey": passkey}
        self.http = httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AGENT)

    async def call(self, end_point: str, **params: str) -> Any:
        response = await self.http.post(end_point, data={**self.credentials, **params})
        response.raise_for_status()
        return response.json()


def client_of(library: str, app: Any) -> HttpxClient | RequestsClient:
    if library == "requests":
        session = requests.Session()
        session.mount("http://", InProcessAdapter(app))
        return RequestsClient("demo-key", "demo-passkey", session)
    if library == "httpx":
        return HttpxClient(
            "demo-key", "demo-passkey", httpx, httpx_transports.InProcessTransport(app)
        )
    return HttpxClient(
        "demo-key", "demo-passkey", httpx2, httpx2_transports.InProcessTransport(app)
    )


#: Per library: what raise_for_status() raises, and what a dropped connection raises.
ERRORS: dict[str, tuple[type[Exception], type[Exception]]] = {
    "httpx": (httpx.HTTPStatusError, httpx.RemoteProtocolError),
    "httpx2": (httpx2.HTTPStatusError, httpx2.RemoteProtocolError),
    "requests": (requests.HTTPError, requests.exceptions.ConnectionError),
}
#: What a real socket says when the emulator drops the connection: nothing was sent.
DROP_WORDS = {
    "httpx": "Server disconnected without sending a response.",
    "httpx2": "Server disconnected without sending a response.",
    "requests": "Remote end closed connection without response",
}
#: What each library raises for that drop on a real socket: the in-process error is one too.
ON_A_SOCKET: dict[str, type[Exception]] = {
    "httpx": httpx.RemoteProtocolError,
    "httpx2": httpx2.RemoteProtocolError,
    "requests": requests.exceptions.ConnectionError,
}
LIBRARIES = pytest.mark.parametrize("library", list(ERRORS))


@LIBRARIES
def test_a_call_answers_what_the_emulator_answers(opencrm: OpenCRM, library: str) -> None:
    client = client_of(library, opencrm.app)
    crmid = client.call("edit_contact", crmid="0", lastname="Lovelace")
    assert client.call("get_contact", crmid=str(crmid))["lastname"] == "Lovelace"
    assert client.call("get_contact_list_count") == 12


@LIBRARIES
def test_an_error_answer_is_an_answer_with_the_status_200_by_default(
    opencrm: OpenCRM, library: str
) -> None:
    answer = client_of(library, opencrm.app).call("get_led")
    assert answer == {"error": "Unknown end point: get_led"}


@LIBRARIES
def test_raise_for_status_raises_the_librarys_own_error_under_http_error_statuses(
    opencrm: OpenCRM, library: str
) -> None:
    opencrm.settings(error_status="http")
    with pytest.raises(ERRORS[library][0]) as raised:
        client_of(library, opencrm.app).call("get_contact", crmid="999999")
    assert "404" in str(raised.value)


@LIBRARIES
def test_a_dropped_connection_raises_the_librarys_own_error_and_logs_no_error(
    opencrm: OpenCRM, library: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_of(library, opencrm.app)
    opencrm.fault("get_contact_list_count", kind="drop", times=1)
    with pytest.raises(ERRORS[library][1]) as raised:
        client.call("get_contact_list_count")
    assert isinstance(raised.value, ON_A_SOCKET[library])
    assert DROP_WORDS[library] in str(raised.value)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert client.call("get_contact_list_count") == 11


@LIBRARIES
def test_on_the_live_servers_socket_the_same_clients_meet_the_same_drop(
    opencrm_server: LiveServer, library: str
) -> None:
    make = {"httpx": "httpx_client", "httpx2": "httpx2_client", "requests": "requests_session"}
    http = getattr(opencrm_server, make[library])()
    url, keys = opencrm_server.base_url + "get_contact_list_count", opencrm_server.credentials
    assert http.post(url, data=keys, headers=AGENT).json() == 11
    opencrm_server.fault("get_contact_list_count", kind="drop", times=1)
    with pytest.raises(ON_A_SOCKET[library], match=re.escape(DROP_WORDS[library])) as raised:
        http.post(url, data=keys, headers=AGENT)
    assert type(raised.value) is ON_A_SOCKET[library]


def test_the_async_httpx_transport_runs_on_the_callers_loop(opencrm: OpenCRM) -> None:
    async def scenario() -> None:
        client = AsyncHttpxClient("demo-key", "demo-passkey", opencrm.transport(asynchronous=True))
        assert await client.call("get_contact_list_count") == 11
        opencrm.fault("get_contact_list_count", kind="drop", times=1)
        with pytest.raises(httpx.RemoteProtocolError):
            await client.call("get_contact_list_count")
        opencrm.settings(error_status="http")
        with pytest.raises(httpx.HTTPStatusError):
            await client.call("get_led")
        await client.http.aclose()

    asyncio.run(scenario())


def test_a_sync_client_works_inside_async_code(opencrm: OpenCRM) -> None:
    async def scenario() -> Any:
        return client_of("httpx", opencrm.app).call("get_contact_list_count")

    assert asyncio.run(scenario()) == 11


def test_query_strings_reach_the_app_and_a_head_answer_has_no_body(opencrm: OpenCRM) -> None:
    session = requests.Session()
    session.headers.update(AGENT)
    session.mount("http://", InProcessAdapter(opencrm.app))
    answer = session.get(BASE_URL + "get_contact_list_count", params=opencrm.credentials)
    assert answer.json() == 11
    head = session.head("http://127.0.0.1/_emulator/health")
    assert (head.status_code, head.content) == (200, b"")


def test_a_transport_of_an_unknown_library_is_a_clear_error(opencrm: OpenCRM) -> None:
    with pytest.raises(ValueError, match="no transport for 'aiohttp'; there are for httpx"):
        opencrm.transport("aiohttp")
    with pytest.raises(ValueError, match="no async transport for 'requests'"):
        opencrm.transport("requests", asynchronous=True)
