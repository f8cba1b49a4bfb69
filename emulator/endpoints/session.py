"""``login``: an access key for a key pair (guide, "Login Function")."""

from __future__ import annotations

from emulator.endpoints.call import Call
from emulator.wire import auth


def login(call: Call) -> str:
    # The guide's sample shows {"1234..."}, which is not JSON; live clients see a bare string.
    return auth.login(call.system.keyring, call.params, call.headers)
