"""``Emulators``: the emulated systems of one pytest process, one per marker configuration,
made on first use and reset before every test that uses them.

- In-process (``opencrm``): a ``System`` of this process per configuration.
- On a socket (``opencrm_server``): a system of this process's own on the run's shared
  server (``SharedSystem``, named after the xdist worker: ``gw0-<pid>-1``), unless the
  marker has settings only a server of its own can give (emulator/testing/markers.py): then
  a ``PrivateServer`` in a thread, over that configuration's in-process ``System``.
- ``own``: a new system for one test, which ``discard`` removes.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import uuid
from collections.abc import Mapping
from typing import Any

from emulator.settings import Settings, build
from emulator.store.postgres import with_schema_prefix
from emulator.systems import System
from emulator.testing import shared
from emulator.testing.emulators import LiveServer, OpenCRM, PrivateServer
from emulator.testing.markers import Key, Marker
from emulator.testing.remote import ControlPlane, SharedSystem


class Emulators:
    """The emulated systems of one process of a pytest run (``run``; without one, a run of
    its own, whose shared server ``close`` stops)."""

    def __init__(self, run: shared.Run | None = None) -> None:
        self.run = run or shared.Run.new()
        self.owns_run = run is None
        self.systems: dict[Key, System] = {}
        self.clients: dict[Key, OpenCRM] = {}
        self.servers: dict[Key, LiveServer] = {}
        self.control: ControlPlane | None = None
        self.made = itertools.count(1)

    def system(self, marker: Marker) -> System:
        if marker.key not in self.systems:
            self.systems[marker.key] = System(self.settings(marker))
        return self.systems[marker.key]

    def settings(self, marker: Marker) -> Settings:
        """A marker's settings. On PostgreSQL each system of the run's gets a schema prefix
        of its own, so that they share nothing."""
        settings = build(marker.startup())
        if settings.database.startswith("postgresql"):
            prefix = f"t{uuid.uuid4().hex[:12]}"
            database = with_schema_prefix(settings.database, prefix)
            settings = dataclasses.replace(settings, database=database)
        return settings

    def in_process(self, settings: Mapping[str, Any]) -> OpenCRM:
        marker = Marker(settings)
        if marker.key not in self.clients:
            self.clients[marker.key] = OpenCRM(self.system(marker), runtime=marker.behaviour())
        crm = self.clients[marker.key]
        crm.reset()
        return crm

    def live(self, settings: Mapping[str, Any]) -> LiveServer:
        marker = Marker(settings)
        if marker.key not in self.servers:
            if marker.private:
                made: LiveServer = PrivateServer(self.system(marker), marker.behaviour())
            else:
                made = SharedSystem.create(self.control_plane(), self.name(""), marker)
            self.servers[marker.key] = made
        server = self.servers[marker.key]
        server.reset()
        return server

    def own(self, settings: Mapping[str, Any]) -> LiveServer:
        """A new system that nobody else uses (``discard`` it after)."""
        marker = Marker(settings)
        if not marker.private:
            return SharedSystem.create(self.control_plane(), self.name("own"), marker)
        server = PrivateServer(System(self.settings(marker)), marker.behaviour())
        server.reset()
        return server

    def discard(self, server: LiveServer) -> None:
        if isinstance(server, SharedSystem):
            server.delete()
        elif isinstance(server, PrivateServer):
            server.close()
            server.system.close()

    def name(self, kind: str) -> str:
        """A system name no other process of the run makes: ``gw0-4242-1``."""
        worker = re.sub(r"[^a-z0-9]+", "-", self.run.worker.lower()).strip("-")[:30] or "w"
        return f"{worker}-{os.getpid()}-{kind}{next(self.made)}"

    def control_plane(self) -> ControlPlane:
        """The shared server's control plane (the server starts here, if it is the first)."""
        if self.control is None:
            self.control = ControlPlane(shared.server(self.run).origin)
        return self.control

    def close(self) -> None:
        for crm in [*self.servers.values(), *self.clients.values()]:
            crm.close()
        for system in self.systems.values():
            system.close()
        if self.control is not None:
            self.control.close()
        if self.owns_run:
            shared.stop(self.run)
