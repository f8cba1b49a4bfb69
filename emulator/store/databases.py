"""Which database a ``database`` setting names, opening it, and where its snapshots are kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.store.engine import database_url
from emulator.store.executor import StatementCache
from emulator.store.schema import Shape
from emulator.store.snapshots import MemorySnapshots, Snapshots
from emulator.store.sqlite import SQLiteDatabase

if TYPE_CHECKING:  # imported when a PostgreSQL database is opened: SQLite starts sooner
    from emulator.store.postgres import PostgresDatabase


def flavour_of(database: str) -> str:
    """The kind of database a ``database`` setting names (its statements' dialect)."""
    url = database_url(database)
    if url.startswith("postgresql"):
        return "postgresql"
    if not url.startswith("sqlite"):
        raise ValueError(
            f"unsupported database {url.split('://')[0]!r}: the store runs on SQLite or "
            "PostgreSQL (postgresql+psycopg://...)"
        )
    return "sqlite"


def open_database(
    database: str, cache: StatementCache, name: str, shape: Shape
) -> SQLiteDatabase | PostgresDatabase:
    """SQLite for a file or memory; PostgreSQL (a schema for system ``name``) for its URL."""
    if flavour_of(database) == "postgresql":
        from emulator.store.postgres import PostgresDatabase

        return PostgresDatabase(database, cache, name, shape.tables.metadata.sorted_tables)
    return SQLiteDatabase(database, cache)


def open_snapshots(db: SQLiteDatabase | PostgresDatabase) -> Snapshots:
    """Where a database's snapshots are kept: in the process, or in its schema."""
    if not isinstance(db, SQLiteDatabase):
        from emulator.store.postgres_snapshots import PostgresSnapshots

        return PostgresSnapshots(db)
    return MemorySnapshots(db)
