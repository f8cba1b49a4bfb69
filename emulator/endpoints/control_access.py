"""The control plane's access rule: on loopback every control route is open; beyond it each
one but ``health`` and ``openapi.json`` needs the ``control_token`` setting, sent as
``Authorization: Bearer <token>`` and compared in constant time. The dashboard
(emulator/ui/access.py) applies the same rule before its login cookie.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from emulator.endpoints.control_requests import system_of
from emulator.errors import ControlError

Handler = Callable[[Request], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """The control token check before a control route (errors: the ControlError handler)."""

    async def endpoint(request: Request) -> Response:
        check_token(request)
        return await handler(request)

    return endpoint


def check_token(request: Request) -> None:
    settings = system_of(request).settings
    if is_loopback(settings.host):
        return
    if not settings.control_token:
        raise ControlError(403, "the control plane needs control_token when not on loopback")
    sent = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(sent.encode(), settings.control_token.encode()):
        raise ControlError(401, "missing or wrong control token")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
