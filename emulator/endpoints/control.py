"""The emulator's own control plane under ``/_emulator/``: JSON in, JSON out, plain HTTP
status codes, never confused with OpenCRM's end points."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from emulator import __version__
from emulator.backend import Backend
from emulator.store.engine import database_url

STARTED = time.monotonic()


def backend_of(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


async def health(request: Request) -> JSONResponse:
    backend = backend_of(request)
    return JSONResponse(
        {
            "status": "ok",
            "version": __version__,
            "uptime_seconds": round(time.monotonic() - STARTED, 3),
            "database": redact_url(database_url(backend.settings.database)),
            "records": backend.store.counts(),
        }
    )


def redact_url(url: str) -> str:
    """A database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def routes() -> list[BaseRoute]:
    return [Route("/health", health, methods=["GET"])]
