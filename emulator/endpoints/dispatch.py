"""The pipeline every OpenCRM call runs through.

    raw path ──> end point name + path parameters    (wire.params.split_path)
    method, head size and header count               (wire.limits, before all else)
    the system: the one the Host names               (systems.Systems.for_host)
    the web firewall: the User-Agent                 (endpoints.review; setting waf)
    end point look-up in the table                   (UnknownEndPoint before credentials)
    admission: API enabled, IP allowed               (control.behaviour)
    parameters from every source                     (wire.params.read)
    the system of the credentials, if the Host named none and there are several
    strict mode's checks, before and after auth      (endpoints.review; setting strict)
    the caller                                       (wire.auth, the system's keyring)
    rate limit, latency, injected fault              (control.behaviour)
    the end point's function, in a worker thread     (endpoints.records / relations / session;
      (a bounded one on the loop if the store is free) offload.py, domain/deadline.py)
      within api_time_limit
    the answer, or the error's own body              (wire.envelope; errors.OpenCRMError.body)
    one journal entry and one log line               (Exchange.finish, for every outcome)

Errors are raised, never returned: an :class:`~emulator.errors.OpenCRMError` reaches the
handler registered in ``create_app`` (:func:`opencrm_error`), which renders it through the
call's :class:`Exchange`. Anything else escaping the pipeline is a bug: it becomes an
:class:`~emulator.errors.InternalError` (HTTP 500), with its traceback in the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulator.control.behaviour import Fault
from emulator.control.journal import MASK, sent_secrets
from emulator.control.secrets import Redactor
from emulator.endpoints import offload
from emulator.endpoints.call import Call
from emulator.endpoints.call_log import log_call
from emulator.endpoints.review import Review
from emulator.endpoints.table import EndPoint, Kind, api_end_points
from emulator.errors import InternalError, OpenCRMError, UnknownEndPoint
from emulator.systems import System, Systems
from emulator.transports import DROP
from emulator.wire import auth, envelope, firewall, limits, params
from emulator.wire.headers import index_headers

log = logging.getLogger("emulator.api")
#: The scope key of an API call's Exchange, for the error handler (the scope is the one
#: thing every Request made of the call shares; ``request.state`` is in it too, at 0.5 us a
#: write through State's Python ``__setattr__``).
EXCHANGE = "emulator.exchange"


class Exchange:
    """One API call from its first byte to its journal entry."""

    def __init__(self, request: Request, systems: Systems) -> None:
        self.started = time.perf_counter()
        self.systems = systems
        self.chosen: System | None = None
        self.name, self.path_values = params.split_path(raw_path(request.scope))
        client = request.scope.get("client")  # as request.client.host, with no Address made
        self.ip = str(client[0]) if client else ""
        self.call: Call | None = None
        default = systems.default
        self.faced = default, default.control.behaviour.current
        self.review = Review(self.faced[1], default.keyring.is_secret)
        self.redact = Redactor(default.keyring.secrets_in)  # masks secrets in every text

    @property
    def system(self) -> System:
        """The system the call reached (the default one while it is not known yet)."""
        return self.chosen or self.systems.default

    def facing(self, system: System) -> None:
        """The firewall and strict mode follow ``system``'s runtime settings from now on."""
        faced = system, system.control.behaviour.current
        if faced[0] is self.faced[0] and faced[1] is self.faced[1]:
            return  # as they were
        self.faced = faced
        self.review.follow(faced[1], system.keyring.is_secret)
        self.redact = Redactor(system.keyring.secrets_in, self.redact.sent)

    def reach(self, system: System) -> None:
        """The call reaches ``system``: refused there if its API is off or the IP not allowed."""
        self.chosen = self.systems.current(system)  # what other processes changed in it
        self.facing(system)
        system.control.behaviour.admit(self.ip)

    def start(
        self, method: str, given: params.Params, headers: Headers, end_point: EndPoint
    ) -> Call:
        """Strict mode's checks and authentication: the Call an end point function gets."""
        system = self.system
        self.redact = self.redact.with_sent(sent_secrets(given, headers))
        self.review.check_request(method, given, headers)
        caller = None
        if end_point.authenticated:
            caller = auth.authenticate(system.keyring, given, headers)
        self.call = Call(system, given, end_point.module, caller, self.ip, headers)
        self.review.check_call(self.call, end_point)
        return self.call

    def answer(self, value: Any, body: bytes, end_point: EndPoint) -> Response:
        if end_point.kind is Kind.LOGIN:  # its answer is an access key: never journaled
            self.finish(200, MASK)
        else:
            self.finish(200, value, body)
        return self.review.mark(envelope.respond(body))

    def blocked(self, rule: firewall.Rule, user_agent: str) -> Response:
        """The web firewall's refusal: its HTML page, never an OpenCRM answer."""
        self.finish(403, f"(blocked by the web firewall: rule {rule.name})")
        return firewall.page(rule, user_agent)

    def fail(self, error: OpenCRMError) -> Response:
        if isinstance(error, InternalError):
            trace = self.redact(traceback_text(error.__cause__ or error))
            log.error("internal error in end point %s\n%s", self.shown_name, trace)
        status = error.status(self.system.control.behaviour.current.error_status)
        body = self.redact.value(error.body())  # a message may echo what was sent
        self.finish(status, body)
        return self.review.mark(envelope.respond(envelope.encode(body), status))

    def injected(self, fault: Fault) -> Response:
        """The answer a fault injected through the control plane gives instead of the real one."""
        assert self.call is not None
        self.call.warn(f"fault injected: {fault.kind}")
        if fault.kind == "drop":
            self.finish(0, "(connection dropped)")
            return DroppedConnection()
        body = {"error": fault.message}
        mode = self.system.control.behaviour.current.error_status
        status = fault.status if fault.kind == "status" or mode == "http" else 200
        self.finish(status, body)
        return self.review.mark(envelope.respond(envelope.encode(body), status))

    def finish(self, status: int, value: Any, body: bytes | None = None) -> None:
        """The journal entry and the log line: written here, once, for every outcome.
        ``body``: the answer ``value`` encoded, which the journal may keep instead."""
        duration = (time.perf_counter() - self.started) * 1000
        call, system = self.call, self.system
        system.control.journal.add_call(
            end_point=self.name,
            params=call.params if call else {},
            response=value,
            body=body,
            warnings=[*self.review.warnings, *(call.warnings if call else [])],
            redact=self.redact,
            is_secret=system.keyring.is_secret,
            time=system.clock.stamp(),
            source=call.params.source if call else "",
            status=status,
            duration_ms=round(duration, 3),
            ip=self.ip,
            findings=self.review.journal(),
        )
        log_call(self.shown_name, status, duration, self.ip)

    @property
    def shown_name(self) -> str:
        """The end point name for a log line: printable, and no secret in it."""
        return printable(self.redact(self.name[:100]))


