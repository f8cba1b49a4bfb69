"""The control state several processes share on PostgreSQL, kept in step in each of them.

Each process keeps its runtime behaviour and clock in memory, as a single process does, and
the database holds the one true copy (emulator/store/shared.py) with a version. Before an
API call or a control route is served, :meth:`Sharing.refresh` compares the versions with
the ones this process last saw: a new control version reloads behaviour and clock; a new
data version (another process wrote) forgets the store's caches (users, record counts). A
change (settings, clock, reset, a fault's remaining ``times`` counting down) happens inside
:meth:`Sharing.changing`: the row locked, the state reloaded, changed, written back with a
new version, so two processes never lose each other's change.

On SQLite (one process) there is no shared state, and every method here does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

import orjson

from emulator.control.behaviour import Behaviour, Fault, Latency, RuntimeSettings, matches
from emulator.domain.clock import Clock
from emulator.domain.keyring import Keyring
from emulator.store import Store
from emulator.store.shared import SharedState


class Sharing:
    def __init__(self, store: Store, behaviour: Behaviour, clock: Clock, keyring: Keyring) -> None:
        self.state: SharedState | None = store.shared
        self.store = store
        self.behaviour = behaviour
        self.clock = clock
        self.keyring = keyring
        self.seen = -1

    @property
    def on(self) -> bool:
        return self.state is not None

    def refresh(self) -> None:
        """Catch up with what other processes changed since this one last looked."""
        if self.state is None:
            return
        with self.state.lock:  # no change of another thread's in between (changing holds it)
            control, writes = self.state.versions()
            self.store.note_writes(writes)
            if control != self.seen:
                self.apply(*self.state.control())

    def start_afresh(self) -> None:
        """The first live process: the database's control state becomes this one's."""
        if self.state is not None:
            self.seen = self.state.start_afresh(self.body())

    @contextmanager
    def changing(self, forget: bool = False) -> Iterator[None]:
        """Change behaviour or clock in the block; ``forget``: the access keys, rate-limit
        counts and journal of the run go too (a reset)."""
        if self.state is None:
            yield
            return
        try:
            with self.state.changing_control() as change:
                self.apply(change.version, change.body)
                yield
                change.body, change.forget = self.body(), forget
        except BaseException:
            self.seen = -1  # reload at the next refresh: the change did not happen
            raise
        self.seen = change.version

    def apply(self, version: int, body: str) -> None:
        if body:
            state = orjson.loads(body)
            self.behaviour.current = runtime_of(state["behaviour"])
            self.clock.restore(state["clock"])
            self.keyring.set_idle_minutes(self.behaviour.current.access_key_idle_minutes)
        self.seen = version

    def body(self) -> str:
        state = {"behaviour": asdict(self.behaviour.current), "clock": self.clock.state()}
        return orjson.dumps(state).decode()

    def counts_down(self, end_point: str) -> bool:
        """Whether a call to ``end_point`` may spend a use of a fault with ``times`` (the
        count is then changed under the shared lock)."""
        return self.state is not None and any(
            f.times and matches(f.end_point, end_point) for f in self.behaviour.current.faults
        )


def runtime_of(state: dict[str, Any]) -> RuntimeSettings:
    """RuntimeSettings from its ``asdict`` form, as JSON gives it back (a setting another
    emulator version wrote and this one lacks is left out; one it lacks, the default)."""
    fields = RuntimeSettings.__dataclass_fields__
    values = {name: value for name, value in state.items() if name in fields}
    values["latency"] = tuple(Latency(**rule) for rule in state.get("latency", ()))
    values["faults"] = tuple(Fault(**rule) for rule in state.get("faults", ()))
    values["ip_allow_list"] = tuple(state.get("ip_allow_list", ()))
    return RuntimeSettings(**values)
