"""A pytest plugin for testing OpenCRM clients against the emulator.

Installed with the package (entry point ``pytest11``), so it needs no import:

- ``opencrm``: an in-process emulator (no socket), reset to its fixtures before each test:
  ``.base_url``, ``.key``, ``.passkey``, ``.credentials``, and

  - clients of the usual libraries that reach it in-process, raising that library's own
    exceptions (a "drop" fault is its own connection error): ``.httpx_client()``,
    ``.async_httpx_client()``, ``.httpx2_client()`` (keyword arguments go to the client),
    ``.requests_session()``; ``.transport("httpx" | "httpx2" | "requests",
    asynchronous=False)`` for a client of your own making (for requests, the adapter to
    mount on a session); ``.client``, an httpx2 client;
  - ``.call(end_point, check=True, **params)``: the decoded answer of a call with the key
    pair, raising ``OpenCRMAPIError`` (also ``opencrm.APIError``, with ``.end_point``,
    ``.message``, ``.answer``, ``.status``) for an error answer, unless ``check=False``;
  - ``.journal(end_point=None, **params)``: the calls made, filtered by parameter values;
    ``.assert_called(end_point, times=1, **params)`` (``times=None``: at least once), whose
    failure lists the near misses;
  - ``.audit(crmid)``, ``.clock``, ``.fault(...)``, ``.latency(...)``, ``.settings(...)``.

- ``opencrm_server``: the same emulator served by uvicorn on a free 127.0.0.1 port in a
  thread, for clients that need a real socket (its clients of each library use it). One
  server per pytest-xdist worker.
- ``@pytest.mark.opencrm(records=..., seed=..., fixtures=..., **settings)``: the emulator a test
  gets; tests with the same marker arguments share one emulator (reset between them).

Importing this module is cheap (pytest and the standard library): pytest imports it for every
run. The emulator loads when a fixture is first used (``emulator.testing``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from emulator.testing.answers import OpenCRMAPIError
    from emulator.testing.emulators import Emulators, LiveServer, OpenCRM

__all__ = ["Emulators", "LiveServer", "OpenCRM", "OpenCRMAPIError"]

MARKER = "opencrm"
#: Names importable from here, loaded on first use.
LAZY = {
    "OpenCRM": "emulator.testing.emulators",
    "LiveServer": "emulator.testing.emulators",
    "Emulators": "emulator.testing.emulators",
    "OpenCRMAPIError": "emulator.testing.answers",
}


def __getattr__(name: str) -> Any:
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(LAZY[name]), name)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(records=0, seed=0, fixtures='', **settings): configure the OpenCRM emulator",
    )


def marker_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    return dict(marker.kwargs) if marker else {}


@pytest.fixture(scope="session")
def opencrm_emulators() -> Iterator[Emulators]:
    from emulator.testing.emulators import Emulators  # the emulator loads here, on first use

    emulators = Emulators()
    yield emulators
    emulators.close()


@pytest.fixture
def opencrm(opencrm_emulators: Emulators, request: pytest.FixtureRequest) -> OpenCRM:
    """The emulator, in-process and reset: every test starts from the same data."""
    return opencrm_emulators.in_process(marker_settings(request))


@pytest.fixture
def opencrm_server(opencrm_emulators: Emulators, request: pytest.FixtureRequest) -> LiveServer:
    """The emulator on a real socket (``.base_url``), reset: for clients that need one."""
    return opencrm_emulators.live(marker_settings(request))
