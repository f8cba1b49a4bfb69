"""What every system built from the same fixtures folder shares.

Building a system's parts from the fixture files (the registry with its custom fields,
reference data, reports, the store's tables and queries) takes some 150 ms, and loading the
fixtures into a database as much again. None of it differs between systems of the same
fixtures, so a :class:`Blueprint` builds each once; a new system then costs a connection and
a page copy of the fixture image (a few milliseconds), and shares the compiled statements.
"""

from __future__ import annotations

import threading

from emulator.backend import fixtures
from emulator.control import image_cache
from emulator.domain.clock import Clock
from emulator.domain.modules import Registry, default_registry
from emulator.domain.product_lines import ReferenceData
from emulator.domain.reports import ReportBook
from emulator.store import Shape, Store
from emulator.store.executor import StatementCache


class Blueprint:
    def __init__(self, folder: str = "", cache_dir: str = "") -> None:
        self.fixtures = fixtures.FixtureSet.load(folder)
        self.registry: Registry = default_registry().with_custom_fields(self.fixtures.custom_fields)
        self.reference = ReferenceData.from_config(self.fixtures.reference)
        self.reports = ReportBook.from_config(self.fixtures.reports, self.registry)
        self.cache_dir = cache_dir
        self.statements = StatementCache()  # SQLite's; each other flavour has its own
        self._statements: dict[str, StatementCache] = {"sqlite": self.statements}
        self._shapes: dict[str, Shape] = {}
        self._image: bytes | None = None
        self._lock = threading.RLock()

    def shape(self, flavour: str) -> Shape:
        with self._lock:
            if flavour not in self._shapes:
                self._shapes[flavour] = Shape.build(self.registry, flavour)
            return self._shapes[flavour]

    def statements_of(self, flavour: str) -> StatementCache:
        """The compiled statements of a flavour (their SQL differs between databases)."""
        with self._lock:
            return self._statements.setdefault(flavour, StatementCache())

    def image(self) -> bytes:
        """A SQLite database holding the fixtures (users, records, product lines): made once,
        and cached on disk (``cache_dir``) so later starts skip the loading."""
        with self._lock:
            if self._image is None:
                self._image = self.cached_image() or self.loaded_image()
            return self._image

    def cached_image(self) -> bytes | None:
        where = image_cache.folder(self.cache_dir)
        return image_cache.load(where, image_cache.key(self.fixtures.folder)) if where else None

    def loaded_image(self) -> bytes:
        """Load the fixtures, by the API's own rules, into a scratch database; its image."""
        scratch = Store(":memory:", self.shape("sqlite"), Clock(), self.statements)
        try:
            fixtures.load_into(scratch, self.fixtures, self.reference)
            image = scratch.image()
        finally:
            scratch.close()
        where = image_cache.folder(self.cache_dir)
        if where is not None:
            image_cache.save(where, image_cache.key(self.fixtures.folder), image)
        return image
