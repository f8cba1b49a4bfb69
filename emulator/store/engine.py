"""Opening the database: ``:memory:`` or a SQLite file (WAL), as a SQLAlchemy engine whose
DB-API connections the store runs its statements on."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, no check
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool


def database_url(database: str) -> str:
    if database in ("", ":memory:"):
        return "sqlite://"
    if "://" in database:
        return database
    return f"sqlite:///{database}"


#: One connection for every thread (behind the store's lock), and sqlite3's own statement
#: cache as large as the store's (emulator.store.executor.StatementCache), so a statement
#: the store keeps compiled is not prepared again by SQLite.
SQLITE_ARGUMENTS = {"check_same_thread": False, "cached_statements": 512}


def make_engine(database: str) -> Engine:
    """The engine; its errors never show their bound parameters (a request's values, which
    may be a passkey a client put in the wrong place)."""
    url = database_url(database)
    if url == "sqlite://":
        # One connection shared by every thread: an in-memory database exists per connection.
        engine = create_engine(
            url, poolclass=StaticPool, connect_args=SQLITE_ARGUMENTS, hide_parameters=True
        )
    elif url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={**SQLITE_ARGUMENTS, "timeout": 30}, hide_parameters=True
        )
    else:
        return create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: every acknowledged write is on disk before the API answers.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    dbapi_connection.isolation_level = None  # the store says BEGIN and COMMIT itself


class DatabaseInUse(RuntimeError):
    """Another emulator process has this database file open."""


def claim(database: str) -> IO[bytes] | None:
    """Hold ``<file>.lock`` for the store's life: one emulator process per database file.

    Record ids and numbers are counted in the process that writes them, so a second process
    on the same file would hand out the same ids; it is refused at start-up instead.
    """
    url = database_url(database)
    if not url.startswith("sqlite:///") or fcntl is None:
        return None  # in memory, another engine, or a platform without flock
    path = Path(url.removeprefix("sqlite:///"))
    handle = (path.parent / f"{path.name}.lock").open("ab")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise DatabaseInUse(
            f"the database {path} is in use by another emulator process "
            "(one process per database file)"
        ) from None
    return handle
