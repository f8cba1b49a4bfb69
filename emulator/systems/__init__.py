"""Every OpenCRM system of one emulator, and which one a call reaches.

A system is reached as the real ones are, by name: the ``Host`` header
``<name>.opencrm.co.uk`` or ``<name>.localhost`` (any port). A call whose Host names none
reaches the system of its credentials (a key belongs to one system only; an access key to
the system that issued it), else the default system (setting ``system``). Credentials of
one system sent to another's host are that other system's to refuse, as on the real API.

Systems come from the settings (the default one and ``[[systems]]`` tables) and from the
control plane at run time (:meth:`Systems.create`); on a database file, those made at run
time are remembered (emulator/systems/catalogue.py) and come back after a restart.
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from emulator.control import Progress
from emulator.errors import ControlError, UnknownSystem
from emulator.settings import Settings
from emulator.settings.systems import SystemSpec, name_problem
from emulator.store.postgres_connect import schema_name
from emulator.store.shared import SchemaGone
from emulator.systems.blueprint import Blueprint
from emulator.systems.catalogue import Catalogue, SharedCatalogue
from emulator.systems.system import System

HOST_SUFFIXES = (".opencrm.co.uk", ".localhost")
#: The longest Host whose system name is cached: a DNS name and a port (a longer one, which
#: the head limit lets through up to max_header_bytes, is worked out anew each time).
HOST_CACHED = 260

__all__ = ["Blueprint", "System", "Systems", "summary"]


class Systems:
    def __init__(self, settings: Settings, progress: Progress | None = None) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._by_name: dict[str, System] = {}
        self._made: dict[str, SystemSpec] = {}  # made at run time: what the catalogue keeps
        self._blueprints: dict[str, Blueprint] = {}
        self.owned = True
        default = System(settings, progress, blueprint=self.blueprint(settings.fixtures))
        self.add(default)
        shared = default.store.shared
        self.catalogue = SharedCatalogue(shared) if shared else Catalogue.beside(settings.database)
        for spec in settings.systems:
            self.add(self.build(spec, progress))
        self.catch_up(progress)

    def catch_up(self, progress: Progress | None = None) -> None:
        """The systems the catalogue has and this process not yet (made at run time, here
        before a restart or by another process on a shared database); on a shared one, the
        ones another process removed go."""
        with self._lock:
            specs = {spec.name: spec for spec in self.catalogue.specs()}
            for name, spec in specs.items():
                if name not in self._by_name:
                    self._made[name] = spec
                    self.add(self.build(spec, progress))
            for name in [n for n in self._made if n not in specs and self.catalogue.shared]:
                self.forget(name)

    def forget(self, name: str) -> None:
        """Close a system another process removed (its schema is gone already)."""
        with self._lock:
            system = self._by_name.pop(name, None)
            self._made.pop(name, None)
        if system is not None:
            system.close()

    def current(self, system: System) -> System:
        """``system``, caught up with what other processes changed in it; UnknownSystem if
        another process removed it."""
        try:
            system.control.refresh()
            return system
        except SchemaGone:
            self.forget(system.name)
        self.catch_up()  # removed, perhaps made again: then that one
        again = self._by_name.get(system.name)
        if again is None:
            raise UnknownSystem(system.name, sorted(self._by_name))
        again.control.refresh()
        return again

    @classmethod
    def of(cls, system: System) -> Systems:
        """The systems of an app around one system made elsewhere (which stays its owner's)."""
        systems = cls.__new__(cls)
        systems.settings = system.settings
        systems._lock = threading.RLock()
        systems._by_name = {system.name: system}
        systems._made = {}
        systems._blueprints = {system.settings.fixtures: system.blueprint}
        systems.catalogue = Catalogue(None)
        systems.owned = False
        return systems

    # -- looking up ---------------------------------------------------------------------------

    @property
    def default(self) -> System:
        return self._by_name[self.settings.system]

    def __iter__(self) -> Iterator[System]:
        with self._lock:
            return iter(list(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def named(self, name: str) -> System | None:
        found = self._by_name.get(name)
        if found is None and self.catalogue.shared:  # made by another process?
            self.catch_up()
            found = self._by_name.get(name)
        return found

    def secrets_in(self, text: str) -> set[str]:
        """The live secrets of every system found in ``text`` (for an error that belongs
        to no one system, or to one that does not exist)."""
        return set().union(*(system.keyring.secrets_in(text) for system in self))

    def sole(self) -> System | None:
        """The one system, when there is only one (a call needs no routing then)."""
        with self._lock:
            return self.default if len(self._by_name) == 1 else None

    def for_host(self, host: str) -> System | None:
        """The system a Host header names; None when it names none; UnknownSystem when it
        names one this emulator does not have."""
        name = name_in_host(host) if len(host) <= HOST_CACHED else host_name(host)
        if name is None:
            return None
        found = self.named(name)
        if found is None:
            raise UnknownSystem(name, sorted(self._by_name))
        return found

    def for_credentials(self, key: str, access_key: str) -> System | None:
        """The system a key pair's key or an access key belongs to, if any."""
        with self._lock:
            systems = list(self._by_name.values())
        for system in systems:
            if owns(system, key, access_key):
                return system
        if self.catalogue.shared and {s.name for s in self.catalogue.specs()} - set(self._by_name):
            self.catch_up()  # systems another process made: one of them may be it
            fresh = [s for s in self if s not in systems]
            return next((s for s in fresh if owns(s, key, access_key)), None)
        return None

    # -- making and removing ------------------------------------------------------------------

    def blueprint(self, fixtures: str) -> Blueprint:
        with self._lock:
            if fixtures not in self._blueprints:
                self._blueprints[fixtures] = Blueprint(fixtures, self.settings.cache_dir)
            return self._blueprints[fixtures]

    def build(self, spec: SystemSpec, progress: Progress | None = None) -> System:
        """A system of ``spec``: the emulator's settings with its own database, key pairs,
        records, seed and fixtures."""
        (key, passkey), *others = spec.key_pairs
        own = replace(
            self.settings,
            database=database_of(self.settings.database, spec.name),
            key=key,
            passkey=passkey,
            key_pairs=tuple(others),
            records=spec.records,
            seed=spec.seed,
            fixtures=spec.fixtures,
            systems=(),
        )
        return System(own, progress, name=spec.name, blueprint=self.blueprint(spec.fixtures))

    def add(self, system: System) -> None:
        with self._lock:
            self._by_name[system.name] = system

    def create(
        self, name: str = "", records: int = 0, seed: int = 0, fixtures: str = ""
    ) -> tuple[System, str]:
        """A new system (generated name and key pair where not given); it and its passkey."""
        with self._lock:
            name = name or f"system-{secrets.token_hex(4)}"
            self.check_new(name, fixtures)
            spec = SystemSpec(name, ((secrets.token_hex(10), secrets.token_hex(16)),))
            spec = replace(spec, records=records, seed=seed, fixtures=fixtures)
            if not self.catalogue.add(spec):  # another process claimed the name meanwhile
                raise ControlError(409, f"there is a system named {name} already")
            try:
                system = self.build(spec)
            except BaseException:
                self.catalogue.remove(name)
                raise
            self.add(system)
            self._made[name] = spec
        return system, spec.key_pairs[0][1]

    def check_new(self, name: str, fixtures: str) -> None:
        problem = name_problem(name)
        if problem:
            raise ControlError(400, problem)
        if self.named(name) is not None:
            raise ControlError(409, f"there is a system named {name} already")
        if len(self._by_name) >= self.settings.max_systems:
            most = self.settings.max_systems
            raise ControlError(409, f"this emulator holds at most {most} systems (max_systems)")
        if self.settings.database.startswith("postgresql"):
            try:
                schema_name(self.settings.database, name)
            except ValueError as exc:
                raise ControlError(400, str(exc)) from None
        if fixtures and not Path(fixtures).is_dir():
            raise ControlError(400, f"fixtures folder not found: {fixtures}")

    def delete(self, name: str) -> None:
        """Remove a system and all its data (its database files too)."""
        with self._lock:
            system = self.named(name)  # made by another process, perhaps
            if system is None:
                raise ControlError(404, f"no system named {name}")
            if name == self.settings.system:
                raise ControlError(409, f"{name} is the default system: it cannot be removed")
            del self._by_name[name]
            self._made.pop(name, None)
            self.catalogue.remove(name)
        system.store.drop()  # PostgreSQL: its schema; SQLite: nothing (the files go next)
        system.close()
        remove_files(system.settings.database)

    def close(self) -> None:
        if self.owned:
            for system in self:
                system.close()


def owns(system: System, key: str, access_key: str) -> bool:
    """Whether a key pair's key or an access key is ``system``'s."""
    return bool(key and key in system.keyring.keys) or bool(
        access_key and system.keyring.issued(access_key)
    )


def host_name(host: str) -> str | None:
    """``acme`` for ``acme.opencrm.co.uk`` or ``acme.localhost:8080``; None otherwise."""
    host = host.strip().lower()
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    host = host.rstrip(".")
    for suffix in HOST_SUFFIXES:
        if host.endswith(suffix) and len(host) > len(suffix):
            return host[: -len(suffix)]
    return None


#: :func:`host_name` of a Host seen before: every call asks it of its Host; a client sends few.
name_in_host = functools.lru_cache(maxsize=256)(host_name)


def database_of(database: str, name: str) -> str:
    """Where system ``name`` keeps its records: beside the default system's database file
    (``crm.db`` -> ``crm.acme.db``), or in memory."""
    if database in ("", ":memory:") or database.startswith("postgresql"):
        return database  # on PostgreSQL, each system is a schema of the one database
    path = Path(database)
    return str(path.with_name(f"{path.stem}.{name}{path.suffix}"))


def remove_files(database: str) -> None:
    if database in ("", ":memory:") or database.startswith("postgresql"):
        return
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def summary(systems: Systems) -> list[Mapping[str, object]]:
    """Each system's name, its key pair names and its record counts (no passkey)."""
    return [
        {"name": s.name, "keys": sorted(s.keyring.keys), "records": s.backend.counts()}
        for s in systems
    ]
