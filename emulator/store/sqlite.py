"""The SQLite database under the store: its one connection, transactions, snapshots and
the read-only session custom reports run in.

One DB-API connection serves the store for its whole life, behind the store's lock: an
in-memory database exists per connection, and a file has one writer anyway (WAL, with
``synchronous=FULL`` so every acknowledged write is on disk before the API answers).
Transactions are explicit (``BEGIN``/``COMMIT``), not the sqlite3 module's implicit ones.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from emulator.domain import deadline
from emulator.store.engine import claim, database_url, make_engine
from emulator.store.executor import Executor, StatementCache

#: What a custom report may do: read tables and call functions (SQLite authorizer actions).
READ_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
#: The oldest SQLite the store runs on: 3.35 brought INSERT ... RETURNING.
OLDEST = (3, 35, 0)
#: Functions that reach outside the database (most exist only in the sqlite3 shell).
REFUSED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})


class CustomQueryError(Exception):
    """A custom report's SQL was refused, stopped or failed; ``detail`` is SQLite's word."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class Image:
    """The whole database, kept in memory: serialized bytes (an in-memory database) or a
    page copy in a private in-memory connection (a file, which must keep its own file)."""

    data: bytes | None
    copy: sqlite3.Connection | None


class SQLiteDatabase:
    flavour = "sqlite"

    def __init__(self, database: str, cache: StatementCache) -> None:
        if sqlite3.sqlite_version_info < OLDEST:  # INSERT ... RETURNING (audit entries)
            raise RuntimeError(
                f"the emulator needs SQLite {'.'.join(map(str, OLDEST))} or newer; this Python "
                f"has {sqlite3.sqlite_version}"
            )
        self.url = database_url(database)
        self.in_memory = self.url == "sqlite://"
        self.claim = claim(database)
        self.engine = make_engine(self.url)
        self._proxy = self.engine.raw_connection()
        self.raw = as_sqlite3(self._proxy.driver_connection)
        self.raw.set_progress_handler(over_budget, PROGRESS_STEPS)
        self.executor = Executor(self.raw, self.engine.dialect, cache)
        #: The image an in-memory database holds as it was made or restored, with the
        #: connection's marks then (:meth:`marks`); None once anything else was put in.
        self.placed: tuple[Image, tuple[int, int]] | None = None

    #: One process per database (the file's lock): nothing shared with another, and this
    #: process is always the first (emulator/store/shared.py has PostgreSQL's).
    shared = None
    first = True

    def ready(self) -> None:
        """Start-up is over (nothing to tell other processes)."""

    def begin_write(self) -> int | None:
        """At the start of a write transaction: nothing to wait for."""
        return None

    def hold_writes(self, held: bool) -> None:
        """Every other process's writes held off, or let go: there are none."""

    def drop(self) -> None:
        """Nothing: the system's files are removed once it is closed."""

    def close(self) -> None:
        self._proxy.close()
        self.engine.dispose()
        if self.claim is not None:
            self.claim.close()  # releases the lock
            self.claim = None

    @contextmanager
    def transaction(self) -> Iterator[Executor]:
        """BEGIN ... COMMIT, rolled back on any failure, a failed COMMIT included (else the
        connection would stay in the transaction and refuse every later BEGIN)."""
        if self.raw.in_transaction:
            raise RuntimeError(
                "the store is already in a transaction: a unit of work "
                "cannot open another inside it"
            )
        self.raw.execute("BEGIN")
        try:
            yield self.executor
            self.unbudgeted("COMMIT")
        except BaseException:
            if self.raw.in_transaction:
                self.unbudgeted("ROLLBACK")
            raise

    def unbudgeted(self, sql: str) -> None:
        """Run ``sql`` (COMMIT, ROLLBACK) that a call's time budget must never interrupt:
        an interrupted one would leave the transaction open."""
        self.raw.set_progress_handler(None, 0)
        try:
            self.raw.execute(sql)
        finally:
            self.raw.set_progress_handler(over_budget, PROGRESS_STEPS)

    # -- images -----------------------------------------------------------------------------

    def image(self) -> Image:
        if self.in_memory:
            image = Image(self.raw.serialize(), None)
            self.placed = image, self.marks()
            return image
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        self.raw.backup(copy)
        return Image(None, copy)

    def restore(self, image: object) -> None:
        assert isinstance(image, Image), "a snapshot made on PostgreSQL"
        if image.data is not None:
            if self.holds(image):
                return  # nothing written since it was put in place: a test that only read
            # One memcpy of the image: a reset costs well under a millisecond with the
            # fixtures (a page-by-page backup() took several).
            self.raw.deserialize(image.data)
            self.placed = image, self.marks()
        elif image.copy is not None:
            self.placed = None  # a backup moves neither mark
            image.copy.backup(self.raw)

    def holds(self, image: Image) -> bool:
        """Whether the database is ``image`` as it was put in place: no row inserted,
        updated or deleted since (the connection's change count, which a rolled-back write
        moves too), no schema changed (its schema version). What the marks cannot see (a
        backup() into the database, VACUUM, ANALYZE, PRAGMA user_version, blob writes) the
        store never does to an in-memory database; a load or copy forgets the image."""
        return (
            self.placed is not None and self.placed[0] is image and self.placed[1] == self.marks()
        )

    def marks(self) -> tuple[int, int]:
        """What any change to the database moves: its change count and schema version."""
        version = self.raw.execute("PRAGMA schema_version").fetchone()[0]
        return self.raw.total_changes, int(version)

    def serialized(self) -> bytes:
        return self.raw.serialize()

    def is_empty(self) -> bool:
        """Whether the database has no table yet (a new file, or memory)."""
        return int(self.raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0

    def copy_from(self, data: bytes) -> None:
        """Fill the database with a copy of ``data`` (serialized): page by page, so a file
        keeps its WAL mode and memory keeps no limit on its growth (a deserialized database
        cannot grow past 1 GiB)."""
        self.placed = None
        source = sqlite3.connect(":memory:")
        try:
            source.deserialize(data)
            source.backup(self.raw)
        finally:
            source.close()

    def load(self, data: bytes) -> None:
        self.placed = None
        self.raw.deserialize(data)

    # -- custom reports ---------------------------------------------------------------------

    def custom_query(
        self, sql: str, start: int, limit: int, bounds: QueryBounds
    ) -> tuple[list[str], list[Sequence[Any]]]:
        """Run a custom report's SQL read-only, within ``bounds``; its column names and the
        rows asked for."""
        try:
            with read_only_session(self.raw, bounds):
                cursor = self.raw.execute(sql)
                names = [d[0] for d in cursor.description or ()]
                values = bounded_rows(islice(cursor, start, start + limit), bounds.result_bytes)
                cursor.close()
        except (sqlite3.Error, sqlite3.Warning) as exc:
            deadline.check()  # stopped by the call's own time budget, not the report's
            raise CustomQueryError(str(exc)) from None
        return names, values


#: How many of SQLite's virtual machine steps pass between two looks at the call's budget.
PROGRESS_STEPS = 10_000


def over_budget() -> int:
    """SQLite's progress handler: non-zero interrupts the statement (the call's budget ran
    out; emulator/domain/deadline.py)."""
    return int(deadline.passed())


def as_sqlite3(connection: object) -> sqlite3.Connection:
    if not isinstance(connection, sqlite3.Connection):
        raise RuntimeError("this needs the SQLite engine")
    return connection


def read_only(action: int, _arg1: str | None, arg2: str | None, _db: Any, _source: Any) -> int:
    """A SQLite authorizer that allows reading only: any write, PRAGMA, ATTACH, transaction
    or schema change is refused when the statement is prepared, as is ``load_extension``."""
    if action not in READ_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@dataclass(frozen=True)
class QueryBounds:
    """What a custom report may spend: seconds, bytes per value, bytes of rows in all."""

    seconds: float
    value_bytes: int
    result_bytes: int


#: The detail of a CustomQueryError for rows over their budget.
RESULT_TOO_LARGE = "result too large"


def bounded_rows(rows: Iterable[Sequence[Any]], budget: int) -> list[Sequence[Any]]:
    """The rows, until they hold more than ``budget`` bytes (CustomQueryError then)."""
    kept: list[Sequence[Any]] = []
    for row in rows:
        budget -= 16 + sum(len(v) if isinstance(v, str | bytes) else 8 for v in row)
        if budget < 0:
            raise CustomQueryError(RESULT_TOO_LARGE)
        kept.append(row)
    return kept


@contextmanager
def read_only_session(raw: sqlite3.Connection, bounds: QueryBounds) -> Iterator[None]:
    """The store's own connection, read-only for a moment: ``query_only`` and the authorizer
    (two locks, so one mistake does not open a door), a time budget so a runaway query
    (a recursive CTE without end) cannot hold the store's lock, and a length limit on every
    value, since one function call (``randomblob(300000000)``) is one step of SQLite's, which
    the time budget cannot stop: past the limit SQLite refuses the value ("string or blob too
    big") before making it. All undone afterwards."""
    ends = time.monotonic() + bounds.seconds
    raw.execute("PRAGMA query_only = ON")
    raw.set_authorizer(read_only)
    raw.set_progress_handler(lambda: int(time.monotonic() > ends or deadline.passed()), 1_000)
    length = raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, bounds.value_bytes)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length)
        raw.set_progress_handler(over_budget, PROGRESS_STEPS)
        raw.set_authorizer(None)
        raw.execute("PRAGMA query_only = OFF")
