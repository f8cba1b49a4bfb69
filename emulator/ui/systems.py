"""Which systems the dashboard shows, and by which name: the one seam to the systems
registry.

Today the app serves one system (``request.app.state.system``), named by the ``system``
setting (``demo`` until that setting exists). Every page and action finds its system
through :func:`systems_of` (and :func:`system_named`, built on it), so serving several
systems means changing :func:`systems_of` alone. The dashboard's URLs carry the name from
the start: ``/_emulator/ui/systems/{name}/...``.
"""

from __future__ import annotations

from starlette.requests import Request

from emulator.system import System

DEFAULT_NAME = "demo"


class NoSuchSystem(LookupError):
    """No system of that name (the page answers 404)."""


def systems_of(request: Request) -> list[tuple[str, System]]:
    """Every system this app serves, with its name, in the order the dashboard lists them."""
    system: System = request.app.state.system
    name = getattr(system.settings, "system", None) or DEFAULT_NAME
    return [(str(name), system)]


def system_named(request: Request, name: str) -> System:
    for found, system in systems_of(request):
        if found == name:
            return system
    raise NoSuchSystem(name)
