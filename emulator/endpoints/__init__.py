"""The wire layer: one short function per OpenCRM action, all called through :func:`api`.

Each call's way through: the raw path names the end point and carries path parameters
(``params.split_path``), ``params.read`` merges every source, ``auth`` identifies the
caller, the end point asks the backend one verb, ``envelope`` renders, and the journal and
the log record the call (with secrets masked).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from emulator import envelope, params
from emulator.audit import Actor
from emulator.auth import Caller
from emulator.backend import Backend
from emulator.errors import OpenCRMError, UnknownEndPoint
from emulator.journal import MASK, mask
from emulator.modules import Module

log = logging.getLogger("emulator.api")


@dataclass
class Call:
    """What an end point function gets: the backend, the parameters and who is calling."""

    backend: Backend
    params: params.Params
    module: Module | None
    caller: Caller | None
    ip: str
    headers: Mapping[str, str]
    warnings: list[str] = field(default_factory=list)

    @property
    def actor(self) -> Actor:
        return Actor(self.backend.settings.api_user_id, self.ip)


async def api(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    started = time.perf_counter()
    name, path_values = params.split_path(request.scope["raw_path"])
    ip = request.client.host if request.client else ""
    call: Call | None = None
    try:
        end_point = request.app.state.end_points.get(name)
        if end_point is None:
            raise UnknownEndPoint(name)
        given = await params.read(request, path_values, backend.settings.max_body_bytes)
        caller = (
            backend.auth.authenticate(given, request.headers) if end_point.authenticated else None
        )
        call = Call(backend, given, end_point.module, caller, ip, request.headers)
        value: Any = end_point.handler(call)
        status, journal_value = 200, MASK if name == "login" else value
    except OpenCRMError as error:
        value = journal_value = envelope.error_body(error)
        status = envelope.error_status(error, backend.settings.error_status)
    body = envelope.encode(value)
    record(backend, name, call, ip, status, journal_value, started)
    return envelope.respond(body, status)


def record(
    backend: Backend, name: str, call: Call | None, ip: str, status: int, value: Any, started: float
) -> None:
    duration = (time.perf_counter() - started) * 1000
    backend.journal.add(
        time=backend.clock.stamp(),
        end_point=name,
        params=mask(call.params) if call else {},
        source=call.params.source if call else "",
        status=status,
        response=value,
        duration_ms=round(duration, 3),
        ip=ip,
        warnings=call.warnings if call else [],
    )
    log.info("%s %s %.1fms %s", name, status, duration, ip)
