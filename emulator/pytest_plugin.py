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
    ``.message``, ``.answer``, ``.status``) for an error answer, unless ``check=False``. It
    and ``.client`` send the plugin's own User-Agent; the clients above send their library's,
    which the emulated web firewall refuses (setting ``waf``), as the live one does;
  - ``.journal(end_point=None, **params)``: the calls made, filtered by parameter values;
    ``.assert_called(end_point, times=1, **params)`` (``times=None``: at least once), whose
    failure lists the near misses;
  - ``.warnings(end_point=None, code=None)``: strict mode's findings in the calls made;
  - ``.audit(crmid)``, ``.clock``, ``.fault(...)``, ``.latency(...)``, ``.settings(...)``.

- ``opencrm_server``: the same emulator served by uvicorn on a free 127.0.0.1 port in a
  thread, for clients that need a real socket (its clients of each library use it). One
  server per pytest-xdist worker.
- ``@pytest.mark.opencrm(records=..., seed=..., fixtures=..., **settings)``: the emulator a test
  gets; tests with the same marker arguments share one emulator (reset between them).
- Strict mode: ``@pytest.mark.opencrm(strict="error")`` fails a test on any finding it did not
  read with ``opencrm.warnings()`` (the calls also answer ``{"error": "strict: ..."}``);
  ``strict="warn"`` lists the findings at the end of the run. ``--opencrm-strict=warn|error``
  turns strict mode on for every test whose marker does not set it.

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
STRICT_OPTION = "--opencrm-strict"
#: user_properties key of a test's strict findings (reported at the end of the run).
FINDINGS = "opencrm_strict_findings"
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("opencrm").addoption(
        STRICT_OPTION,
        choices=("off", "warn", "error"),
        default=None,
        help="the OpenCRM emulator's strict mode for every test whose marker does not set it",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(records=0, seed=0, fixtures='', **settings): configure the OpenCRM emulator",
    )
    config.pluginmanager.register(StrictReport(), "opencrm-strict-report")


def marker_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    settings = dict(marker.kwargs) if marker else {}
    strict = request.config.getoption(STRICT_OPTION)
    if strict is not None:
        settings.setdefault("strict", strict)
    return settings


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test that passed: fail it on strict findings it did not read (strict "error"),
    or keep them for the end of the run (strict "warn")."""
    yield
    funcargs = getattr(item, "funcargs", {})
    crm = funcargs.get("opencrm") or funcargs.get("opencrm_server")
    if crm is None or crm.strict == "off":
        return
    found = [str(f) for f in crm.unread_findings()]
    if found and crm.strict == "error":
        listed = "\n".join(f"  {f}" for f in found)
        pytest.fail(
            f"OpenCRM strict mode found {len(found)} mistake(s) the real API accepts"
            f" silently:\n{listed}\n(read them with opencrm.warnings() to make them part of"
            " the test)",
            pytrace=False,
        )
    if found:
        item.user_properties.append((FINDINGS, found))


class StrictReport:
    """The strict findings of the tests that passed with some (strict "warn"), listed at the
    end of the run. Reports reach ``pytest_runtest_logreport`` on the controller, from
    pytest-xdist's workers too, with their ``user_properties``."""

    def __init__(self) -> None:
        self.found: list[tuple[str, list[str]]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = dict(report.user_properties).get(FINDINGS)
        if isinstance(found, list) and found and report.when == "call":
            self.found.append((report.nodeid, [str(f) for f in found]))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.found:
            return
        terminalreporter.section("OpenCRM strict mode: findings")
        for nodeid, found in self.found:
            terminalreporter.write_line(nodeid)
            for finding in found:
                terminalreporter.write_line(f"  {finding}")


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
