"""A system on the run's shared emulator server (emulator/testing/shared.py), reached over
HTTP: ``SharedSystem``, its ``RemoteClock``, and the server's ``ControlPlane``.

Each helper is a request to the control plane under ``/_emulator/systems/{name}/``, so a
test sees what it would see in-process, except for the server's Python objects, which live
in another process (``.system``, ``.app``: an AttributeError that says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx2

from emulator.testing.emulators import LiveServer
from emulator.testing.helpers import USER_AGENT
from emulator.testing.markers import Marker

#: Seconds a request of the plugin's may take (a latency rule delays calls, not these).
TIMEOUT = 60.0


class ControlPlane:
    """The shared server's control plane (``/_emulator/``). An answer of 400 raises
    ValueError, as the same change in-process does; any other error, RuntimeError."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.http = httpx2.Client(
            base_url=f"{origin}/_emulator/",
            headers={"User-Agent": USER_AGENT},
            timeout=TIMEOUT,
            trust_env=False,  # a proxy of the environment has no business with loopback
        )

    def request(
        self, method: str, route: str, body: Any = None, params: Mapping[str, str] | None = None
    ) -> Any:
        response = self.http.request(method, route, json=body, params=params)
        if response.status_code < 400:
            return response.json()
        try:
            message = response.json()["error"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:500]
        problem = f"{method} /_emulator/{route}: {response.status_code} {message}"
        raise (ValueError if response.status_code == 400 else RuntimeError)(problem)

    def systems(self) -> list[dict[str, Any]]:
        """Every system of the server: name, key names, record counts."""
        listed: list[dict[str, Any]] = self.request("GET", "systems")["systems"]
        return listed

    def create(self, name: str, options: Mapping[str, Any]) -> dict[str, str]:
        made: dict[str, str] = self.request("POST", "systems", {"name": name, **options})
        return made

    def delete(self, name: str) -> None:
        self.request("DELETE", f"systems/{name}")

    def close(self) -> None:
        self.http.close()


class RemoteClock:
    """A shared system's clock, through ``POST clock``: ``freeze()``, ``set(datetime)``
    (a naive one is wall-clock time in the system's time zone), ``advance(seconds)``,
    ``unfreeze()``; ``now()``, ``stamp()`` and ``frozen`` read it (to the second)."""

    def __init__(self, system: SharedSystem) -> None:
        self.system = system

    def change(self, **body: Any) -> dict[str, Any]:
        state: dict[str, Any] = self.system.ask("POST", "clock", body)
        return state

    def freeze(self, at: datetime | None = None) -> None:
        self.change(freeze=True, **({"set": at.isoformat()} if at is not None else {}))

    def unfreeze(self) -> None:
        self.change(unfreeze=True)

    def set(self, at: datetime) -> None:
        self.change(set=at.isoformat())

    def advance(self, seconds: float) -> None:
        self.change(advance=seconds)

    @property
    def frozen(self) -> bool:
        return bool(self.system.ask("GET", "clock")["frozen"])

    def stamp(self) -> str:
        """The wall-clock time as OpenCRM stores it: ``YYYY-MM-DD HH:MM:SS``."""
        return str(self.system.ask("GET", "clock")["now"])

    def local(self) -> datetime:
        return datetime.fromisoformat(self.stamp())

    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC), as the in-process clock gives it."""
        zone = ZoneInfo(self.system.settings()["startup"]["timezone"])
        return self.local().replace(tzinfo=zone).astimezone(UTC)


class SharedSystem(LiveServer):
    """A system of its own on the run's shared server, reached by its own key pair at the
    server's address (``base_url``: the credentials route calls to the system) or, by its
    name in the Host header, at ``host_url`` (``*.localhost`` names) or with
    ``Host: <host>`` (the clients this object makes send it, so a call with a wrong key
    is this system's to refuse and journal too)."""

    def __init__(
        self, control: ControlPlane, created: Mapping[str, str], runtime: Mapping[str, Any]
    ) -> None:
        self.control = control
        self.name, self.key, self.passkey = created["name"], created["key"], created["passkey"]
        self.origin = control.origin
        self.port = urlsplit(self.origin).port or 80
        self.base_url = f"{self.origin}/api/rest/"
        self.host_url = created["host_url"]
        self.host = f"{self.name}.localhost:{self.port}"
        self.control_url = f"{self.origin}/_emulator/systems/{self.name}/"
        self.client_headers = {"Host": self.host}
        self.runtime = dict(runtime)
        self.client = httpx2.Client(base_url=self.origin, timeout=TIMEOUT, trust_env=False)

    @classmethod
    def create(cls, control: ControlPlane, name: str, marker: Marker) -> SharedSystem:
        """A new system on the server, with the marker's creation options and runtime
        settings."""
        made = cls(control, control.create(name, marker.creation()), marker.runtime())
        if made.runtime:
            made.settings(**made.runtime)
        return made

    def ask(self, method: str, route: str, body: Any = None, **params: str) -> Any:
        """A control route of this system's (``/_emulator/systems/{name}/<route>``)."""
        return self.control.request(method, f"systems/{self.name}/{route}", body, params)

    @property
    def clock(self) -> RemoteClock:
        return RemoteClock(self)

    def entries(self, end_point: str | None = None) -> list[dict[str, Any]]:
        query = {"end_point": end_point} if end_point is not None else {}
        entries: list[dict[str, Any]] = self.ask("GET", "journal", **query)["entries"]
        return entries

    def settings(self, **changes: Any) -> dict[str, Any]:
        method, body = ("PUT", changes) if changes else ("GET", None)
        described: dict[str, Any] = self.ask(method, "settings", body)
        return described

    def audit(self, crmid: int) -> list[dict[str, Any]]:
        trail: list[dict[str, Any]] = self.ask("GET", f"records/{crmid}/audit")["entries"]
        return trail

    def reset_system(self) -> None:
        self.ask("POST", "reset")

    def delete(self) -> None:
        """Remove this system from the server, with all its data."""
        self.close()
        self.control.delete(self.name)

    @property
    def system(self) -> NoReturn:
        raise AttributeError(self.out_of_reach("system"))

    @property
    def app(self) -> NoReturn:
        raise AttributeError(self.out_of_reach("app"))

    def out_of_reach(self, name: str) -> str:
        return (
            f"{name}: {self.name} is a system on the run's shared emulator server, in another "
            f"process, so its Python objects are out of reach; use the helpers (journal, "
            f"audit, settings, clock, reset) or its control plane at {self.control_url}"
        )
