"""The store on PostgreSQL (psycopg 3, the ``postgres`` extra): the same statements as on
SQLite, in the PostgreSQL flavour (emulator/store/flavours.py), one schema per system.

A system's tables live in a schema of its own, named after the system (``opencrm_demo``), and
its connection's ``search_path`` points there: the statements name no schema, so one compiled
statement serves every system, and no statement of one system can reach another's tables.
Numbers are bound as text of unknown type, written as SQLite writes them (a real's 15
significant digits), so a text column keeps what SQLite's text affinity would keep and a
comparison casts them as the column needs. Snapshots are copies in the schema
(emulator/store/postgres_snapshots.py). After a restore, or the copy of a SQLite image, serial
ids go on as SQLite's would: a table whose ids are never given twice (``sqlite_autoincrement``:
product lines) after the highest id it had ever given when the state was saved, any other (the
audit trail's rowid) after the highest id it holds.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from emulator.domain import deadline
from emulator.store.executor import Executor, StatementCache
from emulator.store.postgres_compat import (
    as_written,
    in_sqlite_words,
    install_extensions,
)
from emulator.store.postgres_connect import (
    PostgresUnreachable,
    connect,
    schema_name,
    schema_prefix,
    with_schema_prefix,
)
from emulator.store.shared import SharedState

__all__ = ["PostgresUnreachable", "schema_prefix", "with_schema_prefix"]

#: What a schema name may hold (a system's name: lowercase letters, digits and hyphens).
SCHEMA_NAME = re.compile(r"^[a-z0-9_-]{1,63}$")
#: The version of the tables' layout; a database made by another is refused (see check_version).
LAYOUT_VERSION = 1


#: The table that says which layout a schema's tables have.
LAYOUT_TABLE = "emulator_layout"


class LayoutMismatch(Exception):
    """The schema was made by an emulator version whose tables differ from this one's."""


@dataclass(frozen=True)
class RowsImage:
    """Every table's rows, by table name, and the next id of each table whose ids are never
    given twice (a SQLite image, copied in)."""

    tables: dict[str, list[tuple[Any, ...]]]
    next_ids: Mapping[str, int] = field(default_factory=dict)


def never_reused(table: Table) -> bool:
    """Whether a deleted row's id is never given again (SQLite's AUTOINCREMENT)."""
    return bool(table.dialect_options["sqlite"].get("autoincrement"))


def sqlite_rows(source: sqlite3.Connection, tables: Sequence[Table]) -> dict[str, list[Any]]:
    """Every table's rows in a SQLite database, columns in the order of the tables'."""
    rows = {}
    for table in tables:
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        rows[table.name] = source.execute(f'SELECT {columns} FROM "{table.name}"').fetchall()
    return rows


def sqlite_next_ids(source: sqlite3.Connection) -> dict[str, int]:
    """The next id of each AUTOINCREMENT table of a SQLite database (its sqlite_sequence)."""
    kept = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"
    if not source.execute(kept).fetchone()[0]:
        return {}
    return {name: int(seq) + 1 for name, seq in source.execute("SELECT * FROM sqlite_sequence")}


