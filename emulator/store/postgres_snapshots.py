"""Snapshots on PostgreSQL, in the system's own schema: every emulator process on the schema
sees the same named snapshots and the same reset target, and dropping the schema (its system
removed) drops them with it.

A snapshot is a row of ``emulator_snapshots`` (its kind and name, the id and record-number
counters, the next id of each table that never gives an id twice, the tables copied and
their row counts) and a copy of every table, ``emulator_snap_<row id>_<n>``, made
server-side with ``CREATE TABLE ... AS SELECT``, all in one repeatable-read transaction so
the copies agree with each other. A snapshot's name is a value in the catalogue, never an
identifier (a copy's name is two numbers). Restoring one empties the tables, copies the rows
back with ``INSERT ... SELECT`` (into a big table without its indexes, built again after)
and sets the sequences, in one transaction. Saving, restoring and forgetting hold an
advisory lock on the schema's snapshots, so that processes take turns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Table

from emulator.store import bulk
from emulator.store.postgres import PostgresDatabase
from emulator.store.postgres_connect import connect
from emulator.store.schema import Counters
from emulator.store.snapshots import NAMED, Key

CATALOGUE = "emulator_snapshots"
CATALOGUE_COLUMNS = (
    "id serial PRIMARY KEY, kind text NOT NULL, name text NOT NULL, next_crmid bigint NOT NULL,"
    " numbers text NOT NULL, next_ids text NOT NULL, tables text NOT NULL, UNIQUE (kind, name)"
)
#: The second key of the advisory lock on a schema's snapshots (the first: the schema's hash).
LOCK_KEY = 1
#: A copy with more rows than this is put back into a table without its indexes (built after).
BULK_ROWS = 2_000
#: A table is emptied with TRUNCATE past this size, else with DELETE (then vacuumed as usual).
TRUNCATE_BYTES = 1 << 20
#: The size of each table of a schema.
SIZES = (
    "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n"
    " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'"
)


def as_json(value: object) -> str:
    return orjson.dumps(value).decode()


def quoted(tables: Sequence[Table]) -> str:
    return ", ".join(f'"{t.name}"' for t in tables)


def copy_name(snapshot_id: int, index: int) -> str:
    """The table holding a snapshot's copy of its ``index``-th table: numbers only."""
    return f"emulator_snap_{int(snapshot_id)}_{int(index)}"


