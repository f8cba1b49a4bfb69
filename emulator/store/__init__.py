"""The emulator's state: the only package that imports SQLAlchemy.

:class:`Store` is a facade whose verbs are named after OpenCRM's actions (``list_records``,
``get_record``, ``edit_record``, ...). It hands back plain dicts of wire strings, never ORM
objects, and serialises access with one lock, so the in-memory database (one shared
connection) is safe to use from the server thread and from tests alike.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Dialect, Table, func, insert, select

from emulator.domain.clock import Clock
from emulator.domain.modules import Module, Registry
from emulator.store.engine import claim, database_url, make_engine
from emulator.store.prepared import as_sqlite3, driver, plain, run_select
from emulator.store.queries import ListQuery, ModuleQueries
from emulator.store.tables import build_tables
from emulator.store.writes import Writer

__all__ = ["ListQuery", "Snapshot", "Store"]

T = TypeVar("T")


@dataclass(frozen=True)
class Snapshot:
    """A saved state: a serialized image (in-memory database) or a page copy (file)."""

    image: bytes | None
    copy: sqlite3.Connection | None
    next_crmid: int
    numbers: dict[str, int]


class Store:
    def __init__(self, database: str, registry: Registry, clock: Clock) -> None:
        self.database = database
        self.registry = registry
        self.clock = clock
        self.claim = claim(database)
        self.engine = make_engine(database)
        self.sqlite = database_url(database).startswith("sqlite")
        self.in_memory = database_url(database) == "sqlite://"
        self.tables = build_tables(registry, self.sqlite)
        self.tables.metadata.create_all(self.engine)
        self.queries = {
            m.noun: ModuleQueries(m, self.tables.modules[m.noun], self.sqlite) for m in registry
        }
        self.lock = threading.RLock()
        self.writer = Writer(
            self.tables, self.queries, clock, self.engine.dialect if self.sqlite else None
        )
        with self.engine.connect() as conn:
            self.writer.load_counters(conn)
        self._users: dict[int, dict[str, str]] | None = None
        # Hot reads on SQLite go straight to a driver connection held for the store's life
        # (the same one as every transaction for :memory:; a WAL reader for a file).
        self._reader = self.engine.raw_connection() if self.sqlite else None

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.engine.dispose()
        if self.claim is not None:
            self.claim.close()  # releases the lock
            self.claim = None

    def reader(self) -> sqlite3.Connection | None:
        """The driver connection for prepared reads (callers hold :attr:`lock`)."""
        return None if self._reader is None else as_sqlite3(self._reader.driver_connection)

    # -- reads ---------------------------------------------------------------------------

    def read(self, work: Callable[[Connection], T]) -> T:
        with self.lock, self.engine.connect() as conn:
            return work(conn)

    def write(self, work: Callable[[Connection], T]) -> T:
        with self.lock, self.engine.begin() as conn:
            result = work(conn)
        self._users = None  # any write may have touched users; the cache is cheap to rebuild
        return result

    def list_records(self, noun: str, query: ListQuery, full: bool) -> list[dict[str, Any]]:
        stmt = self.queries[noun].list_stmt(query, full)
        with self.lock:
            raw = self.reader()
            if raw is not None:
                return run_select(raw, stmt, self.engine.dialect)
        return self.read(lambda c: [plain(r) for r in c.execute(stmt)])

    def count_records(self, noun: str, query: ListQuery) -> int:
        stmt = self.queries[noun].count_stmt(query)
        return self.read(lambda c: int(c.execute(stmt).scalar_one()))

    def get_record(self, noun: str, crmid: int) -> dict[str, str] | None:
        with self.lock:
            raw = self.reader()
            if raw is not None:
                return self.writer.fetch_raw(raw, noun, crmid)
        return self.read(lambda c: self.writer.fetch(c, noun, crmid))

    def product_lines(self, crmid: int) -> list[dict[str, str]]:
        with self.lock:
            raw = self.reader()
            if raw is not None:
                return self.writer.lines_raw(raw, crmid)
        return self.read(lambda c: self.writer.lines(c, crmid))

    def live_values(self, noun: str, names: Sequence[str]) -> list[dict[str, Any]]:
        """Some columns of every live record, as stored (not wire strings), by ``id``, in id
        order: a cheap read for seeding, which links new records to these."""
        q = self.queries[noun]
        columns = [q.table.c[name] for name in names]
        stmt = select(q.key.label("id"), *columns).where(q.live).order_by(q.key)
        return self.read(lambda c: [plain(r) for r in c.execute(stmt)])

    def record_module(self, crmid: int) -> Module | None:
        """The module of a live (not deleted) crmentity record, or None."""
        ent = self.tables.crmentity
        stmt = select(ent.c.setype).where(ent.c.crmid == crmid, ent.c.deleted == 0)
        setype = self.read(lambda c: c.execute(stmt).scalar())
        return self.registry.by_record_module(setype) if setype else None

    def users(self) -> dict[int, dict[str, str]]:
        """Every user by id, as wire strings (cached: users change only through fixtures)."""
        if self._users is None:
            rows = self.list_records("user", ListQuery(limit=1_000_000), full=True)
            self._users = {int(r["id"]): r for r in rows}
        return self._users

    def counts(self) -> dict[str, int]:
        """Live records per module noun."""
        return {m.noun: self.count_records(m.noun, ListQuery()) for m in self.registry}

    def audit_trail(self, crmid: int) -> list[dict[str, Any]]:
        return self.read(lambda c: self.writer.audit_trail(c, crmid))

    # -- writes --------------------------------------------------------------------------

    def insert_records(self, noun: str, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Bulk insert (fixtures, seed data): no audit, ids allocated where missing."""
        return self.write(lambda c: self.writer.bulk_insert(c, noun, rows))

    def insert_seeded(
        self,
        module: Module,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        line_columns: Sequence[str] = (),
        lines: Sequence[Sequence[object]] = (),
    ) -> None:
        """Bulk insert generated records (seed data) and their product lines, in one transaction:
        ids, record numbers and values come ready in storage form, so each table takes one
        executemany and no per-value conversion (seeding inserts some 100,000 rows)."""

        def work(conn: Connection) -> None:
            if module.crmentity:
                setype = module.record_module
                ids = [(row[0], setype, 0) for row in rows]
                executemany(conn, self.tables.crmentity, ("crmid", "setype", "deleted"), ids)
            executemany(conn, self.tables.modules[module.noun], columns, rows)
            executemany(conn, self.tables.product_lines, line_columns, lines)
            self.writer.save_numbers(conn, [module])

        self.write(work)

    @contextmanager
    def bulk_load(self, noun: str, adding: int) -> Iterator[None]:
        """Around inserting ``adding`` rows into a module's table: when that is more than it
        holds, its indexes are dropped first and built once at the end (from sorted keys, a
        third faster than updating ten indexes row by row). Callers hold :attr:`lock`."""
        table = self.tables.modules[noun]
        count = select(func.count()).select_from(table)
        if not table.indexes or adding <= self.read(lambda c: int(c.execute(count).scalar_one())):
            yield
            return
        self.write(lambda c: drop_indexes(c, table))
        try:
            yield
        finally:
            self.write(lambda c: create_indexes(c, table))

    def take_numbers(self, module: Module, count: int) -> list[str]:
        """The next ``count`` record numbers of ``module`` (saved by the next insert)."""
        first = self.writer.numbers.get(module.record_module, 0) + 1
        self.writer.numbers[module.record_module] = first + count - 1
        return [f"{module.number_prefix}{n}" for n in range(first, first + count)]

    def insert_lines(self, crmid: int, lines: Iterable[Mapping[str, str]]) -> None:
        self.write(lambda c: self.writer.insert_lines(c, crmid, list(lines)))

    def transaction(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one transaction under the store's lock (used by the domain verbs)."""
        return self.write(work)

    # -- snapshots -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The whole database and its counters, kept in memory."""
        with self.lock, self.engine.connect() as conn:
            raw = driver(conn)
            counters = (self.writer.next_crmid, dict(self.writer.numbers))
            if self.in_memory:
                return Snapshot(raw.serialize(), None, *counters)
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            raw.backup(copy)  # a file: copy its pages, so the connection keeps its file
            return Snapshot(None, copy, *counters)

    def image(self) -> bytes:
        """The whole in-memory database as bytes."""
        with self.lock, self.engine.connect() as conn:
            return driver(conn).serialize()

    def load_image(self, image: bytes) -> None:
        """Replace the whole database with an image from :meth:`image`."""
        with self.lock, self.engine.connect() as conn:
            driver(conn).deserialize(image)
            self.writer.load_counters(conn)
        self._users = None

    def restore(self, snapshot: Snapshot) -> None:
        """Put a snapshot back: every table, counter and cache as it was."""
        with self.lock, self.engine.connect() as conn:
            raw = driver(conn)
            if snapshot.image is not None:
                # One memcpy of the image: a reset costs well under a millisecond with the
                # fixtures (a page-by-page backup() took several).
                raw.deserialize(snapshot.image)
            elif snapshot.copy is not None:
                snapshot.copy.backup(raw)
            self.writer.next_crmid = snapshot.next_crmid
            self.writer.numbers = dict(snapshot.numbers)
        self._users = None

    def max_id(self, noun: str) -> int:
        q = self.queries[noun]
        return self.read(lambda c: int(c.execute(select(func.max(q.key))).scalar() or 0))


def executemany(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """INSERT ``rows`` (values in ``columns`` order) through the DB-API's executemany."""
    if not rows:
        return
    sql, order = insert_sql(table, tuple(columns), conn.dialect)
    if order is None:  # a named paramstyle
        conn.exec_driver_sql(sql, [dict(zip(columns, row, strict=True)) for row in rows])
        return
    if order != tuple(columns):
        at = {name: i for i, name in enumerate(columns)}
        rows = [tuple(row[at[name]] for name in order) for row in rows]
    conn.exec_driver_sql(sql, rows)


@lru_cache(maxsize=256)
def insert_sql(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[str, ...] | None]:
    """The INSERT of ``columns`` and, for positional paramstyles, its parameter order."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    order = compiled.positiontup
    return str(compiled), tuple(order) if order is not None else None


def drop_indexes(conn: Connection, table: Table) -> None:
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        index.drop(conn)


def create_indexes(conn: Connection, table: Table) -> None:
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        index.create(conn)
