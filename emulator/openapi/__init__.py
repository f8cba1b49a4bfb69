"""The OpenAPI 3.1 description of the emulator: every OpenCRM end point and the control plane.

Generated, never written by hand: the OpenCRM end points come from the route table
(:func:`emulator.endpoints.table.api_end_points`) with their fields and answer shapes from the
registry (custom fields included), the control plane from the app's own routes. Served at
``GET /_emulator/openapi.json`` (built on first request, then kept for the app's life) and
shipped as ``docs/openapi.json``, written by ``python -m emulator.openapi docs/openapi.json``
(a test fails when the file is out of date). The fuzzer in ``tests/fuzz`` reads it.

What a schema cannot say is in the description: parameters may also come as path segments
after the end point, in the query string of a POST, or as a raw urlencoded body of any
Content-Type (observed-behaviour.md "Transport and parameters").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from emulator._version import __version__
from emulator.domain.modules import Registry
from emulator.openapi import api, control_plane
from emulator.openapi.api import Schema

CONTROL_PREFIX = "/_emulator"
DESCRIPTION = """\
A local emulator of OpenCRM's REST API (`/api/rest/<end_point>`) and its own control plane \
(`/_emulator/...`).

Every OpenCRM end point takes GET or POST. Parameters may come as a form \
(`application/x-www-form-urlencoded`), `multipart/form-data`, a JSON object, the URL query \
string, a raw urlencoded body of any Content-Type, or path segments after the end point \
(`/api/rest/get_contact/key/K/passkey/P/crmid/12`); the body wins over the query string, \
which wins over the path. Authenticate with `key` + `passkey` (or the headers KEY1/KEY2), or \
an `accesskey` from `login`.

Errors are `{"error": "<message>"}` with HTTP 200, as OpenCRM answers them; the setting \
`error_status: http` gives them 4xx statuses instead. `add_to_campaign` answers its own \
errors as a bare string.
"""


def document(registry: Registry, control_routes: Iterable[BaseRoute]) -> Schema:
    """The whole OpenAPI document for ``registry`` and the control plane's routes."""
    paths = api.paths(registry)
    nouns = [m.noun for m in registry]
    for path, route in flattened(control_routes):
        for method in sorted((route.methods or set()) - {"HEAD"}):
            operation = control_plane.operation(method, path, nouns)
            paths.setdefault(f"{CONTROL_PREFIX}{path}", {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "OpenCRM emulator", "version": __version__, "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": api.schemas(registry),
            "responses": api.shared_responses(),
            "parameters": api.shared_parameters(),
            "securitySchemes": {"controlToken": {"type": "http", "scheme": "bearer"}},
        },
    }


def flattened(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, Route]]:
    """Each route with its whole path, those of mounts included (``/systems/{system}/...``)."""
    for route in routes:
        if isinstance(route, Mount):
            yield from flattened(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield prefix + route.path, route


def render(doc: Schema) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


async def serve(request: Request) -> Response:
    """``GET /_emulator/openapi.json``: the document of this app's registry and routes."""
    state = request.app.state
    body: bytes | None = getattr(state, "openapi", None)
    if body is None:
        control = next(
            r.routes
            for r in request.app.routes
            if isinstance(r, Mount) and r.path == CONTROL_PREFIX
        )
        body = state.openapi = render(document(state.systems.default.registry, control))
    return Response(body, media_type="application/json")
