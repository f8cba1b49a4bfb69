"""``create_app``: the Starlette application around one emulated OpenCRM system."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.backend import Backend
from emulator.endpoints import control
from emulator.serving import routes
from emulator.settings import Settings
from emulator.wire import params

log = logging.getLogger("emulator")


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> Starlette:
    """An ASGI app serving the OpenCRM API and the control plane.

    The backend (database, fixtures, seed data) is built here, not in the lifespan, so the
    app answers at once in any ASGI client, including ones that never run a lifespan.
    """
    backend = backend or Backend(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        backend.close()

    app = Starlette(
        routes=routes.routes(control.routes()),
        lifespan=lifespan,
        exception_handlers={Exception: internal_error},
    )
    app.state.backend = backend
    app.state.end_points = routes.api_end_points(backend.registry)
    return app


async def internal_error(request: Request, exc: Exception) -> Response:
    """A bug in the emulator: a clear 500 and the traceback in the log, never a wrong answer."""
    path = request.url.path
    if path.startswith(params.API_PREFIX):  # later path segments may carry the passkey
        path = params.API_PREFIX + params.split_path(path.encode())[0]
    log.error("internal error on %s", path, exc_info=exc)
    return JSONResponse(
        {"error": f"Internal emulator error: {type(exc).__name__}. See the emulator's log."},
        status_code=500,
    )
