"""A marker's settings, sorted by what can give them to one system.

``@pytest.mark.opencrm(...)`` takes three kinds of setting:

- a system's creation options, ``records``, ``seed`` and ``fixtures``: what any emulator can
  make a system with (on the shared server, the body of ``POST /_emulator/systems``);
- runtime settings (:data:`RUNTIME`, what the control plane's ``PUT settings`` takes:
  ``error_status``, ``faults``, ``latency``, rate limits, ``api_enabled``,
  ``ip_allow_list``, ``access_key_idle_minutes``): put after every reset;
- start-up settings of a whole emulator, every other one (``list_cap``, ``limit_end_mode``,
  the date formats, ``timezone``, ``api_user_id``, ``max_body_bytes``, ``journal_size``,
  ``key`` and ``passkey``, ...): a shared server cannot give them to one of its systems, so
  a marker with any of them gets a server of its own (:attr:`Marker.private`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from emulator.control.behaviour import RuntimeSettings
from emulator.settings import SETTING_NAMES

CREATION = ("records", "seed", "fixtures")
RUNTIME = tuple(f.name for f in fields(RuntimeSettings))

Key = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Marker:
    settings: Mapping[str, Any]

    @property
    def key(self) -> Key:
        """Markers with the same arguments share a system."""
        return tuple(sorted((name, str(value)) for name, value in self.settings.items()))

    @property
    def private(self) -> list[str]:
        """The settings only a server of its own can give (none: the shared server will do)."""
        return sorted(set(self.settings) - {*CREATION, *RUNTIME})

    def creation(self) -> dict[str, Any]:
        """The body of ``POST /_emulator/systems`` (a fixtures folder as an absolute path:
        the shared server may not share the test's working directory)."""
        body = {name: self.settings[name] for name in CREATION if name in self.settings}
        if body.get("fixtures"):
            body["fixtures"] = str(Path(body["fixtures"]).resolve())
        return body

    def runtime(self) -> dict[str, Any]:
        """The runtime settings, for a system on the shared server."""
        return {name: value for name, value in self.settings.items() if name in RUNTIME}

    def startup(self) -> dict[str, Any]:
        """What builds the ``Settings`` of a system in this process: every setting of the
        emulator's own (an unknown name is ``build``'s to refuse)."""
        return {name: v for name, v in self.settings.items() if name not in self.behaviour()}

    def behaviour(self) -> dict[str, Any]:
        """The runtime settings that are no start-up setting (``faults``, ``latency``, ...):
        for a system in this process, put after every reset."""
        runtime = self.runtime()
        return {name: value for name, value in runtime.items() if name not in SETTING_NAMES}
