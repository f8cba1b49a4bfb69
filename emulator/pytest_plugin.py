"""A pytest plugin for testing OpenCRM clients against the emulator.

Installed with the package (entry point ``pytest11``), so it needs no import:

- ``opencrm``: an in-process emulator (no socket) with a client, its base URL and key pair,
  reset to its fixtures before each test, with helpers for the journal, the audit trail,
  faults, latency and the clock.
- ``opencrm_server``: the same emulator served by uvicorn on a free 127.0.0.1 port in a
  thread, for clients that need a real socket. One server per pytest-xdist worker.
- ``@pytest.mark.opencrm(records=..., seed=..., fixtures=..., **settings)``: the emulator a test
  gets; tests with the same marker arguments share one emulator (reset between them).
"""

from __future__ import annotations

import asyncio
import atexit
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
import uvicorn
from starlette.types import ASGIApp

from emulator.domain.clock import Clock
from emulator.serving.app import create_app
from emulator.settings import build
from emulator.system import System

MARKER = "opencrm"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(records=0, seed=0, fixtures='', **settings): configure the OpenCRM emulator",
    )


class InProcess(httpx2.BaseTransport):
    """Calls the ASGI app on an event loop of its own, in the calling thread.

    Starlette's TestClient runs the app in a portal thread and hops between threads several
    times per request; this transport does not, so a call costs what the app costs
    (benchmark: the in-process fixture figure). Exceptions raised by the app reach the
    caller, as with the TestClient.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.asgi = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50000))

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()  # a body given as a sync iterator becomes bytes the ASGI side can read
        if running_loop() is not None:  # called from async code: run beside its loop
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, self.send(request)).result()
        return private_loop().run_until_complete(self.send(request))

    async def send(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.asgi.handle_async_request(request)
        content = await response.aread()
        return httpx2.Response(response.status_code, headers=response.headers, content=content)


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


class OpenCRM:
    """An emulated OpenCRM system and a client that calls it in-process."""

    def __init__(self, system: System, base_url: str = "http://127.0.0.1") -> None:
        self.system = system
        self.app = create_app(system=system)
        self.client = httpx2.Client(transport=InProcess(self.app), base_url=base_url)
        self.base_url = f"{base_url}/api/rest/"
        self.key = system.settings.key
        self.passkey = system.settings.passkey

    @property
    def credentials(self) -> dict[str, str]:
        return {"key": self.key, "passkey": self.passkey}

    @property
    def clock(self) -> Clock:
        """The emulator's clock: ``freeze()``, ``set(datetime)``, ``advance(seconds)``."""
        return self.system.clock

    def call(self, end_point: str, **params: Any) -> Any:
        """POST form fields with the key pair (as real clients do); the decoded JSON answer."""
        response = self.client.post(f"/api/rest/{end_point}", data={**self.credentials, **params})
        return response.json()

    def journal(self, end_point: str | None = None) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.system.control.journal.entries(end_point)]

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


class LiveServer(OpenCRM):
    """The emulator served by uvicorn on a free loopback port, in a thread of this process."""

    def __init__(self, system: System) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        super().__init__(system, f"http://127.0.0.1:{self.port}")
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]})
        self.thread.daemon = True
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the emulator's live server did not start within 10 s")
            time.sleep(0.01)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        super().close()


def marker_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    return dict(marker.kwargs) if marker else {}


class Emulators:
    """One system per distinct marker configuration, built on first use, closed at the end."""

    def __init__(self) -> None:
        self.systems: dict[tuple[tuple[str, Any], ...], System] = {}
        self.servers: dict[tuple[tuple[str, Any], ...], LiveServer] = {}
        self.clients: dict[tuple[tuple[str, Any], ...], OpenCRM] = {}

    def system(self, settings: Mapping[str, Any]) -> tuple[tuple[tuple[str, Any], ...], System]:
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


@pytest.fixture(scope="session")
def opencrm_emulators() -> Iterator[Emulators]:
    emulators = Emulators()
    yield emulators
    emulators.close()


@pytest.fixture
def opencrm(opencrm_emulators: Emulators, request: pytest.FixtureRequest) -> OpenCRM:
    """The emulator, in-process and reset: every test starts from the same data."""
    return opencrm_emulators.in_process(marker_settings(request))


@pytest.fixture
def opencrm_server(opencrm_emulators: Emulators, request: pytest.FixtureRequest) -> LiveServer:
    """The emulator on a real socket (``.base_url``), reset: for clients that need one."""
    return opencrm_emulators.live(marker_settings(request))
