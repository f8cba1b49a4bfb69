"""The emulator's own state for one system, beside OpenCRM's: the journal of calls, runtime
behaviour (faults, latency, limits), named snapshots, and the verbs of the control plane
that act on a system as a whole (reset, snapshots, seeding).

moto keeps its reset and seed API apart from each service's backend; so does this package:
the backend holds OpenCRM's data and rules, :class:`Control` what the emulator adds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict
from typing import Any

import orjson

from emulator.control.behaviour import Behaviour, RuntimeSettings
from emulator.control.journal import Journal
from emulator.control.seeding.target import SeedTarget
from emulator.domain.clock import Clock
from emulator.domain.keyring import Keyring
from emulator.settings import Settings
from emulator.store import Store

#: progress(module noun, records done, records wanted), as seeding reports it.
Progress = Callable[[str, int, int], None]

SECRET_SETTINGS = frozenset({"passkey", "key_pairs", "control_token"})


class Control:
    def __init__(
        self, settings: Settings, store: Store, clock: Clock, keyring: Keyring, seeding: SeedTarget
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.keyring = keyring
        self.seeding = seeding
        self.journal = Journal(
            settings.journal_size, settings.journal_bytes, settings.journal_value_chars
        )
        self.initial_behaviour = RuntimeSettings(
            access_key_idle_minutes=settings.access_key_idle_minutes,
            error_status=settings.error_status,
            waf=settings.waf,
            strict=settings.strict,
        )
        self.behaviour = Behaviour(self.initial_behaviour, seed=settings.seed)

    def started(self) -> None:
        """Remember the state at start-up (fixtures and seed data): what reset goes back to.
        Processes sharing a database keep the first one's: a reset by any goes back there."""
        if not self.store.has_initial():
            self.store.save_initial()
        self.store.counts()  # counted now: health has counts to show while a write runs

    def reset(self) -> None:
        """Back to the state at start-up: records, access keys, clock, journal, behaviour,
        named snapshots."""
        self.store.restore_initial()
        self.keyring.forget_access_keys()
        self.clock.reset()
        self.journal.clear()
        self.behaviour.reset(self.initial_behaviour)
        self.store.forget_snapshots()
        self.keyring.set_idle_minutes(self.initial_behaviour.access_key_idle_minutes)

    def save_snapshot(self, name: str) -> None:
        self.store.save_snapshot(name)

    def restore_snapshot(self, name: str) -> bool:
        return self.store.restore_snapshot(name)

    @property
    def snapshots(self) -> list[str]:
        """The names of the saved snapshots (kept by the store: on PostgreSQL, shared by every
        process on the system's schema)."""
        return self.store.snapshot_names()

    def seed(
        self,
        records: int,
        seed_value: int,
        progress: Progress | None = None,
        modules: Collection[str] | None = None,
    ) -> None:
        from emulator.control.seeding import top_up  # Faker loads only when seeding

        top_up.top_up(self.seeding, records, seed_value, progress, modules)

    def change_behaviour(self, changes: Mapping[str, Any]) -> None:
        current = self.behaviour.update(changes)
        self.keyring.set_idle_minutes(current.access_key_idle_minutes)

    def describe_settings(self) -> dict[str, Any]:
        """Runtime behaviour (changeable) and the start-up settings (fixed, secrets masked)."""
        fixed = {k: v for k, v in asdict(self.settings).items() if k not in SECRET_SETTINGS}
        described = {"runtime": asdict(self.behaviour.current), "startup": fixed}
        return dict(orjson.loads(orjson.dumps(described)))  # tuples as lists, as JSON has them
