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
  - ``.warnings(end_point=None, code=None)``: strict mode's findings in the calls made;
  - ``.audit(crmid)``, ``.clock`` (``freeze()``, ``set(datetime)``, ``advance(seconds)``,
    ``unfreeze()``), ``.fault(...)``, ``.latency(...)``, ``.settings(...)``, ``.reset()``.

- ``opencrm_server``: a system on a real 127.0.0.1 socket, for clients that need one, reset
  before each test, with the same helpers (its clients of each library use the socket). It
  is a system of this process's own on the run's ONE shared emulator server: a separate
  process (``opencrm-emulator serve``) that the first process needing it starts, that every
  pytest-xdist worker finds, and that the process owning the run stops at its end
  (emulator/testing/shared.py). Each worker has its own system there, with its own key pair:
  ``.base_url`` is the server's (the credentials route calls to the system), ``.host_url``
  names the system in the Host (``<name>.localhost``), ``.host`` is that Host header (the
  clients it makes send it), ``.name``, ``.control_url``. Its helpers are requests to the
  control plane under ``/_emulator/systems/<name>/``; the server's Python objects are out
  of reach (``.system``, ``.app``: AttributeError). The same without xdist: one behaviour.
- ``opencrm_system``: a new system of the test's own on that server, removed after the
  test (for a test that needs state nobody else shares, or two systems at once, with
  ``opencrm_server``).
- ``@pytest.mark.opencrm(records=..., seed=..., fixtures=..., **settings)``: the emulator a test
  gets; tests with the same marker arguments share one system (reset between them). On the
  shared server, ``records``, ``seed`` and ``fixtures`` make the system, and the runtime
  settings (``error_status``, ``faults``, ``latency``, ``rate_limit_per_minute``,
  ``rate_limit_per_day``, ``api_enabled``, ``ip_allow_list``, ``access_key_idle_minutes``)
  are put to it after every reset. Any other setting (``list_cap``, the date formats,
  ``timezone``, ``api_user_id``, ``max_body_bytes``, ``key``/``passkey``, ...) belongs to a
  whole emulator: such a marker gets a server of its own in a thread of the worker instead
  (``PrivateServer``, which keeps ``.system``).
- Strict mode: ``@pytest.mark.opencrm(strict="error")`` fails a test on any finding it did not
  read with ``opencrm.warnings()`` (the calls also answer ``{"error": "strict: ..."}``);
  ``strict="warn"`` lists the findings at the end of the run. ``--opencrm-strict=warn|error``
  turns strict mode on for every test whose marker does not set it.
- ``--opencrm-database=postgresql+psycopg://...`` runs every test's emulator on PostgreSQL (a
  server of its own per marker, each system in a schema no other test sees).

Importing this module is cheap (pytest and the standard library): pytest imports it for every
run. The emulator loads when a fixture is first used (``emulator.testing``).
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from emulator.testing.answers import OpenCRMAPIError
    from emulator.testing.emulators import LiveServer, OpenCRM, PrivateServer
    from emulator.testing.remote import SharedSystem
    from emulator.testing.session import Emulators
    from emulator.testing.shared import Run

__all__ = ["Emulators", "LiveServer", "OpenCRM", "OpenCRMAPIError", "PrivateServer", "SharedSystem"]

