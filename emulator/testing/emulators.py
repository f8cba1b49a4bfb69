"""The emulators the pytest plugin's fixtures hand out: ``OpenCRM`` in-process, ``LiveServer``
on a loopback socket, and ``Emulators``, one system per marker configuration."""

from __future__ import annotations

import importlib
import socket
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx2
import uvicorn

from emulator.domain.clock import Clock
from emulator.serving import server
from emulator.serving.app import create_app
from emulator.settings import build
from emulator.system import System
from emulator.testing import expectations
from emulator.testing.answers import OpenCRMAPIError, checked
from emulator.transports.httpx2 import InProcessTransport

if TYPE_CHECKING:
    import httpx
    import requests

#: The libraries ``transport`` knows, as their import names.
LIBRARIES = ("httpx", "httpx2", "requests")


class OpenCRM:
    """An emulated OpenCRM system, and clients of the usual libraries that call it in-process.

    ``httpx_client()``, ``async_httpx_client()``, ``httpx2_client()`` and
    ``requests_session()`` are clients of those libraries whose requests, to any URL, reach
    the emulator, with that library's own exceptions (the httpx clients' ``base_url`` is
    ``origin``, so ``"/api/rest/get_contact"`` works too; requests needs ``base_url + end
    point``); ``transport(library)`` is the transport (for requests, the adapter) under them,
    for a client of your own making. ``client`` is an httpx2 client, kept for the tests
    written against it.
    """

    APIError = OpenCRMAPIError

    def __init__(self, system: System, origin: str = "http://127.0.0.1") -> None:
        self.system = system
        self.app = create_app(system=system)
        self.origin = origin
        self.client = httpx2.Client(transport=InProcessTransport(self.app), base_url=origin)
        self.base_url = f"{origin}/api/rest/"
        self.key = system.settings.key
        self.passkey = system.settings.passkey

    @property
    def credentials(self) -> dict[str, str]:
        return {"key": self.key, "passkey": self.passkey}

    @property
    def clock(self) -> Clock:
        """The emulator's clock: ``freeze()``, ``set(datetime)``, ``advance(seconds)``."""
        return self.system.clock

    def call(self, end_point: str, /, *, check: bool = True, **params: Any) -> Any:
        """POST form fields with the key pair (as real clients do); the decoded JSON answer.
        An error answer raises ``OpenCRMAPIError`` (``self.APIError``), unless ``check=False``."""
        response = self.client.post(f"/api/rest/{end_point}", data={**self.credentials, **params})
        answer = response.json()
        return checked(end_point, answer, response.status_code) if check else answer

    def journal(self, end_point: str | None = None, **params: Any) -> list[dict[str, Any]]:
        """The calls made, oldest first: of that end point, with those parameter values."""
        entries = [e.as_dict() for e in self.system.control.journal.entries(end_point)]
        return expectations.select(entries, end_point, params)

    def assert_called(
        self, end_point: str, times: int | None = 1, **params: Any
    ) -> list[dict[str, Any]]:
        """Fails unless the end point was called ``times`` times (``None``: at least once)
        with those parameter values, listing the near misses; the matching calls."""
        __tracebackhide__ = True
        entries = [e.as_dict() for e in self.system.control.journal.entries()]
        return expectations.assert_called(entries, end_point, times, params)

    def transport(self, library: str = "httpx", *, asynchronous: bool = False) -> Any:
        """The in-process transport of ``library`` ("httpx", "httpx2"; ``asynchronous`` for
        their async clients) or, for "requests", the adapter to mount on a session."""
        module = importlib.import_module(f"emulator.transports.{known(library, asynchronous)}")
        if library == "requests":
            return module.InProcessAdapter(self.app)
        kind = module.AsyncInProcessTransport if asynchronous else module.InProcessTransport
        return kind(self.app)

    def httpx_client(self, **options: Any) -> httpx.Client:
        import httpx

        return httpx.Client(**self.client_options("httpx", False, options))

    def async_httpx_client(self, **options: Any) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(**self.client_options("httpx", True, options))

    def httpx2_client(self, **options: Any) -> httpx2.Client:
        return httpx2.Client(**self.client_options("httpx2", False, options))

    def requests_session(self) -> requests.Session:
        import requests

        session = requests.Session()
        for prefix in ("http://", "https://"):
            session.mount(prefix, self.transport("requests"))
        return session

    def client_options(
        self, library: str, asynchronous: bool, options: Mapping[str, Any]
    ) -> dict[str, Any]:
        transport = self.transport(library, asynchronous=asynchronous)
        return {"base_url": self.origin, "transport": transport, **options}

    def audit(self, crmid: int) -> list[dict[str, Any]]:
        return self.system.backend.audit_trail(crmid)

    def fault(self, end_point: str = "*", kind: str = "error", **rule: Any) -> None:
        """Make calls fail: ``kind`` "error" (``message``), "status" (``status``) or "drop";
        ``times=N`` for the next N calls, ``probability=p`` for a share of them."""
        faults = [
            *self.settings()["runtime"]["faults"],
            {"end_point": end_point, "kind": kind, **rule},
        ]
        self.settings(faults=faults)

    def latency(self, ms: float, end_point: str = "*", max_ms: float | None = None) -> None:
        rule = {"end_point": end_point, "min_ms": ms, "max_ms": ms if max_ms is None else max_ms}
        self.settings(latency=[*self.settings()["runtime"]["latency"], rule])

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change runtime behaviour (see the control plane's PUT settings); the new settings."""
        if changes:
            self.system.control.change_behaviour(changes)
        return self.system.control.describe_settings()

    def reset(self) -> None:
        self.system.control.reset()

    def close(self) -> None:
        self.client.close()


def known(library: str, asynchronous: bool) -> str:
    if library not in LIBRARIES or (asynchronous and library == "requests"):
        what = "async transport" if asynchronous else "transport"
        some = "httpx, httpx2" if asynchronous else ", ".join(LIBRARIES)
        raise ValueError(f"no {what} for {library!r}; there are for {some}")
    return library


class LiveServer(OpenCRM):
    """The emulator served by uvicorn on a free loopback port, in a thread of this process.
    Its clients of each library reach it through the socket; ``client`` stays in-process."""

    def __init__(self, system: System) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        super().__init__(system, f"http://127.0.0.1:{self.port}")
        plain = {"ssl_certfile": None, "ssl_keyfile": None}  # the base URL is http://
        config = server.config(
            self.app, system.settings, log_level="warning", lifespan="off", **plain
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]})
        self.thread.daemon = True
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the emulator's live server did not start within 10 s")
            time.sleep(0.01)

    def transport(self, library: str = "httpx", *, asynchronous: bool = False) -> Any:
        """The library's own network transport (for requests, its ``HTTPAdapter``)."""
        module = importlib.import_module(known(library, asynchronous))
        if library == "requests":
            return importlib.import_module("requests.adapters").HTTPAdapter()
        return module.AsyncHTTPTransport() if asynchronous else module.HTTPTransport()

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        super().close()


Key = tuple[tuple[str, Any], ...]


class Emulators:
    """One system per distinct marker configuration, built on first use, closed at the end."""

    def __init__(self) -> None:
        self.systems: dict[Key, System] = {}
        self.servers: dict[Key, LiveServer] = {}
        self.clients: dict[Key, OpenCRM] = {}

    def system(self, settings: Mapping[str, Any]) -> tuple[Key, System]:
        key = tuple(sorted((k, str(v)) for k, v in settings.items()))
        if key not in self.systems:
            self.systems[key] = System(build(settings))
        system = self.systems[key]
        system.control.reset()
        return key, system

    def in_process(self, settings: Mapping[str, Any]) -> OpenCRM:
        key, system = self.system(settings)
        if key not in self.clients:
            self.clients[key] = OpenCRM(system)
        return self.clients[key]

    def live(self, settings: Mapping[str, Any]) -> LiveServer:
        key, system = self.system(settings)
        if key not in self.servers:
            self.servers[key] = LiveServer(system)
        return self.servers[key]

    def close(self) -> None:
        for crm in [*self.servers.values(), *self.clients.values()]:
            crm.close()
        for system in self.systems.values():
            system.close()
