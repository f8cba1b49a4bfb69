"""The dashboard: server-rendered pages under ``/_emulator/ui/`` for people using the
emulator as a sandbox, to look rather than curl.

    GET  /                                        the systems: module counts, key pair names
    GET  /login, POST /login, POST /logout        the control token, beyond loopback
    GET  /systems/{name}                          one system
    GET  /systems/{name}/modules/{noun}           its records, 50 a page, query_string, keywords
    GET  /systems/{name}/modules/{noun}/{crmid}   one record: fields, lines, audit, links
    GET  /systems/{name}/journal                  the calls, newest first, live
    GET  /systems/{name}/journal/entries          the calls after ?after=<id> (what it polls)
    POST /systems/{name}/journal/clear
    GET  /systems/{name}/controls                 reset, snapshots, seed, faults, latency, clock
    POST /systems/{name}/reset, snapshots, snapshots/restore, seed, faults, faults/remove,
         latency, latency/remove, clock
    GET  /static/...                              the stylesheet and the page script

The route table is :mod:`emulator.ui.routes`; access and forms :mod:`emulator.ui.access`;
which system a name means :mod:`emulator.ui.systems`. :class:`Dashboard` loads the pages
(and Jinja2, :mod:`emulator.ui.render`) on the dashboard's first request, so serving the API
alone costs nothing more at start-up.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route, Router
from starlette.types import Receive, Scope, Send

PREFIX = "/_emulator/ui"


class Dashboard:
    """The dashboard as one ASGI app to mount at :data:`PREFIX`: its routes are built, and
    its modules imported, on its first request."""

    def __init__(self) -> None:
        self.router: Router | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.router is None:
            from emulator.ui.routes import routes

            self.router = Router(routes())
        await self.router(scope, receive, send)


async def home(request: Request) -> RedirectResponse:
    """To the dashboard's first page."""
    return RedirectResponse(f"{request.scope.get('root_path', '')}{PREFIX}/", 307)


def redirects() -> list[BaseRoute]:
    """``/``, ``/_emulator``, ``/_emulator/`` and ``/_emulator/ui`` lead to the dashboard."""
    paths = ("/", "/_emulator", "/_emulator/", PREFIX)
    return [Route(path, home, methods=["GET"]) for path in paths]


__all__ = ["PREFIX", "Dashboard", "home", "redirects"]
