"""The control plane's systems (``/_emulator/systems``): list them, make one, remove one, and
every control route again under ``systems/{system}/`` for that system.

    GET    systems                     every system: name, key names, record counts
    POST   systems                     {"name", "records", "seed", "fixtures"} (all optional):
                                       201 {"name", "key", "passkey", "base_url", "host_url"}
    DELETE systems/{system}            the system and all its data
    ...    systems/{system}/<route>    each control route, for that system
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from emulator.endpoints import offload
from emulator.endpoints.control import MOST_SEEDED, body_of, guarded, reply
from emulator.errors import ControlError
from emulator.systems import System, Systems, summary

CREATE_KEYS = frozenset({"name", "records", "seed", "fixtures"})


def systems_of(request: Request) -> Systems:
    systems: Systems = request.app.state.systems
    return systems


async def list_systems(request: Request) -> Response:
    systems = systems_of(request)
    await offload.control(systems.catch_up)  # made or removed by other processes (PostgreSQL)
    return reply({"default": systems.settings.system, "systems": summary(systems)})


async def create_system(request: Request) -> Response:
    body = await body_of(request)
    unknown = set(body) - CREATE_KEYS
    if unknown:
        raise ControlError(400, f"unknown keys: {', '.join(sorted(unknown))}")
    name, fixtures = body.get("name", ""), body.get("fixtures", "")
    records, seed = body.get("records", 0), body.get("seed", 0)
    if not isinstance(name, str) or not isinstance(fixtures, str):
        raise ControlError(400, "name and fixtures must be strings")
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (records, seed)):
        raise ControlError(400, "records and seed must be whole numbers")
    if not 0 <= records <= MOST_SEEDED:
        raise ControlError(400, f"records must be between 0 and {MOST_SEEDED}")
    system, passkey = systems_of(request).create(name, records, seed, fixtures)
    return reply(created(request, system, passkey), 201)


def created(request: Request, system: System, passkey: str) -> dict[str, str]:
    """What a new system's user needs: its name, key pair and base URLs. ``base_url`` is the
    address this request came to (the credentials route calls to the system); ``host_url``
    names the system in the Host, for clients that resolve ``*.localhost``."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    port = f":{request.url.port}" if request.url.port else ""
    return {
        "name": system.name,
        "key": system.settings.key,
        "passkey": passkey,
        "base_url": f"{origin}/api/rest/",
        "host_url": f"{request.url.scheme}://{system.name}.localhost{port}/api/rest/",
    }


async def delete_system(request: Request) -> Response:
    name = request.path_params["system"]
    systems_of(request).delete(name)
    return reply({"deleted": name})


def routes(per_system: list[BaseRoute]) -> list[BaseRoute]:
    """The systems' routes, with ``per_system`` (the control routes) under each system."""
    return [
        Route("/systems", guarded(list_systems), methods=["GET"]),
        Route("/systems", guarded(create_system), methods=["POST"]),
        Route("/systems/{system}", guarded(delete_system), methods=["DELETE"]),
        Mount("/systems/{system}", routes=per_system),
    ]
