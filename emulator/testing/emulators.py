"""The emulated systems the pytest plugin's fixtures hand out: ``OpenCRM`` in-process,
``LiveServer`` on a loopback socket (a ``SharedSystem`` on the run's shared server,
emulator/testing/remote.py, or a ``PrivateServer`` of its own, in a thread of this process)."""

from __future__ import annotations

import importlib
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any

import httpx2
import uvicorn

from emulator.domain.clock import Clock
from emulator.serving import server
from emulator.serving.app import create_app
from emulator.systems import System
from emulator.testing.helpers import USER_AGENT, Emulated, known
from emulator.transports.httpx2 import InProcessTransport


class OpenCRM(Emulated):
    """An emulated OpenCRM system, and clients of the usual libraries that call it in-process.

    ``httpx_client()``, ``async_httpx_client()``, ``httpx2_client()`` and
    ``requests_session()`` are clients of those libraries whose requests, to any URL, reach
    the emulator, with that library's own exceptions (the httpx clients' ``base_url`` is
    ``origin``, so ``"/api/rest/get_contact"`` works too; requests needs ``base_url + end
    point``); ``transport(library)`` is the transport (for requests, the adapter) under them,
    for a client of your own making. ``client`` is an httpx2 client, kept for the tests
    written against it.
    """

    def __init__(
        self,
        system: System,
        origin: str = "http://127.0.0.1",
        runtime: Mapping[str, Any] | None = None,
    ) -> None:
        self.system = system
        self.name = system.name
        self.app = create_app(system=system)
        self.origin = origin
        self.client = httpx2.Client(
            transport=InProcessTransport(self.app),
            base_url=origin,
            headers={"User-Agent": USER_AGENT},
        )
        self.base_url = f"{origin}/api/rest/"
        self.key = system.settings.key
        self.passkey = system.settings.passkey
        self.runtime = dict(runtime or {})

    @property
    def clock(self) -> Clock:
        """The emulator's clock: ``freeze()``, ``set(datetime)``, ``advance(seconds)``."""
        return self.system.clock

    def entries(self, end_point: str | None = None) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.system.control.journal.entries(end_point)]

    def transport(self, library: str = "httpx", *, asynchronous: bool = False) -> Any:
        """The in-process transport of ``library`` ("httpx", "httpx2"; ``asynchronous`` for
        their async clients) or, for "requests", the adapter to mount on a session."""
        module = importlib.import_module(f"emulator.transports.{known(library, asynchronous)}")
        if library == "requests":
            return module.InProcessAdapter(self.app)
        kind = module.AsyncInProcessTransport if asynchronous else module.InProcessTransport
        return kind(self.app)

    def audit(self, crmid: int) -> list[dict[str, Any]]:
        return self.system.backend.audit_trail(crmid)

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change runtime behaviour (see the control plane's PUT settings); the new settings."""
        if changes:
            self.system.control.change_behaviour(changes)
        return self.system.control.describe_settings()

    def reset_system(self) -> None:
        self.system.control.reset()


class LiveServer(Emulated):
    """An emulated system on a real loopback socket (``opencrm_server``): ``port``, and
    clients of each library that reach it through the socket."""

    port: int

    def transport(self, library: str = "httpx", *, asynchronous: bool = False) -> Any:
        """The library's own network transport (for requests, its ``HTTPAdapter``)."""
        module = importlib.import_module(known(library, asynchronous))
        if library == "requests":
            return importlib.import_module("requests.adapters").HTTPAdapter()
        return module.AsyncHTTPTransport() if asynchronous else module.HTTPTransport()


class PrivateServer(LiveServer, OpenCRM):
    """A system of this process served by uvicorn on a free loopback port, in a thread: for
    settings a shared server cannot give one system. Its clients of each library reach it
    through the socket; ``client`` stays in-process."""

    def __init__(self, system: System, runtime: Mapping[str, Any] | None = None) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        super().__init__(system, f"http://127.0.0.1:{self.port}", runtime)
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

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        super().close()
