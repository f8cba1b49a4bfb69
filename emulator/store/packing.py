"""Rows read as one JSON array each: a wide SELECT on SQLite, packed by the database.

Python's sqlite3 module turns a row into a tuple a column at a time, and (3.11) lets go of
the GIL and takes it back around each column's type: for a contact's 66 columns that was
most of the row's cost (under callgrind, 143 k instructions for ``SELECT *`` of one row
against 15 k for one column). A packed SELECT asks SQLite for the same columns as one
``json_array(...)`` value (a few, past SQLite's 127 arguments to a function), which orjson
turns back into the values: a contact read in 8.2 µs instead of 13.5 µs, dict included.

Only where that is lossless: every column is typed text or integer (the wire strings and
ids of record reads; JSON keeps both exactly, where a real could lose digits), the
statement binds its parameters in the same order, and the SQLite in use has ``json_array``.
Anything else is read as it always was.

A record read for an answer with nothing to change in it (``get_contact`` with no output
option) goes further: SQLite writes each row as the JSON object the answer holds
(``json_object``, a few joined by :func:`joined`), so no value becomes a Python object and
back. SQLite's JSON text is orjson's for the same strings and integers, byte for byte
(tests/unit/test_packing.py checks every character class).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Dialect, Integer, String, func, literal_column
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import Label

#: Fewer columns than this are read as they are (packing costs a parse of its own).
FEWEST = 8
#: Values per json_array: within SQLite's default limit on a function's arguments (127).
PER_ARRAY = 100


def packed_sql(
    stmt: Select[Any], dialect: Dialect, plain: str, order: tuple[str, ...] | None
) -> str | None:
    """The SQL of ``stmt`` (``plain`` compiled, its parameters in ``order``) with its
    columns packed in JSON arrays, or None where that might not give back the same rows:
    DISTINCT (it would compare JSON texts, not the columns under their collations) or
    anything but the columns compiled otherwise (an ORDER BY naming a column's label)."""
    columns = list(stmt.selected_columns)
    if dialect.name != "sqlite" or len(columns) < FEWEST or plain.startswith("SELECT DISTINCT"):
        return None
    if not all(isinstance(c.type, String | Integer) for c in columns) or not has_json_array():
        return None
    bare = [c.element if isinstance(c, Label) else c for c in columns]
    arrays = [func.json_array(*bare[i : i + PER_ARRAY]) for i in range(0, len(bare), PER_ARRAY)]
    return with_columns(stmt, arrays, dialect, plain, order)


def objects_sql(
    stmt: Select[Any], dialect: Dialect, plain: str, order: tuple[str, ...] | None
) -> str | None:
    """For a statement :func:`packed_sql` packs: each row as JSON objects of its labels
    and values instead (:data:`PER_ARRAY` arguments each: half as many columns), for
    :func:`joined`. The labels are SQL string literals, quoted by SQLAlchemy's String."""
    names = [str(column.name) for column in stmt.selected_columns]
    quote = String().literal_processor(dialect)  # type: ignore[no-untyped-call]
    if quote is None or len(set(names)) < len(names):  # a dict keeps one of a repeated name
        return None
    pairs = []
    for column in stmt.selected_columns:
        bare = column.element if isinstance(column, Label) else column
        pairs += [literal_column(quote(str(column.name))), bare]  # registry names, quoted
    objects = [func.json_object(*pairs[i : i + PER_ARRAY]) for i in range(0, len(pairs), PER_ARRAY)]
    return with_columns(stmt, objects, dialect, plain, order)


def with_columns(
    stmt: Select[Any],
    columns: Sequence[Any],
    dialect: Dialect,
    plain: str,
    order: tuple[str, ...] | None,
) -> str | None:
    """The SQL of ``stmt`` selecting ``columns`` instead, or None unless the rest of it (FROM
    on) and its parameters' order are those of ``plain``, ``stmt`` as compiled."""
    try:  # an ORDER BY naming a label of the columns left out cannot be compiled
        compiled = stmt.with_only_columns(*columns).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True}
        )
    except SQLAlchemyError:
        return None
    positions = None if compiled.positiontup is None else tuple(compiled.positiontup)
    text = str(compiled)
    if positions != order or tail(text) is None or tail(text) != tail(plain):
        return None
    return text


def joined(row: Sequence[str]) -> str:
    """The one JSON object of a row read by :func:`objects_sql`."""
    if len(row) == 1:
        return row[0]
    return "{" + ",".join(part[1:-1] for part in row if part != "{}") + "}"


def tail(sql: str) -> str | None:
    """A SELECT's text from its FROM on (FROM, WHERE, ORDER BY, paging)."""
    at = sql.find("\nFROM ")
    return None if at < 0 else sql[at:]


def unpack(row: Sequence[str]) -> list[Any]:
    """The column values of a packed row."""
    if len(row) == 1:
        values: list[Any] = orjson.loads(row[0])
        return values
    return [value for part in row for value in orjson.loads(part)]


@cache
def has_json_array() -> bool:
    """Whether this process's SQLite has the JSON functions (built in since 3.38)."""
    try:
        probe = sqlite3.connect(":memory:")
    except sqlite3.Error:
        return False
    try:
        return bool(probe.execute("SELECT json_array(1, 'a')").fetchone()[0] == '[1,"a"]')
    except sqlite3.Error:
        return False
    finally:
        probe.close()
