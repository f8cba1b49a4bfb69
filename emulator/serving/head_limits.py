"""The head limits (``max_header_bytes``, ``max_headers``) for every request outside the API:
the control plane and unknown paths answer a JSON 431. The API's own requests are checked
by its dispatcher, which answers them the API's way (emulator/wire/limits.py)."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.wire import limits, params


class HeadLimits:
    """ASGI middleware: a JSON 431 for a head over the limits, outside ``/api/rest``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not is_api(scope.get("raw_path") or b""):
            settings = scope["app"].state.systems.settings
            problem = limits.head_problem(scope, settings.max_header_bytes, settings.max_headers)
            if problem is not None:
                answer = JSONResponse({"error": problem.message}, problem.http_status)
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


def is_api(raw_path: bytes) -> bool:
    return raw_path.startswith(params.API_PREFIX_BYTES.rstrip(b"/"))
