"""The emulator's state: the only package that imports SQLAlchemy.

:class:`Store` is a facade whose verbs are named after OpenCRM's actions (``list_records``,
``get_record``, ``edit_record``, ...). It hands back plain dicts of wire strings, never ORM
objects, and serialises access with one lock, so the in-memory database (one shared
connection) is safe to use from the server thread and from tests alike.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from emulator.clock import Clock
from emulator.modules import Module, Registry
from emulator.store.engine import database_url, make_engine
from emulator.store.queries import ListQuery, ModuleQueries
from emulator.store.tables import build_tables
from emulator.store.writes import Writer

__all__ = ["ListQuery", "Store"]

T = TypeVar("T")


class Store:
    def __init__(self, database: str, registry: Registry, clock: Clock) -> None:
        self.database = database
        self.registry = registry
        self.clock = clock
        self.engine = make_engine(database)
        self.sqlite = database_url(database).startswith("sqlite")
        self.tables = build_tables(registry, self.sqlite)
        self.tables.metadata.create_all(self.engine)
        self.queries = {
            m.noun: ModuleQueries(m, self.tables.modules[m.noun], self.sqlite) for m in registry
        }
        self.lock = threading.RLock()
        self.writer = Writer(self.tables, self.queries, clock)
        with self.engine.connect() as conn:
            self.writer.load_counters(conn)
        self._users: dict[int, dict[str, str]] | None = None

    def close(self) -> None:
        self.engine.dispose()

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
        return self.read(lambda c: [dict(r._mapping) for r in c.execute(stmt)])

    def count_records(self, noun: str, query: ListQuery) -> int:
        stmt = self.queries[noun].count_stmt(query)
        return self.read(lambda c: int(c.execute(stmt).scalar_one()))

    def get_record(self, noun: str, crmid: int) -> dict[str, str] | None:
        return self.read(lambda c: self.writer.fetch(c, noun, crmid))

    def product_lines(self, crmid: int) -> list[dict[str, str]]:
        return self.read(lambda c: self.writer.lines(c, crmid))

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

    def insert_lines(self, crmid: int, lines: Iterable[Mapping[str, str]]) -> None:
        self.write(lambda c: self.writer.insert_lines(c, crmid, list(lines)))

    def transaction(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one transaction under the store's lock (used by the domain verbs)."""
        return self.write(work)

    # -- snapshots -----------------------------------------------------------------------

    def snapshot(self) -> sqlite3.Connection:
        """A copy of the whole database in memory (SQLite's online backup: page copies, fast)."""
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with self.lock, self.engine.connect() as conn:
            raw_connection(conn).backup(copy)
        return copy

    def restore(self, copy: sqlite3.Connection) -> None:
        """Put a snapshot back: every table, counter and cache as it was."""
        with self.lock, self.engine.connect() as conn:
            copy.backup(raw_connection(conn))
            self.writer.load_counters(conn)
        self._users = None

    def max_id(self, noun: str) -> int:
        q = self.queries[noun]
        return self.read(lambda c: int(c.execute(select(func.max(q.key))).scalar() or 0))


def raw_connection(conn: Connection) -> sqlite3.Connection:
    raw = conn.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        raise RuntimeError("snapshots and reset need the SQLite engine")
    return raw
