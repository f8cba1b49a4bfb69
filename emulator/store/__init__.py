"""The emulator's state: the only package that imports SQLAlchemy or a database driver.

:class:`Store` is the one facade. Reads are its methods (``list_records``, ``get_record``,
``audit_trail`` ...); writes happen inside ``with store.transaction() as work:``, whose
:class:`~emulator.store.unit.UnitOfWork` commits everything done through it, or nothing.
Values in and out are plain dicts of wire strings, never ORM objects. One lock serialises
access, so the database's one connection is safe to use from any thread. Every statement
runs one way: built with SQLAlchemy Core, compiled to the driver's SQL (once for a fixed
statement, per call for one built per call: a list's filters), executed on the driver's
connection (:mod:`emulator.store.executor`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select

from emulator.domain.clock import Clock
from emulator.domain.lists import ListQuery
from emulator.domain.modules import Module
from emulator.store import answers, audit, bulk, lines, records, relations
from emulator.store.coordination import Coordination
from emulator.store.counts import RecordCounts
from emulator.store.databases import flavour_of, open_database, open_snapshots
from emulator.store.executor import Executor, Row, StatementCache
from emulator.store.queries import ModuleQueries, page
from emulator.store.reporting import ReportColumn, ReportFilter, ReportOrder, ReportQuery, Reports
from emulator.store.schema import Counters, Schema, Shape, create_schema
from emulator.store.seeded_lines import SeededLines, forget_templates
from emulator.store.snapshots import Snapshot, SnapshotVerbs
from emulator.store.sqlite import CustomQueryError, QueryBounds
from emulator.store.unit import UnitOfWork

__all__ = [
    "CustomQueryError",
    "ListQuery",
    "QueryBounds",
    "ReportColumn",
    "ReportFilter",
    "ReportOrder",
    "ReportQuery",
    "SeededLines",
    "Shape",
    "Snapshot",
    "Store",
    "UnitOfWork",
    "flavour_of",
]


class Store(Coordination, SnapshotVerbs):
    def __init__(
        self,
        database: str,
        shape: Shape,
        clock: Clock,
        cache: StatementCache | None = None,
        image: Callable[[], bytes] | None = None,
        name: str = "demo",
    ) -> None:
        """A store on ``database`` with ``shape`` (of its flavour, emulator.store.flavour_of);
        stores of one shape may share a statement cache. A new, empty database starts as a
        copy of the image ``image()`` gives (see :meth:`image`), when there is one."""
        self.db = open_database(database, cache or StatementCache(), name, shape)
        self.url = self.db.url
        self.in_memory = self.db.in_memory
        self.registry = shape.registry
        self.schema = Schema(shape.registry, shape.tables, shape.queries, clock)
        self.reports = Reports(shape.registry, shape.tables, shape.queries)
        self.lock = threading.RLock()
        self.counters = Counters()
        self._users: dict[int, dict[str, str]] | None = None
        #: Users' names in audit entries, by id (emulator/store/unit.py: display_name).
        self._names: dict[int, str] = {}
        self.record_counts = RecordCounts(self.lock, self.count_all)
        with self.lock:
            fresh = self.db.is_empty()
            if image is not None and fresh and self.db.flavour == "sqlite":
                self.db.copy_from(image())  # the image's pages: its tables come with them
            elif fresh or self.db.first:
                # Not while other processes are live on the schema: its tables are there (its
                # layout version says which), and CREATE INDEX would lock out their writes.
                with self.db.transaction() as ex:
                    create_schema(ex, shape.tables)
                if image is not None and fresh:
                    self.db.copy_from(image())  # the image's rows into the new tables
            self.snapshots = open_snapshots(self.db)
        self.load_counters()

    @property
    def claim(self) -> object | None:
        """The lock held on a database file (None in memory): one process per file."""
        return self.db.claim

    def close(self) -> None:
        self.snapshots.close()
        self.db.close()

    def drop(self) -> None:
        """Remove every table of the store (before :meth:`close`, when its system goes)."""
        with self.lock:
            self.db.drop()

    @property
    def ex(self) -> Executor:
        """The executor for a read (callers hold :attr:`lock`)."""
        return self.db.executor

    def queries(self, noun: str) -> ModuleQueries:
        return self.schema.queries[noun]

    # -- reads ------------------------------------------------------------------------------

    def list_records(self, noun: str, query: ListQuery, full: bool) -> list[Row]:
        stmt = self.queries(noun).prepared_list(self.ex, query, full)
        with self.lock:
            return self.ex.rows(stmt, page(query))

    def count_records(self, noun: str, query: ListQuery) -> int:
        stmt = self.queries(noun).prepared_count(self.ex, query)
        with self.lock:
            return int(self.ex.scalar(stmt))

    def get_record(self, noun: str, crmid: int) -> Row | None:
        with self.lock:
            return records.fetch(self.ex, self.queries(noun), crmid)

    def record_json(self, noun: str, crmid: int, with_lines: bool) -> str | None:
        """get_record's dict (and product_lines' as ``products``) as its JSON text."""
        tables = self.schema.tables if with_lines else None
        with self.lock:
            return answers.record_json(self.ex, self.queries(noun), crmid, tables)

    def product_lines(self, crmid: int) -> list[Row]:
        with self.lock:
            return lines.lines_of(self.ex, self.schema.tables, crmid)

    def live_values(self, noun: str, names: Sequence[str]) -> list[Row]:
        """Some columns of every live record, as stored (not wire strings), by ``id``, in id
        order: a cheap read for seeding, which links new records to these."""
        q = self.queries(noun)
        columns = [q.table.c[name] for name in names]
        stmt = select(q.key.label("id"), *columns).where(q.live).order_by(q.key)
        with self.lock:
            return self.ex.rows(stmt)

    def record_module(self, crmid: int) -> Module | None:
        """The module of a live (not deleted) record, or None."""
        with self.lock:
            found = relations.record_module(self.ex, self.schema.tables, crmid)
        return self.registry.by_record_module(found) if found else None

    def users(self) -> dict[int, dict[str, str]]:
        """Every user by id, as wire strings (cached until a write touches users)."""
        with self.lock:
            if self._users is None:
                rows = self.list_records("user", ListQuery(limit=1_000_000), full=True)
                self._users = {int(r["id"]): r for r in rows}
            return self._users

    def counts(self) -> dict[str, int]:
        """Live records per module noun (counted again only after a write)."""
        return self.record_counts.fresh()

    def recent_counts(self, wait: float) -> tuple[dict[str, int], bool]:
        """The counts, and whether they are current: if a write keeps the store busy for
        ``wait`` seconds, the counts from before it."""
        return self.record_counts.recent(wait)

    def count_all(self) -> dict[str, int]:
        return {m.noun: self.count_records(m.noun, ListQuery()) for m in self.registry}

    def changed(self) -> None:
        """After any write: the caches of what the tables hold are out of date."""
        self.users_changed()
        self.record_counts.changed()

    def users_changed(self) -> None:
        """The users cached (their rows, their names in audit entries) are out of date."""
        self._users = None
        self._names.clear()

    def audit_trail(self, crmid: int) -> list[dict[str, Any]]:
        with self.lock:
            return audit.trail(self.ex, self.schema.tables, crmid)

    def links(self, crmid: int) -> list[dict[str, Any]]:
        with self.lock:
            return relations.links(self.ex, self.schema.tables, crmid)

    def members(self, campaignid: int) -> list[dict[str, Any]]:
        with self.lock:
            return relations.members(self.ex, self.schema.tables, campaignid)

    def memberships(self, crmid: int) -> list[dict[str, Any]]:
        with self.lock:
            return relations.memberships(self.ex, self.schema.tables, crmid)

    def report_rows(self, report: ReportQuery, start: int, limit: int) -> list[Row]:
        stmt = self.reports.select(report, start, limit)
        with self.lock:
            rows = self.ex.rows(stmt)
        return [{"id": r["id"], "crmid": r["id"], **r} for r in rows]

    def custom_rows(
        self, sql: str, start: int, limit: int, bounds: QueryBounds
    ) -> tuple[list[str], list[Sequence[Any]]]:
        """A custom report's SQL, run read-only within its bounds of time and bytes
        (CustomQueryError)."""
        with self.lock:
            return self.db.custom_query(sql, start, limit, bounds)

    def max_id(self, noun: str) -> int:
        q = self.queries(noun)
        with self.lock:
            return int(self.ex.scalar(select(func.max(q.key))) or 0)

    # -- writes -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """One transaction under the store's lock: everything done through the unit of work
        commits when the block ends, or is rolled back when it raises (the id and
        record-number counters too: a failed create uses up no id)."""
        with self.lock:
            kept = (self.counters.next_crmid, dict(self.counters.numbers))
            work: UnitOfWork | None = None
            try:
                with self.db.transaction() as ex:
                    self.begin_write()
                    work = UnitOfWork(ex, self.schema, self.counters, self._names)
                    yield work
            except BaseException:
                self.counters.next_crmid, self.counters.numbers = kept
                raise
            finally:
                if work is None or work.touched_users:
                    self.users_changed()
                self.record_counts.changed()  # any write may have changed the counts

    def insert_records(self, noun: str, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Bulk insert fixture rows: no audit, ids allocated where missing."""
        with self.transaction() as work:
            return work.insert_records(noun, rows)

    def insert_seeded(
        self,
        module: Module,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        lines: SeededLines | None = None,
    ) -> None:
        """Bulk insert generated records (seed data) and their product lines, in one
        transaction: ids, record numbers and values come ready in storage form, so each table
        takes one statement and no per-value conversion (seeding inserts some 100,000 rows)."""
        with self.lock, self.db.transaction() as ex:
            self.begin_write()
            bulk.insert_seeded(ex, self.schema, self.counters, module, columns, rows, lines)
        self.changed()

    def forget_line_templates(self) -> None:
        """Before and after a seeding: drop what one keeps on the connection (line templates)."""
        with self.lock:
            forget_templates(self.ex)

    @contextmanager
    def bulk_load(self, noun: str, adding: int) -> Iterator[None]:
        """Around inserting ``adding`` rows into a module's table: when that is more than it
        holds, its indexes are dropped first and built once at the end (from sorted keys, a
        third faster than updating ten indexes row by row)."""
        table = self.schema.tables.modules[noun]
        with self.lock:
            count = int(self.ex.scalar(select(func.count()).select_from(table)))
            if not table.indexes or adding <= count:
                yield
                return
            with self.db.transaction() as ex:
                bulk.drop_indexes(ex, table)
            try:
                yield
            finally:
                with self.db.transaction() as ex:
                    bulk.create_indexes(ex, table)

    def image(self) -> bytes:
        """The whole in-memory database as bytes (the fixture image cache)."""
        with self.lock:
            return self.db.serialized()

    def load_image(self, image: bytes) -> None:
        """Replace the whole database with an image from :meth:`image`."""
        with self.lock:
            self.db.load(image)
            self.load_counters()
            self.changed()