async def api(request: Request) -> Response:
    """``/api/rest/<end_point>``: the pipeline of the module docstring."""
    systems: Systems = request.app.systems
    index_headers(request)  # every look-up of a header from here on: in a dict
    exchange = request.scope[EXCHANGE] = Exchange(request, systems)
    try:
        return await run(request, exchange)
    except OpenCRMError:
        raise
    except Exception as exc:  # a bug: answered as one, never as a wrong answer
        raise InternalError() from exc


async def run(request: Request, exchange: Exchange) -> Response:
    systems, name = exchange.systems, exchange.name
    settings = systems.settings
    limits.check_request(request.scope, settings.max_header_bytes, settings.max_headers)
    headers = request.headers
    known = systems.for_host(headers.get("host", "")) or systems.sole()
    if known is not None:
        exchange.facing(known)
    # The web firewall stands in front of the API, as a real one stands in front of the
    # application: it judges the request before the end point is looked up (an unknown one
    # is blocked too), the parameters are read or the caller is known.
    user_agent = headers.get("user-agent")
    rule = exchange.review.firewall(user_agent)
    if rule is not None and user_agent is not None:
        return exchange.blocked(rule, user_agent)
    if name not in request.app.end_points:  # every system has the same end points
        raise UnknownEndPoint(name or "(none given)")
    if known is not None:
        exchange.reach(known)
    given = await params.read(request, exchange.path_values, settings.max_body_bytes)
    if known is None:  # several systems, and the Host names none: the credentials say which
        key, access_key = auth.claimed(given, headers)
        exchange.reach(systems.for_credentials(key, access_key) or systems.default)
    system = exchange.system
    end_point = end_points(request.app, system)[name]
    call = exchange.start(request.method, given, headers, end_point)
    fault = await apply_behaviour(system, name, call)
    if fault is not None:
        return exchange.injected(fault)
    # Within the call's time budget: on the loop when the store is free and the call is
    # bounded, else in a worker thread, so the loop stays free (offload.py).
    share, limit = offload.loop_share(end_point, given), settings.api_time_limit
    value, body = await offload.api_call(end_point.handler, call, limit, system.store.lock, share)
    return exchange.answer(value, body, end_point)