class PostgresDatabase:
    flavour = "postgresql"
    in_memory = False
    claim = None  # several processes may share the database: no lock is held

    def __init__(
        self, database: str, cache: StatementCache, schema: str, tables: Sequence[Table]
    ) -> None:
        """Open the schema of system ``schema``; processes start one at a time (the shared
        state's ``init`` lock, held until :meth:`ready`), the first of them knows it is
        (:attr:`first`: no other live process, so it starts the runtime state afresh)."""
        if not SCHEMA_NAME.fullmatch(schema):
            raise ValueError(f"not a schema name: {schema!r}")
        self.url = database
        self.schema = schema_name(database, schema)
        self.tables = list(tables)
        self.shared = SharedState(connect(database), self.schema)
        try:
            self.raw = connect(database)
            self.shared.wait_to_start()
            install_extensions(self.raw)
            self.raw.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            for raw in (self.raw, self.shared.raw):
                raw.execute(f'SET search_path TO "{self.schema}", public')
            self.check_layout()
            self.shared.create()
            self.first = self.shared.alone()
        except BaseException:
            self.close()
            raise
        dialect = PGDialect_psycopg(paramstyle="format")  # type: ignore[no-untyped-call]
        self.executor = Executor(self.raw, dialect, cache)

    def ready(self) -> None:
        """Start-up is over: this process is live, and the next one may start."""
        self.shared.end_start()

    def begin_write(self) -> int:
        """In a write transaction, first: wait for every other process's write to end (the
        counters are read after this), and bump the data's version; the new version."""
        self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.writes_key,))
        found = self.raw.execute(
            "UPDATE emulator_state SET version = version + 1 WHERE name = 'writes'"
            " RETURNING version"
        ).fetchone()
        return int(found[0])

    def hold_writes(self, held: bool) -> None:
        """Hold off every other process's writes (a seeding's many transactions), or let go."""
        verb = "pg_advisory_lock" if held else "pg_advisory_unlock"
        self.raw.execute(f"SELECT {verb}(hashtext(%s))", (self.writes_key,))

    @property
    def writes_key(self) -> str:
        return self.shared.lock_key("writes")

    def check_layout(self) -> None:
        """A new schema is marked with this version's layout; one marked by another version
        is refused with a clear error, before anything reads or writes its tables."""
        with self.raw.transaction():
            if self.raw.execute(f"SELECT to_regclass('{LAYOUT_TABLE}')").fetchone()[0] is None:
                self.raw.execute(f"CREATE TABLE {LAYOUT_TABLE} (version integer NOT NULL)")
            found = self.raw.execute(f"SELECT version FROM {LAYOUT_TABLE}").fetchone()
            if found is None:
                self.raw.execute(f"INSERT INTO {LAYOUT_TABLE} VALUES ({LAYOUT_VERSION})")
            elif found[0] != LAYOUT_VERSION:
                raise LayoutMismatch(
                    f"schema {self.schema} was made by an emulator with table layout "
                    f"{found[0]}; this one uses layout {LAYOUT_VERSION}. Use another "
                    "database (or schema_prefix), or drop that schema"
                )

    def close(self) -> None:
        for connection in (getattr(self, "raw", None), self.shared.raw):
            if connection is not None:
                connection.close()

    def drop(self) -> None:
        self.raw.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')

    @contextmanager
    def transaction(self) -> Iterator[Executor]:
        with self.raw.transaction():
            yield self.executor

    # -- images -----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        found = self.raw.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = %s AND table_name NOT LIKE 'emulator\\_%%'",
            (self.schema,),
        ).fetchone()
        return int(found[0]) == 0

    def serial_tables(self, kept: bool) -> list[Table]:
        """The tables with a serial id whose ids are (or are not) ``kept`` from reuse."""
        serial = [t for t in self.tables if t.autoincrement_column is not None]
        return [t for t in serial if never_reused(t) == kept]

    def next_id(self, table: Table) -> int:
        """The id a table's sequence gives next."""
        column = table.autoincrement_column
        assert column is not None
        found = self.raw.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", (table.name, column.name)
        ).fetchone()
        # The server's own quoted name of the sequence, not a name from outside.
        last, called = self.raw.execute(f"SELECT last_value, is_called FROM {found[0]}").fetchone()
        return int(last) + 1 if called else int(last)

    def restore(self, image: RowsImage) -> None:
        with self.raw.transaction():
            self.begin_write()
            names = ", ".join(f'"{t.name}"' for t in self.tables)
            self.raw.execute(f"TRUNCATE {names}")
            for table in self.tables:
                self.insert_rows(table, image.tables.get(table.name, []))
            for table in self.tables:
                if table.autoincrement_column is not None:
                    self.go_on_after(table, image.next_ids.get(table.name, 1))

    def insert_rows(self, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        with self.raw.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows)

    def go_on_after(self, table: Table, next_id: int) -> None:
        """Set a table's sequence to give ``next_id``, or the id after the highest it holds."""
        column = table.autoincrement_column
        assert column is not None
        self.raw.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), "
            f'greatest(%s, coalesce(max("{column.name}"), 0) + 1), false) FROM "{table.name}"',
            (table.name, column.name, next_id),
        )

    def copy_from(self, data: bytes) -> None:
        """Fill the (new, empty) schema from a SQLite image: the fixtures, loaded once."""
        source = sqlite3.connect(":memory:")
        try:
            source.deserialize(data)
            image = RowsImage(sqlite_rows(source, self.tables), sqlite_next_ids(source))
        finally:
            source.close()
        self.restore(image)

    def serialized(self) -> bytes:
        raise NotImplementedError("the fixture image is made on SQLite")

    def load(self, data: bytes) -> None:
        self.copy_from(data)

    # -- custom reports ---------------------------------------------------------------------

    def custom_query(
        self, sql: str, start: int, limit: int, bounds: Any
    ) -> tuple[list[str], list[Sequence[Any]]]:
        """A custom report's SQL in a read-only transaction with a statement timeout."""
        import psycopg

        from emulator.store.sqlite import CustomQueryError, bounded_rows

        milliseconds = max(1, int(bounds.seconds * 1000))
        try:
            with self.raw.transaction():
                self.raw.execute("SET TRANSACTION READ ONLY")
                self.raw.execute(f"SET LOCAL statement_timeout = {milliseconds}")
                cursor = self.raw.execute(sql)
                names = [as_written(d[0], sql) for d in cursor.description or ()]
                rows = cursor.fetchall()[start : start + limit]
        except psycopg.Error as exc:
            deadline.check()
            raise CustomQueryError(in_sqlite_words(exc)) from None
        return names, bounded_rows(rows, bounds.result_bytes)
