"""The emulator's own state for one system, beside OpenCRM's: the journal of calls, runtime
behaviour (faults, latency, limits), named snapshots, and the verbs of the control plane
that act on a system as a whole (reset, snapshots, seeding).

moto keeps its reset and seed API apart from each service's backend; so does this package:
the backend holds OpenCRM's data and rules, :class:`Control` what the emulator adds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta
from typing import Any

import orjson

from emulator.control.behaviour import RATE_LIMITED, Behaviour, Decision, RuntimeSettings
from emulator.control.journal import Journal
from emulator.control.seeding.target import SeedTarget
from emulator.control.sharing import Sharing
from emulator.domain.clock import Clock
from emulator.domain.keyring import Keyring
from emulator.errors import Refused
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
            settings.journal_size,
            settings.journal_bytes,
            settings.journal_value_chars,
            store.shared,
        )
        self.initial_behaviour = RuntimeSettings(
            access_key_idle_minutes=settings.access_key_idle_minutes,
            error_status=settings.error_status,
            waf=settings.waf,
            strict=settings.strict,
        )
        self.behaviour = Behaviour(self.initial_behaviour, seed=settings.seed)
        self.sharing = Sharing(store, self.behaviour, clock, keyring)

    def started(self) -> None:
        """Remember the state at start-up (fixtures and seed data): what reset goes back to.
        Only the first live process starts (emulator/systems/system.py): on a shared database
        its state at start-up is every process's reset target, and its runtime state theirs."""
        self.store.save_initial()
        self.sharing.start_afresh()
        self.store.counts()  # counted now: health has counts to show while a write runs

    def joined(self) -> None:
        """Started beside live processes on a shared database: their state is this one's."""
        self.sharing.refresh()

    def refresh(self) -> None:
        """Before a call or a control route: what other processes changed (shared database)."""
        self.sharing.refresh()

    @contextmanager
    def changing(self) -> Iterator[None]:
        """Around a change of behaviour or clock: made once for every process sharing them."""
        with self.sharing.changing():
            yield

    def reset(self) -> None:
        """Back to the state at start-up: records, access keys, clock, journal, behaviour,
        named snapshots."""
        self.store.restore_initial()
        with self.sharing.changing(forget=True):
            self.keyring.forget_access_keys()
            self.clock.reset()
            self.behaviour.reset(self.initial_behaviour)
            self.keyring.set_idle_minutes(self.initial_behaviour.access_key_idle_minutes)
        self.journal.clear()
        self.store.forget_snapshots()

    def count_call(self, api_key: str) -> None:
        """Refuse a call over its key's rate limit; count it otherwise."""
        s = self.behaviour.current
        if not (s.rate_limit_per_minute or s.rate_limit_per_day):
            return
        now = self.clock.now()
        if self.sharing.state is None:
            self.behaviour.count_call(api_key, now)
            return
        minute, day = now - timedelta(minutes=1), now - timedelta(days=1)
        limits = s.rate_limit_per_minute, s.rate_limit_per_day
        over = self.sharing.state.admit_call(api_key, now, minute, day, *limits)
        if over is not None:
            limit = limits[0] if over == "minute" else limits[1]
            raise Refused(RATE_LIMITED.format(limit=limit, period=over))

    def decide(self, end_point: str) -> Decision:
        """The latency and fault for a call; a fault's uses counted once for every process."""
        if not self.sharing.counts_down(end_point):
            return self.behaviour.decide(end_point)
        with self.sharing.changing():
            return self.behaviour.decide(end_point)

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

        with self.store.exclusive():  # no other process takes ids meanwhile
            top_up.top_up(self.seeding, records, seed_value, progress, modules)

    def change_behaviour(self, changes: Mapping[str, Any]) -> None:
        with self.sharing.changing():
            current = self.behaviour.update(changes)
            self.keyring.set_idle_minutes(current.access_key_idle_minutes)

    def describe_settings(self) -> dict[str, Any]:
        """Runtime behaviour (changeable) and the start-up settings (fixed, secrets masked)."""
        fixed = {k: v for k, v in asdict(self.settings).items() if k not in SECRET_SETTINGS}
        described = {"runtime": asdict(self.behaviour.current), "startup": fixed}
        return dict(orjson.loads(orjson.dumps(described)))  # tuples as lists, as JSON has them
