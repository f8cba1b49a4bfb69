"""Reaching PostgreSQL: a connection for a SQLAlchemy URL, and the schema a system's tables
live in (``<schema_prefix>_<system>``, checked against PostgreSQL's identifier length)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import make_url

from emulator.store.postgres_compat import register_number_dumpers


class PostgresUnreachable(Exception):
    """The server refused the connection, or the URL names none."""


def schema_prefix(database: str) -> str:
    """The first part of each system's schema name: the URL's ``schema_prefix`` parameter
    (several emulators, or test runs, on one database each see only their own systems)."""
    prefix = str(make_url(database).query.get("schema_prefix", "opencrm"))
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", prefix):
        raise ValueError(f"schema_prefix must be lowercase letters, digits, _: {prefix!r}")
    return prefix


#: PostgreSQL's longest identifier, in bytes (a longer one is cut, silently).
LONGEST_NAME = 63


def schema_name(database: str, system: str) -> str:
    """The schema of ``system`` on ``database``; ValueError when it would be cut short (two
    long system names could then share one schema)."""
    name = f"{schema_prefix(database)}_{system.replace('-', '_')}"
    if len(name) > LONGEST_NAME:
        raise ValueError(
            f"the system name {system!r} is too long for its schema {name!r}: PostgreSQL keeps"
            f" {LONGEST_NAME} characters (a shorter name or schema_prefix)"
        )
    return name


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
