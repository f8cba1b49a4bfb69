"""Which systems the dashboard shows, and by which name: the app's systems registry
(emulator.systems.Systems), in the order it lists them. Every page and action finds its
system through :func:`system_named`; the URLs carry the name: ``/_emulator/ui/systems/{name}/``.
"""

from __future__ import annotations

from starlette.requests import Request

from emulator.errors import UnknownSystem
from emulator.systems import System, Systems


class NoSuchSystem(LookupError):
    """No system of that name (the page answers 404)."""


def systems_of(request: Request) -> list[tuple[str, System]]:
    """Every system this app serves, with its name, in the order the dashboard lists them."""
    systems: Systems = request.app.state.systems
    systems.catch_up()  # systems other processes on a shared database made or removed
    return [(system.name, system) for system in systems]


def system_named(request: Request, name: str) -> System:
    systems: Systems = request.app.state.systems
    found = systems.named(name)
    try:
        if found is not None:
            return systems.current(found)  # what other processes on a shared database changed
    except UnknownSystem:
        pass
    raise NoSuchSystem(name)
