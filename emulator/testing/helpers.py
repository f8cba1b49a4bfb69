"""What every emulated system the plugin hands a test offers, however it reaches it.

:class:`Emulated` holds the helpers, written once over a few primitives (``entries``,
``settings``, ``audit``, ``reset_system``, ``clock``, ``transport``) that each kind
supplies: in this process (``OpenCRM``), or through the control plane of a server in another
process (``SharedSystem``). Every request the plugin itself makes sends :data:`USER_AGENT`,
not the HTTP library's own (OpenCRM's firewall refuses a User-Agent with "python" in it).
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from emulator._version import __version__
from emulator.testing import expectations
from emulator.testing.answers import Finding, OpenCRMAPIError, checked

if TYPE_CHECKING:
    import httpx
    import httpx2
    import requests

USER_AGENT = f"opencrm-emulator-pytest/{__version__}"
#: The libraries ``transport`` knows, as their import names.
LIBRARIES = ("httpx", "httpx2", "requests")


class ClockControl(Protocol):
    """What a test does with a system's clock (``emulator.domain.clock.Clock`` in-process,
    ``RemoteClock`` through the control plane)."""

    @property
    def frozen(self) -> bool: ...
    def freeze(self, at: datetime | None = None) -> None: ...
    def unfreeze(self) -> None: ...
    def set(self, at: datetime) -> None: ...
    def advance(self, seconds: float) -> None: ...


class Emulated(abc.ABC):
    """An emulated OpenCRM system and the helpers of a test (see emulator.pytest_plugin)."""

    APIError = OpenCRMAPIError
    origin: str
    base_url: str
    #: The system's name (its place under ``/_emulator/systems/`` and the dashboard).
    name: str
    key: str
    passkey: str
    #: An httpx2 client whose ``base_url`` is ``origin``: ``call`` goes through it.
    client: httpx2.Client
    #: Headers the clients this object makes send (the system's Host, where one is needed).
    client_headers: Mapping[str, str] = {}
    #: The marker's runtime settings, put back by every ``reset``.
    runtime: Mapping[str, Any] = {}
    #: The journal entry up to which strict mode's findings have been read (``warnings``).
    read_up_to: int = 0

    @property
    def credentials(self) -> dict[str, str]:
        return {"key": self.key, "passkey": self.passkey}

    # -- what each kind supplies ----------------------------------------------------------------

    @property
    @abc.abstractmethod
    def clock(self) -> ClockControl:
        """The system's clock: ``freeze()``, ``set(datetime)``, ``advance(seconds)``,
        ``unfreeze()``."""

    @abc.abstractmethod
    def entries(self, end_point: str | None = None) -> list[dict[str, Any]]:
        """The journal's entries (of that end point), oldest first."""

    @abc.abstractmethod
    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change runtime behaviour (see the control plane's PUT settings); the new settings."""

    @abc.abstractmethod
    def audit(self, crmid: int) -> list[dict[str, Any]]:
        """A record's audit trail."""

    @abc.abstractmethod
    def reset_system(self) -> None:
        """Back to the fixtures and the configured seed data (the control plane's reset)."""

    @abc.abstractmethod
    def transport(self, library: str = "httpx", *, asynchronous: bool = False) -> Any:
        """The transport of ``library`` its clients use (for requests, the adapter)."""

    def close(self) -> None:
        self.client.close()

    # -- the helpers ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to where every test starts: the fixtures, and the marker's runtime settings."""
        self.reset_system()
        if self.runtime:
            self.settings(**self.runtime)

    def call(self, end_point: str, /, *, check: bool = True, **params: Any) -> Any:
        """POST form fields with the key pair (as real clients do); the decoded JSON answer.
        An error answer raises ``OpenCRMAPIError`` (``self.APIError``), unless ``check=False``."""
        headers = {**self.client_headers, "User-Agent": USER_AGENT}
        data = {**self.credentials, **params}
        response = self.client.post(f"/api/rest/{end_point}", data=data, headers=headers)
        answer = response.json()
        return checked(end_point, answer, response.status_code) if check else answer

    def journal(self, end_point: str | None = None, **params: Any) -> list[dict[str, Any]]:
        """The calls made, oldest first: of that end point, with those parameter values."""
        return expectations.select(self.entries(end_point), end_point, params)

    def assert_called(
        self, end_point: str, times: int | None = 1, **params: Any
    ) -> list[dict[str, Any]]:
        """Fails unless the end point was called ``times`` times (``None``: at least once)
        with those parameter values, listing the near misses; the matching calls."""
        __tracebackhide__ = True
        return expectations.assert_called(self.entries(), end_point, times, params)

    def warnings(self, end_point: str | None = None, code: str | None = None) -> list[Finding]:
        """Strict mode's findings in the calls made, oldest first: of that end point, with
        that code. Reading them makes them part of the test: under ``strict="error"`` the
        plugin fails a test on the findings it did not read."""
        entries = self.entries()
        if entries:
            self.read_up_to = max(self.read_up_to, int(entries[-1]["id"]))
        found = findings_of(entries)
        return [f for f in found if end_point in (None, f.end_point) and code in (None, f.code)]

    def unread_findings(self) -> list[Finding]:
        """The findings of calls after the last :meth:`warnings`."""
        return findings_of([e for e in self.entries() if int(e["id"]) > self.read_up_to])

    @property
    def strict(self) -> str:
        """Strict mode now: "off", "warn" or "error"."""
        return str(self.settings()["runtime"]["strict"])

    def fault(self, end_point: str = "*", kind: str = "error", **rule: Any) -> None:
        """Make calls fail: ``kind`` "error" (``message``), "status" (``status``) or "drop";
        ``times=N`` for the next N calls, ``probability=p`` for a share of them."""
        faults = [
            *self.settings()["runtime"]["faults"],
            {"end_point": end_point, "kind": kind, **rule},
        ]
        self.settings(faults=faults)

    def latency(self, ms: float, end_point: str = "*", max_ms: float | None = None) -> None:
        rule = {"end_point": end_point, "min_ms": ms, "max_ms": ms if max_ms is None else max_ms}
        self.settings(latency=[*self.settings()["runtime"]["latency"], rule])

    # -- clients of the usual libraries ---------------------------------------------------------

    def httpx_client(self, **options: Any) -> httpx.Client:
        import httpx

        return httpx.Client(**self.client_options("httpx", False, options))

    def async_httpx_client(self, **options: Any) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(**self.client_options("httpx", True, options))

    def httpx2_client(self, **options: Any) -> httpx2.Client:
        import httpx2

        return httpx2.Client(**self.client_options("httpx2", False, options))

    def requests_session(self) -> requests.Session:
        import requests

        session = requests.Session()
        session.headers.update(self.client_headers)
        for prefix in ("http://", "https://"):
            session.mount(prefix, self.transport("requests"))
        return session

    def client_options(
        self, library: str, asynchronous: bool, options: Mapping[str, Any]
    ) -> dict[str, Any]:
        transport = self.transport(library, asynchronous=asynchronous)
        headers = {**self.client_headers, **dict(options.get("headers") or {})}
        return {"base_url": self.origin, "transport": transport, **options, "headers": headers}


def known(library: str, asynchronous: bool) -> str:
    if library not in LIBRARIES or (asynchronous and library == "requests"):
        what = "async transport" if asynchronous else "transport"
        some = "httpx, httpx2" if asynchronous else ", ".join(LIBRARIES)
        raise ValueError(f"no {what} for {library!r}; there are for {some}")
    return library


def findings_of(entries: list[dict[str, Any]]) -> list[Finding]:
    return [
        Finding(int(e["id"]), e["end_point"], **f) for e in entries for f in e.get("findings", [])
    ]
