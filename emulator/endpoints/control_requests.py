"""What every control route (``/_emulator/``, emulator/endpoints/control.py and systems.py)
reads from its request and how it answers: the system the path names, the JSON object of the
body, the record id of the path, the JSON reply, and the handler ``create_app`` registers for
:class:`~emulator.errors.ControlError`, which answers ``{"error": ...}`` with its 4xx and
masks any secret the message echoes.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from emulator.control import Control
from emulator.control.secrets import Redactor
from emulator.domain.quoting import cut
from emulator.errors import ControlError, UnknownSystem
from emulator.systems import System, Systems


def reply(value: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status_code=status, media_type="application/json")


def system_of(request: Request) -> System:
    """The system a control route acts on: the one its path names
    (``/_emulator/systems/{system}/...``), else the default one."""
    systems: Systems = request.app.state.systems
    name = request.path_params.get("system")
    found = systems.default if name is None else systems.named(name)
    try:
        if found is not None:
            return systems.current(found)  # what other processes on a shared database changed
    except UnknownSystem:
        pass
    raise ControlError(404, f"no system named {name}")


def control_of(request: Request) -> Control:
    return system_of(request).control


async def body_of(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ControlError(400, "the body must be a JSON object") from None
    if not isinstance(value, dict):
        raise ControlError(400, "the body must be a JSON object")
    return value


async def control_error(request: Request, exc: Exception) -> Response:
    """The handler ``create_app`` registers for :class:`ControlError`."""
    assert isinstance(exc, ControlError)
    systems: Systems = request.app.state.systems  # the path may name no system there is
    redact = Redactor(systems.secrets_in, [systems.settings.control_token])
    return reply({"error": redact(exc.message)}, exc.status)  # a message may echo a path


def crmid_of(request: Request) -> int:
    """The path's record id: digits up to the store's largest id (checked before int(),
    which refuses 4,301 digits, and before SQLite, which cannot bind 2**64)."""
    raw = request.path_params["crmid"]
    digits = raw.lstrip("0") or "0"
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19 or int(digits) >= 2**63:
        raise ControlError(400, f"not a record id: {cut(raw)}")
    return int(digits)