MARKER = "opencrm"
STRICT_OPTION = "--opencrm-strict"
DATABASE_OPTION = "--opencrm-database"
#: user_properties key of a test's strict findings (reported at the end of the run).
FINDINGS = "opencrm_strict_findings"
#: The fixtures whose strict findings are checked after a test.
FIXTURES = ("opencrm", "opencrm_server", "opencrm_system")
#: Names importable from here, loaded on first use.
LAZY = {
    "OpenCRM": "emulator.testing.emulators",
    "LiveServer": "emulator.testing.emulators",
    "PrivateServer": "emulator.testing.emulators",
    "SharedSystem": "emulator.testing.remote",
    "Emulators": "emulator.testing.session",
    "OpenCRMAPIError": "emulator.testing.answers",
}
#: emulator.testing.shared's FOLDER_ENV and OWNER_ENV (not imported: it is not cheap).
FOLDER_ENV, OWNER_ENV = "OPENCRM_PYTEST_SHARED", "OPENCRM_PYTEST_OWNER"
#: In the process that owns the run: the shared server's folder, and the environment before.
OWNED = pytest.StashKey[tuple[str, dict[str, str | None]]]()


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
    parser.getgroup("opencrm").addoption(
        DATABASE_OPTION,
        default=None,
        metavar="URL",
        help="run every test's emulator on this database (postgresql+psycopg://...): each "
        "system in a schema of its own, under a prefix no other test shares",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(records=0, seed=0, fixtures='', **settings): configure the OpenCRM emulator",
    )
    config.pluginmanager.register(StrictReport(), "opencrm-strict-report")
    if hasattr(config, "workerinput") and os.environ.get(FOLDER_ENV):
        return  # an xdist worker: the controller owns the shared server
    folder = os.path.join(tempfile.gettempdir(), f"opencrm-pytest-{os.urandom(6).hex()}")
    before = {name: os.environ.get(name) for name in (FOLDER_ENV, OWNER_ENV)}
    os.environ.update({FOLDER_ENV: folder, OWNER_ENV: str(os.getpid())})  # for the workers
    config.stash[OWNED] = (folder, before)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The owner stops the shared server, if one was started, once every worker is done."""
    owned = session.config.stash.get(OWNED, None)
    if owned is not None and os.path.isdir(owned[0]):
        from emulator.testing import shared

        shared.stop(shared.Run(Path(owned[0]), os.getpid()))


def pytest_unconfigure(config: pytest.Config) -> None:
    owned = config.stash.get(OWNED, None)
    for name, value in (owned[1] if owned is not None else {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def run_of(config: pytest.Config) -> Run:
    """This process's part of the run: the shared server's folder, its owner, the worker."""
    from emulator.testing.shared import Run

    worker = config.workerinput["workerid"] if hasattr(config, "workerinput") else "main"
    owned = config.stash.get(OWNED, None)
    if owned is not None:
        return Run(Path(owned[0]), os.getpid(), worker)
    return Run(Path(os.environ[FOLDER_ENV]), int(os.environ[OWNER_ENV]), worker)


def marker_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    settings = dict(marker.kwargs) if marker else {}
    strict = request.config.getoption(STRICT_OPTION)
    if strict is not None:
        settings.setdefault("strict", strict)
    database = request.config.getoption(DATABASE_OPTION)
    if database:
        settings.setdefault("database", database)
    return settings


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test that passed: fail it on strict findings it did not read (strict "error"),
    or keep them for the end of the run (strict "warn")."""
    yield
    funcargs = getattr(item, "funcargs", {})
    crm = next((funcargs[n] for n in FIXTURES if n in funcargs), None)
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
def opencrm_emulators(pytestconfig: pytest.Config) -> Iterator[Emulators]:
    from emulator.testing.session import Emulators  # the emulator loads here, on first use

    emulators = Emulators(run_of(pytestconfig))
    yield emulators
    emulators.close()


@pytest.fixture
def opencrm(opencrm_emulators: Emulators, request: pytest.FixtureRequest) -> OpenCRM:
    """The emulator, in-process and reset: every test starts from the same data."""
    return opencrm_emulators.in_process(marker_settings(request))


@pytest.fixture
def opencrm_server(opencrm_emulators: Emulators, request: pytest.FixtureRequest) -> LiveServer:
    """This worker's system on the run's shared server (``.base_url``), reset: for clients
    that need a real socket."""
    return opencrm_emulators.live(marker_settings(request))


@pytest.fixture
def opencrm_system(
    opencrm_emulators: Emulators, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    """A new system of this test's own on the run's shared server, removed after it."""
    crm = opencrm_emulators.own(marker_settings(request))
    yield crm
    opencrm_emulators.discard(crm)
