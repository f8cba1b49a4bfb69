"""Pages from the package's Jinja2 templates (Starlette's ``Jinja2Templates``).

Jinja2 is imported on the first page rendered, not when the app is built, so a server or
test that never opens the dashboard does not pay for it. Templates autoescape: every value
from a record or a call is text, never markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

if TYPE_CHECKING:
    from starlette.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@cache
def templates() -> Jinja2Templates:
    from starlette.templating import Jinja2Templates  # jinja2 loads here, on the first page

    found = Jinja2Templates(directory=TEMPLATES)
    found.env.filters["json"] = pretty_json
    return found


def pretty_json(value: Any) -> str:
    return orjson.dumps(value, default=str, option=orjson.OPT_INDENT_2).decode()


def root(request: Request) -> str:
    """The dashboard's own path (``/_emulator/ui``, behind any ASGI root path)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    """The template ``name`` with the page's context, the session's CSRF token and the root."""
    session = request.state.ui_session
    shared = {"root": root(request), "csrf": session.csrf, "signed_in": bool(session.signature)}
    return templates().TemplateResponse(request, name, {**shared, **context}, status_code=status)


def message(request: Request, status: int, title: str, text: str, **context: Any) -> Response:
    """A short page saying why something was refused or went wrong."""
    return render(request, "message.html", status, title=title, text=text, **context)