def end_points(app: Any, system: System) -> Mapping[str, EndPoint]:
    """The end point table of a system's registry (systems of other fixtures have other
    custom fields, so other modules), made once per registry."""
    tables: dict[int, Mapping[str, EndPoint]] = app.end_point_tables
    found = tables.get(id(system.registry))
    if found is None:
        found = tables[id(system.registry)] = api_end_points(system.registry)
    return found


async def opencrm_error(request: Request, exc: Exception) -> Response:
    """The handler ``create_app`` registers for :class:`OpenCRMError`: an API call's error
    through its Exchange (journaled); one raised elsewhere (a control route) as it is."""
    assert isinstance(exc, OpenCRMError)
    exchange: Exchange | None = request.scope.get(EXCHANGE)
    if exchange is None:
        return envelope.respond(envelope.encode(exc.body()), exc.status("http"))
    return exchange.fail(exc)


async def apply_behaviour(system: System, name: str, call: Call) -> Fault | None:
    """The control plane's runtime behaviour: rate limit, latency, then an injected fault."""
    if call.caller is not None:
        system.control.count_call(call.caller.key)
    decision = system.control.decide(name)
    if decision.delay_seconds:
        await asyncio.sleep(decision.delay_seconds)
    return decision.fault


class DroppedConnection(Response):
    """No answer at all: the connection closes with nothing sent (the fault kind "drop").
    A server that offers the extension ``emulator.transports.DROP`` (the emulator's own, and
    its in-process transports) is told so and closes it; any other server is sent the start
    of an answer, then an exception breaks it off."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if DROP in scope.get("extensions", {}):  # no exception, so no error in the log
            await send({"type": DROP})
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"64")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        raise ConnectionAbortedError("fault injected through the control plane: connection dropped")


def raw_path(scope: Mapping[str, Any]) -> bytes:
    """The path as sent, below the prefix an app mounting this one took (``root_path``,
    when ``path`` holds it too, as Starlette's Mount leaves it). ``raw_path`` is optional in
    ASGI; without it an encoded ``%2F`` is already decoded and splits its value (uvicorn
    and the test client both provide it)."""
    raw: bytes = scope.get("raw_path") or str(scope["path"]).encode()
    root: str = scope.get("root_path", "")
    if root and str(scope["path"]).startswith(root.rstrip("/") + "/"):
        depth = root.rstrip("/").count("/")  # the segments the prefix takes
        parts = raw.split(b"/", depth + 1)
        raw = b"/" + parts[-1] if len(parts) > depth + 1 else b""
    return raw


def traceback_text(error: BaseException) -> str:
    """A traceback as text, so that secrets can be masked in it before it is logged."""
    return "".join(traceback.format_exception(error)).rstrip()


def printable(name: str) -> str:
    """An end point name safe for a log line: the path is the caller's, newlines included."""
    name = name[:100]
    return name if name.isprintable() else repr(name)
