"""The store on PostgreSQL (psycopg 3, the ``postgres`` extra): the same statements as on
SQLite, in the PostgreSQL flavour (emulator/store/flavours.py), one schema per system.

A system's tables live in a schema of its own, named after the system (``opencrm_demo``), and
its connection's ``search_path`` points there: the statements name no schema, so one compiled
statement serves every system, and no statement of one system can reach another's tables.
Numbers are bound as text of unknown type, written as SQLite writes them (a real's 15
significant digits), so a text column keeps what SQLite's text affinity would keep and a
comparison casts them as the column needs. A snapshot is the rows of every table, kept in
memory; restoring it empties the tables and inserts them again, in one transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Table, make_url
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from emulator.domain import deadline
from emulator.store.executor import Executor, StatementCache
from emulator.store.postgres_compat import (
    as_written,
    in_sqlite_words,
    install_extensions,
    register_number_dumpers,
)
from emulator.store.shared import SharedState

#: What a schema name may hold (a system's name: lowercase letters, digits and hyphens).
SCHEMA_NAME = re.compile(r"^[a-z0-9_-]{1,63}$")
#: The version of the tables' layout; a database made by another is refused (see check_version).
LAYOUT_VERSION = 1


#: The table that says which layout a schema's tables have.
LAYOUT_TABLE = "emulator_layout"


class LayoutMismatch(Exception):
    """The schema was made by an emulator version whose tables differ from this one's."""


class PostgresUnreachable(Exception):
    """The server refused the connection, or the URL names none."""


@dataclass(frozen=True)
class RowsImage:
    """Every table's rows, by table name (a snapshot on PostgreSQL)."""

    tables: dict[str, list[tuple[Any, ...]]]


def schema_prefix(database: str) -> str:
    """The first part of each system's schema name: the URL's ``schema_prefix`` parameter
    (several emulators, or test runs, on one database each see only their own systems)."""
    prefix = str(make_url(database).query.get("schema_prefix", "opencrm"))
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", prefix):
        raise ValueError(f"schema_prefix must be lowercase letters, digits, _: {prefix!r}")
    return prefix


def with_schema_prefix(database: str, prefix: str) -> str:
    """``database`` with ``prefix`` as its ``schema_prefix``."""
    url = make_url(database).update_query_dict({"schema_prefix": prefix})
    return url.render_as_string(hide_password=False)


def connect(database: str) -> Any:
    """A psycopg connection (autocommit: transactions are explicit) for a SQLAlchemy URL."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    url = make_url(database)
    if url.get_backend_name() != "postgresql":
        raise PostgresUnreachable(f"not a PostgreSQL URL: {url.get_backend_name()}")
    options = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    try:
        given = {k: v for k, v in options.items() if v is not None}
        connection = psycopg.connect(make_conninfo("", **given), autocommit=True)
    except psycopg.Error as exc:
        raise PostgresUnreachable(str(exc).strip().splitlines()[0]) from None
    register_number_dumpers(connection)
    return connection


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
        self.schema = f"{schema_prefix(database)}_{schema.replace('-', '_')}"
        self.tables = list(tables)
        self.shared = SharedState(connect(database), self.schema)
        try:
            self.raw = connect(database)
            self.first = self.shared.begin_start()
            install_extensions(self.raw)
            self.raw.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            for raw in (self.raw, self.shared.raw):
                raw.execute(f'SET search_path TO "{self.schema}", public')
            self.check_layout()
            self.shared.create()
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
            self.raw.execute(
                f"CREATE TABLE IF NOT EXISTS {LAYOUT_TABLE} (version integer NOT NULL)"
            )
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

    def image(self) -> RowsImage:
        with self.raw.transaction():
            return RowsImage({t.name: self.raw.execute(f'SELECT * FROM "{t.name}"').fetchall()
                              for t in self.tables})  # fmt: skip

    def restore(self, image: object) -> None:
        assert isinstance(image, RowsImage), "a snapshot made on SQLite"
        with self.raw.transaction():
            self.begin_write()
            names = ", ".join(f'"{t.name}"' for t in self.tables)
            self.raw.execute(f"TRUNCATE {names}")
            for table in self.tables:
                self.insert_rows(table, image.tables.get(table.name, []))

    def insert_rows(self, table: Table, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        with self.raw.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows)
        for column in table.primary_key.columns:  # a serial key goes on after the copied ids
            if isinstance(column.type, Integer) and len(table.primary_key.columns) == 1:
                self.raw.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), max_id) FROM "
                    f'(SELECT max("{column.name}") AS max_id FROM "{table.name}") AS m '
                    "WHERE pg_get_serial_sequence(%s, %s) IS NOT NULL AND max_id IS NOT NULL",
                    (table.name, column.name, table.name, column.name),
                )

    def copy_from(self, data: bytes) -> None:
        """Fill the (new, empty) schema from a SQLite image: the fixtures, loaded once."""
        source = sqlite3.connect(":memory:")
        try:
            source.deserialize(data)
            image = RowsImage({t.name: source.execute(
                f'SELECT {", ".join(chr(34) + c.name + chr(34) for c in t.columns)} '
                f'FROM "{t.name}"').fetchall() for t in self.tables})  # fmt: skip
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
