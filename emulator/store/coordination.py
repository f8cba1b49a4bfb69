"""The part of :class:`emulator.store.Store` that keeps processes on one database in step
(PostgreSQL; emulator/store/shared.py): start-up order, whether this process started first,
the data's version, and the write lock with the id and record-number counters read under
it. On SQLite one process owns the database: the counters are its own, the rest does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from emulator.domain.modules import Module
from emulator.store.executor import Executor
from emulator.store.schema import Counters, Schema
from emulator.store.shared import SharedState
from emulator.store.sqlite import SQLiteDatabase

if TYPE_CHECKING:  # loaded with a PostgreSQL database only (databases.py): SQLite starts sooner
    from emulator.store.postgres import PostgresDatabase


class Coordination:
    """Processes sharing the store's database (a part of :class:`emulator.store.Store`)."""

    db: SQLiteDatabase | PostgresDatabase
    lock: threading.RLock
    schema: Schema
    counters: Counters
    #: The data's version this process last knew (a shared database's; see note_writes).
    writes_seen: int = -1
    _exclusive: int = 0

    def changed(self) -> None:
        raise NotImplementedError

    @property
    def ex(self) -> Executor:
        raise NotImplementedError

    @property
    def shared(self) -> SharedState | None:
        """What processes on the same PostgreSQL schema share (None on SQLite)."""
        return self.db.shared

    @property
    def first(self) -> bool:
        """Whether no other process was live on this database when this one started."""
        return self.db.first

    def ready(self) -> None:
        """Start-up is over (on a shared database, the next process may start)."""
        self.db.ready()

    def note_writes(self, version: int) -> None:
        """The data's version now: another process wrote since this one last knew, so the
        caches of what the tables hold are out of date."""
        if version != self.writes_seen:
            self.writes_seen = version
            self.changed()

    def begin_write(self) -> None:
        """First in a write transaction: on a shared database, wait for other processes'
        writes and read the counters they moved on (unless held for a seeding already)."""
        version = self.db.begin_write()
        if version is not None:
            if version != self.writes_seen + 1:  # another process wrote since: caches go
                self.changed()
            self.writes_seen = version
            if not self._exclusive:
                self.load_counters()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Around many write transactions that allocate ids ahead (seeding): no other
        process writes in between, so the ids they take stay theirs."""
        if self.db.shared is None:
            yield
            return
        with self.lock:
            self.db.hold_writes(True)
            self._exclusive += 1
            self.load_counters()
        try:
            yield
        finally:
            with self.lock:
                self._exclusive -= 1
                self.db.hold_writes(False)

    # -- the counters ------------------------------------------------------------------------

    def allocate(self, count: int) -> range:
        """``count`` new crmids (for records inserted by :meth:`insert_seeded`)."""
        with self.lock:
            return self.counters.allocate(count)

    def take_numbers(self, module: Module, count: int) -> list[str]:
        """The next ``count`` record numbers of ``module`` (saved by the next insert)."""
        with self.lock:
            numbers = self.counters.numbers
            first = numbers.get(module.record_module, 0) + 1
            numbers[module.record_module] = first + count - 1
        return [f"{module.number_prefix}{n}" for n in range(first, first + count)]

    def load_counters(self) -> None:
        tables = self.schema.tables
        with self.lock:
            top = self.ex.scalar(select(func.max(tables.crmentity.c.crmid)))
            self.counters.next_crmid = int(top or 0) + 1
            rows = self.ex.rows(select(tables.numbers.c.semodule, tables.numbers.c.cur_id))
            self.counters.numbers = {r["semodule"]: r["cur_id"] for r in rows}
