"""``login``: trade a key pair for an access key (guide, "Login Function")."""

from __future__ import annotations

from emulator.endpoints import Call


def login(call: Call) -> str:
    # The guide's sample shows {"1234..."}, which is not JSON; live clients see a bare string.
    return call.backend.auth.login(call.params, call.headers)
