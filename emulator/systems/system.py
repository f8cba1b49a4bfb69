"""One emulated OpenCRM *system*: the composition root that builds its parts.

A real OpenCRM customer has a system (``https://<system>.opencrm.co.uk``) with its own data
and key pairs. Here a :class:`System` holds

- ``backend``: OpenCRM's data and rules (emulator.backend, over its own emulator.store);
- ``keyring``: its key pairs and the access keys ``login`` hands out;
- ``control``: what the emulator keeps beside them: journal, runtime behaviour, snapshots;
- ``clock``: the one clock all of them read.

Nothing is shared between two systems but what cannot change: the blueprint of their
fixtures (emulator/systems/blueprint.py). Building one fills a new database from the fixture
image, tops it up with the configured seed data, and remembers that state as the one
``reset`` goes back to.
"""

from __future__ import annotations

import time

from emulator.backend import Backend, fixtures
from emulator.control import Control, Progress
from emulator.control.seeding.target import SeedTarget
from emulator.domain.clock import Clock
from emulator.domain.keyring import Keyring
from emulator.domain.modules import Registry
from emulator.settings import Settings
from emulator.store import Store, flavour_of
from emulator.systems.blueprint import Blueprint


class System:
    def __init__(
        self,
        settings: Settings,
        progress: Progress | None = None,
        *,
        name: str = "",
        blueprint: Blueprint | None = None,
    ) -> None:
        """The system ``name`` (the ``system`` setting's by default) of ``settings``, whose
        ``database``, key pairs, ``records``, ``seed`` and ``fixtures`` are its own."""
        self.name = name or settings.system
        self.settings = settings
        self.started = time.monotonic()
        blueprint = blueprint or Blueprint(settings.fixtures, settings.cache_dir)
        self.blueprint = blueprint
        self.clock = Clock(settings.timezone)
        self.fixtures = blueprint.fixtures
        self.registry: Registry = blueprint.registry
        self.reference = blueprint.reference
        shape = blueprint.shape(flavour_of(settings.database))
        self.store = Store(
            settings.database,
            shape,
            self.clock,
            blueprint.statements_of(shape.flavour.name),
            blueprint.image,
            self.name,
        )
        self.backend = Backend(
            self.store, self.reference, blueprint.reports, self.clock, settings.create_audit_action
        )
        credentials = settings.credentials()
        idle = settings.access_key_idle_minutes
        self.keyring = Keyring(credentials, self.clock, idle, self.store.shared)
        seeding = SeedTarget(self.store, self.reference, self.backend.line_products)
        self.control = Control(settings, self.store, self.clock, self.keyring, seeding)
        self.start(progress)

    def start(self, progress: Progress | None) -> None:
        """Fixtures and seed data; on a database other live processes share, what they
        made (processes start one at a time there: emulator/store/shared.py)."""
        if not self.store.first:
            self.control.joined()
            self.store.ready()
            return
        if self.store.max_id("user") == 0:  # a database made without the fixture image
            fixtures.load_into(self.store, self.fixtures, self.reference)
        if self.settings.records:
            self.control.seed(self.settings.records, self.settings.seed, progress)
        self.control.started()
        self.store.ready()

    def close(self) -> None:
        self.store.close()
