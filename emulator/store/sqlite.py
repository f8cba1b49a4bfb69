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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

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
        self.executor = Executor(self.raw, self.engine.dialect, cache)

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
            self.raw.execute("COMMIT")
        except BaseException:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
            raise

    # -- images -----------------------------------------------------------------------------

    def image(self) -> Image:
        if self.in_memory:
            return Image(self.raw.serialize(), None)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        self.raw.backup(copy)
        return Image(None, copy)

    def restore(self, image: Image) -> None:
        if image.data is not None:
            # One memcpy of the image: a reset costs well under a millisecond with the
            # fixtures (a page-by-page backup() took several).
            self.raw.deserialize(image.data)
        elif image.copy is not None:
            image.copy.backup(self.raw)

    def serialized(self) -> bytes:
        return self.raw.serialize()

    def is_empty(self) -> bool:
        """Whether the database has no table yet (a new file, or memory)."""
        return int(self.raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0

    def copy_from(self, data: bytes) -> None:
        """Fill the database with a copy of ``data`` (serialized): page by page, so a file
        keeps its WAL mode and memory keeps no limit on its growth (a deserialized database
        cannot grow past 1 GiB)."""
        source = sqlite3.connect(":memory:")
        try:
            source.deserialize(data)
            source.backup(self.raw)
        finally:
            source.close()

    def load(self, data: bytes) -> None:
        self.raw.deserialize(data)

    # -- custom reports ---------------------------------------------------------------------

    def custom_query(
        self, sql: str, start: int, limit: int, seconds: float
    ) -> tuple[list[str], list[Sequence[Any]]]:
        """Run a custom report's SQL read-only; its column names and the rows asked for."""
        try:
            with read_only_session(self.raw, seconds):
                cursor = self.raw.execute(sql)
                names = [d[0] for d in cursor.description or ()]
                values = list(islice(cursor, start, start + limit))
                cursor.close()
        except (sqlite3.Error, sqlite3.Warning) as exc:
            raise CustomQueryError(str(exc)) from None
        return names, values


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


@contextmanager
def read_only_session(raw: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """The store's own connection, read-only for a moment: ``query_only`` and the authorizer
    (two locks, so one mistake does not open a door), and a time budget so a runaway query
    (a recursive CTE without end) cannot hold the store's lock. All undone afterwards."""
    deadline = time.monotonic() + seconds
    raw.execute("PRAGMA query_only = ON")
    raw.set_authorizer(read_only)
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)
        raw.set_authorizer(None)
        raw.execute("PRAGMA query_only = OFF")
