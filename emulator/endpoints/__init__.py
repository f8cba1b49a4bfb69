"""The wire layer: one short function per OpenCRM action, all called through :func:`api`.

Each call's way through: the raw path names the end point and carries path parameters
(``params.split_path``), ``params.read`` merges every source, ``auth`` identifies the
caller, the end point asks the backend one verb, ``envelope`` renders, and the journal and
the log record the call (with secrets masked).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulator import envelope, params
from emulator.audit import Actor
from emulator.auth import Caller
from emulator.backend import Backend
from emulator.behaviour import Fault
from emulator.errors import CampaignError, OpenCRMError, UnknownEndPoint
from emulator.journal import MASK, mask, summary
from emulator.modules import Module
from emulator.transports import DROP

if TYPE_CHECKING:
    from emulator.routes import EndPoint

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


#: The answer to a bug in the emulator; the traceback goes to the log (never secrets: the
#: log names the end point, not the path, which may carry a passkey).
INTERNAL_ERROR = {"error": "Internal emulator error. See the emulator's log."}


async def api(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    started = time.perf_counter()
    name, path_values = params.split_path(raw_path(request.scope))
    ip = request.client.host if request.client else ""
    call: Call | None = None
    try:
        end_point = request.app.state.end_points.get(name)
        if end_point is None:
            raise UnknownEndPoint(name or "(none given)")
        backend.behaviour.admit(ip)
        call = await start(request, backend, end_point, path_values, ip)
        fault = await apply_behaviour(backend, name, call)
        if fault is not None:
            return injected(fault, backend, name, call, ip, started)
        value: Any = end_point.handler(call)
        status, journal_value = 200, MASK if name == "login" else summary(value)
    except Exception as error:  # every failure still gets its journal entry and log line
        value, status = failure(error, backend, name)
        journal_value = value
    body = envelope.encode(value)
    record(backend, name, call, ip, status, journal_value, started)
    return envelope.respond(body, status)


async def apply_behaviour(backend: Backend, name: str, call: Call) -> Fault | None:
    """The control plane's runtime behaviour: rate limit, latency, then an injected fault."""
    if call.caller is not None:
        backend.behaviour.count_call(call.caller.key, backend.clock.now())
    decision = backend.behaviour.decide(name)
    if decision.delay_seconds:
        await asyncio.sleep(decision.delay_seconds)
    return decision.fault


def injected(
    fault: Fault, backend: Backend, name: str, call: Call, ip: str, started: float
) -> Response:
    """The answer a fault injected through the control plane gives instead of the real one."""
    call.warnings.append(f"fault injected: {fault.kind}")
    if fault.kind == "drop":
        record(backend, name, call, ip, 0, "(connection dropped)", started)
        return DroppedConnection()
    body = {"error": fault.message}
    mode = backend.behaviour.current.error_status
    status = fault.status if fault.kind == "status" or mode == "http" else 200
    record(backend, name, call, ip, status, body, started)
    return envelope.respond(envelope.encode(body), status)


class DroppedConnection(Response):
    """Starts an answer and breaks off: the server closes the connection mid-response, so
    the client sees the connection drop (the fault kind "drop"). An in-process transport
    that offers the extension ``emulator.transports.DROP`` is told so directly."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"64")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if DROP in scope.get("extensions", {}):  # no exception, so no error in the log
            await send({"type": DROP})
            return
        raise ConnectionAbortedError("fault injected through the control plane: connection dropped")


def failure(error: Exception, backend: Backend, name: str) -> tuple[Any, int]:
    """The answer and HTTP status of a call that failed."""
    mode = backend.behaviour.current.error_status  # the setting, changeable at run time
    if isinstance(error, OpenCRMError):
        return envelope.error_body(error), envelope.error_status(error, mode)
    if isinstance(error, CampaignError):
        # add_to_campaign answers "an error message string", not {"error": ...} (guide,
        # "Campaigns (BETA)").
        return error.message, 200 if mode == "200" else 400
    log.error("internal error in end point %s", printable(name), exc_info=error)
    return INTERNAL_ERROR, 500


async def start(
    request: Request, backend: Backend, end_point: EndPoint, path_values: dict[str, str], ip: str
) -> Call:
    """Read the parameters and authenticate: the Call an end point function gets."""
    given = await params.read(request, path_values, backend.settings.max_body_bytes)
    headers = request.headers
    caller = backend.auth.authenticate(given, headers) if end_point.authenticated else None
    return Call(backend, given, end_point.module, caller, ip, headers)


def raw_path(scope: Mapping[str, Any]) -> bytes:
    """The path as sent. ``raw_path`` is optional in ASGI; without it an encoded ``%2F`` is
    already decoded and splits its value (uvicorn and the test client both provide it)."""
    raw: bytes | None = scope.get("raw_path")
    return raw if raw else str(scope["path"]).encode()


def printable(name: str) -> str:
    """An end point name safe for a log line: the path is the caller's, newlines included."""
    name = name[:100]
    return name if name.isprintable() else repr(name)


def record(
    backend: Backend, name: str, call: Call | None, ip: str, status: int, value: Any, started: float
) -> None:
    duration = (time.perf_counter() - started) * 1000
    backend.journal.add(
        time=backend.clock.stamp(),
        end_point=name,
        params=mask(call.params, backend.auth.is_secret) if call else {},
        source=call.params.source if call else "",
        status=status,
        response=value,
        duration_ms=round(duration, 3),
        ip=ip,
        warnings=call.warnings if call else [],
    )
    log.info("%s %s %.1fms %s", printable(name), status, duration, ip)
