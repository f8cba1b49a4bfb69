"""The app's routes: OpenCRM's API under ``/api/rest/``, the emulator's control plane
under ``/_emulator/`` and its dashboard under ``/_emulator/ui/`` (``/`` leads there).

OpenCRM's end points take further parameters as path segments, so one route catches the
prefix and the end point table (emulator/endpoints/table.py) maps the name to its function.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, Mount, Route

from emulator import openapi, ui
from emulator.endpoints import control, dispatch, systems


class AnyPath(Convertor[str]):
    """Starlette's ``path`` but across newlines too: a path segment value may carry an
    encoded ``%0A``, and the call must still reach the dispatcher (not a bare 404)."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("any_path", AnyPath())


def control_routes() -> list[BaseRoute]:
    """The control plane: its routes for the default system, the systems' own routes (the
    same again under ``systems/{system}``), and this API's OpenAPI document."""
    return [
        *control.routes(),
        *systems.routes(control.routes()),
        Route("/openapi.json", openapi.serve, methods=["GET"]),
    ]


#: Every method reaches the dispatcher, which answers the ones OpenCRM does not take as an
#: API error (wire/limits.py), not with Starlette's plain-text 405.
API_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


def routes() -> list[BaseRoute]:
    return [
        Route("/api/rest/{end_point:any_path}", dispatch.api, methods=API_METHODS),
        Route("/api/rest", dispatch.api, methods=API_METHODS),  # answered, not redirected
        *ui.redirects(),
        Mount(ui.PREFIX, app=ui.Dashboard()),
        Mount("/_emulator", routes=control_routes()),
    ]
