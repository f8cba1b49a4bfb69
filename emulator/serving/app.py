"""``create_app``: the Starlette application around the emulated OpenCRM systems, with the
one error pipeline: each error class's handler registered here, once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from emulator.control.secrets import Redactor
from emulator.endpoints import control, dispatch
from emulator.endpoints.table import EndPoint, api_end_points
from emulator.errors import ControlError, InternalError, OpenCRMError
from emulator.serving import routes
from emulator.serving.head_limits import HeadLimits
from emulator.settings import Settings
from emulator.systems import System, Systems
from emulator.wire import params

log = logging.getLogger("emulator")


def create_app(
    settings: Settings | None = None,
    system: System | None = None,
    systems: Systems | None = None,
) -> Starlette:
    """An ASGI app serving the OpenCRM API and the control plane, for the systems of
    ``settings`` (or ``systems`` made already, or the one ``system``).

    The systems (databases, fixtures, seed data) are built here, not in the lifespan, so the
    app answers at once in any ASGI client, including ones that never run a lifespan. The
    app closes systems it built itself when its lifespan ends; ones passed in stay their
    owner's (the pytest plugin shares one system between several apps and tests).
    """
    owned = system is None and systems is None
    if systems is None:
        systems = Systems.of(system) if system is not None else Systems(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        if owned:
            systems.close()

    app = EmulatorApp(
        routes=routes.routes(),
        lifespan=lifespan,
        middleware=[Middleware(HeadLimits)],
        exception_handlers={
            OpenCRMError: dispatch.opencrm_error,
            ControlError: control.control_error,
            HTTPException: http_error,
            Exception: internal_error,
        },
    )
    app.state.systems = app.systems = systems
    default = systems.default
    app.state.end_points = app.end_points = api_end_points(default.registry)  # the same table
    app.end_point_tables = {id(default.registry): app.end_points}
    return app


class EmulatorApp(Starlette):
    """Starlette, with the API's calls taken straight to their route's handler.

    Every ``/api/rest`` request of a method its routes take reaches ``dispatch.api``, which
    turns anything it raises into an :class:`OpenCRMError` (an unexpected exception into
    :class:`InternalError`), and no middleware acts on those paths (HeadLimits lets them by:
    the dispatcher checks their heads the API's way). So they skip the middleware stack and
    the router, a seventh of a get_contact's work, and get the same handler, the one
    ``create_app`` registered for OpenCRMError. Everything else goes through Starlette.

    What every API call reads of the app is a plain attribute: a read of ``app.state`` (a
    failed attribute look-up, its AttributeError made and dropped, then State's Python
    ``__getattr__``) took 0.4 us, 19 times a plain attribute's. ``app.state.systems`` and
    ``app.state.end_points`` stay, the same objects, for the control plane, the dashboard
    and users' code.
    """

    systems: Systems
    #: The default system's end point table, and one table per registry (dispatch.end_points).
    end_points: Mapping[str, EndPoint]
    end_point_tables: dict[int, Mapping[str, EndPoint]]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in API_METHODS and is_api(scope):
            scope["app"] = self
            request = Request(scope, receive, send)
            try:
                response = await dispatch.api(request)
            except OpenCRMError as exc:
                response = await self.exception_handlers[OpenCRMError](request, exc)
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


#: The methods the API's routes take (routes.API_METHODS), HEAD with GET as Starlette adds it.
API_METHODS = frozenset({*routes.API_METHODS, "HEAD"})


def is_api(scope: Scope) -> bool:
    """Whether the API's routes match the request's path: ``/api/rest`` and all below it.
    An app served under a root path (mounted in another) leaves the matching to Starlette."""
    path: str = scope["path"]
    if scope.get("root_path"):
        return False
    return path.startswith(params.API_PREFIX) or path == params.API_PREFIX[:-1]


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, a control route's other methods) as JSON."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)


async def internal_error(request: Request, exc: Exception) -> Response:
    """A bug outside an end point's pipeline: a clear 500 and the traceback in the log."""
    path = request.url.path
    if path.startswith(params.API_PREFIX):  # later path segments may carry the passkey
        path = params.API_PREFIX + params.split_path(path.encode())[0]
    redact = Redactor(request.app.state.systems.secrets_in)
    log.error("internal error on %s\n%s", redact(path), redact(dispatch.traceback_text(exc)))
    return JSONResponse(InternalError().body(), status_code=InternalError.http_status)
