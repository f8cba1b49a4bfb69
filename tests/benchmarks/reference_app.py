"""The throughput reference: a bare Starlette app answering a small JSON POST, served by the
emulator's own serving code (``emulator.serving.server``: the same listening socket and the same
uvicorn settings, with their defaults: one worker, uvicorn's default loop and HTTP
implementation, access log off), so the only difference measured is the application.

``python -m tests.benchmarks.reference_app`` prints its base URL
(``Reference app on http://127.0.0.1:<port>/api/rest/``) once listening.
"""

from __future__ import annotations

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.serving import server
from emulator.settings import Settings


async def answer(request: Request) -> Response:
    await request.body()  # the same form body the emulator gets is read, not parsed
    return JSONResponse({"id": 150, "lastname": "Jones"})


def app() -> Starlette:
    # The emulator's route pattern, so routing costs the same.
    return Starlette(routes=[Route("/api/rest/{end_point:path}", answer, methods=["POST"])])


def main() -> None:
    settings = Settings(port=0)
    sock = server.bind(settings.host, settings.port)
    print(f"Reference app on http://127.0.0.1:{sock.getsockname()[1]}/api/rest/", flush=True)
    uvicorn.Server(server.config(app(), settings)).run(sockets=[sock])


if __name__ == "__main__":
    main()
