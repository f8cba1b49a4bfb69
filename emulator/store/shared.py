"""What several emulator processes on one PostgreSQL schema share beside OpenCRM's tables.

- ``emulator_state``: the control state (runtime behaviour and clock, as JSON) under the
  name ``control``, and a ``writes`` row whose version every write transaction bumps; a
  process compares both versions with the ones it last saw, at each call, and reloads or
  forgets what it keeps (:mod:`emulator.control.sharing`).
- ``emulator_access_keys``: the access keys ``login`` hands out, valid on every process.
- ``emulator_journal``: every process's journal entries, one ordered record.
- ``emulator_calls``: the calls a rate limit counts.

And the locks that order the processes: start-up one at a time (``init``), a session-long
shared lock per live process (``live``: the first process after all others ended starts
the state afresh, as a single process does), and every write transaction one at a time
(``writes``, transaction-scoped: the crmid and record-number counters are read inside it).

This state has a connection of its own, so a long write holding the data connection never
delays a version check, a journal entry or a login on another thread.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from emulator.store.shared_keys import KeysAndCalls

TABLES = (
    "CREATE TABLE IF NOT EXISTS emulator_state"
    " (name text PRIMARY KEY, version bigint NOT NULL, body text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS emulator_access_keys"
    " (access_key text PRIMARY KEY, api_key text NOT NULL, last_used timestamptz NOT NULL)",
    "CREATE INDEX IF NOT EXISTS emulator_access_keys_used ON emulator_access_keys (last_used)",
    "CREATE TABLE IF NOT EXISTS emulator_journal"
    " (id bigserial PRIMARY KEY, cost integer NOT NULL, entry text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS emulator_calls (api_key text NOT NULL, at timestamptz NOT NULL)",
    "CREATE INDEX IF NOT EXISTS emulator_calls_key ON emulator_calls (api_key, at)",
    "CREATE TABLE IF NOT EXISTS emulator_systems (name text PRIMARY KEY, spec text NOT NULL)",
)
MADE = "SELECT version FROM emulator_state WHERE name = 'made'"
#: Tables whose rows belong to a run of the emulator, not to OpenCRM's data.
RUN_TABLES = ("emulator_access_keys", "emulator_journal", "emulator_calls")
#: A process deletes the journal's rows beyond its bounds after this many new ones.
TRIM_EVERY = 64


class SchemaGone(Exception):
    """The schema was dropped (its system deleted by another process)."""


class SharedState(KeysAndCalls):
    """The shared tables of one schema, on a connection of their own (psycopg, autocommit)."""

    def __init__(self, raw: Any, schema: str) -> None:
        self.raw = raw
        self.schema = schema
        # Reentrant: a change of the control state (a transaction) may journal or count.
        self.lock = threading.RLock()
        self.added = self.issued = 0
        self.made = 0
        from psycopg.errors import UndefinedTable  # the postgres extra: imported on it only

        self.undefined_table = UndefinedTable

    def create(self) -> None:
        """The shared tables, where missing (a schema in use gets no DDL: even an ``IF NOT
        EXISTS`` takes locks that hold up live processes), and which making of the schema
        this is (:attr:`made`: a system removed and made again is another schema)."""
        with self.lock:
            if self.raw.execute("SELECT to_regclass('emulator_state')").fetchone()[0] is None:
                with self.raw.transaction():
                    for statement in TABLES:
                        self.raw.execute(statement)
                    self.raw.execute(
                        "INSERT INTO emulator_state VALUES ('writes', 0, ''), ('control', 0, '')"
                    )
            found = self.raw.execute(MADE).fetchone()
            if found is None:
                self.raw.execute(
                    "INSERT INTO emulator_state VALUES ('made', %s, '') ON CONFLICT DO NOTHING",
                    (secrets.randbits(62),),
                )
                found = self.raw.execute(MADE).fetchone()
        self.made = int(found[0])

    def close(self) -> None:
        self.raw.close()

    # -- locks ------------------------------------------------------------------------------

    def lock_key(self, purpose: str) -> str:
        return f"{self.schema}:{purpose}"

    def wait_to_start(self) -> None:
        """Wait for the processes starting before this one (until :meth:`end_start`)."""
        self.raw.execute("SELECT pg_advisory_lock(hashtext(%s))", (self.lock_key("init"),))

    @property
    def live_key(self) -> str:
        return self.lock_key(f"{self.made}:live")

    def alone(self) -> bool:
        """Whether no other process is live on this making of the schema (then this one
        starts the runtime state afresh)."""
        found = self.raw.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", (self.live_key,)
        ).fetchone()
        if found[0]:
            self.raw.execute("SELECT pg_advisory_unlock(hashtext(%s))", (self.live_key,))
        return bool(found[0])

    def end_start(self) -> None:
        """Live from now on (until this connection closes); the next process may start."""
        self.raw.execute("SELECT pg_advisory_lock_shared(hashtext(%s))", (self.live_key,))
        self.raw.execute("SELECT pg_advisory_unlock(hashtext(%s))", (self.lock_key("init"),))

    # -- versions and the control state -----------------------------------------------------

    def versions(self) -> tuple[int, int]:
        """The versions of the control state and of the tables' data."""
        try:
            with self.lock:
                found = self.raw.execute("SELECT name, version FROM emulator_state").fetchall()
        except self.undefined_table:
            raise SchemaGone(self.schema) from None
        rows = dict(found)
        if rows.get("made") != self.made:  # removed, and made again by another process
            raise SchemaGone(self.schema)
        return int(rows["control"]), int(rows["writes"])

    def control(self) -> tuple[int, str]:
        """The control state's version and body (JSON; empty before the first process wrote it)."""
        with self.lock:
            found = self.raw.execute(
                "SELECT version, body FROM emulator_state WHERE name = 'control'"
            ).fetchone()
        return int(found[0]), str(found[1])

    @contextmanager
    def changing_control(self) -> Iterator[ControlChange]:
        """The control state, locked against every other process's change until the block
        ends; what the block sets as ``change.body`` is written with a new version."""
        with self.lock, self.raw.transaction():
            found = self.raw.execute(
                "SELECT version, body FROM emulator_state WHERE name = 'control' FOR UPDATE"
            ).fetchone()
            change = ControlChange(int(found[0]), str(found[1]))
            yield change
            if change.body != found[1] or change.forget:
                if change.forget:  # a reset: journal ids go on, as in one process
                    for table in RUN_TABLES:
                        self.raw.execute(f"DELETE FROM {table}")
                change.version += 1
                self.raw.execute(
                    "UPDATE emulator_state SET version = %s, body = %s WHERE name = 'control'",
                    (change.version, change.body),
                )

    def start_afresh(self, body: str) -> int:
        """The first live process: the control state ``body``, no access keys, calls or
        journal of an earlier run (ids from 1 again); the new version."""
        with self.lock, self.raw.transaction():
            self.raw.execute(f"TRUNCATE {', '.join(RUN_TABLES)} RESTART IDENTITY")
            found = self.raw.execute(
                "UPDATE emulator_state SET version = version + 1, body = %s"
                " WHERE name = 'control' RETURNING version",
                (body,),
            ).fetchone()
        return int(found[0])

    # -- journal ----------------------------------------------------------------------------

    def add_entry(self, entry: str, cost: int, size: int, max_bytes: int) -> int:
        """Store an entry (JSON without its id); its id. Now and then the rows beyond the
        journal's bounds are deleted (reads apply the bounds exactly)."""
        with self.lock:
            found = self.raw.execute(
                "INSERT INTO emulator_journal (cost, entry) VALUES (%s, %s) RETURNING id",
                (cost, entry),
            ).fetchone()
            self.added += 1
            if self.added % TRIM_EVERY == 0:
                self.raw.execute(
                    "DELETE FROM emulator_journal WHERE id <= %s", (int(found[0]) - size,)
                )
        return int(found[0])

    def entries(self, size: int, max_bytes: int) -> list[tuple[int, str]]:
        """The last entries within ``size`` entries and ``max_bytes``, oldest first."""
        with self.lock:
            rows = self.raw.execute(
                "SELECT id, cost, entry FROM emulator_journal ORDER BY id DESC LIMIT %s", (size,)
            ).fetchall()
        kept, used = [], 0
        for id_, cost, entry in rows:
            used += int(cost)
            if used > max_bytes:
                break
            kept.append((int(id_), str(entry)))
        kept.reverse()
        return kept

    def clear_journal(self) -> None:
        with self.lock:
            self.raw.execute("DELETE FROM emulator_journal")

    # -- systems made at run time (kept in the default system's schema) ---------------------

    def systems(self) -> list[str]:
        """The specs (JSON) of the systems made at run time, by name."""
        with self.lock:
            rows = self.raw.execute("SELECT spec FROM emulator_systems ORDER BY name").fetchall()
        return [str(row[0]) for row in rows]

    def add_system(self, name: str, spec: str) -> bool:
        """Remember a new system; False when another process made one of that name first."""
        with self.lock:
            done = self.raw.execute(
                "INSERT INTO emulator_systems VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                (name, spec),
            )
        return bool(done.rowcount == 1)

    def remove_system(self, name: str) -> None:
        with self.lock:
            self.raw.execute("DELETE FROM emulator_systems WHERE name = %s", (name,))


class ControlChange:
    """The control state inside :meth:`SharedState.changing_control`."""

    def __init__(self, version: int, body: str) -> None:
        self.version = version
        self.body = body
        #: Whether the run's access keys, calls and journal go too (a reset).
        self.forget = False