def column_list(table: Table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


class PostgresSnapshots:
    def __init__(self, db: PostgresDatabase) -> None:
        self.db = db
        self.raw = db.raw
        self.side: Any = None  # a connection of its own, for names()
        self.side_lock = threading.Lock()
        with self.exclusive(), self.raw.transaction():  # no DDL on a schema in use
            if self.raw.execute(f"SELECT to_regclass('{CATALOGUE}')").fetchone()[0] is None:
                self.raw.execute(f"CREATE TABLE {CATALOGUE} ({CATALOGUE_COLUMNS})")

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """The schema's snapshots to this process alone (other processes wait)."""
        lock = (self.db.schema, LOCK_KEY)
        self.raw.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", lock)
        try:
            yield
        finally:
            self.raw.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", lock)

    def save(self, key: Key, counters: Counters) -> None:
        """Copy every table (replacing a snapshot of the same key), with the counters."""
        with self.exclusive(), self.raw.transaction():
            self.raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self.drop_copies(f"DELETE FROM {CATALOGUE} WHERE kind = %s AND name = %s", key)
            next_ids = {str(t.name): self.db.next_id(t) for t in self.db.serial_tables(True)}
            found = self.raw.execute(
                f"INSERT INTO {CATALOGUE} (kind, name, next_crmid, numbers, next_ids, tables)"
                " VALUES (%s, %s, %s, %s, %s, '[]') RETURNING id",
                (*key, counters.next_crmid, as_json(counters.numbers), as_json(next_ids)),
            ).fetchone()
            copied = [
                (str(t.name), self.copy(t, copy_name(found[0], n)))
                for n, t in enumerate(self.db.tables)
            ]
            self.raw.execute(
                f"UPDATE {CATALOGUE} SET tables = %s WHERE id = %s", (as_json(copied), found[0])
            )

    def copy(self, table: Table, copy: str) -> int:
        """Copy a table's rows into a new table ``copy``: how many."""
        made = self.raw.execute(
            f'CREATE TABLE {copy} AS SELECT {column_list(table)} FROM "{table.name}"'
        )
        return int(made.rowcount)

    def restore(self, key: Key, counters: Counters) -> bool:
        """Put a snapshot back, tables, sequences and counters; False if there is none."""
        with self.exclusive(), self.raw.transaction():
            self.db.begin_write()  # other processes' writes wait; they see a new data version
            found = self.raw.execute(
                f"SELECT id, next_crmid, numbers, next_ids, tables FROM {CATALOGUE}"
                " WHERE kind = %s AND name = %s",
                key,
            ).fetchone()
            if found is None:
                return False
            snapshot_id, next_crmid, numbers, next_ids, copied = found
            self.put_back(snapshot_id, orjson.loads(copied), orjson.loads(next_ids))
        counters.next_crmid = int(next_crmid)
        counters.numbers = dict(orjson.loads(numbers))
        return True

    def put_back(
        self, snapshot_id: int, copied: Sequence[tuple[str, int]], next_ids: dict[str, int]
    ) -> None:
        """Every table emptied and filled from the snapshot's copy; the sequences set."""
        tables = self.db.tables
        self.empty(tables)
        where = {name: (index, rows) for index, (name, rows) in enumerate(copied)}
        for table in tables:
            if where.get(table.name, (0, 0))[1] > 0:
                index, rows = where[table.name]
                self.fill(table, copy_name(snapshot_id, index), rows)
        for table in tables:
            if table.autoincrement_column is not None:
                self.db.go_on_after(table, next_ids.get(table.name, 1))

    def empty(self, tables: Sequence[Table]) -> None:
        """Every table emptied, writers of other processes held off until the commit: a big
        one truncated, a small one deleted from (a TRUNCATE costs some 2 ms, of any size)."""
        self.raw.execute(f"LOCK TABLE {quoted(tables)} IN EXCLUSIVE MODE")
        sizes = dict(self.raw.execute(SIZES, (self.db.schema,)).fetchall())
        big = [t for t in tables if sizes.get(t.name, 0) > TRUNCATE_BYTES]
        if big:
            self.raw.execute(f"TRUNCATE {quoted(big)}")
        for table in tables:
            if sizes.get(table.name, 0) <= TRUNCATE_BYTES:
                self.raw.execute(f'DELETE FROM "{table.name}"')

    def fill(self, table: Table, copy: str, rows: int) -> None:
        """A table's rows from its copy: many into a table without its indexes, built after
        at once (faster than updating each index row by row)."""
        bulky = rows > BULK_ROWS and bool(table.indexes)
        if bulky:
            bulk.drop_indexes(self.db.executor, table)
        columns = column_list(table)
        self.raw.execute(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {copy}')
        if bulky:
            bulk.create_indexes(self.db.executor, table)

    def has(self, key: Key) -> bool:
        found = f"SELECT count(*) FROM {CATALOGUE} WHERE kind = %s AND name = %s"
        return bool(self.raw.execute(found, key).fetchone()[0])

    def forget(self, kind: str) -> None:
        """Drop every snapshot of a kind (the named ones, at a reset)."""
        with self.exclusive(), self.raw.transaction():
            self.drop_copies(f"DELETE FROM {CATALOGUE} WHERE kind = %s", (kind,))

    def drop_copies(self, deleting: str, values: Sequence[str]) -> None:
        """Delete catalogue rows (``deleting ... RETURNING``) and drop their copies."""
        rows = self.raw.execute(f"{deleting} RETURNING id, tables", values).fetchall()
        copies = [copy_name(i, n) for i, copied in rows for n in range(len(orjson.loads(copied)))]
        if copies:
            self.raw.execute(f"DROP TABLE IF EXISTS {', '.join(copies)}")

    def names(self) -> list[str]:
        """The named snapshots, read on a connection of their own: the store may be busy."""
        with self.side_lock:
            if self.side is None:
                self.side = connect(self.db.url)
            listed = f'SELECT name FROM "{self.db.schema}".{CATALOGUE} WHERE kind = %s'
            try:
                rows = self.side.execute(listed, (NAMED,)).fetchall()
            except Exception:
                self.side.close()
                self.side = None  # a new connection next time
                raise
        return [row[0] for row in rows]

    def close(self) -> None:
        with self.side_lock:
            if self.side is not None:
                self.side.close()
                self.side = None
