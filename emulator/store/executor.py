"""The one way the store runs a statement.

Every statement is built with SQLAlchemy Core from the registry's tables, so names and
values never enter SQL text; it is compiled once to the driver's SQL (:class:`Compiled`)
and run on the store's DB-API connection by an :class:`Executor`. SQLAlchemy's own
execution layer is skipped: for a single record it built parameters, cache keys and Row
objects that cost four fifths of the time (benchmark: 400 µs against 80 µs for the same SQL
on the driver connection). The same executor serves any DB-API driver whose dialect
SQLAlchemy knows: positional paramstyles (sqlite3's ``qmark``) get a list, named ones
(psycopg's ``pyformat``) a dict.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.ddl import ExecutableDDLElement

from emulator.domain import deadline
from emulator.store.packing import joined, objects_sql, packed_sql, unpack

Row = dict[str, Any]
Statement = ClauseElement


class Cursor(Protocol):
    description: Any
    lastrowid: Any
    rowcount: int

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...

    def close(self) -> None: ...


class Connection(Protocol):
    """A DB-API connection, as far as the store uses one."""

    def cursor(self) -> Any: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement compiled to the driver's SQL: its text, its result column names, the
    order of its parameters (None for a named paramstyle), the values bound in it, and the
    parameters a run must give (a missing one is a KeyError, never a NULL)."""

    sql: str
    names: tuple[str, ...]
    order: tuple[str, ...] | None
    bound: Mapping[str, Any]
    required: frozenset[str] = frozenset()
    #: The SQL reading each row as JSON arrays, where that is lossless (store/packing.py).
    packed: str | None = None
    #: The same, each row as the JSON object of its labels and values.
    objects: str | None = None

    @classmethod
    def of(cls, stmt: Statement, dialect: Dialect, objects: bool = False) -> Compiled:
        """``objects``: also the SQL writing each row as its JSON object, where lossless
        (for :meth:`Executor.one_json`; a third compilation, so only when asked)."""
        compiled: SQLCompiler = stmt.compile(  # type: ignore[assignment]
            dialect=dialect, compile_kwargs={"render_postcompile": True}
        )
        names = (
            tuple(str(c.name) for c in stmt.selected_columns) if isinstance(stmt, Select) else ()
        )
        if isinstance(stmt, ExecutableDDLElement):  # no parameters
            return cls(str(compiled), (), () if dialect.positional else None, {})
        order = compiled.positiontup
        required = frozenset(name for name, bind in compiled.binds.items() if bind.required)
        bound = {k: v for k, v in compiled.params.items() if k not in required}
        positions = None if order is None else tuple(order)
        sql = str(compiled)
        packed = as_objects = None
        if isinstance(stmt, Select):
            packed = packed_sql(stmt, dialect, sql, positions)
            if packed is not None and objects:
                as_objects = objects_sql(stmt, dialect, sql, positions)
        return cls(sql, names, positions, bound, required, packed, as_objects)

    def parameters(self, values: Mapping[str, Any] | None) -> Sequence[Any] | Mapping[str, Any]:
        merged = {**self.bound, **values} if values else self.bound
        if self.order is None:
            missing = self.required - merged.keys()
            if missing:
                raise KeyError(", ".join(sorted(missing)))
            return merged
        return [merged[name] for name in self.order]


