"""Opening the database: ``:memory:``, a SQLite file (WAL), or any SQLAlchemy URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool


def database_url(database: str) -> str:
    if database in ("", ":memory:"):
        return "sqlite://"
    if "://" in database:
        return database
    return f"sqlite:///{database}"


def make_engine(database: str) -> Engine:
    url = database_url(database)
    if url == "sqlite://":
        # One connection shared by every thread: an in-memory database exists per connection.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    else:
        return create_engine(url)
    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: every acknowledged write is on disk before the API answers.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
