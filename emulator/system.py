"""One emulated OpenCRM *system*: the composition root that builds its parts.

A real OpenCRM customer has a system (``https://<system>.opencrm.co.uk``) with its own data
and key pairs. Here a :class:`System` holds

- ``backend``: OpenCRM's data and rules (emulator.backend, over emulator.store);
- ``keyring``: its key pairs and the access keys ``login`` hands out;
- ``control``: what the emulator keeps beside them: journal, runtime behaviour, snapshots;
- ``clock``: the one clock all of them read.

Building one loads the fixtures (or their cached image) and the configured seed data, and
remembers that state as the one ``reset`` goes back to.
"""

from __future__ import annotations

from emulator.backend import Backend, fixtures
from emulator.control import Control, Progress, image_cache
from emulator.control.seeding.target import SeedTarget
from emulator.domain.clock import Clock
from emulator.domain.keyring import Keyring
from emulator.domain.modules import Registry, default_registry
from emulator.domain.product_lines import ReferenceData
from emulator.domain.reports import ReportBook
from emulator.settings import Settings
from emulator.store import Store


class System:
    def __init__(self, settings: Settings, progress: Progress | None = None) -> None:
        self.settings = settings
        self.clock = Clock(settings.timezone)
        self.fixtures = fixtures.FixtureSet.load(settings.fixtures)
        self.registry: Registry = default_registry().with_custom_fields(self.fixtures.custom_fields)
        self.reference = ReferenceData.from_config(self.fixtures.reference)
        reports = ReportBook.from_config(self.fixtures.reports, self.registry)
        self.store = Store(settings.database, self.registry, self.clock)
        self.backend = Backend(
            self.store, self.reference, reports, self.clock, settings.create_audit_action
        )
        credentials = settings.credentials()
        self.keyring = Keyring(credentials, self.clock, settings.access_key_idle_minutes)
        seeding = SeedTarget(self.store, self.reference, self.backend.line_products)
        self.control = Control(settings, self.store, self.clock, self.keyring, seeding)
        self.start(progress)

    def start(self, progress: Progress | None) -> None:
        if self.store.max_id("user") == 0:
            self.load_fixtures()
        if self.settings.records:
            self.control.seed(self.settings.records, self.settings.seed, progress)
        self.control.started()

    def load_fixtures(self) -> None:
        """Load the fixtures, or (in memory) their cached image from an earlier start."""
        # Not when seeding: a deserialized database cannot grow past SQLite's memdb limit
        # (1 GiB), which a large --records would reach.
        cached = self.store.in_memory and not self.settings.records
        where = image_cache.folder(self.settings.cache_dir) if cached else None
        name = image_cache.key(self.fixtures.folder) if where is not None else ""
        image = image_cache.load(where, name)
        if image is not None:
            self.store.load_image(image)
            return
        fixtures.load_into(self.store, self.fixtures, self.reference)
        if where is not None:
            image_cache.save(where, name, self.store.image())

    def close(self) -> None:
        self.store.close()