class StatementCache:
    """Compiled statements by a key of the caller's (``("get", "contact")``), least recently
    used first out: the number of statement shapes (one UPDATE per set of edited fields) is
    the client's to choose, so the cache has a bound in entries and one in bytes (the SQL
    text and the key's names, about what an entry keeps alive). Stores of the same shape
    share one (the SQL is the same), from their own threads, so it has a lock of its own."""

    def __init__(self, size: int = 512, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[object, tuple[Compiled, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: object, build: Callable[[], Compiled]) -> Compiled:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found[0]
        compiled = build()  # outside the lock: compiling takes a while, and twice is harmless
        cost = entry_bytes(key, compiled)
        with self._lock:
            previous = self._entries.pop(key, None)
            self.bytes += cost - (previous[1] if previous else 0)
            self._entries[key] = (compiled, cost)
            while len(self._entries) > 1 and (
                len(self._entries) > self.size or self.bytes > self.max_bytes
            ):
                self.bytes -= self._entries.popitem(last=False)[1][1]
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0


def entry_bytes(key: object, compiled: Compiled) -> int:
    """About what a cache entry keeps in memory: its SQL, its names, its key."""
    names = sum(len(n) for n in compiled.names) + sum(len(n) for n in compiled.order or ())
    sql = len(compiled.sql) + len(compiled.packed or "") + len(compiled.objects or "")
    return 200 + 2 * sql + names + len(repr(key))


def budgeted(execute: Callable[..., Any], *args: Any) -> Any:
    """``execute(*args)``, one statement: none starts past the call's time budget, and one
    the database interrupted (SQLite's progress handler: emulator/store/sqlite.py) because
    the budget ran out is TimeBudgetExceeded, not the driver's error."""
    deadline.check()
    try:
        return execute(*args)
    except Exception:
        deadline.check()
        raise


class Executor:
    """Runs statements on one DB-API connection. Callers hold the store's lock."""

    def __init__(self, connection: Connection, dialect: Dialect, cache: StatementCache) -> None:
        self.connection = connection
        self.dialect = dialect
        self.cache = cache

    def prepare(
        self, key: object, build: Callable[[], Statement], objects: bool = False
    ) -> Compiled:
        """The statement ``build`` makes, compiled once for ``key`` (``objects``: see
        :meth:`Compiled.of`; a key of its own, then)."""
        return self.cache.get(key, lambda: Compiled.of(build(), self.dialect, objects))

    def compiled(self, stmt: Statement | Compiled) -> Compiled:
        return stmt if isinstance(stmt, Compiled) else Compiled.of(stmt, self.dialect)

    def run(self, stmt: Statement | Compiled, values: Mapping[str, Any] | None = None) -> Cursor:
        """Execute once; the cursor (for ``lastrowid``, ``rowcount`` or rows)."""
        compiled = self.compiled(stmt)
        return self.run_sql(compiled.sql, compiled.parameters(values))

    def run_sql(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any]) -> Cursor:
        cursor: Cursor = self.connection.cursor()
        budgeted(cursor.execute, sql, parameters)
        return cursor

    def run_many(self, stmt: Statement | Compiled, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        compiled = self.compiled(stmt)
        cursor = self.connection.cursor()
        budgeted(cursor.executemany, compiled.sql, [compiled.parameters(row) for row in rows])
        cursor.close()

    def run_rows(self, stmt: Statement | Compiled, rows: Sequence[Sequence[object]]) -> None:
        """executemany with rows already in the statement's parameter order (bulk loads)."""
        if rows:
            cursor = self.connection.cursor()
            cursor.executemany(self.compiled(stmt).sql, rows)
            cursor.close()

    def rows(
        self, stmt: Statement | Compiled, values: Mapping[str, Any] | None = None
    ) -> list[Row]:
        compiled = self.compiled(stmt)
        if compiled.packed is not None:
            cursor = self.run_sql(compiled.packed, compiled.parameters(values))
            names = compiled.names
            found = [dict(zip(names, unpack(row), strict=True)) for row in cursor]
            cursor.close()
            return found
        cursor = self.run(compiled, values)
        rows = cursor.fetchall()
        cursor.close()
        names = compiled.names or tuple(d[0] for d in cursor.description or ())
        return [dict(zip(names, row, strict=True)) for row in rows]

    def one(
        self, stmt: Statement | Compiled, values: Mapping[str, Any] | None = None
    ) -> Row | None:
        compiled = self.compiled(stmt)
        if compiled.packed is not None:
            cursor = self.run_sql(compiled.packed, compiled.parameters(values))
            row = cursor.fetchone()
            cursor.close()
            return None if row is None else dict(zip(compiled.names, unpack(row), strict=True))
        cursor = self.run(compiled, values)
        row = cursor.fetchone()
        cursor.close()
        if row is None:
            return None
        names = compiled.names or tuple(d[0] for d in cursor.description or ())
        return dict(zip(names, row, strict=True))

    def one_json(
        self, stmt: Statement | Compiled, values: Mapping[str, Any] | None = None
    ) -> str | None:
        """:meth:`one`'s row as its JSON text (orjson's, where SQLite cannot write it)."""
        compiled = self.compiled(stmt)
        if compiled.objects is None:
            row = self.one(compiled, values)
            return None if row is None else orjson.dumps(row).decode()
        cursor = self.run_sql(compiled.objects, compiled.parameters(values))
        found = cursor.fetchone()
        cursor.close()
        return None if found is None else joined(found)

    def rows_json(
        self, stmt: Statement | Compiled, values: Mapping[str, Any] | None = None
    ) -> list[str]:
        """:meth:`rows` as the JSON text of each row."""
        compiled = self.compiled(stmt)
        if compiled.objects is None:
            return [orjson.dumps(row).decode() for row in self.rows(compiled, values)]
        cursor = self.run_sql(compiled.objects, compiled.parameters(values))
        found = [joined(row) for row in cursor]
        cursor.close()
        return found

    def scalar(self, stmt: Statement | Compiled, values: Mapping[str, Any] | None = None) -> Any:
        cursor = self.run(stmt, values)
        row = cursor.fetchone()
        cursor.close()
        return None if row is None else row[0]
